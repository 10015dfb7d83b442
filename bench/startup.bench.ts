// How long rapport takes to start, as an operator meets it: `rapport partnership list` to its exit,
// and `rapport serve` to its first 200 on /healthz, on PostgreSQL and on the embedded database.
// Beside each, in the same run: a bare `node` process that only exits (the floor no command can
// go under) and, for serve, a bare HTTP server answering /healthz. Each figure is the median of
// several runs, with the CPU the process used (from the listening line for serve).
//
//   npm run bench:startup          (RAPPORT_BENCH_DATABASE_URL: the server to use; default the test one)
import { spawn } from "node:child_process";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { mkdtemp, rm } from "node:fs/promises";
import { loadavg, tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { sql } from "kysely";
import { openStore } from "../src/store/database.ts";
import { freePort } from "./report-path/processes.ts";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const BIN = path.join(ROOT, "bin/rapport.js");
const SERVER = process.env.RAPPORT_BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const RUNS = Number(process.env.RAPPORT_BENCH_RUNS ?? 5);

interface Timing {
  ms: number;
  cpuMs: number | null;
}

/** Only what the bench sets: nothing from the shell (its DATABASE_URL, a .env) leaks in. */
function env(extra: Record<string, string>): NodeJS.ProcessEnv {
  const { PATH, HOME } = process.env;
  return { PATH, HOME, LOG_LEVEL: "info", NODE_ENV: "production", RAPPORT_JOBS: "off", ...extra };
}

/** Runs a command to its exit; its wall time. */
function run(args: string[], extra: Record<string, string>, cwd: string): Promise<Timing> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, {
      cwd,
      env: env(extra),
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    child.stderr.setEncoding("utf8").on("data", (c: string) => (stderr += c));
    child.once("error", reject);
    child.once("exit", (code) =>
      code === 0
        ? resolve({ ms: performance.now() - started, cpuMs: null })
        : reject(new Error(`${args.join(" ")} exited ${code}: ${stderr}`)),
    );
  });
}

/** Starts a server, waits for /healthz to answer 200 (polled every 10 ms), stops it; its wall time. */
async function serve(args: string[], extra: Record<string, string>, cwd: string): Promise<Timing> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(process.execPath, args, {
    cwd,
    env: env({ ...extra, PORT: String(port), HOST: "127.0.0.1" }),
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout.setEncoding("utf8").on("data", (c: string) => (out += c));
  child.stderr.setEncoding("utf8").on("data", (c: string) => (out += c));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`${args.join(" ")} exited: ${out}`);
      const ok = await fetch(`http://127.0.0.1:${port}/healthz`)
        .then((r) => r.ok)
        .catch(() => false);
      if (ok) break;
      if (performance.now() - started > 120_000) throw new Error(`no /healthz within 120 s: ${out}`);
      await new Promise((r) => setTimeout(r, 10));
    }
    const ms = performance.now() - started;
    const cpu = /"startup":\{"ms":\d+,"cpuMs":(\d+)\}/.exec(out)?.[1];
    return { ms, cpuMs: cpu ? Number(cpu) : null };
  } finally {
    child.kill("SIGTERM");
    await exited;
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function measure(name: string, once: () => Promise<Timing>): Promise<[string, Timing]> {
  const timings: Timing[] = [];
  for (let i = 0; i < RUNS; i++) timings.push(await once());
  const cpu = timings.map((t) => t.cpuMs).filter((c): c is number => c !== null);
  return [name, { ms: median(timings.map((t) => t.ms)), cpuMs: cpu.length ? median(cpu) : null }];
}

const BARE_SERVER = `require("node:http").createServer((q, s) => s.end("ok")).listen(Number(process.env.PORT), "127.0.0.1")`;

async function main(): Promise<void> {
  const work = await mkdtemp(path.join(tmpdir(), "rapport-startup-"));
  const database = `rapport_startup_${process.pid}`;
  const admin = await openStore({ kind: "postgres", url: SERVER, poolSize: 1 });
  await sql`create database ${sql.id(database)}`.execute(admin.db);
  const url = new URL(SERVER);
  url.pathname = `/${database}`;
  // Slack on (HTTP mode, one workspace) against a stand-in answering auth.test, and Teams in
  // local mode: both adapters and their SDKs load, as in a real install.
  const slackApi = createServer((_req, res) => {
    res.setHeader("content-type", "application/json");
    res.end(JSON.stringify({ ok: true, team_id: "T0BENCH", user_id: "U0BOT", bot_id: "B0BOT" }));
  });
  await new Promise<void>((resolve) => slackApi.listen(0, "127.0.0.1", resolve));
  const slack = {
    SLACK_SIGNING_SECRET: "bench-signing-secret",
    SLACK_BOT_TOKEN: "xoxb-bench",
    SLACK_API_URL: `http://127.0.0.1:${(slackApi.address() as AddressInfo).port}/api/`,
  };
  const onServer = { ...slack, DATABASE_URL: url.href };
  const embedded = { ...slack, RAPPORT_DATA_DIR: path.join(work, "data") };
  try {
    // Builds (if the sources changed), migrates both databases and makes the embedded folder once.
    await run([BIN, "migrate"], onServer, work);
    await run([BIN, "migrate"], embedded, work);
    let fresh = 0;
    const freshFolder = () => ({ ...slack, RAPPORT_DATA_DIR: path.join(work, `fresh-${fresh++}`) });
    const rows = [
      await measure("bare node, exits at once (baseline)", () => run(["-e", "0"], {}, work)),
      await measure("rapport partnership list, PostgreSQL", () =>
        run([BIN, "partnership", "list"], onServer, work),
      ),
      await measure("rapport partnership list, embedded", () =>
        run([BIN, "partnership", "list"], embedded, work),
      ),
      await measure("bare node HTTP server to /healthz (baseline)", () =>
        serve(["-e", BARE_SERVER], {}, work),
      ),
      await measure("rapport serve to /healthz, PostgreSQL", () => serve([BIN, "serve"], onServer, work)),
      await measure("rapport serve to /healthz, new embedded folder", () =>
        serve([BIN, "serve"], freshFolder(), work),
      ),
    ];
    console.log(`\nStart-up, median of ${RUNS} runs (load average ${loadAverage()}):\n`);
    console.log("| what | wall | CPU |");
    console.log("|---|--:|--:|");
    for (const [name, t] of rows) {
      console.log(`| ${name} | ${Math.round(t.ms)} ms | ${t.cpuMs === null ? "" : `${t.cpuMs} ms`} |`);
    }
  } finally {
    slackApi.close();
    await sql`drop database if exists ${sql.id(database)} with (force)`.execute(admin.db);
    await admin.close();
    await rm(work, { recursive: true, force: true });
  }
}

function loadAverage(): string {
  return loadavg()[0]!.toFixed(1);
}

await main();
