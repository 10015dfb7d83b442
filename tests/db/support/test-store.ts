import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { sql } from "kysely";
import { openStore, type Store } from "../../../src/store/database.ts";
import { migrateToLatest } from "../../../src/store/migrate.ts";
import { writeTemplate } from "../../../src/store/pglite-template.ts";
import { templateFile } from "../../../scripts/build.js";
import { createCore, type Core } from "../../../src/services/core.ts";
import type { Clock } from "../../../src/ports.ts";

/** The backend this vitest project runs on (set per project in vitest.config.ts). */
export const backend = (process.env.RAPPORT_TEST_BACKEND ?? "pglite") as "pglite" | "postgres";

/** A migrated, empty database of this project's backend; each call gets its own (schema or memory). */
export async function openTestStore(): Promise<Store & { dispose(): Promise<void> }> {
  if (backend === "pglite") {
    const store = await openStore({ kind: "pglite", dataDir: null, template: await pgliteTemplate() });
    await migrated(store);
    return { ...store, dispose: () => store.close() };
  }
  const url = process.env.RAPPORT_TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
  const schema = `rapport_test_${process.pid}_${randomBytes(4).toString("hex")}`;
  const admin = await openStore({ kind: "postgres", url, poolSize: 1 });
  await sql`create schema ${sql.id(schema)}`.execute(admin.db);
  const store = await openStore({ kind: "postgres", url, schema });
  await migrated(store);
  return {
    ...store,
    dispose: async () => {
      await store.close();
      await sql`drop schema ${sql.id(schema)} cascade`.execute(admin.db);
      await admin.close();
    },
  };
}

let template: Promise<Blob> | null = null;

/**
 * The migrated template every embedded test database is loaded from (tests/global-setup.ts builds
 * it once per run, like `npm install` does): a second instead of 10–20 s of making a cluster and
 * migrating it for each test. Read once per worker.
 */
export function pgliteTemplate(): Promise<Blob> {
  return (template ??= (async () => {
    const file = templateFile();
    if (!existsSync(file)) await writeTemplate(file);
    return new Blob([await readFile(file)]);
  })());
}

async function migrated(store: Store): Promise<void> {
  const { error } = await migrateToLatest(store.db);
  if (error) throw error;
}

/** A clock the test moves by hand. */
export class ManualClock implements Clock {
  constructor(private current: Date) {}
  now(): Date {
    return new Date(this.current);
  }
  set(at: Date | string): void {
    this.current = new Date(at);
  }
  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
}

/** A core on a fresh test database with a manual clock. */
export async function openTestCore(
  start = "2026-11-16T09:00:00Z",
): Promise<{ core: Core; clock: ManualClock; store: Store & { dispose(): Promise<void> } }> {
  const store = await openTestStore();
  const clock = new ManualClock(new Date(start));
  return { core: createCore(store, { clock }), clock, store };
}
