// Benchmarks of the ledger and the weekly digest on the embedded database in memory, each beside
// a baseline measured in the same run (see bench/README.md). Run: npx tsx bench/metrics.bench.ts
import { randomUUID } from "node:crypto";
import { performance } from "node:perf_hooks";
import { sql } from "kysely";
import { openStore, type Store } from "../src/store/database.ts";
import { migrateToLatest } from "../src/store/migrate.ts";
import { createCore, type Core } from "../src/services/core.ts";
import { addMember, createPartnership } from "../src/services/setup-partnership.ts";
import { reportIssue } from "../src/services/report-issue.ts";
import { seedDemo } from "../src/services/seed-demo.ts";
import { seedHistory } from "../src/services/demo-history.ts";
import { weeklyDigest } from "../src/services/weekly-digest.ts";
import { lastCompleteWeek } from "../src/domain/week.ts";
import type { PlatformUser } from "../src/domain/vocabulary.ts";

/** Issue reports per append measurement (BENCH_APPENDS overrides). */
const APPENDS = Number(process.env.BENCH_APPENDS ?? 1000);
/** Untimed operations before each measurement, so the JIT and the database caches are warm. */
const WARMUP = 50;
/** Timed repetitions of each read measurement; the median is reported. */
const READ_RUNS = Number(process.env.BENCH_READ_RUNS ?? 7);
/** The large partnership has about this many times the demo quarter's issues. */
const SCALE = 10;
/** A fixed "now", so the demo quarter (and so the figures) is the same on every run. */
const NOW = new Date("2026-11-16T09:00:00Z");

const staff: PlatformUser = {
  platform: "slack",
  workspaceId: "TBENCHCLIENT",
  userId: "UBENCHSTAFF",
  displayName: "Bench Staff",
};

interface Row {
  label: string;
  /** Operations timed (appends) or runs taken the median of (reads). */
  n: number;
  /** Milliseconds per operation: the mean for appends, the median for reads. */
  msPerOp: number;
  unit: "events/s" | "ms";
  /** The row this one is compared with; a baseline has none. */
  baseline?: Row;
}

async function time(n: number, op: (i: number) => Promise<unknown>): Promise<number> {
  const start = performance.now();
  for (let i = 0; i < n; i++) await op(i);
  return performance.now() - start;
}

/** The median time of `runs` single runs of `op`, each after an untimed `before`. */
async function medianMs(
  runs: number,
  op: () => Promise<unknown>,
  before: () => Promise<unknown> = async () => {},
): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    await before();
    times.push(await time(1, op));
  }
  times.sort((a, b) => a - b);
  return times[Math.floor((times.length - 1) / 2)]!;
}

// ── (a) ledger append ────────────────────────────────────────────────────────────────────────

/** The scratch table: the events table's columns, without the dedupe index, sequence or foreign key. */
async function createScratch(store: Store): Promise<void> {
  await sql`
    create table bench_scratch (
      partnership_id uuid not null, id uuid not null, type text not null, subject_id uuid,
      actor_member_id uuid, actor_side text, actor_platform text, actor_user_id text, actor_name text,
      occurred_at timestamptz not null, recorded_at timestamptz not null,
      source_platform text not null, source_id text not null, source_url text, payload jsonb not null
    )`.execute(store.db);
}

/** One plain INSERT of the row an issue report stores: no dedupe, no key, no projection. */
function insertScratch(store: Store, partnershipId: string, i: number): Promise<unknown> {
  const issueId = randomUUID();
  const payload = {
    issueId,
    key: `BENCH-${i}`,
    title: `Printer jams on every second page ${i}`,
    detail: null,
    priority: "P3",
    category: null,
    startedAt: null,
    via: "form",
    message: null,
  };
  return sql`
    insert into bench_scratch (partnership_id, id, type, subject_id, actor_member_id, actor_side,
      actor_platform, actor_user_id, actor_name, occurred_at, recorded_at, source_platform, source_id,
      source_url, payload)
    values (${partnershipId}, ${randomUUID()}, 'issue.reported', ${issueId}, null, 'client', 'slack',
      ${staff.userId}, ${staff.displayName}, ${NOW}, ${new Date()}, 'slack', ${`scratch-${i}`}, null,
      ${JSON.stringify(payload)}::jsonb)`.execute(store.db);
}

function report(core: Core, partnershipId: string, id: string, i: number): Promise<unknown> {
  return reportIssue(core, {
    partnershipId,
    by: staff,
    source: { platform: "slack", id },
    occurredAt: NOW,
    via: "form",
    fields: { title: `Printer jams on every second page ${i}`, priority: "P3" },
  });
}

async function appendRows(store: Store, core: Core): Promise<Row[]> {
  const p = await createPartnership(core, {
    name: "Bench appends",
    providerOrg: "Bench IT",
    clientOrg: "Bench Client",
    providerWorkspaceIds: ["TBENCHPROVIDER"],
  });
  await addMember(core, { partnershipId: p.id, ...staff, side: "client", role: "staff" });
  await createScratch(store);
  await time(WARMUP, (i) => insertScratch(store, p.id, -1 - i));
  await time(WARMUP, (i) => report(core, p.id, `warm-${i}`, i));
  const perOp = async (op: (i: number) => Promise<unknown>) => (await time(APPENDS, op)) / APPENDS;
  const row = (label: string, msPerOp: number, baseline?: Row): Row => ({
    label,
    n: APPENDS,
    msPerOp,
    unit: "events/s",
    baseline,
  });
  const baseline = row(
    "baseline: plain INSERT into a scratch table",
    await perOp((i) => insertScratch(store, p.id, i)),
  );
  const first = row(
    "reportIssue (dedupe + key + projection)",
    await perOp((i) => report(core, p.id, `bench-${i}`, i)),
    baseline,
  );
  // The same sources again: what a platform redelivery costs (found, nothing written).
  const again = row(
    "reportIssue redelivered (deduped, nothing new)",
    await perOp((i) => report(core, p.id, `bench-${i}`, i)),
    baseline,
  );
  return [baseline, first, again];
}

// ── (b) weekly digest ────────────────────────────────────────────────────────────────────────

/**
 * A partnership with ten times the demo quarter's issues in the same weeks: a synthetic history
 * (13 weeks, 60 issues a week) recorded through the ledger in batches, projections included.
 */
async function scaledPartnership(core: Core): Promise<string> {
  const { partnership } = await seedHistory(core, { weeks: 13, issuesPerWeek: 60 });
  return partnership.id;
}

async function digestRows(store: Store, core: Core, partnershipId: string, label: string): Promise<Row[]> {
  const p = await core.partnerships.get(partnershipId);
  const week = lastCompleteWeek(core.clock.now(), p.timezone);
  const read = () => core.ledger.events(partnershipId, { occurredBefore: week.end });
  const events = (await read()).length;
  await read();
  await weeklyDigest(core, partnershipId);
  const baseline: Row = {
    label: `baseline: read its ${events} events (${label})`,
    n: READ_RUNS,
    msPerOp: await medianMs(READ_RUNS, read),
    unit: "ms",
  };
  // Nothing kept from the run before: each run computes every trend week (bench/digest.bench.ts
  // measures the kept weeks).
  const forget = () =>
    store
      .settled()
      .then(() => store.db.deleteFrom("week_figures").where("partnership_id", "=", partnershipId).execute());
  const digest = await medianMs(READ_RUNS, () => weeklyDigest(core, partnershipId), forget);
  return [
    baseline,
    {
      label: `weeklyDigest with 8-week trend (${label})`,
      n: READ_RUNS,
      msPerOp: digest,
      unit: "ms",
      baseline,
    },
  ];
}

// ── report ───────────────────────────────────────────────────────────────────────────────────

function figure(r: Row): string {
  return r.unit === "events/s"
    ? `${Math.round(1000 / r.msPerOp).toLocaleString("en-GB")} events/s`
    : `${r.msPerOp.toFixed(1)} ms`;
}

/** This row's time per operation as a multiple of its baseline's (2.0× = twice as long). */
function ratio(r: Row): string {
  return r.baseline ? `${(r.msPerOp / r.baseline.msPerOp).toFixed(1)}×` : "1.0× (baseline)";
}

function printTable(title: string, rows: Row[]): void {
  const cells = rows.map((r) => [r.label, String(r.n), `${r.msPerOp.toFixed(3)} ms`, figure(r), ratio(r)]);
  const head = ["measurement", "n", "per op", "result", "time vs baseline"];
  const widths = head.map((h, c) => Math.max(h.length, ...cells.map((row) => row[c]!.length)));
  const line = (row: string[]) =>
    row.map((v, c) => (c === 0 ? v.padEnd(widths[c]!) : v.padStart(widths[c]!))).join("  ");
  console.log(`\n${title}`);
  console.log(line(head));
  console.log(widths.map((w) => "─".repeat(w)).join("  "));
  for (const row of cells) console.log(line(row));
}

async function main(): Promise<void> {
  const started = performance.now();
  const store = await openStore({ kind: "pglite", dataDir: null });
  try {
    const { error } = await migrateToLatest(store.db);
    if (error) throw error;
    const core = createCore(store, { clock: { now: () => NOW } });
    console.log(`rapport benchmarks: embedded database (PGlite) in memory, Node ${process.version}`);

    printTable(`(a) ledger append: n issue reports, one at a time`, await appendRows(store, core));

    const demo = await seedDemo(core);
    const big = await scaledPartnership(core);
    printTable(`(b) weekly digest of the last complete week (median of n runs)`, [
      ...(await digestRows(store, core, demo.partnership.id, "demo quarter")),
      ...(await digestRows(store, core, big, `${SCALE}× the quarter`)),
    ]);
    console.log(`\nDone in ${((performance.now() - started) / 1000).toFixed(1)} s.`);
  } finally {
    await store.close();
  }
}

await main();
