import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { waitUntil } from "../../db/support/wait.ts";
import { startFakeSlack, type FakeSlack } from "./support/fake-slack.ts";
import { startFakeSocketMode, type FakeSocketMode } from "./support/fake-socket-mode.ts";

// `rapport serve` in Socket Mode as an operator runs it: what it prints when Slack refuses the
// app-level token (at start or while running), when Slack cannot be reached, and when it is told
// to stop while it waits for Slack. Never a stack, never a process that ignores SIGTERM.

const BIN = fileURLToPath(new URL("../../../bin/rapport.js", import.meta.url));

interface Serve {
  child: ChildProcess;
  port: number;
  out: () => string;
  err: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

let root: string;
let fake: FakeSlack;
let socket: FakeSocketMode;
const started: Serve[] = [];

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), "rapport-socket-process-"));
  fake = await startFakeSlack();
  socket = await startFakeSocketMode(fake);
});
afterEach(async () => {
  for (const s of started.splice(0)) {
    if (s.child.exitCode === null && s.child.signalCode === null) s.child.kill("SIGKILL");
    await s.exited;
  }
  fake.failEvery(null);
});
afterAll(async () => {
  await socket?.stop();
  await fake?.close();
  await rm(root, { recursive: true, force: true });
});

async function serve(env: Record<string, string> = {}): Promise<Serve> {
  const port = await freePort();
  const {
    DATABASE_URL: _url,
    PORT: _port,
    HOST: _host,
    LOG_LEVEL: _level,
    RAPPORT_DATA_DIR: _dir,
    NODE_OPTIONS: _opts,
    ...rest
  } = process.env;
  const child = spawn(process.execPath, [BIN, "serve"], {
    cwd: root,
    env: {
      ...rest,
      NODE_ENV: "test",
      PORT: String(port),
      HOST: "127.0.0.1",
      LOG_LEVEL: "info",
      RAPPORT_JOBS: "off",
      RAPPORT_DATA_DIR: path.join(root, `data-${port}`),
      SLACK_APP_TOKEN: "xapp-test",
      SLACK_BOT_TOKEN: "xoxb-test",
      SLACK_API_URL: fake.url,
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  child.stdout!.setEncoding("utf8").on("data", (c: string) => (out += c));
  child.stderr!.setEncoding("utf8").on("data", (c: string) => (err += c));
  const s: Serve = {
    child,
    port,
    out: () => out,
    err: () => err,
    exited: new Promise((resolve) => child.once("close", (code, signal) => resolve({ code, signal }))),
  };
  started.push(s);
  return s;
}

const exitedWithin = async (s: Serve, ms: number) => {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`rapport serve still running after ${ms} ms:\n${s.out()}`)),
      ms,
    );
  });
  return Promise.race([s.exited, timeout]).finally(() => clearTimeout(timer));
};

const readyz = async (s: Serve) => {
  const res = await fetch(`http://127.0.0.1:${s.port}/readyz`);
  return { status: res.status, text: await res.text() };
};

const noStack = (text: string) => {
  expect(text).not.toMatch(/^\s+at /m);
  expect(text).not.toMatch(/unexpected error|Unhandled|UnhandledPromiseRejection/i);
};

describe("rapport serve in Socket Mode", () => {
  it("an app-level token Slack refuses at start ends in one line naming SLACK_APP_TOKEN", async () => {
    fake.failNext("apps.connections.open", { error: "invalid_auth" });
    const s = await serve();
    const { code } = await exitedWithin(s, 120_000);
    expect(code).toBe(2);
    const lines = s.err().trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^rapport serve: Slack refused SLACK_APP_TOKEN \(invalid_auth\): .*set SLACK_APP_TOKEN/,
    );
    noStack(s.err());
    expect(s.out()).not.toContain('"msg":"rapport is listening"');
  }, 150_000);

  it("a token revoked while running stops rapport in order, with one line naming SLACK_APP_TOKEN", async () => {
    const s = await serve();
    await waitUntil(() => s.out().includes('"msg":"rapport is listening"'), 120_000, "listening");
    expect((await readyz(s)).status).toBe(200);
    fake.failEvery({ error: "token_revoked" });
    socket.drop();
    const { code } = await exitedWithin(s, 30_000);
    expect(code).toBe(2);
    expect(s.err().trim().split("\n")).toEqual([
      expect.stringMatching(/^rapport serve: Slack refused SLACK_APP_TOKEN \(token_revoked\)/),
    ]);
    noStack(s.err());
    expect(s.out()).toContain('"msg":"rapport stopped"');
  }, 180_000);

  it("with Slack out of reach it listens, says it retries, /readyz says why; SIGTERM stops it at once", async () => {
    const closed = await freePort();
    const s = await serve({ SLACK_API_URL: `http://127.0.0.1:${closed}/api/` });
    await waitUntil(() => s.out().includes('"msg":"rapport is listening"'), 120_000, "listening");
    await waitUntil(
      () => (s.out().match(/could not open a Slack Socket Mode connection/g) ?? []).length >= 2,
      60_000,
      "two retries logged",
    ).catch((e: Error) => {
      throw new Error(`${e.message}:\n${s.out()}\n${s.err()}`);
    });
    expect(s.out()).toContain("check SLACK_API_URL, HTTPS_PROXY and the network");
    const probe = await readyz(s);
    expect(probe.status).toBe(503);
    expect(probe.text).toMatch(/^slack: cannot connect to Slack/);
    expect((await fetch(`http://127.0.0.1:${s.port}/healthz`)).status).toBe(200);
    s.child.kill("SIGTERM");
    const { code } = await exitedWithin(s, 10_000);
    expect(code).toBe(0);
    noStack(s.err() + s.out());
  }, 180_000);

  it("SIGTERM while start-up waits on Slack stops it at once", async () => {
    fake.failNext("apps.connections.open", { hangMs: 60_000 });
    const before = fake.calls("apps.connections.open").length;
    const s = await serve();
    await waitUntil(
      () => fake.calls("apps.connections.open").length > before,
      120_000,
      "waiting on apps.connections.open",
    );
    const asked = Date.now();
    s.child.kill("SIGTERM");
    const { code } = await exitedWithin(s, 10_000);
    expect(Date.now() - asked).toBeLessThan(4_000);
    expect(code).toBe(0);
    noStack(s.err());
  }, 180_000);
});

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
