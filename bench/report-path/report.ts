// The benchmark's output: markdown tables of the sustained loads and the burst, the machine they
// ran on, and issue 10's targets, each said to be met or missed.
import { cpus, loadavg } from "node:os";
import type { BurstResponse, RunResult } from "./load.ts";
import { quantile } from "./load.ts";

/** One app under one sustained load. */
export interface LoadRow {
  load: string;
  app: string;
  /** The row its ratios are taken against (the minimal correct app under the same load). */
  baseline?: LoadRow;
  run: RunResult;
  cpuMsPerRequest: number;
  rssIdleMb: number;
  rssAfterMb: number;
  /** What the app recorded during the run (issues, replies, rows), or null for an app that records nothing. */
  recorded: number | null;
  /**
   * How long after the load's end its last record appeared (events are recorded after the answer),
   * and for rapport's issues, its last card was posted.
   */
  catchUpMs: number;
}

/** One app under the burst. */
export interface BurstRow {
  app: string;
  responses: BurstResponse[];
  /** Issues (or rows) recorded, and their distinct keys, read back from the database. */
  recorded: number;
  distinctKeys: number;
}

/** The machine and the moment, printed above the tables. */
export function machine(): string {
  const cpu = cpus();
  return [
    `- machine: ${cpu.length} × ${cpu[0]?.model.trim() ?? "unknown CPU"}`,
    `- load average at start (1, 5, 15 min): ${loadAverage()}`,
    `- Node ${process.version}, ${process.platform} ${process.arch}`,
    `- date: ${new Date().toISOString()}`,
  ].join("\n");
}

/** The 1, 5 and 15 minute load averages: above the core count, something else shared the machine. */
export function loadAverage(): string {
  return loadavg()
    .map((l) => l.toFixed(2))
    .join(", ");
}

const ms = (n: number) => (Number.isFinite(n) ? (n < 10 ? n.toFixed(1) : n.toFixed(0)) : "—");
const ratio = (n: number) => (Number.isFinite(n) ? `${n.toFixed(2)}×` : "—");
const count = (n: number) => Math.round(n).toLocaleString("en-GB");

/** The sustained loads as a markdown table. */
export function loadTable(rows: LoadRow[], seconds: number, connections: number): string {
  const head = [
    `| load (${connections} connections, ${seconds} s) | app | req/s | p50 ms | p99 ms | req/s vs minimal | p99 vs minimal | CPU ms/req | RSS idle MB | RSS after MB | non-2xx | recorded | all recorded (and cards posted) after ms |`,
    "|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|",
  ];
  const body = rows.map((r) => {
    const b = r.baseline;
    const errors = r.run.errors ? ` (+${r.run.errors} errors)` : "";
    return [
      r.load,
      r.app,
      count(r.run.rps),
      ms(r.run.p50),
      ms(r.run.p99),
      b ? ratio(r.run.rps / b.run.rps) : "—",
      b ? ratio(r.run.p99 / b.run.p99) : "—",
      r.cpuMsPerRequest.toFixed(2),
      r.rssIdleMb.toFixed(0),
      r.rssAfterMb.toFixed(0),
      `${r.run.non2xx}${errors}`,
      r.recorded === null ? "—" : count(r.recorded),
      r.recorded === null ? "—" : count(r.catchUpMs),
    ].join(" | ");
  });
  return [...head, ...body.map((l) => `| ${l} |`)].join("\n");
}

/** The burst as a markdown table. */
export function burstTable(rows: BurstRow[]): string {
  const head = [
    `| burst: ${rows[0]?.responses.length ?? 0} /itissue at once, every Slack Web API call answered 429 (Retry-After 5) | max ms | p50 ms | p99 ms | non-2xx | recorded | distinct keys |`,
    "|---|--:|--:|--:|--:|--:|--:|",
  ];
  const body = rows.map((r) => {
    const times = r.responses.map((x) => x.ms);
    return `| ${r.app} | ${ms(Math.max(...times))} | ${ms(quantile(times, 0.5))} | ${ms(quantile(times, 0.99))} | ${failures(r)} | ${r.recorded} | ${r.distinctKeys} |`;
  });
  return [...head, ...body].join("\n");
}

/** How many answers were not 2xx, with their statuses ("200: 404 × 200"); 0 stands for no answer. */
function failures(r: BurstRow): string {
  const statuses = new Map<number, number>();
  for (const { status } of r.responses) {
    if (status < 200 || status > 299) statuses.set(status, (statuses.get(status) ?? 0) + 1);
  }
  const total = [...statuses.values()].reduce((a, b) => a + b, 0);
  if (total === 0) return "0";
  const parts = [...statuses].map(([status, n]) => `${status === 0 ? "no answer" : status} × ${n}`);
  return `${total}: ${parts.join(", ")}`;
}

/** Issue 10's targets (item 5), each with the figure that meets or misses it. */
export function targets(rapportRows: LoadRow[], burst: BurstRow | undefined, rssIdleMb: number): string {
  const lines: string[] = [];
  const check = (ok: boolean, text: string) => lines.push(`- [${ok ? "x" : " "}] ${text}`);
  for (const r of rapportRows) {
    if (!r.baseline) continue;
    const t = r.run.rps / r.baseline.run.rps;
    const p = r.run.p99 / r.baseline.run.p99;
    check(t >= 0.5, `${r.load}: throughput at least 0.5× the minimal app's (aim 0.8×): ${ratio(t)}`);
    check(p <= 3, `${r.load}: p99 at most 3× the minimal app's: ${ratio(p)}`);
  }
  if (burst) {
    const max = Math.max(...burst.responses.map((x) => x.ms));
    const failed = burst.responses.filter((x) => x.status < 200 || x.status > 299).length;
    const n = burst.responses.length;
    check(max <= 1000, `burst: every acknowledgement within 1 s: the last took ${ms(max)} ms`);
    check(failed === 0, `burst: no non-2xx: ${failed}`);
    check(
      burst.recorded === n && burst.distinctKeys === n,
      `burst: all ${n} recorded with distinct keys: ${burst.recorded} recorded, ${burst.distinctKeys} keys`,
    );
  }
  check(rssIdleMb < 150, `RSS under 150 MB idle: ${rssIdleMb.toFixed(0)} MB`);
  if (rapportRows.length > 0) {
    const after = Math.max(...rapportRows.map((r) => r.rssAfterMb));
    check(after < 300, `RSS under 300 MB after the load: ${after.toFixed(0)} MB`);
  }
  return lines.join("\n");
}
