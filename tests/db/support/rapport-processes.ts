import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from "node:http";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer as createNetServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { sql } from "kysely";
import { createCore, type Core } from "../../../src/services/core.ts";
import { openStore, type Store } from "../../../src/store/database.ts";
import { migrateToLatest } from "../../../src/store/migrate.ts";
import { FakeSlack } from "../../contract/slack/support/fake-slack.ts";
import { waitUntil } from "./wait.ts";

export { waitUntil };

// Real `rapport` processes on a PostgreSQL server, for the tests that prove the jobs deliver once
// across processes. A process cannot be put on a schema of its own (DATABASE_URL is the whole
// target), so each test gets a database of its own instead.

const BIN = fileURLToPath(new URL("../../../bin/rapport.js", import.meta.url));
const SERVER_URL = process.env.RAPPORT_TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";

/** A fresh, migrated database on the test server, a core on it, and how to drop it. */
export interface ScratchDatabase {
  url: string;
  store: Store;
  core: Core;
  dispose(): Promise<void>;
}

/** Creates `rapport_jobs_<random>` on the test server and migrates it; `dispose` drops it. */
export async function scratchDatabase(): Promise<ScratchDatabase> {
  const name = `rapport_jobs_${randomBytes(5).toString("hex")}`;
  const admin = await openStore({ kind: "postgres", url: SERVER_URL, poolSize: 1 });
  await sql`create database ${sql.id(name)}`.execute(admin.db);
  const url = new URL(SERVER_URL);
  url.pathname = `/${name}`;
  const store = await openStore({ kind: "postgres", url: url.href, poolSize: 4 });
  const dispose = async () => {
    await store.close();
    // WITH (FORCE): a process killed mid-run may leave a connection the server has not reaped yet.
    await sql`drop database if exists ${sql.id(name)} with (force)`.execute(admin.db);
    await admin.close();
  };
  const { error } = await migrateToLatest(store.db);
  if (error) {
    await dispose();
    throw error;
  }
  return { url: url.href, store, core: createCore(store), dispose };
}

/** A fake Slack whose chat.postMessage answers can be held back: the post is recorded at once, the answer comes later. */
export interface SlowFakeSlack {
  fake: FakeSlack;
  /** Milliseconds to hold each chat.postMessage answer; 0 answers at once. */
  postDelayMs: number;
  close(): Promise<void>;
}

/** Starts the contract tests' fake Slack on loopback, with answers to chat.postMessage that can be slowed. */
export async function startSlowFakeSlack(): Promise<SlowFakeSlack> {
  const server = createHttpServer();
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const slow: SlowFakeSlack = {
    fake: new FakeSlack(server),
    postDelayMs: 0,
    close: () => slow.fake.close(),
  };
  server.on("request", (req: IncomingMessage, res: ServerResponse) => {
    const delay = req.url?.startsWith("/api/chat.postMessage") ? slow.postDelayMs : 0;
    if (delay > 0) {
      // Slack has the message (the fake records it before answering); only the answer is late,
      // which is the worst moment for a sender to die.
      const end = res.end.bind(res) as (...args: unknown[]) => ServerResponse;
      res.end = ((...args: unknown[]) => {
        setTimeout(() => end(...args), delay);
        return res;
      }) as typeof res.end;
    }
    slow.fake.handle(req, res).catch((e: unknown) => {
      if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain" });
      res.end(`fake Slack failed: ${e instanceof Error ? e.stack : String(e)}`);
    });
  });
  return slow;
}

/** One `rapport` child process and what it printed. */
export interface RapportProcess {
  child: ChildProcess;
  stdout: string;
  stderr: string;
  /** Settles when the process has exited and its output is fully read. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Spawns `rapport` processes against one database and one fake Slack, and cleans up after them. */
export class RapportFleet {
  private readonly started: RapportProcess[] = [];

  private constructor(
    private readonly root: string,
    private readonly env: NodeJS.ProcessEnv,
  ) {}

  /**
   * A fleet whose processes use `databaseUrl` (null: the embedded database in the fleet's folder)
   * and post to the fake Slack at `slackApiUrl`; `extra` adds or replaces variables.
   */
  static async create(
    databaseUrl: string | null,
    slackApiUrl: string,
    extra: NodeJS.ProcessEnv = {},
  ): Promise<RapportFleet> {
    const root = await mkdtemp(path.join(tmpdir(), "rapport-jobs-"));
    // Only what these tests set: nothing leaking in from the shell running vitest.
    const {
      DATABASE_URL: _url,
      PORT: _port,
      HOST: _host,
      LOG_LEVEL: _level,
      RAPPORT_DATA_DIR: _dir,
      NODE_OPTIONS: _opts,
      ...rest
    } = process.env;
    return new RapportFleet(root, {
      ...rest,
      ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
      HOST: "127.0.0.1",
      LOG_LEVEL: "info",
      NODE_ENV: "test",
      RAPPORT_DATA_DIR: path.join(root, databaseUrl ? "unused" : "data"),
      SLACK_SIGNING_SECRET: "test-signing-secret",
      SLACK_BOT_TOKEN: "xoxb-test",
      SLACK_API_URL: slackApiUrl,
      ...extra,
    });
  }

  /** The embedded database's folder of processes started without a database URL. */
  get dataDir(): string {
    return this.env.RAPPORT_DATA_DIR!;
  }

  /** Starts `rapport serve` on `port` (a restart on the port Slack knows) and waits until it listens. */
  async serveOn(port: number): Promise<RapportProcess> {
    const r = this.spawn(["serve"], port);
    await waitUntil(
      () => {
        if (r.child.exitCode !== null || r.child.signalCode !== null) {
          throw new Error(`rapport serve exited before listening:\n${r.stdout}\n${r.stderr}`);
        }
        return r.stdout.includes('"msg":"rapport is listening"');
      },
      180_000,
      "rapport serve listening",
    );
    return r;
  }

  /** Starts `rapport <args>`; `port` is the HTTP port of a `serve`. */
  spawn(args: string[], port?: number): RapportProcess {
    // The temporary folder as working directory, so a developer's .env in the repository stays out.
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: this.root,
      env: { ...this.env, ...(port ? { PORT: String(port) } : {}) },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const r: RapportProcess = {
      child,
      stdout: "",
      stderr: "",
      exited: new Promise((resolve) => child.once("close", (code, signal) => resolve({ code, signal }))),
    };
    child.stdout!.setEncoding("utf8").on("data", (chunk: string) => (r.stdout += chunk));
    child.stderr!.setEncoding("utf8").on("data", (chunk: string) => (r.stderr += chunk));
    this.started.push(r);
    return r;
  }

  /** Starts `rapport serve` on a free port and waits until it listens. */
  async serve(): Promise<{ process: RapportProcess; port: number }> {
    const port = await freePort();
    const r = this.spawn(["serve"], port);
    await waitUntil(
      () => {
        if (r.child.exitCode !== null || r.child.signalCode !== null) {
          throw new Error(`rapport serve exited before listening:\n${r.stdout}\n${r.stderr}`);
        }
        return r.stdout.includes('"msg":"rapport is listening"');
      },
      180_000,
      "rapport serve listening",
    );
    return { process: r, port };
  }

  /** Runs `rapport jobs run` to its end; fails on a non-zero exit. */
  async jobsRun(): Promise<RapportProcess> {
    const r = this.spawn(["jobs", "run"]);
    const exit = await within(r.exited, 240_000, "rapport jobs run");
    if (exit.code !== 0)
      throw new Error(`rapport jobs run exited with ${exit.code}:\n${r.stdout}\n${r.stderr}`);
    return r;
  }

  /** Kills whatever is still running (SIGKILL: nothing of ours needs a clean stop) and removes the folder. */
  async dispose(): Promise<void> {
    for (const r of this.started.splice(0)) {
      if (r.child.exitCode === null && r.child.signalCode === null) r.child.kill("SIGKILL");
      await r.exited;
    }
    await rm(this.root, { recursive: true, force: true });
  }
}

/** Stops a `serve` with SIGTERM and waits for its clean exit. */
export async function stopServe(r: RapportProcess): Promise<void> {
  r.child.kill("SIGTERM");
  const exit = await within(r.exited, 60_000, "rapport serve stopping");
  if (exit.code !== 0) throw new Error(`rapport serve exited with ${exit.code}:\n${r.stderr}`);
}

/** The "N sent" of a `jobs run`'s outbox-sender line (0 when it sent nothing). */
export function sentBy(r: RapportProcess): number {
  const line = /^outbox-sender: .*$/m.exec(r.stdout)?.[0];
  if (!line) throw new Error(`no outbox-sender line in:\n${r.stdout}\n${r.stderr}`);
  return Number(/(\d+) sent/.exec(line)?.[1] ?? 0);
}

/** A counter or gauge from a `serve`'s /metrics: the sum of the series whose labels include `labels`. */
export async function metric(port: number, name: string, labels: Record<string, string>): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  let total = 0;
  for (const line of text.split("\n")) {
    const match = /^([a-z_]+)(?:\{([^}]*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const has = Object.entries(labels).every(([k, v]) => (match[2] ?? "").includes(`${k}="${v}"`));
    if (has) total += Number(match[3]);
  }
  return total;
}

function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not end within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** A port nothing listens on (PORT must be 1–65535, so `serve` cannot be asked for port 0). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createNetServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}
