import { DateTime } from "luxon";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { PartnershipSettings } from "../../src/domain/partnership.ts";
import { lastCompleteWeek } from "../../src/domain/week.ts";
import type { Core } from "../../src/services/core.ts";
import { recommend } from "../../src/services/recommend.ts";
import { reportIssue } from "../../src/services/report-issue.ts";
import { addMember, createPartnership, linkChannel } from "../../src/services/setup-partnership.ts";
import type { RecordedCall } from "../contract/slack/support/fake-slack.ts";
import { CLIENT_TEAM, PROVIDER_TEAM, staff } from "./support/people.ts";
import {
  metric,
  RapportFleet,
  scratchDatabase,
  sentBy,
  startSlowFakeSlack,
  stopServe,
  waitUntil,
  type ScratchDatabase,
  type SlowFakeSlack,
} from "./support/rapport-processes.ts";
import { backend } from "./support/test-store.ts";

// Issue 5, item 6: exactly once across real `rapport` processes on one PostgreSQL database, with
// Slack played by the contract tests' fake on loopback. Only the PostgreSQL server lets several
// processes share a database (the embedded one is locked to one), so these run on that project.

const ALL_DAY = [{ start: "00:00", end: "24:00" }];
// Every minute is a working minute, so no nudge waits for Monday morning whenever the test runs.
const ALWAYS_OPEN: PartnershipSettings["workingHours"] = {
  "1": ALL_DAY,
  "2": ALL_DAY,
  "3": ALL_DAY,
  "4": ALL_DAY,
  "5": ALL_DAY,
  "6": ALL_DAY,
  "7": ALL_DAY,
};

/**
 * A zone in which now is at least two hours away from either end of the week, so a digest moment
 * 90 minutes before or after now falls in the same week whenever the test runs.
 */
function zoneAwayFromWeekEnds(): string {
  const utc = DateTime.utc();
  if (utc.weekday === 1 && utc.hour < 2) return "Etc/GMT-12"; // UTC+12: Monday midday
  if (utc.weekday === 7 && utc.hour >= 22) return "Etc/GMT+12"; // UTC−12: Sunday morning
  return "UTC";
}

/** The digest schedule that puts this week's moment `minutes` from now (negative: already passed). */
function digestIn(timezone: string, minutes: number): Partial<PartnershipSettings> {
  const at = DateTime.now().setZone(timezone).plus({ minutes });
  return { timezone, digestWeekday: at.weekday, digestTime: at.toFormat("HH:mm") };
}

interface Seeded {
  id: string;
  name: string;
  /** The two digest channels. */
  channels: string[];
  providerLeads: string[];
  clientLead: string;
  /** Keys of P1 issues past their 15-minute first-response target. */
  breachedIssues: string[];
  /** Titles of recommendations whose decide-by day is over. */
  expiredRecommendations: string[];
}

interface SeedOptions {
  timezone: string;
  digestInMinutes: number;
  breachedIssue?: boolean;
  expiredRecommendation?: boolean;
}

/** A partnership with two digest channels, two provider leads and a client lead, and what it is owed. */
async function seedPartnership(core: Core, tag: string, o: SeedOptions): Promise<Seeded> {
  const name = `Partnership ${tag}`;
  const p = await createPartnership(core, {
    name,
    providerOrg: `Provider ${tag}`,
    clientOrg: `Client ${tag}`,
    providerWorkspaceIds: [PROVIDER_TEAM],
    settings: { workingHours: ALWAYS_OPEN, ...digestIn(o.timezone, o.digestInMinutes) },
  });
  const channels = [`C${tag}A`, `C${tag}B`];
  for (const channelId of channels) {
    const link = {
      partnershipId: p.id,
      platform: "slack" as const,
      channelId,
      purposes: ["digest" as const],
    };
    await linkChannel(core, { ...link, workspaceId: CLIENT_TEAM });
  }
  const providerLeads = [`U${tag}P1`, `U${tag}P2`];
  for (const userId of providerLeads) {
    const member = { platform: "slack" as const, workspaceId: PROVIDER_TEAM, userId };
    await addMember(core, { partnershipId: p.id, ...member, side: "provider", role: "lead" });
  }
  const clientLead = `U${tag}C1`;
  const client = { platform: "slack" as const, workspaceId: CLIENT_TEAM, userId: clientLead };
  await addMember(core, { partnershipId: p.id, ...client, side: "client", role: "lead" });

  const now = Date.now();
  const breachedIssues: string[] = [];
  if (o.breachedIssue) {
    const { issue } = await reportIssue(core, {
      partnershipId: p.id,
      by: staff,
      source: { platform: "slack", id: `seed-issue-${tag}` },
      via: "command",
      fields: { title: `Server down at ${tag}`, priority: "P1" },
      // Half an hour unanswered on a 15-minute, 24×7 target: past it, so one "breached" nudge per lead.
      occurredAt: new Date(now - 30 * 60_000),
    });
    breachedIssues.push(issue.key);
  }
  const expiredRecommendations: string[] = [];
  if (o.expiredRecommendation) {
    const madeAt = new Date(now - 3 * 24 * 60 * 60_000);
    const title = `Replace the firewall at ${tag}`;
    await recommend(core, {
      partnershipId: p.id,
      by: { platform: "slack", workspaceId: PROVIDER_TEAM, userId: providerLeads[0]! },
      source: { platform: "slack", id: `seed-rec-${tag}` },
      occurredAt: madeAt,
      title,
      risk: "high",
      // Decide by the day it was made: that day ended two days ago.
      decideBy: DateTime.fromJSDate(madeAt, { zone: o.timezone }).toISODate(),
    });
    expiredRecommendations.push(title);
  }
  return { id: p.id, name, channels, providerLeads, clientLead, breachedIssues, expiredRecommendations };
}

/** Every chat.postMessage the fake got, as who (a channel, or the user behind a DM) and what. */
function posts(slack: SlowFakeSlack): Array<{ to: string; text: string; ts: string }> {
  const dmUser = new Map<string, string>();
  for (const open of slack.fake.calls("conversations.open")) {
    const id = (open.response as { channel?: { id?: string } }).channel?.id;
    if (id) dmUser.set(id, String(open.params.users));
  }
  return slack.fake.calls("chat.postMessage").map((c: RecordedCall) => {
    const channel = String(c.params.channel);
    return {
      to: dmUser.get(channel) ?? channel,
      text: String(c.params.text),
      ts: String((c.response as { ts?: string }).ts),
    };
  });
}

/** How many posts went to each (recipient, message) key. */
function tally(keys: string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const k of keys) counts.set(k, (counts.get(k) ?? 0) + 1);
  return counts;
}

/** What each seeded partnership is owed: one post per key. */
function expectedKeys(seeded: Seeded[], week: string): string[] {
  return seeded.flatMap((s) => [
    ...s.channels.map((c) => `${c}|Weekly digest: ${s.name}, week of ${week}`),
    ...s.breachedIssues.flatMap((key) =>
      s.providerLeads.map((u) => `${u}|${key} is past its first-response target`),
    ),
    ...s.expiredRecommendations.map(
      (title) => `${s.clientLead}|A recommendation passed its decide-by date: ${title}`,
    ),
  ]);
}

/** The key a post counts under: its recipient and the start of its text (the message's title). */
function keyOf(post: { to: string; text: string }, expected: readonly string[]): string {
  const match = expected.find((k) => {
    const [to, title] = k.split("|") as [string, string];
    return post.to === to && post.text.startsWith(title);
  });
  return match ?? `unexpected|${post.to}|${post.text}`;
}

async function outboxRows(db: ScratchDatabase) {
  return db.store.db
    .selectFrom("outbox")
    .select(["id", "job", "period", "partnership_id", "target", "status", "attempts", "message_id"])
    .orderBy("id")
    .execute();
}

/** Runs of a `serve`'s scheduler that reached the outbox sender, i.e. finished ticks. */
const finishedTicks = (port: number) => metric(port, "rapport_job_runs_total", { job: "outbox-sender" });

describe.runIf(backend === "postgres")("jobs across rapport processes on one PostgreSQL database", () => {
  let db: ScratchDatabase;
  let slack: SlowFakeSlack;
  let fleet: RapportFleet;
  let zone: string;
  let week: string;

  beforeEach(async () => {
    db = await scratchDatabase();
    slack = await startSlowFakeSlack();
    fleet = await RapportFleet.create(db.url, slack.fake.url);
    zone = zoneAwayFromWeekEnds();
    week = lastCompleteWeek(new Date(), zone).label;
  });

  afterEach(async () => {
    await fleet.dispose();
    await slack.close();
    await db.dispose();
  });

  it(
    "three serve processes and three concurrent `jobs run`s deliver each digest and each nudge once",
    { timeout: 600_000 },
    async () => {
      const seeded: Seeded[] = [];
      for (let i = 0; i < 20; i++) {
        seeded.push(
          await seedPartnership(db.core, `M${i}`, {
            timezone: zone,
            digestInMinutes: -90,
            breachedIssue: i < 10,
            expiredRecommendation: i >= 10 && i < 15,
          }),
        );
      }
      const expected = expectedKeys(seeded, week);
      // 40 digests (20 partnerships × 2 channels), 20 SLA nudges (10 issues × 2 provider leads),
      // 5 expiry nudges (one client lead each).
      expect(expected).toHaveLength(65);
      // A little latency per post, so that the senders' claims overlap instead of one taking all.
      slack.postDelayMs = 50;

      // Six processes race from the start: each serve ticks at once, each `jobs run` is one pass.
      const [servers, runs] = await Promise.all([
        Promise.all([fleet.serve(), fleet.serve(), fleet.serve()]),
        Promise.all([fleet.jobsRun(), fleet.jobsRun(), fleet.jobsRun()]),
      ]);
      await waitUntil(() => posts(slack).length >= expected.length, 240_000, "all 65 posts");
      for (const { port } of servers) {
        await waitUntil(async () => (await finishedTicks(port)) >= 1, 120_000, "each serve's first tick");
      }

      // More contention after the fact: three more passes at once find nothing left to send.
      const again = await Promise.all([fleet.jobsRun(), fleet.jobsRun(), fleet.jobsRun()]);
      expect(again.map(sentBy)).toEqual([0, 0, 0]);
      // …and so does each serve's next cron tick (at the top of the minute, so this waits up to a minute).
      for (const { port } of servers) {
        await waitUntil(async () => (await finishedTicks(port)) >= 2, 180_000, "each serve's cron tick");
      }

      const got = tally(posts(slack).map((p) => keyOf(p, expected)));
      expect([...got.entries()].filter(([, n]) => n !== 1)).toEqual([]);
      expect([...got.keys()].sort()).toEqual([...expected].sort());

      // Every row was sent by exactly one process: the senders' counts add up to the rows, no more.
      const byServe = await Promise.all(
        servers.map(({ port }) =>
          metric(port, "rapport_outbox_deliveries_total", { job: "outbox-sender", outcome: "sent" }),
        ),
      );
      const byRun = runs.map(sentBy);
      expect([...byServe, ...byRun].reduce((a, b) => a + b, 0)).toBe(expected.length);
      // …and the claims did overlap: more than one process got rows to send.
      expect([...byServe, ...byRun].filter((n) => n > 0).length).toBeGreaterThan(1);

      const rows = await outboxRows(db);
      expect(rows).toHaveLength(expected.length);
      // One claim each: no row was taken over from a sender that still held it.
      expect(rows.filter((r) => r.status !== "sent" || r.attempts !== 1)).toEqual([]);
      expect(new Set(rows.map((r) => r.message_id)).size).toBe(rows.length);
      expect(rows.filter((r) => r.job === "weekly-digest").every((r) => r.period === week)).toBe(true);

      const digestRuns = await db.store.db
        .selectFrom("job_runs")
        .select(["partnership_id", "period", "targets"])
        .where("job", "=", "weekly-digest")
        .execute();
      expect(digestRuns).toHaveLength(20);
      expect(digestRuns.every((r) => r.period === week && r.targets === 2)).toBe(true);
      // The expiry's own ledger event is recorded once per recommendation, whoever got there first.
      const ignored = await db.store.db
        .selectFrom("events")
        .select(["partnership_id", "source_id"])
        .where("type", "=", "recommendation.ignored")
        .execute();
      expect(ignored).toHaveLength(5);
      expect(new Set(ignored.map((e) => e.source_id)).size).toBe(5);

      await Promise.all(servers.map(({ process }) => stopServe(process)));
      for (const r of [...servers.map((s) => s.process), ...runs, ...again]) {
        expect(r.stderr).toBe("");
      }
    },
  );

  it(
    "a `jobs run` killed with SIGKILL mid-digest is finished by the next run, posting each digest once",
    { timeout: 400_000 },
    async () => {
      const seeded: Seeded[] = [];
      for (let i = 0; i < 10; i++) {
        seeded.push(await seedPartnership(db.core, `K${i}`, { timezone: zone, digestInMinutes: -90 }));
      }
      const expected = expectedKeys(seeded, week);
      expect(expected).toHaveLength(20);

      // Slack posts each message at once but answers 400 ms late; the process dies waiting for the
      // fifth answer: four digests are sent and recorded, the fifth is posted but not recorded.
      slack.postDelayMs = 400;
      const victim = fleet.spawn(["jobs", "run"]);
      await slack.fake.waitFor(
        "chat.postMessage",
        () => slack.fake.calls("chat.postMessage").length >= 5,
        60_000,
      );
      victim.child.kill("SIGKILL");
      expect(await victim.exited).toEqual({ code: null, signal: "SIGKILL" });
      slack.postDelayMs = 0;
      const beforeKill = posts(slack);
      expect(beforeKill).toHaveLength(5);
      const inFlight = keyOf(beforeKill[4]!, expected);

      // The run had queued every digest (and marked the week done) before sending; it claimed all
      // 20 rows in one batch, so 16 are left `sending` under a lease of 5 minutes.
      const atKill = await outboxRows(db);
      expect(atKill).toHaveLength(20);
      expect(atKill.filter((r) => r.status === "sent")).toHaveLength(4);
      expect(atKill.filter((r) => r.status === "sending")).toHaveLength(16);

      // Started again at once, a run leaves leased rows alone: nothing is sent twice early.
      const early = await fleet.jobsRun();
      expect(sentBy(early)).toBe(0);
      expect(posts(slack)).toHaveLength(5);

      // The sender's lease (5 minutes, not settable from the command line) lapsing is simulated by
      // moving the lease ends of the dead process's rows into the past.
      const lapsed = await db.store.db
        .updateTable("outbox")
        .set({ next_attempt_at: new Date(Date.now() - 1000) })
        .where("status", "=", "sending")
        .executeTakeFirst();
      expect(Number(lapsed.numUpdatedRows)).toBe(16);

      const rerun = await fleet.jobsRun();
      expect(sentBy(rerun)).toBe(16);
      const last = await fleet.jobsRun();
      expect(sentBy(last)).toBe(0);

      // The post whose answer never reached the sender (Slack had it, the process died before
      // recording it) is not posted again: its row's next claim finds its mark in the channel's
      // history and records it. Those recorded before the crash are not re-sent, those not yet
      // tried are sent by the next run, and the lease keeps an early rerun off rows still claimed.
      const got = tally(posts(slack).map((p) => keyOf(p, expected)));
      expect([...got.keys()].sort()).toEqual([...expected].sort());
      expect([...got.entries()].filter(([, n]) => n !== 1)).toEqual([]);
      expect(got.get(inFlight)).toBe(1);
      expect(posts(slack)).toHaveLength(20);

      const rows = await outboxRows(db);
      expect(rows.every((r) => r.status === "sent")).toBe(true);
      expect(rows.filter((r) => r.attempts === 1)).toHaveLength(4);
      expect(rows.filter((r) => r.attempts === 2)).toHaveLength(16);
      expect(rows.filter((r) => r.period !== week)).toEqual([]);
      for (const r of [early, rerun, last]) expect(r.stderr).toBe("");
    },
  );

  it(
    "a scheduler that was down at the digest moment catches up when it starts, once, and not early",
    { timeout: 400_000 },
    async () => {
      // Its moment passed 90 minutes ago with no process running; the other's is 90 minutes away.
      const missed = await seedPartnership(db.core, "Missed", { timezone: zone, digestInMinutes: -90 });
      const later = await seedPartnership(db.core, "Later", { timezone: zone, digestInMinutes: 90 });
      const expected = expectedKeys([missed], week);

      const first = await fleet.serve();
      await waitUntil(() => posts(slack).length >= 2, 30_000, "the missed digests");
      await waitUntil(async () => (await finishedTicks(first.port)) >= 1, 30_000, "the first tick");
      await stopServe(first.process);

      // Restarted later the same week: the week is done, nothing is sent again.
      const second = await fleet.serve();
      await waitUntil(async () => (await finishedTicks(second.port)) >= 1, 30_000, "the restart's tick");
      await stopServe(second.process);

      const got = tally(posts(slack).map((p) => keyOf(p, expected)));
      expect(Object.fromEntries(got)).toEqual(Object.fromEntries(expected.map((k) => [k, 1])));
      expect(posts(slack).filter((p) => later.channels.includes(p.to))).toEqual([]);

      const rows = await outboxRows(db);
      expect(rows.map((r) => [r.partnership_id, r.period, r.status])).toEqual([
        [missed.id, week, "sent"],
        [missed.id, week, "sent"],
      ]);
      const runs = await db.store.db.selectFrom("job_runs").select(["partnership_id", "period"]).execute();
      expect(runs).toEqual([{ partnership_id: missed.id, period: week }]);
      expect(first.process.stderr + second.process.stderr).toBe("");
    },
  );
});
