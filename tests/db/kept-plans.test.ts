import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KEEP_PLAN, type Store } from "../../src/store/database.ts";
import { WeekFiguresStore } from "../../src/store/week-figures.ts";
import { backend, openTestStore } from "./support/test-store.ts";

// A statement marked KEEP_PLAN (a digest's window) is prepared once per server connection, by a
// name of its text, and run by that name afterwards; other statements are not. The embedded
// database plans each statement as it comes.

describe.runIf(backend === "postgres")("statements whose plan the server keeps", () => {
  let store: Store & { dispose(): Promise<void> };

  beforeAll(async () => {
    store = await openTestStore();
  });
  afterAll(() => store.dispose());

  it("prepares a marked statement once per connection and answers each run with its own values", async () => {
    const marked = (n: number) => sql<{ twice: number }>`${sql.raw(KEEP_PLAN)} select ${n}::int * 2 as twice`;
    const prepared = await store.db.connection().execute(async (db) => {
      for (const n of [1, 2, 3, 4, 5, 6, 7]) {
        expect((await marked(n).execute(db)).rows).toEqual([{ twice: n * 2 }]);
      }
      await sql`select ${8}::int as plain`.execute(db);
      const { rows } = await sql<{ name: string; statement: string }>`
        select name, statement from pg_prepared_statements order by name
      `.execute(db);
      return rows;
    });
    expect(prepared).toHaveLength(1);
    expect(prepared[0]!.name).toMatch(/^rapport_[0-9a-f]{24}$/);
    expect(prepared[0]!.statement).toContain(KEEP_PLAN);
  });

  it("compiles nothing to machine code first (JIT off on every connection, the relaxed ones too)", async () => {
    for (const db of [store.db, store.relaxed]) {
      const { rows } = await sql<{ jit: string }>`show jit`.execute(db);
      expect(rows).toEqual([{ jit: "off" }]);
    }
  });

  it("keeps the window's plan: a digest's window statement is among the prepared ones after it runs", async () => {
    const partnershipId = "00000000-0000-4000-8000-000000000000";
    const names = await store.db.connection().execute(async (db) => {
      const figures = new WeekFiguresStore({ ...store, db });
      const window = await figures.window(
        partnershipId,
        new Date("2026-11-02T00:00:00Z"),
        new Date("2026-11-09T00:00:00Z"),
      );
      expect(window.events).toEqual([]);
      const { rows } = await sql<{ statement: string }>`select statement from pg_prepared_statements`.execute(
        db,
      );
      return rows.map((r) => r.statement);
    });
    expect(names.some((s) => s.includes("with earlier as"))).toBe(true);
  });
});
