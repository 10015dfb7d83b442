import { PostgresIntrospector } from "kysely";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { knownMigrations, migrateTo, migrateToLatest } from "../../src/store/migrate.ts";
import type { Store } from "../../src/store/database.ts";
import { backend, openTestStore } from "./support/test-store.ts";

// Kysely's migrator first reads the tables of every schema in the database, asking each table's
// sequences by name: another deployment or test run dropping its schema at that instant fails
// that read with "relation … does not exist" (42P01) or "schema … does not exist" (3F000). The
// migration itself has not started, so rapport runs the migrator again; a migration that fails
// is reported at once.

/** Fails the next `n` reads of every schema's tables with `code`, as a drop at that instant would. */
function vanishing(code: string, n: number) {
  const read = vi.spyOn(PostgresIntrospector.prototype, "getTables");
  for (let i = 0; i < n; i++) {
    read.mockRejectedValueOnce(
      Object.assign(new Error(`relation "elsewhere.issues" does not exist`), { code }),
    );
  }
  return read;
}

describe(`migrations beside other schemas vanishing on ${backend}`, () => {
  let store: Store & { dispose(): Promise<void> };
  const all = knownMigrations();

  beforeAll(async () => {
    store = await openTestStore();
  });
  afterAll(() => store.dispose());
  afterEach(() => vi.restoreAllMocks());

  it("runs the migrator again when a table or schema vanished while it read the catalog", async () => {
    for (const code of ["42P01", "3F000"]) {
      const back = await migrateTo(store.db, all[all.length - 2]!);
      expect(back.error).toBeNull();
      const read = vanishing(code, 2);
      const outcome = await migrateToLatest(store.db);
      expect(outcome).toEqual({ applied: [all[all.length - 1]], error: null });
      expect(read.mock.calls.length).toBeGreaterThanOrEqual(3);
      vi.restoreAllMocks();
    }
  });

  it("gives up after three tries, saying why", async () => {
    await migrateTo(store.db, all[all.length - 2]!);
    const read = vanishing("42P01", 5);
    const outcome = await migrateToLatest(store.db);
    expect(read).toHaveBeenCalledTimes(3);
    expect(outcome.applied).toEqual([]);
    expect(String(outcome.error)).toContain("does not exist");
    vi.restoreAllMocks();
    expect((await migrateToLatest(store.db)).error).toBeNull();
  });
});
