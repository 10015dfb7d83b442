import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openStore } from "../../src/store/database.ts";
import { knownMigrations, migrateToLatest } from "../../src/store/migrate.ts";
import { backend, pgliteTemplate } from "./support/test-store.ts";

// The embedded database's template (src/store/pglite-template.ts): a new folder starts from it
// already migrated, a folder that holds a database never does, and a template file that is not
// there means starting from scratch.
describe.runIf(backend === "pglite")("a new embedded database started from the template", () => {
  let root: string;

  beforeAll(async () => {
    root = await mkdtemp(path.join(tmpdir(), "rapport-template-"));
  });

  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  async function migrationsIn(dataDir: string, template: Blob | string | null) {
    const store = await openStore({ kind: "pglite", dataDir, template });
    try {
      const before = await sql<{ name: string }>`select name from kysely_migration order by name`
        .execute(store.db)
        .then((r) => r.rows.map((row) => row.name))
        .catch(() => []);
      const { applied, error } = await migrateToLatest(store.db);
      expect(error).toBeNull();
      return { before, applied };
    } finally {
      await store.close();
    }
  }

  it("holds every migration before anything runs, in a new folder", async () => {
    const dataDir = path.join(root, "new");
    const { before, applied } = await migrationsIn(dataDir, await pgliteTemplate());
    expect(before).toEqual(knownMigrations());
    expect(applied).toEqual([]);
    expect(existsSync(path.join(dataDir, "PG_VERSION"))).toBe(true);
  });

  it("is not loaded over a folder that already holds a database", async () => {
    const dataDir = path.join(root, "kept");
    const store = await openStore({ kind: "pglite", dataDir, template: await pgliteTemplate() });
    await sql`create table kept (id int)`.execute(store.db);
    await sql`insert into kept values (7)`.execute(store.db);
    await store.close();

    const reopened = await openStore({ kind: "pglite", dataDir, template: await pgliteTemplate() });
    try {
      const { rows } = await sql<{ id: number }>`select id from kept`.execute(reopened.db);
      expect(rows).toEqual([{ id: 7 }]);
    } finally {
      await reopened.close();
    }
  });

  it("starts from scratch when the template file was never built, and migrates", async () => {
    const dataDir = path.join(root, "scratch");
    const { before, applied } = await migrationsIn(dataDir, path.join(root, "never-built.tar.gz"));
    expect(before).toEqual([]);
    expect(applied).toEqual(knownMigrations());
  }, 120_000);
});
