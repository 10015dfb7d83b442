import { afterEach, describe, expect, it } from "vitest";
import type { Platform } from "../../src/domain/vocabulary.ts";
import type { Partnership, PartnershipSettings } from "../../src/domain/partnership.ts";
import { runDueJobs } from "../../src/jobs/run-due-jobs.ts";
import { digestDocument } from "../../src/domain/card-digest.ts";
import type { Core } from "../../src/services/core.ts";
import { logCall } from "../../src/services/log-call.ts";
import { recommend } from "../../src/services/recommend.ts";
import { reportIssue } from "../../src/services/report-issue.ts";
import { weeklyDigest } from "../../src/services/weekly-digest.ts";
import { addMember, createPartnership } from "../../src/services/setup-partnership.ts";
import { createJobStores, type JobStores } from "../../src/store/job-stores.ts";
import { CLIENT_TEAM, PROVIDER_TEAM, lead, owner, staff } from "./support/people.ts";
import { RecordingNotifier } from "./support/recording-notifier.ts";
import { backend, openTestCore, type ManualClock } from "./support/test-store.ts";

interface World {
  core: Core;
  clock: ManualClock;
  stores: JobStores;
  p: Partnership;
  slack: RecordingNotifier;
  teams: RecordingNotifier;
  run(): Promise<Awaited<ReturnType<typeof runDueJobs>>>;
}

let disposers: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(disposers.map((d) => d()));
  disposers = [];
});

async function world(start: string, settings: Partial<PartnershipSettings> = {}): Promise<World> {
  const { core, clock, store } = await openTestCore(start);
  disposers.push(store.dispose);
  const p = await createPartnership(core, {
    name: "Fixit ↔ Acme",
    providerOrg: "Fixit IT",
    clientOrg: "Acme Dental",
    providerWorkspaceIds: [PROVIDER_TEAM],
    settings,
  });
  await addMember(core, { partnershipId: p.id, ...lead, side: "provider", role: "lead" });
  await addMember(core, { partnershipId: p.id, ...owner, side: "client", role: "lead" });
  const stores = createJobStores(store);
  const slack = new RecordingNotifier("slack");
  const teams = new RecordingNotifier("teams");
  const run = () => runDueJobs(core, stores, { slack, teams }, { sender: { random: () => 0 } });
  return { core, clock, stores, p, slack, teams, run };
}

let n = 0;
const src = () => ({ platform: "slack" as const, id: `src-${++n}` });

async function report(w: World, text: string) {
  const { issue } = await reportIssue(w.core, {
    partnershipId: w.p.id,
    by: staff,
    source: src(),
    via: "command",
    text,
  });
  return issue;
}

describe(`jobs on ${backend}`, () => {
  it("nudges the provider lead once when a request nears its target and once when it passes it", async () => {
    const w = await world("2026-11-16T09:00:00Z");
    const issue = await report(w, "printer jammed p3");
    w.clock.set("2026-11-16T11:59:00Z");
    await w.run();
    expect(w.slack.to("person")).toHaveLength(0);

    w.clock.set("2026-11-16T12:00:00Z");
    await w.run();
    await w.run();
    expect(w.slack.to("person")).toHaveLength(1);
    expect(w.slack.to("person")[0]).toMatchObject({
      to: { kind: "person", platform: "slack", workspaceId: PROVIDER_TEAM, userId: lead.userId },
      message: { title: `${issue.key} is nearing its first-response target` },
    });

    w.clock.set("2026-11-16T13:01:00Z");
    await w.run();
    w.clock.set("2026-11-16T13:02:00Z");
    await w.run();
    const nudges = w.slack.to("person").map((s) => s.message.title);
    expect(nudges).toEqual([
      `${issue.key} is nearing its first-response target`,
      `${issue.key} is past its first-response target`,
    ]);
    const rows = await w.stores.outbox.list({ job: "sla-watch" });
    expect(rows.map((r) => [r.period, r.status])).toEqual([
      [`issue:${issue.id}:nearing`, "sent"],
      [`issue:${issue.id}:breached`, "sent"],
    ]);
  });

  it("sends no P3 nudge outside working hours and sends it at the next working minute", async () => {
    // Reported Friday 14:30: 75% of 240 working minutes is reached at 17:30, the close.
    const w = await world("2026-11-20T14:30:00Z");
    await report(w, "shared drive slow p3");
    for (const t of ["2026-11-20T17:30:00Z", "2026-11-21T10:00:00Z", "2026-11-23T08:59:00Z"]) {
      w.clock.set(t);
      const result = await w.run();
      expect(result.jobs.find((j) => j.job === "sla-watch")?.outcome).toBe("skipped");
    }
    expect(w.slack.to("person")).toHaveLength(0);
    w.clock.set("2026-11-23T09:00:00Z");
    await w.run();
    await w.run();
    expect(w.slack.to("person").map((s) => s.message.title)).toEqual([
      "ACME-1 is nearing its first-response target",
    ]);
  });

  it("nudges about a P1 at night on its 24×7 clock", async () => {
    const w = await world("2026-11-21T03:00:00Z");
    await report(w, "server down p1");
    w.clock.set("2026-11-21T03:16:00Z");
    await w.run();
    expect(w.slack.to("person").map((s) => s.message.title)).toEqual([
      "ACME-1 is past its first-response target",
    ]);
  });

  it("nudges the provider lead once about a call logged as missed", async () => {
    const w = await world("2026-11-16T10:00:00Z");
    await logCall(w.core, {
      partnershipId: w.p.id,
      by: lead,
      source: src(),
      scheduledAt: new Date("2026-11-16T09:30:00Z"),
      title: "Monthly review",
      missedBy: "client",
    });
    await w.run();
    w.clock.advance(60_000);
    await w.run();
    const nudges = w.slack.to("person");
    expect(nudges).toHaveLength(1);
    expect(nudges[0]?.to).toMatchObject({ userId: lead.userId });
    expect(nudges[0]?.message.text).toContain("missed by Acme Dental");
  });

  it("records an expired recommendation as ignored once, and tells the client lead at the next working minute", async () => {
    const w = await world("2026-11-16T10:00:00Z");
    const { recommendation } = await recommend(w.core, {
      partnershipId: w.p.id,
      by: lead,
      source: src(),
      title: "Turn on MFA for email",
      risk: "high",
      decideBy: "2026-11-18",
    });
    w.clock.set("2026-11-18T23:59:00Z");
    await w.run();
    expect((await w.core.records.recommendation(w.p.id, recommendation.id))?.status).toBe("pending");

    w.clock.set("2026-11-19T02:00:00Z");
    await w.run();
    await w.run();
    const ignored = (await w.core.ledger.eventsAbout(w.p.id, recommendation.id)).filter(
      (e) => e.type === "recommendation.ignored",
    );
    expect(ignored).toHaveLength(1);
    expect(ignored[0]).toMatchObject({
      actor: null,
      source: { platform: "system", id: `expiry:${recommendation.id}` },
    });
    expect(ignored[0]?.occurredAt.toISOString()).toBe("2026-11-19T00:00:00.000Z");
    expect(w.slack.to("person")).toHaveLength(0);

    w.clock.set("2026-11-19T09:00:00Z");
    await w.run();
    await w.run();
    expect(w.slack.to("person")).toHaveLength(1);
    expect(w.slack.to("person")[0]).toMatchObject({
      to: { workspaceId: CLIENT_TEAM, userId: owner.userId },
      message: { title: "A recommendation passed its decide-by date: Turn on MFA for email" },
    });
    expect((await w.core.records.recommendation(w.p.id, recommendation.id))?.status).toBe("ignored");
  });
});

describe(`weekly digest job on ${backend}`, () => {
  // Wednesday 15:00 in New York is 20:00 UTC in November (EST, UTC−5).
  const nySchedule = { timezone: "America/New_York", digestWeekday: 3, digestTime: "15:00" };

  async function withChannels(w: World) {
    const link = (
      platform: Platform,
      workspaceId: string,
      channelId: string,
      purposes: Array<"support" | "digest">,
    ) =>
      w.core.partnerships.linkChannel({ partnershipId: w.p.id, platform, workspaceId, channelId, purposes });
    await link("slack", PROVIDER_TEAM, "C0DIGEST", ["digest"]);
    await link("slack", PROVIDER_TEAM, "C0SUPPORT", ["support"]);
    await link("teams", "tenant-1", "19:chan@thread.tacv2", ["support", "digest"]);
  }

  it("queues the last week's digest once per digest channel at the configured time in the partnership's zone, not before", async () => {
    const w = await world("2026-11-16T15:00:00Z", nySchedule);
    await withChannels(w);
    await report(w, "laptop will not boot p2");
    w.clock.set("2026-11-18T19:59:00Z");
    await w.run();
    expect([...w.slack.to("channel"), ...w.teams.to("channel")]).toHaveLength(0);

    w.clock.set("2026-11-18T20:00:00Z");
    await w.run();
    await w.run();
    w.clock.set("2026-11-20T12:00:00Z");
    await w.run();
    expect(w.slack.to("channel").map((s) => s.to)).toEqual([
      { kind: "channel", platform: "slack", workspaceId: PROVIDER_TEAM, channelId: "C0DIGEST" },
    ]);
    expect(w.teams.to("channel")).toHaveLength(1);
    const posted = w.slack.to("channel")[0]!.message;
    expect(posted).toMatchObject({
      kind: "digest",
      title: "Weekly digest: Fixit ↔ Acme, week of 2026-11-09",
    });
    expect(posted.subtitle).toMatch(/^2026-11-09 to 2026-11-15 · /);
    const rows = await w.stores.outbox.list({ job: "weekly-digest" });
    expect(rows.map((r) => [r.period, r.status])).toEqual([
      ["2026-11-09", "sent"],
      ["2026-11-09", "sent"],
    ]);
  });

  it("catches up when the first run comes later in the week, and the digest is the `rapport digest` model", async () => {
    const w = await world("2026-11-10T12:00:00Z", nySchedule);
    await withChannels(w);
    await report(w, "email bouncing p2");
    w.clock.set("2026-11-22T04:00:00Z"); // Saturday 23:00 in New York: the scheduler was down at Wednesday 15:00.
    await w.run();
    expect(w.slack.to("channel")).toHaveLength(1);
    const posted = w.slack.to("channel")[0]!.message;
    expect(posted.title).toBe("Weekly digest: Fixit ↔ Acme, week of 2026-11-09");
    expect(posted.scores.map((s) => s.label)).toEqual(["Provider", "Client"]);
    // The document of the same model `rapport digest` prints for that week.
    const printed = await weeklyDigest(w.core, w.p.id, new Date("2026-11-10T12:00:00Z"));
    expect(posted).toEqual(digestDocument(printed.digest));
  });

  it("gives a quiet week a short digest, not silence", async () => {
    const w = await world("2026-11-16T08:00:00Z");
    await withChannels(w);
    w.clock.set("2026-11-16T09:00:00Z");
    await w.run();
    const posted = w.slack.to("channel")[0]?.message;
    expect(posted?.kind).toBe("digest");
    expect(posted?.scores).toEqual([]);
    expect(posted?.text).toMatch(/^Health: provider \d+\/100, client \d+\/100$/);
    expect(posted?.sections.map((s) => s.heading)).toEqual(["Quiet week"]);
    expect(JSON.stringify(posted?.sections)).toContain("a quiet week");
  });

  it("marks a partnership with no digest channel done for the week without queueing anything", async () => {
    const w = await world("2026-11-16T09:00:00Z");
    const first = await w.run();
    expect(first.jobs.find((j) => j.job === "weekly-digest")?.outcome).toBe("skipped");
    expect(await w.stores.runs.isDone("weekly-digest", "2026-11-09", w.p.id)).toBe(true);
    expect(await w.stores.outbox.list()).toEqual([]);
  });
});
