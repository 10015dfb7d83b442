import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { sql } from "kysely";
import { DEFAULT_SETTINGS } from "../../src/domain/partnership.ts";
import { settingsAt } from "../../src/domain/settings-history.ts";
import { knownMigrations, migrateTo, migrateToLatest } from "../../src/store/migrate.ts";
import { PartnershipStore } from "../../src/store/partnerships.ts";
import { backend, openTestStore } from "./support/test-store.ts";

const ALWAYS = new Date("1970-01-01T00:00:00Z");

describe(`settings history on ${backend}`, () => {
  let store: Awaited<ReturnType<typeof openTestStore>>;
  let partnerships: PartnershipStore;

  beforeEach(async () => {
    store = await openTestStore();
    partnerships = new PartnershipStore(store);
  });
  afterEach(() => store.dispose());

  const create = (settings = {}) =>
    partnerships.create({ name: "Acme", providerOrg: "Fixit IT", clientOrg: "Acme Dental", settings });

  const updatedAt = async (id: string) =>
    (
      await store.db
        .selectFrom("partnerships")
        .select("updated_at")
        .where("id", "=", id)
        .executeTakeFirstOrThrow()
    ).updated_at;

  const tableExists = async () => {
    const { rows } = await sql<{ n: number }>`
      select count(*)::int as n from information_schema.tables
      where table_schema = current_schema() and table_name = 'partnership_settings'
    `.execute(store.db);
    return rows[0]!.n === 1;
  };

  it("gives a new partnership one version that covers all of its history", async () => {
    const p = await create({ holidays: ["2026-12-25"] });
    const history = await partnerships.settingsHistory(p.id);
    expect(history).toEqual([{ from: ALWAYS, settings: { ...DEFAULT_SETTINGS, holidays: ["2026-12-25"] } }]);
  });

  it("adds a version in force from the update when a setting changes, keeping the earlier one", async () => {
    const p = await create();
    const updated = await partnerships.update(p.id, { holidays: ["2026-12-25"] });
    const history = await partnerships.settingsHistory(p.id);
    expect(history).toHaveLength(2);
    expect(history[0]).toEqual({ from: ALWAYS, settings: DEFAULT_SETTINGS });
    expect(history[1]!.settings).toEqual({ ...DEFAULT_SETTINGS, holidays: ["2026-12-25"] });
    expect(history[1]!.from).toEqual(await updatedAt(p.id));
    // The current settings are the latest version, as before.
    expect(updated.holidays).toEqual(["2026-12-25"]);
    expect((await partnerships.get(p.id)).holidays).toEqual(["2026-12-25"]);
    expect(settingsAt(history, new Date(history[1]!.from.getTime() - 1)).holidays).toEqual([]);
    expect(settingsAt(history, history[1]!.from).holidays).toEqual(["2026-12-25"]);
  });

  it("adds no version when only names or provider workspaces change, or settings are set as they are", async () => {
    const p = await create();
    await partnerships.update(p.id, { name: "Acme Dental Group", providerWorkspaceIds: ["T1"] });
    await partnerships.update(p.id, { timezone: DEFAULT_SETTINGS.timezone });
    expect(await partnerships.settingsHistory(p.id)).toHaveLength(1);
    expect((await partnerships.get(p.id)).name).toBe("Acme Dental Group");
  });

  it("takes a version from the instant given, and of two at the same instant keeps the later", async () => {
    const p = await create();
    const at = new Date("2026-11-16T09:00:00Z");
    await partnerships.update(p.id, { currency: "EUR" }, { at });
    await partnerships.update(p.id, { currency: "USD" }, { at });
    const history = await partnerships.settingsHistory(p.id);
    expect(history.map((v) => [v.from, v.settings.currency])).toEqual([
      [ALWAYS, "GBP"],
      [at, "USD"],
    ]);
  });

  it("writes neither the partnership nor its version when either fails", async () => {
    // A constraint only this test has makes the version fail after the partnership row is written.
    await sql`alter table partnership_settings add constraint no_xxx check (settings->>'currency' <> 'XXX')`.execute(
      store.db,
    );
    await expect(create({ currency: "XXX" })).rejects.toThrow(/no_xxx/);
    expect(await partnerships.list()).toEqual([]);
    expect(await store.db.selectFrom("partnership_settings").selectAll().execute()).toEqual([]);

    const p = await create();
    await expect(partnerships.update(p.id, { currency: "XXX", name: "Renamed" })).rejects.toThrow(/no_xxx/);
    const after = await partnerships.get(p.id);
    expect([after.currency, after.name]).toEqual(["GBP", "Acme"]);
    expect(await partnerships.settingsHistory(p.id)).toHaveLength(1);
  });

  it("answers the current settings as always in force for a partnership without a version", async () => {
    const p = await create({ currency: "EUR" });
    await store.db.deleteFrom("partnership_settings").execute();
    expect(await partnerships.settingsHistory(p.id)).toEqual([
      { from: ALWAYS, settings: { ...DEFAULT_SETTINGS, currency: "EUR" } },
    ]);
    await expect(partnerships.settingsHistory(randomUUID())).rejects.toMatchObject({ code: "not_found" });
  });

  it("migrates existing partnerships to one version of their settings from 1970, and back", async () => {
    const down = await migrateTo(store.db, "0005_jobs");
    expect(down).toEqual({
      applied: knownMigrations().slice(5).reverse(),
      error: null,
    });
    expect(await tableExists()).toBe(false);

    const id = randomUUID();
    const settings = { ...DEFAULT_SETTINGS, timezone: "America/New_York", holidays: ["2026-11-26"] };
    await store.db
      .insertInto("partnerships")
      .values({
        id,
        key: "ACME",
        name: "Acme",
        provider_org: "Fixit IT",
        client_org: "Acme Dental",
        provider_workspace_ids: "[]",
        settings: JSON.stringify(settings),
      })
      .execute();

    const up = await migrateToLatest(store.db);
    expect(up).toEqual({
      applied: knownMigrations().slice(5),
      error: null,
    });
    expect(await partnerships.settingsHistory(id)).toEqual([{ from: ALWAYS, settings }]);
    const rows = await store.db.selectFrom("partnership_settings").selectAll().execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]!.recorded_at).toBeInstanceOf(Date);
  });
});
