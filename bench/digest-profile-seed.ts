// Seeds the profiling databases once (kept between profiling runs):
//   rapport_prof_main: one year of PROF_ISSUES issues a week, and 7 small years (App Home)
//   rapport_prof_job:  PROF_JOB partnerships of a quarter, 6 issues a week (the weekly job)
// Run: PROF_WHAT=main|job|big npx tsx bench/digest-profile-seed.ts
import pg from "pg";
import { openStore } from "../src/store/database.ts";
import { migrateToLatest } from "../src/store/migrate.ts";
import { createCore } from "../src/services/core.ts";
import { seedHistory } from "../src/services/demo-history.ts";

const NOW = new Date("2026-11-18T10:00:00Z");
const what = process.env.PROF_WHAT ?? "main";
const name = `rapport_prof_${what}`;
const admin = new pg.Client({ connectionString: "postgres://postgres@127.0.0.1:5432/test" });
await admin.connect();
const exists = await admin.query("select 1 from pg_database where datname = $1", [name]);
if (exists.rowCount === 0) await admin.query(`create database ${name}`);
await admin.end();
const store = await openStore({
  kind: "postgres",
  url: `postgres://postgres@127.0.0.1:5432/${name}`,
  poolSize: 4,
});
const { error } = await migrateToLatest(store.db);
if (error) throw error;
const core = createCore(store, { clock: { now: () => NOW } });
const t = Date.now();
if (what === "main" || what === "big") {
  const perWeek = Number(process.env.PROF_ISSUES ?? (what === "big" ? 962 : 193));
  const r = await seedHistory(core, { weeks: 52, issuesPerWeek: perWeek }, (p) => {
    if (p.recorded % 50000 === 0) console.log(`${p.recorded}/${p.planned} ${(Date.now() - t) / 1000}s`);
  });
  console.log("main", r.partnership.id, r.recorded);
  if (what === "main")
    for (let k = 0; k < 7; k++) await seedHistory(core, { weeks: 52, issuesPerWeek: 5 + k });
} else {
  const n = Number(process.env.PROF_JOB ?? 1000);
  for (let k = 0; k < n; k++) {
    await seedHistory(core, { weeks: 13, issuesPerWeek: 6, name: `Bench partnership ${k + 1}` });
    if (k % 100 === 0) console.log(`job ${k} ${(Date.now() - t) / 1000}s`);
  }
}
console.log(`done in ${(Date.now() - t) / 1000}s`);
await store.close();
