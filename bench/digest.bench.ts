// The weekly digest as a partnership's history grows, beside raw SQL computing the same weekly
// figures in the same run; App Home; the weekly digest job over many partnerships; and the same
// digest on the embedded database (see bench/README.md, "Digest at scale").
// Run: npm run bench:digest (or npx tsx bench/digest.bench.ts)
import { performance } from "node:perf_hooks";
import pg from "pg";
import { sql } from "kysely";
import { openStore, type Store } from "../src/store/database.ts";
import { migrateToLatest } from "../src/store/migrate.ts";
import { createJobStores } from "../src/store/job-stores.ts";
import { createCore, type Core } from "../src/services/core.ts";
import { seedHistory, type HistorySize } from "../src/services/demo-history.ts";
import { DEMO, DEMO_PEOPLE } from "../src/services/demo-data.ts";
import { Rapport } from "../src/services/rapport.ts";
import { weeklyDigest } from "../src/services/weekly-digest.ts";
import { weeklyDigestJob } from "../src/jobs/weekly-digest.ts";
import { lastCompleteWeek } from "../src/domain/week.ts";
import { rawSqlFigures } from "./digest-baseline.ts";

/** A PostgreSQL server where a database may be created (and dropped) for the run. */
const ADMIN_URL = process.env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
/** Timed runs of each read; the median is reported. */
const RUNS = Number(process.env.BENCH_DIGEST_RUNS ?? 5);
/** Partnerships the weekly digest job runs over. */
const JOB_PARTNERSHIPS = Number(process.env.BENCH_JOB_PARTNERSHIPS ?? 1000);
/** Skip the embedded database's copy of the largest history (it takes minutes to record). */
const EMBEDDED = process.env.BENCH_DIGEST_EMBEDDED !== "0";
/** A Wednesday morning, after the digests' Monday 09:00: the last complete week is 9 November. */
const NOW = new Date("2026-11-18T10:00:00Z");

const YEAR = 52;
/** Issues a week of the three histories: a year of about 1k, 10k and 50k issues. */
const SIZES: (HistorySize & { label: string })[] = (process.env.BENCH_DIGEST_SIZES ?? "20,193,962")
  .split(",")
  .map((n) => ({ label: `${n} issues a week`, weeks: YEAR, issuesPerWeek: Number(n) }));

interface Row {
  what: string;
  ms: number;
  baseline?: number;
  note?: string;
}

async function median(runs: number, op: () => Promise<unknown>, before?: () => Promise<unknown>) {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    if (before) await before();
    const t = performance.now();
    await op();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor((times.length - 1) / 2)]!;
}

function progress(label: string) {
  return ({ recorded, planned }: { recorded: number; planned: number }) => {
    if (process.stderr.isTTY) process.stderr.write(`\r\x1b[2K${label}: ${recorded} of ${planned} events`);
  };
}

function clearProgress(): void {
  if (process.stderr.isTTY) process.stderr.write("\r\x1b[2K");
}

async function createDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `rapport_digest_bench_${Date.now()}_${process.pid}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`create database ${name}`).finally(() => admin.end());
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: ADMIN_URL });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`).finally(() => c.end());
    },
  };
}

/** Every kept figure dropped, once the figures still being kept (`Store.later`) are written. */
async function forgetKept(store: Store, partnershipId?: string) {
  await store.settled();
  let q = store.db.deleteFrom("week_figures");
  if (partnershipId) q = q.where("partnership_id", "=", partnershipId);
  return q.execute();
}

/** The kept figures of the digest's own week dropped: the trend's 7 earlier weeks are kept, as after last week's run. */
async function forgetDigestWeek(store: Store, core: Core, partnershipId: string) {
  await store.settled();
  const p = await core.partnerships.get(partnershipId);
  const week = lastCompleteWeek(NOW, p.timezone);
  await store.db
    .deleteFrom("week_figures")
    .where("partnership_id", "=", partnershipId)
    .where("week_start", "=", week.start)
    .execute();
}

async function digestRows(
  store: Store,
  core: Core,
  id: string,
  label: string,
  events: number,
): Promise<Row[]> {
  // One untimed run of each first, so neither side is measured while it is first compiled.
  await rawSqlFigures(store, id, NOW);
  await weeklyDigest(core, id);
  const raw = await median(RUNS, () => rawSqlFigures(store, id, NOW));
  const cold = await median(
    RUNS,
    () => weeklyDigest(core, id),
    () => forgetKept(store, id),
  );
  // The digest is answered before its figures are written (Store.later): how long until they are.
  const coldKept = await median(
    RUNS,
    async () => {
      await weeklyDigest(core, id);
      await store.settled();
    },
    () => forgetKept(store, id),
  );
  const oneWeek = await median(
    RUNS,
    () => weeklyDigest(core, id),
    () => forgetDigestWeek(store, core, id),
  );
  const kept = await median(
    RUNS,
    () => weeklyDigest(core, id),
    () => store.settled(),
  );
  const note = `${events.toLocaleString("en-GB")} events`;
  return [
    { what: `raw SQL, 8 weeks' figures (${label})`, ms: raw, note },
    { what: `weeklyDigest, nothing kept (${label})`, ms: cold, baseline: raw, note },
    {
      what: `  and its figures kept (${label})`,
      ms: coldKept,
      baseline: raw,
      note: "written after the answer",
    },
    { what: `weeklyDigest, 7 earlier weeks kept (${label})`, ms: oneWeek, baseline: raw, note },
    { what: `weeklyDigest, asked again (${label})`, ms: kept, baseline: raw, note },
  ];
}

function print(title: string, rows: Row[]): void {
  console.log(`\n${title}`);
  const cells = rows.map((r) => [
    r.what,
    `${r.ms.toFixed(1)} ms`,
    r.baseline ? `${(r.ms / r.baseline).toFixed(1)}×` : "baseline",
    r.note ?? "",
  ]);
  const head = ["measurement", "median", "vs raw SQL", ""];
  const widths = head.map((h, c) => Math.max(h.length, ...cells.map((row) => row[c]!.length)));
  const line = (row: string[]) =>
    row.map((v, c) => (c === 0 || c === 3 ? v.padEnd(widths[c]!) : v.padStart(widths[c]!))).join("  ");
  console.log(line(head));
  console.log(widths.map((w) => "─".repeat(w)).join("  "));
  for (const row of cells) console.log(line(row));
}

async function seeded(store: Store, core: Core, size: HistorySize, label: string) {
  const t = performance.now();
  const { partnership, recorded } = await seedHistory(core, size, progress(label));
  clearProgress();
  const seconds = (performance.now() - t) / 1000;
  const { rows } = await sql<{ n: string }>`
    select count(*) as n from issues where partnership_id = ${partnership.id}`.execute(store.db);
  const issues = Number(rows[0]!.n);
  return { id: partnership.id, recorded, issues, seconds };
}

async function onPostgres(): Promise<{ postgresCold: Row; largest: { id: string; events: number } }> {
  const database = await createDatabase();
  const store = await openStore({ kind: "postgres", url: database.url, poolSize: 4 });
  try {
    const { error } = await migrateToLatest(store.db);
    if (error) throw error;
    const core = createCore(store, { clock: { now: () => NOW } });
    console.log(
      `rapport digest benchmark: PostgreSQL (${ADMIN_URL.replace(/\/\/[^@]*@/, "//")}), Node ${process.version}`,
    );

    const digest: Row[] = [];
    const ids: string[] = [];
    let largest = { id: "", events: 0 };
    for (const size of SIZES) {
      const s = await seeded(store, core, size, size.label);
      ids.push(s.id);
      largest = { id: s.id, events: s.recorded };
      print(`(a) a year of ${size.issuesPerWeek} issues a week recorded through the ledger, in batches`, [
        {
          what: `rapport demo --weeks ${size.weeks} --issues-per-week ${size.issuesPerWeek}`,
          ms: s.seconds * 1000,
          note: `${s.issues.toLocaleString("en-GB")} issues, ${s.recorded.toLocaleString("en-GB")} events, ${Math.round(s.recorded / s.seconds).toLocaleString("en-GB")} events/s`,
        },
      ]);
      const rows = await digestRows(
        store,
        core,
        s.id,
        `${s.issues.toLocaleString("en-GB")} issues`,
        s.recorded,
      );
      digest.push(...rows);
      print(`(b) its weekly digest of the last complete week, 8-week trend (median of ${RUNS})`, rows);
    }

    // App Home: a person in ten partnerships (the three above and seven more of a year each).
    for (let k = 0; k < 7; k++) {
      ids.push((await seeded(store, core, { weeks: YEAR, issuesPerWeek: 5 + k }, `App Home ${k + 1}/7`)).id);
    }
    const rapport = new Rapport(core);
    const visit = {
      place: { platform: "slack" as const, workspaceId: DEMO.providerWorkspace, channelId: null },
      by: DEMO_PEOPLE.providerLead,
    };
    const shown = (await rapport.status(visit)).length;
    const homeCold = await median(
      RUNS,
      () => rapport.status(visit),
      () => forgetKept(store),
    );
    const homeWarm = await median(
      RUNS,
      () => rapport.status(visit),
      () => store.settled(),
    );
    await rapport.stop();
    print(`(c) App Home: the scorecards of the week so far, ${shown} partnerships (median of ${RUNS})`, [
      { what: "first open, nothing kept", ms: homeCold },
      { what: "opened again (past weeks kept)", ms: homeWarm },
    ]);

    // The weekly digest job over many ordinary partnerships (the demo quarter's size).
    const t = performance.now();
    for (let k = 0; k < JOB_PARTNERSHIPS; k++) {
      await seedHistory(core, { weeks: 13, issuesPerWeek: 6, name: `Bench partnership ${k + 1}` });
      if (process.stderr.isTTY && k % 20 === 0)
        process.stderr.write(`\r\x1b[2Kjob partnerships: ${k} of ${JOB_PARTNERSHIPS}`);
    }
    clearProgress();
    const setUp = (performance.now() - t) / 1000;
    const stores = createJobStores(store);
    const reset = async () => {
      await store.db.deleteFrom("job_runs").execute();
      await store.db.deleteFrom("outbox").execute();
    };
    const jobRun = async (before: () => Promise<unknown>) => {
      await reset();
      await before();
      const start = performance.now();
      const result = await weeklyDigestJob(core, stores, NOW);
      await store.settled(); // until every figure computed is kept too
      const ms = performance.now() - start;
      const failed = result.targets.filter((x) => x.outcome === "error").length;
      return { ms, targets: result.targets.length, failed };
    };
    const cold = await jobRun(() => forgetKept(store));
    const steady = await jobRun(async () => {
      for (const p of await core.partnerships.list()) await forgetDigestWeek(store, core, p.id);
    });
    const count = (await core.partnerships.list()).length;
    print(`(d) weekly digest job over ${count} partnerships (set up in ${setUp.toFixed(0)} s)`, [
      {
        what: "first run, nothing kept",
        ms: cold.ms,
        note: `${cold.targets} digests queued, ${cold.failed} failed`,
      },
      {
        what: "a week later: 7 of each trend's 8 weeks kept",
        ms: steady.ms,
        note: `${steady.targets} digests queued, ${steady.failed} failed`,
      },
    ]);

    return {
      postgresCold: digest.filter((r) => r.what.startsWith("weeklyDigest, nothing kept")).at(-1)!,
      largest,
    };
  } finally {
    await store.close();
    await database.drop();
  }
}

/** The largest history again on the embedded database (in memory), against the PostgreSQL figures. */
async function onEmbedded(postgresCold: Row, postgresEvents: number): Promise<void> {
  const store = await openStore({ kind: "pglite", dataDir: null });
  try {
    const { error } = await migrateToLatest(store.db);
    if (error) throw error;
    const core = createCore(store, { clock: { now: () => NOW } });
    const s = await seeded(store, core, SIZES[SIZES.length - 1]!, "embedded");
    const cold = await median(
      RUNS,
      () => weeklyDigest(core, s.id),
      () => forgetKept(store, s.id),
    );
    const oneWeek = await median(
      RUNS,
      () => weeklyDigest(core, s.id),
      () => forgetDigestWeek(store, core, s.id),
    );
    print(
      `(e) the ${s.issues.toLocaleString("en-GB")}-issue year on the embedded database (PGlite in memory)`,
      [
        {
          what: `recording it (${s.recorded.toLocaleString("en-GB")} events; PostgreSQL had ${postgresEvents.toLocaleString("en-GB")})`,
          ms: s.seconds * 1000,
        },
        {
          what: "weeklyDigest, nothing kept",
          ms: cold,
          note: `${(cold / postgresCold.ms).toFixed(1)}× PostgreSQL's ${postgresCold.ms.toFixed(0)} ms`,
        },
        { what: "weeklyDigest, 7 earlier weeks kept", ms: oneWeek },
      ],
    );
  } finally {
    await store.close();
  }
}

const started = performance.now();
// The embedded part last, once the server's database is dropped: closing a large in-memory
// embedded database has ended this process before its last lines (and the drop) ran.
const { postgresCold, largest } = await onPostgres();
if (EMBEDDED) await onEmbedded(postgresCold, largest.events);
console.log(`\nDone in ${((performance.now() - started) / 1000).toFixed(0)} s.`);
