// rapport started the way `rapport serve` starts it (loadConfig → startServer), in-process, on the
// embedded database in a temporary folder, with Teams in local mode (no MicrosoftAppId) and no
// Slack. Replies go to a fake connector on loopback: activities posted here carry its serviceUrl.
import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { runCli } from "../../../../app/cli/index.ts";
import { loadConfig } from "../../../../app/config.ts";
import { createLogger } from "../../../../src/logger.ts";
import { startServer } from "../../../../app/server.ts";
import { startFakeConnector, type FakeConnector } from "./fake-connector.ts";
import { IDS, PEOPLE, type TeamsPerson } from "./teams-ids.ts";
import { templateFile } from "../../../../scripts/build.js";
import { seededFolder } from "../../support/seeded-folders.ts";

/** A running rapport with its fake connector. */
export interface TeamsHarness {
  /** "http://127.0.0.1:<port>". */
  baseUrl: string;
  connector: FakeConnector;
  /** The seeded partnership. */
  partnershipId: string;
  /** The environment rapport was started with (its data folder, for reading the database afterwards). */
  env: NodeJS.ProcessEnv;
  /** Stops rapport only, keeping its data folder and the fake. Safe to call twice. */
  stopServer(): Promise<void>;
  /** Stops rapport and the fake and deletes the data folder. Safe to call twice. */
  stop(): Promise<void>;
}

/** One member to seed: a Teams user (by Entra object id) in a tenant, with a side and role. */
export interface TeamsSeedMember {
  person: TeamsPerson;
  side: "provider" | "client";
  role: "lead" | "tech" | "staff" | "admin";
}

/**
 * The fixtures' partnership: Tess (tech), Lee (lead) and Ada (admin) at the provider; Sam (a client
 * employee who is a guest in the provider's tenant, so only explicit membership makes him client
 * side) and Olive (the client's admin, in the client's own tenant). Carl, in the client tenant, is
 * not a member.
 */
export const TEAMS_MEMBERS: readonly TeamsSeedMember[] = [
  { person: PEOPLE.tech, side: "provider", role: "tech" },
  { person: PEOPLE.lead, side: "provider", role: "lead" },
  { person: PEOPLE.admin, side: "provider", role: "admin" },
  { person: PEOPLE.staff, side: "client", role: "staff" },
  { person: PEOPLE.owner, side: "client", role: "admin" },
];

/**
 * Starts the fake connector, seeds the partnership through the `rapport` CLI, then starts rapport:
 * in local mode, unless `env` sets MicrosoftAppId (then it authenticates every request).
 */
export async function startTeamsHarness(
  options: { env?: Record<string, string> } = {},
): Promise<TeamsHarness> {
  const connector = await startFakeConnector();
  const dataDir = await mkdtemp(path.join(tmpdir(), "rapport-teams-contract-"));
  const cleanUp = async () => {
    await connector.close();
    await rm(dataDir, { recursive: true, force: true });
  };
  try {
    const env = { ...harnessEnv(await freePort(), dataDir), ...options.env };
    const partnershipId = await seedPartnership(env);
    const config = loadConfig(env);
    const expected = options.env?.MicrosoftAppId ? "authenticated" : "local";
    if (config.teams.mode !== expected)
      throw new Error(`Teams is ${config.teams.mode}, expected ${expected}`);
    const server = await startServer(config, createLogger({ level: config.logLevel }));
    let stopped: Promise<void> | undefined;
    let cleaned: Promise<void> | undefined;
    const stopServer = () => (stopped ??= server.stop());
    return {
      baseUrl: `http://127.0.0.1:${server.port}`,
      connector,
      partnershipId,
      env,
      stopServer,
      stop: () => (cleaned ??= stopServer().finally(cleanUp)),
    };
  } catch (e) {
    await cleanUp();
    throw e;
  }
}

/**
 * Creates "Client Co support" (provider tenant tenant-provider), links the fixtures' support
 * channel for support and the digest, and adds TEAMS_MEMBERS. Runs before the server opens the
 * embedded database (it is single-process). Its folder is copied after its first time in a run.
 */
function seedPartnership(env: NodeJS.ProcessEnv): Promise<string> {
  return seededFolder(env, "teams partnership", () => seedThroughCli(env));
}

async function seedThroughCli(env: NodeJS.ProcessEnv): Promise<string> {
  const created = await cli(env, [
    ...["partnership", "create", "--name", "Client Co support", "--provider", "Provider IT"],
    ...["--client", "Client Co", "--timezone", "Europe/London"],
    ...["--provider-workspace", IDS.providerTenant],
  ]);
  const partnershipId = created.at(-1)?.trim();
  if (!partnershipId) throw new Error("rapport partnership create printed no id");
  await cli(env, [
    ...["partnership", "link", "--partnership", partnershipId, "--platform", "teams"],
    ...["--workspace", IDS.providerTenant, "--channel", IDS.supportChannel, "--purpose", "support,digest"],
  ]);
  for (const m of TEAMS_MEMBERS) {
    await cli(env, [
      ...["member", "add", "--partnership", partnershipId, "--platform", "teams"],
      ...["--workspace", m.person.tenant, "--user", m.person.aad, "--side", m.side, "--role", m.role],
      ...["--name", m.person.name],
    ]);
  }
  return partnershipId;
}

/** Runs one `rapport` command; returns its stdout lines, or throws with its stderr. */
async function cli(env: NodeJS.ProcessEnv, argv: string[]): Promise<string[]> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, env, { out: (l) => out.push(l), err: (l) => err.push(l) });
  if (code !== 0) throw new Error(`rapport ${argv.slice(0, 2).join(" ")} exited ${code}: ${err.join("\n")}`);
  return out;
}

// Only what the harness sets: nothing from the shell running vitest (DATABASE_URL, Slack or
// Microsoft settings…) leaks in. No MicrosoftAppId: Teams runs in local mode.
function harnessEnv(port: number, dataDir: string): NodeJS.ProcessEnv {
  return {
    NODE_ENV: "test",
    PORT: String(port),
    HOST: "127.0.0.1",
    RAPPORT_DATA_DIR: dataDir,
    RAPPORT_PGLITE_TEMPLATE: templateFile(),
    LOG_LEVEL: "silent",
    // The tests drive Slack and Teams by hand; a digest falling due mid-test would post on its own.
    RAPPORT_JOBS: "off",
  };
}

/** A port nothing listens on right now (config requires 1–65535, so port 0 cannot be passed through). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}
