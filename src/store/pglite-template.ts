import { rename, writeFile } from "node:fs/promises";
import { openStore } from "./database.ts";
import { migrateToLatest } from "./migrate.ts";

// A new embedded database is slow to make: the embedded server initialises its cluster from
// scratch (10–20 s on a small machine), then every migration runs. A template does that once: a
// migrated, empty cluster saved as a tar file, which a new folder (or a database in memory) is
// loaded from in about a second. Migrations newer than the template still run on top of it.

/** An empty embedded database, migrated to the latest schema, as a tar archive (gzip). */
export async function migratedTemplate(): Promise<Blob> {
  const store = await openStore({ kind: "pglite", dataDir: null });
  try {
    const { error } = await migrateToLatest(store.db);
    if (error) throw error;
    return await store.dumpDataDir!();
  } finally {
    await store.close();
  }
}

/** Writes `migratedTemplate()` to `file`, whole or not at all. */
export async function writeTemplate(file: string): Promise<void> {
  const scratch = `${file}.${process.pid}.tmp`;
  await writeFile(scratch, Buffer.from(await (await migratedTemplate()).arrayBuffer()));
  await rename(scratch, file);
}
