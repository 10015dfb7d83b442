// Times the digest's parts on databases seeded once by bench/digest-profile-seed.ts, in CPU time
// (this process) and wall time, beside the raw-SQL baseline of the same run.
// Run: PROF_DB=rapport_prof_main npx tsx bench/digest-profile.ts [cold|week|again|home|job|parts]...
import { performance } from "node:perf_hooks";
import { sql } from "kysely";
import { openStore, type Store } from "../src/store/database.ts";
import { createCore } from "../src/services/core.ts";
import { createJobStores } from "../src/store/job-stores.ts";
import { DEMO, DEMO_PEOPLE } from "../src/services/demo-data.ts";
import { Rapport } from "../src/services/rapport.ts";
import { TREND_WEEKS, weeklyDigest } from "../src/services/weekly-digest.ts";
import { weeklyDigestJob } from "../src/jobs/weekly-digest.ts";
import { lastCompleteWeek, previousWeeks } from "../src/domain/week.ts";
import { trendMetrics } from "../src/domain/metrics.ts";
import { rawSqlFigures } from "./digest-baseline.ts";

const NOW = new Date("2026-11-18T10:00:00Z");
const RUNS = Number(process.env.PROF_RUNS ?? 3);
const db = process.env.PROF_DB ?? "rapport_prof_main";
const store: Store =
  db === "pglite"
    ? await openStore({ kind: "pglite", dataDir: process.env.PROF_PGLITE_DIR ?? "/tmp/prof-pglite" })
    : await openStore({ kind: "postgres", url: `postgres://postgres@127.0.0.1:5432/${db}`, poolSize: 4 });
const core = createCore(store, { clock: { now: () => NOW } });

async function measure(label: string, op: () => Promise<unknown>, before?: () => Promise<unknown>) {
  const walls: number[] = [];
  const cpus: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    if (before) await before();
    const c = process.cpuUsage();
    const t = performance.now();
    await op();
    walls.push(performance.now() - t);
    const d = process.cpuUsage(c);
    cpus.push((d.user + d.system) / 1000);
  }
  const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!;
  const r = { wall: med(walls), cpu: med(cpus) };
  console.log(
    `${label.padEnd(44)} wall ${r.wall.toFixed(1).padStart(9)} ms   cpu ${r.cpu.toFixed(1).padStart(9)} ms`,
  );
  return r;
}

const forgetKept = async (id?: string) => {
  await store.settled();
  let q = store.db.deleteFrom("week_figures");
  if (id) q = q.where("partnership_id", "=", id);
  return q.execute();
};
async function forgetDigestWeek(id: string) {
  await store.settled();
  const p = await core.partnerships.get(id);
  await store.db
    .deleteFrom("week_figures")
    .where("partnership_id", "=", id)
    .where("week_start", "=", lastCompleteWeek(NOW, p.timezone).start)
    .execute();
}

const largest = await sql<{ id: string; n: string }>`
  select partnership_id as id, count(*) as n from issues group by partnership_id order by count(*) desc limit 1
`.execute(store.db);
const id = largest.rows[0]!.id;
console.log(
  `${db}: partnership ${id}, ${largest.rows[0]!.n} issues; load ${(await import("node:os"))
    .loadavg()
    .map((x) => x.toFixed(1))
    .join(" ")}`,
);
const what = process.argv.slice(2);
const want = (k: string) => what.length === 0 || what.includes(k);

if (want("cold") || want("week") || want("again")) {
  await rawSqlFigures(store, id, NOW);
  const raw = await measure("raw SQL", () => rawSqlFigures(store, id, NOW));
  const ratio = (r: { wall: number }) => console.log(`   ${(r.wall / raw.wall).toFixed(2)}× raw SQL`);
  if (want("cold"))
    ratio(
      await measure(
        "weeklyDigest, nothing kept",
        () => weeklyDigest(core, id),
        () => forgetKept(id),
      ),
    );
  if (want("week"))
    ratio(
      await measure(
        "weeklyDigest, 7 kept",
        () => weeklyDigest(core, id),
        () => forgetDigestWeek(id),
      ),
    );
  if (want("again"))
    ratio(
      await measure(
        "weeklyDigest, asked again",
        () => weeklyDigest(core, id),
        () => store.settled(),
      ),
    );
}
if (want("parts")) {
  // The digest from nothing in its two halves: reading the window, and replaying it.
  const p = await core.partnerships.get(id);
  const settingsHistory = await core.partnerships.settingsHistory(id);
  const weeks = previousWeeks(lastCompleteWeek(NOW, p.timezone), TREND_WEEKS, p.timezone);
  const read = () => core.figures.window(id, weeks[0]!.start, weeks[weeks.length - 1]!.end);
  const window = await read();
  console.log(`window: ${window.events.length} events`);
  await measure("window read", read);
  await measure("trendMetrics (replay)", async () =>
    trendMetrics({ partnership: p, events: window.events, weeks, now: NOW, settingsHistory }),
  );
}
if (want("home")) {
  const rapport = new Rapport(core);
  const visit = {
    place: { platform: "slack" as const, workspaceId: DEMO.providerWorkspace, channelId: null },
    by: DEMO_PEOPLE.providerLead,
  };
  console.log(`App Home shows ${(await rapport.status(visit)).length}`);
  await measure(
    "App Home, nothing kept",
    () => rapport.status(visit),
    () => forgetKept(),
  );
  await measure(
    "App Home, again",
    () => rapport.status(visit),
    () => store.settled(),
  );
  await rapport.stop();
}
if (want("job")) {
  const stores = createJobStores(store);
  const reset = async () => {
    await store.db.deleteFrom("job_runs").execute();
    await store.db.deleteFrom("outbox").execute();
  };
  const n = (await core.partnerships.list()).length;
  const run = async () => {
    const r = await weeklyDigestJob(core, stores, NOW);
    await store.settled();
    const bad = r.targets.filter((t) => t.outcome === "error");
    if (bad.length) console.log(`${bad.length} errors: ${bad[0]!.detail}`);
  };
  const runs = Number(process.env.PROF_JOB_RUNS ?? 1);
  for (let i = 0; i < runs; i++) {
    await measure(`job over ${n}, nothing kept`, run, async () => {
      await reset();
      await forgetKept();
    });
    await measure(`job over ${n}, a week later`, run, async () => {
      await reset();
      const weekStart = lastCompleteWeek(NOW, DEMO.timezone).start;
      await store.db.deleteFrom("week_figures").where("week_start", "=", weekStart).execute();
    });
  }
}
await store.close();
