import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

// `rapport serve` as an operator runs it: a real process through bin/rapport.js, on the embedded
// database in its own folder, stopped by a signal.
const BIN = fileURLToPath(new URL("../../../bin/rapport.js", import.meta.url));
const SLOW = { timeout: 60_000 };
const START_MS = 30_000;
const EXIT_MS = 20_000;
/** How long a stop may take with nothing in flight (it takes ~0.2 s); an idle keep-alive connection held open would take ~4 s. */
const STOP_MS = 3_000;

interface Rapport {
  child: ChildProcess;
  stdout: string;
  stderr: string;
  /** Settles when the process has exited and its output is fully read. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

type LogLine = Record<string, unknown> & { msg: string };

let root: string;
let dataDir: string;
const started: Rapport[] = [];

beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), "rapport-serve-"));
  dataDir = path.join(root, "data");
});

afterEach(async () => {
  for (const r of started.splice(0)) {
    if (r.child.exitCode === null && r.child.signalCode === null) r.child.kill("SIGKILL");
    await r.exited;
  }
  await rm(root, { recursive: true, force: true });
});

function childEnv(port: number): NodeJS.ProcessEnv {
  // Only what these tests set: no DATABASE_URL or settings leaking in from the shell running vitest.
  const {
    DATABASE_URL: _url,
    PORT: _port,
    HOST: _host,
    LOG_LEVEL: _level,
    RAPPORT_DATA_DIR: _dir,
    NODE_OPTIONS: _opts,
    ...rest
  } = process.env;
  return { ...rest, PORT: String(port), HOST: "127.0.0.1", LOG_LEVEL: "info", RAPPORT_DATA_DIR: dataDir };
}

function rapport(args: string[], port: number): Rapport {
  // The temporary folder as working directory, so a developer's .env in the repository stays out.
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: root,
    env: childEnv(port),
    stdio: ["ignore", "pipe", "pipe"],
  });
  const r: Rapport = {
    child,
    stdout: "",
    stderr: "",
    exited: new Promise((resolve) => child.once("close", (code, signal) => resolve({ code, signal }))),
  };
  child.stdout!.setEncoding("utf8").on("data", (chunk: string) => (r.stdout += chunk));
  child.stderr!.setEncoding("utf8").on("data", (chunk: string) => (r.stderr += chunk));
  started.push(r);
  return r;
}

function outputLines(text: string): string[] {
  return text.split("\n").filter((l) => l.trim() !== "");
}

/** stdout of `serve` as log records; every line must be one JSON object. */
function logs(r: Rapport): LogLine[] {
  return outputLines(r.stdout).map((line) => JSON.parse(line) as LogLine);
}

function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not happen within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

async function waitForLog(r: Rapport, msg: string): Promise<LogLine> {
  const deadline = Date.now() + START_MS;
  while (Date.now() < deadline) {
    const found = logs(r).find((l) => l.msg === msg);
    if (found) return found;
    if (r.child.exitCode !== null || r.child.signalCode !== null) {
      throw new Error(`rapport exited before logging "${msg}":\n${r.stdout}\n${r.stderr}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`rapport did not log "${msg}" within ${START_MS} ms:\n${r.stdout}\n${r.stderr}`);
}

/** A port nothing listens on (PORT must be 1–65535, so `serve` cannot be asked for port 0). */
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

async function get(
  port: number,
  route: string,
): Promise<{ status: number; type: string | null; body: string }> {
  const res = await fetch(`http://127.0.0.1:${port}${route}`);
  return { status: res.status, type: res.headers.get("content-type"), body: await res.text() };
}

async function serving(): Promise<{ server: Rapport; port: number; listening: LogLine }> {
  const port = await freePort();
  const server = rapport(["serve"], port);
  const listening = await waitForLog(server, "rapport is listening");
  return { server, port, listening };
}

/** Sends `signal`; resolves with the exit and how long it took. */
async function stop(
  r: Rapport,
  signal: NodeJS.Signals,
): Promise<{ code: number | null; signal: NodeJS.Signals | null; ms: number }> {
  const sent = Date.now();
  r.child.kill(signal);
  const exit = await within(r.exited, EXIT_MS, `exit after ${signal}`);
  return { ...exit, ms: Date.now() - sent };
}

async function migrate(port: number): Promise<Rapport> {
  const r = rapport(["migrate"], port);
  await within(r.exited, EXIT_MS, "migrate");
  return r;
}

const lockedMessage = (command: string) =>
  `rapport ${command}: Another rapport process is using the embedded database in ${path.resolve(dataDir)}. ` +
  "Stop it first, use another RAPPORT_DATA_DIR, " +
  "or set DATABASE_URL so several processes share a PostgreSQL server.";

describe("rapport serve", () => {
  it(
    "serves the probes and metrics, keeps a second process off its folder, and stops cleanly on SIGTERM",
    SLOW,
    async () => {
      const { server, port, listening } = await serving();
      expect(listening).toMatchObject({
        level: "info",
        service: "rapport",
        port,
        host: "127.0.0.1",
        database: "pglite",
      });
      expect(existsSync(path.join(dataDir, "rapport.lock"))).toBe(true);

      expect(await get(port, "/healthz")).toMatchObject({ status: 200, body: "ok" });
      expect(await get(port, "/readyz")).toMatchObject({ status: 200, body: "ready" });
      const metrics = await get(port, "/metrics");
      expect(metrics.status).toBe(200);
      expect(metrics.type).toMatch(/^text\/plain/);
      expect(metrics.body).toMatch(
        /^rapport_http_requests_total\{(?=[^}]*route="\/healthz")(?=[^}]*method="GET")(?=[^}]*status="200")[^}]*\} 1$/m,
      );

      // A second server and a migration on the same folder both refuse at once, in one line.
      const second = rapport(["serve"], await freePort());
      const migration = rapport(["migrate"], port);
      const [secondExit, migrationExit] = await within(
        Promise.all([second.exited, migration.exited]),
        EXIT_MS,
        "the refusals",
      );
      expect(secondExit).toEqual({ code: 1, signal: null });
      expect(outputLines(second.stderr)).toEqual([lockedMessage("serve")]);
      expect(second.stdout).not.toContain("rapport is listening");
      expect(migrationExit).toEqual({ code: 1, signal: null });
      expect(outputLines(migration.stderr)).toEqual([lockedMessage("migrate")]);
      expect(migration.stdout).toBe("");

      // …and leave the first one's lock and service alone.
      expect(existsSync(path.join(dataDir, "rapport.lock"))).toBe(true);
      expect(await get(port, "/readyz")).toMatchObject({ status: 200, body: "ready" });

      const exit = await stop(server, "SIGTERM");
      expect(exit).toMatchObject({ code: 0, signal: null });
      expect(exit.ms).toBeLessThan(STOP_MS);
      expect(server.stderr).toBe("");
      const tail = logs(server).slice(-2);
      expect(tail).toMatchObject([
        { level: "info", msg: "shutting down", signal: "SIGTERM" },
        { level: "info", msg: "rapport stopped" },
      ]);

      // The lock went with it: the folder is free for the next process.
      expect(existsSync(path.join(dataDir, "rapport.lock"))).toBe(false);
      const after = await migrate(port);
      expect(after.child.exitCode).toBe(0);
      expect(after.stderr).toBe("");
      expect(after.stdout).toMatch(/^database is up to date \(0001_[a-z_]+.*\)\n$/);
    },
  );

  it("stops the same way on SIGINT, with a keep-alive connection still open", SLOW, async () => {
    const { server, port } = await serving();
    // fetch keeps this connection open after the response; shutdown must not wait for it to idle out.
    expect(await get(port, "/healthz")).toMatchObject({ status: 200, body: "ok" });

    const exit = await stop(server, "SIGINT");
    expect(exit).toMatchObject({ code: 0, signal: null });
    expect(exit.ms).toBeLessThan(STOP_MS);
    expect(server.stderr).toBe("");
    expect(logs(server).slice(-2)).toMatchObject([
      { msg: "shutting down", signal: "SIGINT" },
      { msg: "rapport stopped" },
    ]);

    expect(existsSync(path.join(dataDir, "rapport.lock"))).toBe(false);
    const after = await migrate(port);
    expect(after.child.exitCode).toBe(0);
    expect(after.stderr).toBe("");
  });
});

describe("rapport serve after a crash", () => {
  it("takes over the folder of a killed process at once", SLOW, async () => {
    const { server } = await serving();
    const killed = await stop(server, "SIGKILL");
    expect(killed.signal).toBe("SIGKILL");
    // The killed process left its lock behind, fresh: only its owner's absence frees it.
    const staleAt = statSync(path.join(dataDir, "rapport.lock")).mtimeMs + 15_000;

    const migration = await migrate(await freePort());
    expect(migration.stderr).toBe("");
    expect(migration.child.exitCode).toBe(0);
    // proper-lockfile alone would refuse until the lock's mtime is 15 s old.
    expect(Date.now()).toBeLessThan(staleAt);

    const again = await serving();
    expect(await get(again.port, "/readyz")).toMatchObject({ status: 200, body: "ready" });
    expect(await stop(again.server, "SIGTERM")).toMatchObject({ code: 0 });
  });

  it("names RAPPORT_DATA_DIR when it is a file, in one line", SLOW, async () => {
    await mkdir(root, { recursive: true });
    await writeFile(dataDir, "not a folder");
    const r = rapport(["serve"], await freePort());
    expect(await within(r.exited, EXIT_MS, "the refusal")).toEqual({ code: 2, signal: null });
    expect(outputLines(r.stderr)).toEqual([
      `rapport serve: RAPPORT_DATA_DIR names ${path.resolve(dataDir)}, which is a file, not a folder: ` +
        "point it at a folder (it is created if missing).",
    ]);
  });
});
