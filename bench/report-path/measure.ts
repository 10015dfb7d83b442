// Measuring one load on the apps side by side (warm-up, run, CPU, memory, records), and the burst.
import { setTimeout as sleep } from "node:timers/promises";
import type { FakeSlackApi } from "./fakes.ts";
import { burst, sustained, type RunResult } from "./load.ts";
import { itissueCommand, type HttpRequest } from "./payloads.ts";
import type { AppProcess } from "./processes.ts";
import type { BurstRow, LoadRow } from "./report.ts";
import type { BenchDatabase } from "./setup.ts";

/**
 * Whether a load is to be run: all of them, unless BENCH_HTTP_ONLY names part of a load's name
 * ("itissue", "burst", "Teams"), to look at one closely (with a profile, say).
 */
export function wanted(load: string): boolean {
  const only = process.env.BENCH_HTTP_ONLY?.toLowerCase();
  return !only || load.toLowerCase().includes(only);
}

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
 * The count once it has stopped growing (unchanged for a second, read every 250 ms, at most 60 s),
 * and how long that took: rapport records events after acknowledging them (from its inbox), so
 * what a run sent is counted, and its CPU measured, only once the app has caught up.
 */
async function settled(count: Counter): Promise<{ n: number; ms: number }> {
  const started = Date.now();
  let last = await count();
  let changedAt = Date.now();
  while (Date.now() - changedAt < 1_000 && Date.now() - started < 60_000) {
    await sleep(250);
    const now = await count();
    if (now !== last) [last, changedAt] = [now, Date.now()];
  }
  return { n: last, ms: changedAt - started };
}

/** What one app did in one half of a measured run. */
interface Half {
  run: RunResult;
  cpuMs: number;
  rssAfterMb: number;
  recorded: number | null;
  /** How long after the load's end the last of its records appeared. */
  catchUpMs: number;
}

/**
 * One half of an app's measured run: its answers, its CPU time (up to when it has recorded what
 * it was sent), its memory after, its records.
 */
async function half(
  app: AppProcess,
  requests: Requests,
  shape: LoadShape,
  recorded?: Counter,
): Promise<Half> {
  const before = recorded ? (await settled(recorded)).n : null;
  const cpuBefore = app.cpuMs();
  const run = await sustained(app.url, requests(app, "measured"), {
    connections: shape.connections,
    seconds: shape.seconds / 2,
  });
  const after = recorded && before !== null ? await settled(recorded) : null;
  const cpuMs = app.cpuMs() - cpuBefore;
  const rssAfterMb = app.rssMb();
  return {
    run,
    cpuMs,
    rssAfterMb,
    recorded: after !== null && before !== null ? after.n - before : null,
    catchUpMs: after?.ms ?? 0,
  };
}

/** Two halves as one run: counts added, latency percentiles averaged weighted by answers. */
function joined(a: Half, b: Half): Omit<LoadRow, "load" | "app" | "rssIdleMb"> {
  const responses = a.run.responses + b.run.responses;
  const weighted = (f: (r: RunResult) => number) =>
    (f(a.run) * a.run.responses + f(b.run) * b.run.responses) / Math.max(1, responses);
  return {
    run: {
      seconds: a.run.seconds + b.run.seconds,
      rps: responses / (a.run.seconds + b.run.seconds),
      p50: weighted((r) => r.p50),
      p99: weighted((r) => r.p99),
      responses,
      non2xx: a.run.non2xx + b.run.non2xx,
      errors: a.run.errors + b.run.errors,
    },
    cpuMsPerRequest: (a.cpuMs + b.cpuMs) / Math.max(1, responses),
    rssAfterMb: Math.max(a.rssAfterMb, b.rssAfterMb),
    recorded: a.recorded === null || b.recorded === null ? null : a.recorded + b.recorded,
    catchUpMs: Math.max(a.catchUpMs, b.catchUpMs),
  };
}

/**
 * One load on the bare app (when given), the minimal correct app and rapport. Each is warmed up,
 * then measured in two halves in the order A B C C B A, so that whatever else the machine does
 * during the load weighs on each app about equally. rapport's ratios are to the minimal app's.
 */
export async function sideBySide(opts: {
  load: string;
  apps: [bare: AppProcess | null, minimal: AppProcess, rapport: AppProcess];
  requests: Requests;
  shape: LoadShape;
  idleRss: Map<AppProcess, number>;
  recorded: { minimal: Counter; rapport: Counter };
}): Promise<LoadRow[]> {
  if (!wanted(opts.load)) return [];
  const { shape, requests } = opts;
  const [bare, minimal, rapport] = opts.apps;
  const order = [bare, minimal, rapport].filter((a): a is AppProcess => a !== null);
  const counterOf = (app: AppProcess) =>
    app === minimal ? opts.recorded.minimal : app === rapport ? opts.recorded.rapport : undefined;
  process.stdout.write(`  ${opts.load}: `);
  const first = new Map<AppProcess, Half>();
  for (const app of order) {
    await sustained(app.url, requests(app, "warm-up"), {
      connections: shape.connections,
      seconds: shape.warmupSeconds,
    });
    first.set(app, await half(app, requests, shape, counterOf(app)));
  }
  const rows = new Map<AppProcess, LoadRow>();
  for (const app of [...order].reverse()) {
    const second = await half(app, requests, shape, counterOf(app));
    rows.set(app, {
      load: opts.load,
      app: app.name,
      rssIdleMb: opts.idleRss.get(app)!,
      ...joined(first.get(app)!, second),
    });
  }
  const base = rows.get(minimal)!;
  base.baseline = base;
  rows.get(rapport)!.baseline = base;
  const out = order.map((app) => rows.get(app)!);
  console.log(out.map((r) => `${r.app} ${Math.round(r.run.rps)} req/s`).join(", "));
  return out;
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
  await fake.setMode("ratelimited");
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
    await fake.setMode("ok");
  }
}
