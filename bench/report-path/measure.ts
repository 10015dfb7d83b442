// Measuring one load on the apps side by side (warm-up, run, CPU, memory, records), and the burst.
import { setTimeout as sleep } from "node:timers/promises";
import type { FakeSlackApi } from "./fakes.ts";
import { burst, sustained } from "./load.ts";
import { itissueCommand, type HttpRequest } from "./payloads.ts";
import type { AppProcess } from "./processes.ts";
import type { BurstRow, LoadRow } from "./report.ts";
import type { BenchDatabase } from "./setup.ts";

/** How long each run lasts and how many connections it keeps busy. */
export interface LoadShape {
  seconds: number;
  warmupSeconds: number;
  connections: number;
}

/** The warm-up, or the measured run: a load may send each phase requests of its own. */
export type Phase = "warm-up" | "measured";

/** The requests of a load, for one app and one phase. */
export type Requests = (app: AppProcess, phase: Phase) => () => HttpRequest;

/** A count read from the database: what an app recorded during a run is the difference. */
export type Counter = () => Promise<number>;

/** A `select count(*) as n …` as a Counter. */
export function counter(db: BenchDatabase, sql: string, params: unknown[] = []): Counter {
  return async () => Number((await db.pool.query<{ n: string }>(sql, params)).rows[0]!.n);
}

/**
 * The count once it has stopped growing (two equal readings 200 ms apart, at most 5 s): requests
 * still in flight when a run ends must not be counted in the next.
 */
async function settled(count: Counter): Promise<number> {
  let last = await count();
  for (let waited = 0; waited < 5_000; waited += 200) {
    await sleep(200);
    const now = await count();
    if (now === last) return now;
    last = now;
  }
  return last;
}

/** One app under one load: a warm-up, then the measured run with its CPU, memory and records. */
async function measure(opts: {
  load: string;
  app: AppProcess;
  requests: Requests;
  shape: LoadShape;
  rssIdleMb: number;
  recorded?: Counter;
  baseline?: LoadRow;
}): Promise<LoadRow> {
  const { app, shape } = opts;
  const run = (phase: Phase, seconds: number) =>
    sustained(app.url, opts.requests(app, phase), { connections: shape.connections, seconds });
  process.stdout.write(`  ${opts.load}: ${app.name} … `);
  await run("warm-up", shape.warmupSeconds);
  const before = opts.recorded ? await settled(opts.recorded) : null;
  const cpuBefore = app.cpuMs();
  const result = await run("measured", shape.seconds);
  const cpu = app.cpuMs() - cpuBefore;
  const rssAfterMb = app.rssMb();
  const row: LoadRow = {
    load: opts.load,
    app: app.name,
    ...(opts.baseline ? { baseline: opts.baseline } : {}),
    run: result,
    cpuMsPerRequest: cpu / Math.max(1, result.responses),
    rssIdleMb: opts.rssIdleMb,
    rssAfterMb,
    recorded: opts.recorded && before !== null ? (await settled(opts.recorded)) - before : null,
  };
  console.log(`${Math.round(result.rps)} req/s, p99 ${result.p99} ms`);
  return row;
}

/**
 * One load on the bare app (when given), the minimal correct app and rapport, one after the other;
 * rapport's ratios are to the minimal app's figures.
 */
export async function sideBySide(opts: {
  load: string;
  apps: [bare: AppProcess | null, minimal: AppProcess, rapport: AppProcess];
  requests: Requests;
  shape: LoadShape;
  idleRss: Map<AppProcess, number>;
  recorded: { minimal: Counter; rapport: Counter };
}): Promise<LoadRow[]> {
  const [bare, minimal, rapport] = opts.apps;
  const common = { load: opts.load, requests: opts.requests, shape: opts.shape };
  const rows: LoadRow[] = [];
  if (bare) rows.push(await measure({ ...common, app: bare, rssIdleMb: opts.idleRss.get(bare)! }));
  const base = await measure({
    ...common,
    app: minimal,
    rssIdleMb: opts.idleRss.get(minimal)!,
    recorded: opts.recorded.minimal,
  });
  base.baseline = base;
  rows.push(base);
  rows.push(
    await measure({
      ...common,
      app: rapport,
      rssIdleMb: opts.idleRss.get(rapport)!,
      recorded: opts.recorded.rapport,
      baseline: base,
    }),
  );
  return rows;
}

/**
 * `size` /itissue at once in `channel`, each from someone the app has not seen (so only users.info
 * could tell their side), while the fake Slack answers every Web API call with 429. It keeps doing
 * so until all are recorded or 10 s have passed, so that what is counted was recorded while Slack
 * was still refusing, not after.
 */
export async function burstOn(opts: {
  app: AppProcess;
  fake: FakeSlackApi;
  channel: string;
  size: number;
  /** Issues recorded in the burst's partnership, and their distinct keys. */
  recorded: () => Promise<{ recorded: number; keys: number }>;
}): Promise<BurstRow> {
  const { app, fake, size } = opts;
  process.stdout.write(`  burst of ${size}: ${app.name} … `);
  const tag = app.pid.toString(36).toUpperCase();
  const requests = Array.from({ length: size }, (_, i) =>
    itissueCommand({
      channel: opts.channel,
      userId: `UB${tag}${String(i + 1).padStart(4, "0")}`,
      responseUrl: fake.origin,
    }),
  );
  fake.mode = "ratelimited";
  try {
    const responses = await burst(app.url, requests);
    let found = await opts.recorded();
    for (let waited = 0; found.recorded < size && waited < 10_000; waited += 250) {
      await sleep(250);
      found = await opts.recorded();
    }
    console.log(`the last answer after ${Math.round(Math.max(...responses.map((r) => r.ms)))} ms`);
    return { app: app.name, responses, recorded: found.recorded, distinctKeys: found.keys };
  } finally {
    fake.mode = "ok";
  }
}
