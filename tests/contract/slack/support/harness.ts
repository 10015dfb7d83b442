// rapport started the way `rapport serve` starts it (loadConfig → startServer), in-process, on the
// embedded database in a temporary folder, talking to a fake Slack on loopback.
import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import type { DestinationStream } from "pino";
import { runCli } from "../../../../app/cli/index.ts";
import { loadConfig } from "../../../../app/config.ts";
import { createLogger } from "../../../../src/logger.ts";
import { startServer } from "../../../../app/server.ts";
import { IDS, startFakeSlack, type FakeSlack } from "./fake-slack.ts";
import { templateFile } from "../../../../scripts/build.js";
import { startFakeSocketMode, type FakeSocketMode } from "./fake-socket-mode.ts";
import { seededFolder } from "../../support/seeded-folders.ts";

/** The signing secret the harness configures; sign test requests with it. */
export const SIGNING_SECRET = "0a1b2c3d4e5f60718293a4b5c6d7e8f9";

/** A running rapport with its fake Slack. */
export interface SlackHarness {
  /** "http://127.0.0.1:<port>": pass to `sendCommand` & co. */
  baseUrl: string;
  fake: FakeSlack;
  /** Slack's Socket Mode stand-in, when the harness was started with `socketMode: true`. */
  socket: FakeSocketMode | null;
  signingSecret: string;
  /** The environment rapport was configured from (also what `seed` received). */
  env: NodeJS.ProcessEnv;
  /** Stops rapport but keeps its data folder, so a test can read what it recorded (see `tests/contract/support/database.ts`). */
  stopServer(): Promise<void>;
  /** Stops rapport, the fake and deletes the data folder. Safe to call twice. */
  stop(): Promise<void>;
}

/** How to start the harness. */
export interface HarnessOptions<S> {
  /** More variables, or `undefined` to remove one (e.g. SLACK_BOT_TOKEN for the OAuth set-up). */
  env?: Record<string, string | undefined>;
  /** Runs against the database before the server opens it (the embedded database is single-process). */
  seed?: (env: NodeJS.ProcessEnv) => Promise<S>;
  /** Where rapport's log lines go (one JSON object per line); stdout by default. */
  log?: DestinationStream;
  /** Socket Mode (SLACK_APP_TOKEN=xapp-test) against a fake Socket Mode server, instead of HTTP mode. */
  socketMode?: boolean;
}

/** The people and channel `seedPartnership` sets up, with the new partnership's id. */
export interface SeededPartnership {
  partnershipId: string;
}

/** One member for `seedPartnership`. */
export interface SeedMember {
  user: string;
  workspace: string;
  side: "provider" | "client";
  role: "lead" | "tech" | "staff" | "admin";
  name?: string;
}

/** What `seedPartnership` creates; every field has a default matching the fixtures. */
export interface PartnershipSeed {
  name?: string;
  provider?: string;
  client?: string;
  timezone?: string;
  providerWorkspaces?: string[];
  /** The linked channel; default C0SUPPORT in T0PROVIDER for support and the digest. */
  channel?: { id: string; workspace: string; purposes: ("support" | "digest")[] } | null;
  members?: SeedMember[];
}

/** The fixtures' partnership: Tess (tech) and Lee (lead) at the provider, Sam (staff) and Olive (admin) at the client. */
export const DEFAULT_MEMBERS: readonly SeedMember[] = [
  { user: IDS.tech, workspace: IDS.providerTeam, side: "provider", role: "tech", name: "Tess Tech" },
  { user: IDS.lead, workspace: IDS.providerTeam, side: "provider", role: "lead", name: "Lee Lead" },
  { user: IDS.staff, workspace: IDS.clientTeam, side: "client", role: "staff", name: "Sam Staff" },
  { user: IDS.owner, workspace: IDS.clientTeam, side: "client", role: "admin", name: "Olive Owner" },
];

/**
 * Starts a fake Slack, optionally seeds the database, then starts rapport with Slack configured
 * (single workspace: SLACK_BOT_TOKEN=xoxb-test, SLACK_API_URL pointing at the fake).
 */
export async function startSlackHarness<S = undefined>(
  options: HarnessOptions<S> = {},
): Promise<SlackHarness & { seeded: S }> {
  const fake = await startFakeSlack();
  const socket = options.socketMode ? await startFakeSocketMode(fake) : null;
  const dataDir = await mkdtemp(path.join(tmpdir(), "rapport-slack-contract-"));
  const cleanUp = async () => {
    await socket?.stop();
    await fake.close();
    await rm(dataDir, { recursive: true, force: true });
  };
  try {
    const env = harnessEnv(await freePort(), dataDir, fake.url, {
      ...(socket ? { SLACK_APP_TOKEN: "xapp-test" } : {}),
      ...options.env,
    });
    const seeded = (options.seed ? await options.seed(env) : undefined) as S;
    const config = loadConfig(env);
    // startServer mounts the Slack adapter at /slack/events when config.slack is set (it is here);
    // until adapters/slack is wired into src/main.ts that route answers 404.
    const server = await startServer(config, createLogger({ level: config.logLevel }, options.log));
    let stopped: Promise<void> | undefined;
    return {
      baseUrl: `http://127.0.0.1:${server.port}`,
      fake,
      socket,
      signingSecret: SIGNING_SECRET,
      env,
      seeded,
      stopServer: () => server.stop(),
      stop: () => (stopped ??= server.stop().finally(cleanUp)),
    };
  } catch (e) {
    await cleanUp();
    throw e;
  }
}

/**
 * Creates a partnership through the `rapport` command line (there is no other way in from
 * outside the process), links its channel and adds its members. Run it as `seed`, before the
 * server opens the database. The same seed's folder is copied after its first time in a run.
 */
export async function seedPartnership(
  env: NodeJS.ProcessEnv,
  seed: PartnershipSeed = {},
): Promise<SeededPartnership> {
  return seededFolder(env, ["slack partnership", seed], () => seedThroughCli(env, seed));
}

async function seedThroughCli(env: NodeJS.ProcessEnv, seed: PartnershipSeed): Promise<SeededPartnership> {
  const created = await cli(env, [
    "partnership",
    "create",
    "--name",
    seed.name ?? "Client Co support",
    "--provider",
    seed.provider ?? "Provider IT",
    "--client",
    seed.client ?? "Client Co",
    "--timezone",
    seed.timezone ?? "Europe/London",
    "--provider-workspace",
    (seed.providerWorkspaces ?? [IDS.providerTeam]).join(","),
  ]);
  const partnershipId = created.at(-1)?.trim();
  if (!partnershipId) throw new Error("rapport partnership create printed no id");
  const channel =
    seed.channel === undefined
      ? { id: IDS.channel, workspace: IDS.providerTeam, purposes: ["support", "digest"] }
      : seed.channel;
  if (channel) {
    await cli(env, [
      ...["partnership", "link", "--partnership", partnershipId, "--platform", "slack"],
      ...["--workspace", channel.workspace, "--channel", channel.id, "--purpose", channel.purposes.join(",")],
    ]);
  }
  for (const m of seed.members ?? DEFAULT_MEMBERS) {
    await cli(env, [
      ...["member", "add", "--partnership", partnershipId, "--platform", "slack"],
      ...["--workspace", m.workspace, "--user", m.user, "--side", m.side, "--role", m.role],
      ...(m.name ? ["--name", m.name] : []),
    ]);
  }
  return { partnershipId };
}

/** Runs one `rapport` command; returns its stdout lines, or throws with its stderr. */
async function cli(env: NodeJS.ProcessEnv, argv: string[]): Promise<string[]> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, env, { out: (l) => out.push(l), err: (l) => err.push(l) });
  if (code !== 0) throw new Error(`rapport ${argv.slice(0, 2).join(" ")} exited ${code}: ${err.join("\n")}`);
  return out;
}

// Only what the harness sets: nothing from the shell running vitest (DATABASE_URL, PORT…) leaks in.
function harnessEnv(
  port: number,
  dataDir: string,
  apiUrl: string,
  extra: Record<string, string | undefined>,
): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    NODE_ENV: "test",
    PORT: String(port),
    HOST: "127.0.0.1",
    RAPPORT_DATA_DIR: dataDir,
    RAPPORT_PGLITE_TEMPLATE: templateFile(),
    LOG_LEVEL: "silent",
    // The tests drive Slack and Teams by hand; a digest falling due mid-test would post on its own.
    RAPPORT_JOBS: "off",
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_BOT_TOKEN: "xoxb-test",
    SLACK_API_URL: apiUrl,
  };
  for (const [key, value] of Object.entries(extra)) {
    if (value === undefined) delete env[key];
    else env[key] = value;
  }
  return env;
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
