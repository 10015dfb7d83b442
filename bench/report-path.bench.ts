// rapport's report path under HTTP load, side by side with two baselines in the same run, each app a
// process of its own, against a fake Slack and a fake Teams connector on loopback and one fresh
// PostgreSQL database (see bench/README.md, "Report path under load").
// Run: npm run bench:http (or npx tsx bench/report-path.bench.ts)
import { mkdtempSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { startApps, type Apps } from "./report-path/apps.ts";
import { SLACK, startFakeConnector, startFakeSlack, type FakeSlackApi } from "./report-path/fakes.ts";
import { send } from "./report-path/load.ts";
import { burstOn, counter, sideBySide, wanted, type LoadShape } from "./report-path/measure.ts";
import { itissueCommand, messageEvent, newTs, teamsIssueMessage } from "./report-path/payloads.ts";
import { atRest, tail, type AppProcess } from "./report-path/processes.ts";
import { burstTable, loadAverage, loadTable, machine, targets, type LoadRow } from "./report-path/report.ts";
import {
  createDatabase,
  setUpPartnerships,
  type BenchDatabase,
  type Partnerships,
} from "./report-path/setup.ts";

const SHAPE: LoadShape = {
  /** Seconds of each measured run; each follows an unmeasured warm-up. */
  seconds: Number(process.env.BENCH_HTTP_SECONDS ?? 8),
  warmupSeconds: Number(process.env.BENCH_HTTP_WARMUP ?? 2),
  connections: Number(process.env.BENCH_HTTP_CONNECTIONS ?? 20),
};
/** Reports sent at once in the burst. */
const BURST = Number(process.env.BENCH_BURST ?? 200);
/** A PostgreSQL server where a database may be created (and dropped) for the run. */
const ADMIN_URL = process.env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
/** How long an app may take to be ready: rapport can take 30 s and more on a busy machine. */
const READY_TIMEOUT_MS = Number(process.env.BENCH_READY_SECONDS ?? 180) * 1000;
/** Reporters of the sustained loads: client staff rapport learns about through users.info, once each. */
const REPORTERS = Array.from({ length: 50 }, (_, i) => `UC${String(i + 1).padStart(4, "0")}`);
/** Issues opened by auto-intake before any load: the threads the warm-up's replies go to. */
const WARMUP_THREADS = 20;

/** Round-robin over `items`. */
function cycle<T>(items: readonly T[]): () => T {
  let i = 0;
  return () => items[i++ % items.length]!;
}

/**
 * Opens the issues the warm-up's thread replies go to (client messages taken in by auto-intake),
 * and checks that rapport records what it is sent: Slack commands are answered 200 even when
 * refused, and a harness whose requests are all refused would measure nothing.
 */
async function openThreads(db: BenchDatabase, apps: Apps, p: Partnerships, fake: FakeSlackApi) {
  const issues = counter(db, "select count(*) as n from issues where partnership_id = $1", [p.main.id]);
  const threads: string[] = [];
  for (let i = 0; i < WARMUP_THREADS; i++) {
    const ts = newTs();
    const message = messageEvent({
      channel: p.main.channel,
      userId: SLACK.staff,
      team: SLACK.clientTeam,
      ts,
    });
    const status = await send(apps.rapport.url, message);
    if (status !== 200) throw new Error(`rapport answered ${status} to an auto-intake message`);
    threads.push(ts);
  }
  await send(
    apps.rapport.url,
    itissueCommand({ channel: p.main.channel, userId: SLACK.staff, responseUrl: fake.origin }),
  );
  // Messages are recorded from the inbox after they are acknowledged: wait for them (60 s at most).
  let recorded = await issues();
  for (const until = Date.now() + 60_000; recorded < WARMUP_THREADS + 1 && Date.now() < until;) {
    await sleep(250);
    recorded = await issues();
  }
  if (recorded < WARMUP_THREADS + 1) {
    const log = tail(apps.rapport.logFile);
    throw new Error(
      `rapport recorded ${recorded} of ${WARMUP_THREADS + 1} issues sent; is the set-up right?\n${log}`,
    );
  }
  return threads;
}

/** Every sustained load, each on the apps side by side. */
async function sustainedLoads(db: BenchDatabase, apps: Apps, p: Partnerships, fake: FakeSlackApi) {
  const all = Object.values(apps) as AppProcess[];
  if (!(await atRest(all)))
    console.log("  (an app was still busy after 2 minutes: its idle memory is read anyway)");
  const idleRss = new Map(all.map((a) => [a, a.rssMb()]));
  const warmupThreads = await openThreads(db, apps, p, fake);
  // Each new issue's card is posted after the answer (from the outbox): less the cards still
  // waiting, the count settles only once they are out, so that the CPU they take is counted in
  // rapport's run, and not spent beside the next app's.
  const issues = counter(
    db,
    `select (select count(*) from issues)
       - (select count(*) from outbox where job = 'card' and status in ('pending', 'sending')) as n`,
  );
  // Replies are answered once stored in the inbox and recorded from there; most record nothing
  // (a thread answered already), so the count of events alone would look settled while the inbox
  // still holds replies. Less the replies still waiting, it settles only once they are processed.
  const replies = counter(
    db,
    `select (select count(*) from events where type in ('issue.responded', 'issue.client_replied'))
       - (select count(*) from inbox where status in ('pending', 'processing')) as n`,
  );
  const rows = counter(db, "select count(*) as n from bench_minimal_reports");
  const slack: [AppProcess, AppProcess, AppProcess] = [apps.slackBare, apps.slackMinimal, apps.rapport];
  const reporter = cycle(REPORTERS);
  const spreadChannel = cycle(p.spread.map((s) => s.channel));
  const responseUrl = fake.origin;
  const common = { shape: SHAPE, idleRss };
  const out: LoadRow[] = [];

  out.push(
    ...(await sideBySide({
      ...common,
      load: "Slack /itissue, one partnership",
      apps: slack,
      requests: () => () => itissueCommand({ channel: p.main.channel, userId: reporter(), responseUrl }),
      recorded: { minimal: rows, rapport: issues },
    })),
    ...(await sideBySide({
      ...common,
      load: "Slack /itissue, spread over 50 partnerships",
      apps: [null, apps.slackMinimal, apps.rapport],
      requests: () => () => itissueCommand({ channel: spreadChannel(), userId: reporter(), responseUrl }),
      recorded: { minimal: rows, rapport: issues },
    })),
  );

  // The messages rapport takes in during its measured run become the threads replied to later, so
  // that the replies' measured run meets issues nobody has answered yet, as in a real channel.
  const intakeThreads: string[] = [];
  const replyCount = new Map<string, number>();
  out.push(
    ...(await sideBySide({
      ...common,
      load: "Slack auto-intake messages",
      apps: slack,
      requests: (app, phase) => () => {
        const ts = newTs();
        if (app === apps.rapport && phase === "measured") intakeThreads.push(ts);
        return messageEvent({ channel: p.main.channel, userId: reporter(), team: SLACK.clientTeam, ts });
      },
      recorded: { minimal: rows, rapport: issues },
    })),
  );
  out.push(
    ...(await sideBySide({
      ...common,
      load: "Slack thread replies",
      apps: slack,
      requests: (app, phase) => {
        // One pass over the threads by the provider's technician (the first response), then one by
        // the client, and so on: every thread is answered before any is answered twice, also
        // across the two halves of a measured run.
        const threads = phase === "measured" && intakeThreads.length > 0 ? intakeThreads : warmupThreads;
        const key = `${app.name} ${phase}`;
        return () => {
          const n = replyCount.get(key) ?? 0;
          replyCount.set(key, n + 1);
          const by = Math.floor(n / threads.length) % 2 === 0 ? SLACK.tech : SLACK.staff;
          const team = by === SLACK.tech ? SLACK.providerTeam : SLACK.clientTeam;
          return messageEvent({
            channel: p.main.channel,
            userId: by,
            team,
            threadTs: threads[n % threads.length],
          });
        };
      },
      recorded: { minimal: rows, rapport: replies },
    })),
  );
  const connector = await startFakeConnector();
  let teamsActivities = 0;
  try {
    out.push(
      ...(await sideBySide({
        ...common,
        load: "Teams `issue …` message",
        apps: [apps.teamsBare, apps.teamsMinimal, apps.rapport],
        requests: () => () => teamsIssueMessage(connector.url),
        recorded: { minimal: rows, rapport: issues },
      })),
    );
    teamsActivities = connector.sent;
  } finally {
    await connector.close();
  }
  return { rows: out, idleRss, teamsActivities };
}

/** The burst on the minimal app and on rapport, each in the burst partnership's channel. */
async function bursts(db: BenchDatabase, apps: Apps, p: Partnerships, fake: FakeSlackApi) {
  if (!wanted("burst")) return [];
  const minimalRows = counter(db, "select count(*) as n from bench_minimal_reports where channel = $1", [
    p.burst.channel,
  ]);
  const common = { fake, channel: p.burst.channel, size: BURST };
  return [
    await burstOn({
      ...common,
      app: apps.slackMinimal,
      recorded: async () => {
        const n = await minimalRows();
        return { recorded: n, keys: n }; // one row per source: a row's id is its key
      },
    }),
    await burstOn({
      ...common,
      app: apps.rapport,
      recorded: async () => {
        const { rows } = await db.pool.query<{ n: string; k: string }>(
          "select count(*) as n, count(distinct key) as k from issues where partnership_id = $1",
          [p.burst.id],
        );
        return { recorded: Number(rows[0]!.n), keys: Number(rows[0]!.k) };
      },
    }),
  ];
}

async function main(): Promise<void> {
  const started = Date.now();
  const header = machine();
  const logDir = mkdtempSync(path.join(tmpdir(), "rapport-bench-"));
  console.log(`Report path under load (logs in ${logDir})`);
  const fake = await startFakeSlack();
  const db = await createDatabase(ADMIN_URL);
  let apps: Apps | null = null;
  let cleaning: Promise<void> | null = null;
  const cleanUp = () =>
    (cleaning ??= (async () => {
      await Promise.all(Object.values(apps ?? {}).map((a: AppProcess) => a.stop()));
      await fake.close();
      if (process.env.BENCH_KEEP_DATABASE) console.log(`kept database ${db.name}`);
      else await db.drop();
    })());
  // Interrupted, it still stops its apps and drops its database.
  process.once("SIGINT", () => void cleanUp().finally(() => process.exit(130)));
  try {
    console.log(`  database ${db.name}: 53 partnerships through the rapport command …`);
    const p = await setUpPartnerships(db.url);
    console.log("  starting the apps …");
    apps = await startApps(db, fake, logDir, READY_TIMEOUT_MS);
    const { rows, idleRss, teamsActivities } = await sustainedLoads(db, apps, p, fake);
    const burstRows = await bursts(db, apps, p, fake);
    const rapportRows = rows.filter((r) => r.app === apps!.rapport.name);
    console.log(
      [
        "",
        header,
        `- each row: ${SHAPE.seconds} s measured after ${SHAPE.warmupSeconds} s of warm-up; rapport on PostgreSQL with its jobs on`,
        `- load average at the end: ${loadAverage()}`,
        "",
        loadTable(rows, SHAPE.seconds, SHAPE.connections),
        "",
        burstTable(burstRows),
        "",
        "Targets of issue 10:",
        targets(rapportRows, burstRows[1], idleRss.get(apps.rapport)!),
        "",
        `Calls the fakes answered: ${[...(await fake.calls())].map(([m, n]) => `${m} ${n}`).join(", ")}; Teams activities sent ${teamsActivities}.`,
        `(${Math.round((Date.now() - started) / 1000)} s in all)`,
      ].join("\n"),
    );
  } finally {
    await cleanUp();
  }
}

await main();
