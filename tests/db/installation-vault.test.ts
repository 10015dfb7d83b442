import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomBytes } from "node:crypto";
import { sql } from "kysely";
import { InstallationRows } from "../../src/store/installations.ts";
import { InstallationVault } from "../../src/services/installation-vault.ts";
import { backend, openTestStore } from "./support/test-store.ts";

describe(`the installation vault on ${backend}`, () => {
  let store: Awaited<ReturnType<typeof openTestStore>>;
  let vault: InstallationVault;
  const key = randomBytes(32);

  beforeAll(async () => {
    store = await openTestStore();
    vault = new InstallationVault(new InstallationRows(store), key);
  });
  afterAll(() => store.dispose());

  it("stores tokens encrypted and gives them back", async () => {
    const install = { team: { id: "T1" }, bot: { token: "xoxb-very-secret", userId: "U0BOT" } };
    await vault.save("slack", "T1", install);
    expect(await vault.fetch("slack", "T1")).toEqual(install);
    const raw = await sql<{
      sealed: string;
    }>`select sealed from installations where install_key = 'T1'`.execute(store.db);
    expect(raw.rows[0]!.sealed).toMatch(/^v1\./);
    expect(raw.rows[0]!.sealed).not.toContain("xoxb");
  });

  it("replaces an install saved again, and forgets a removed one", async () => {
    await vault.save("slack", "T2", { bot: { token: "xoxb-old" } });
    await vault.save("slack", "T2", { bot: { token: "xoxb-new" } });
    expect(await vault.fetch("slack", "T2")).toEqual({ bot: { token: "xoxb-new" } });
    expect(await vault.remove("slack", "T2")).toBe(true);
    expect(await vault.fetch("slack", "T2")).toBeNull();
    expect(await vault.remove("slack", "T2")).toBe(false);
  });

  it("checks a key against the latest stored install: the right one passes, another is named", async () => {
    await vault.save("slack", "T9", { bot: { token: "xoxb-9" } });
    await expect(vault.verifyKey()).resolves.toBeUndefined();
    const wrong = new InstallationVault(new InstallationRows(store), randomBytes(32));
    await expect(wrong.verifyKey()).rejects.toMatchObject({
      code: "config_invalid",
      message: expect.stringMatching(/^RAPPORT_ENCRYPTION_KEY does not open the stored installations/),
    });
  });

  it("refuses to open a record with another key or moved to another install", async () => {
    await vault.save("slack", "T3", { bot: { token: "xoxb-3" } });
    const other = new InstallationVault(new InstallationRows(store), randomBytes(32));
    await expect(other.fetch("slack", "T3")).rejects.toMatchObject({
      code: "storage_unavailable",
      message: expect.stringMatching(/RAPPORT_ENCRYPTION_KEY/),
    });
    await sql`insert into installations (platform, install_key, sealed)
      select platform, 'T4', sealed from installations where install_key = 'T3'`.execute(store.db);
    await expect(vault.fetch("slack", "T4")).rejects.toMatchObject({ code: "storage_unavailable" });
  });
});
