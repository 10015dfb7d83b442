// A wrong RAPPORT_ENCRYPTION_KEY would refuse every installed workspace while /readyz said ready:
// rapport checks the key against a stored install when it starts, and refuses to start with a
// one-line message naming the variable.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../../../app/cli/index.ts";
import { InstallationVault } from "../../../src/services/installation-vault.ts";
import { openStore } from "../../../src/store/database.ts";
import { templateFile } from "../../../scripts/build.js";
import { InstallationRows } from "../../../src/store/installations.ts";
import { migrateToLatest } from "../../../src/store/migrate.ts";
import { startSlackHarness } from "./support/harness.ts";

const SAVED_WITH = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";
const OTHER_KEY = "ffeeddccbbaa99887766554433221100ffeeddccbbaa99887766554433221100";
const oauth = (key: string) => ({
  SLACK_BOT_TOKEN: undefined,
  SLACK_CLIENT_ID: "123.456",
  SLACK_CLIENT_SECRET: "secret",
  SLACK_STATE_SECRET: "state-secret-123",
  RAPPORT_ENCRYPTION_KEY: key,
});

/** Stores one install, sealed with SAVED_WITH, in the harness's data folder. */
async function installedWorkspace(env: NodeJS.ProcessEnv): Promise<void> {
  const store = await openStore({ kind: "pglite", dataDir: env.RAPPORT_DATA_DIR!, template: templateFile() });
  try {
    const { error } = await migrateToLatest(store.db);
    if (error) throw error;
    const vault = new InstallationVault(new InstallationRows(store), Buffer.from(SAVED_WITH, "hex"));
    await vault.save("slack", "T0PROVIDER", { bot: { token: "xoxb-1-2-3" } });
  } finally {
    await store.close();
  }
}

describe("RAPPORT_ENCRYPTION_KEY checked at start", { timeout: 90_000 }, () => {
  it("refuses to start with a key that does not open the stored installations, naming the variable", async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), "rapport-key-"));
    try {
      const env: NodeJS.ProcessEnv = {
        NODE_ENV: "test",
        PORT: "3999",
        HOST: "127.0.0.1",
        RAPPORT_DATA_DIR: dataDir,
        LOG_LEVEL: "silent",
        RAPPORT_JOBS: "off",
        SLACK_SIGNING_SECRET: "0a1b2c3d4e5f60718293a4b5c6d7e8f9",
        SLACK_API_URL: "http://127.0.0.1:9/api/",
        ...oauth(OTHER_KEY),
      };
      await installedWorkspace(env);
      // As `rapport serve` and `rapport jobs run` say it: one line, exit 2, no key shown.
      for (const command of [["serve"], ["jobs", "run"]]) {
        const err: string[] = [];
        const code = await runCli(command, env, { out: () => {}, err: (l) => err.push(l) });
        expect(code).toBe(2);
        expect(err).toHaveLength(1);
        expect(err[0]).toMatch(
          new RegExp(
            `^rapport ${command.join(" ")}: RAPPORT_ENCRYPTION_KEY does not open the stored installations`,
          ),
        );
        expect(err[0]).not.toContain(OTHER_KEY);
      }
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it("starts with the key they were saved with", async () => {
    const h = await startSlackHarness({ env: oauth(SAVED_WITH), seed: installedWorkspace });
    try {
      expect((await fetch(`${h.baseUrl}/readyz`)).status).toBe(200);
    } finally {
      await h.stop();
    }
  });
});
