import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Core } from "../../src/services/core.ts";
import type { EventType } from "../../src/domain/events.ts";
import { PRIORITIES } from "../../src/domain/vocabulary.ts";
import { previousWeeks } from "../../src/domain/week.ts";
import { weekMetrics } from "../../src/domain/metrics.ts";
import { DEMO, DEMO_CHANGES, DEMO_PEOPLE, DEMO_RECOMMENDATIONS } from "../../src/services/demo-data.ts";
import { DEMO_WEEKS, seedDemo, type DemoResult } from "../../src/services/seed-demo.ts";
import { exportPartnership, type PartnershipExport } from "../../src/services/export-partnership.ts";
import { weeklyDigest, type WeeklyDigest } from "../../src/services/weekly-digest.ts";
import { seedHistory, type HistoryProgress } from "../../src/services/demo-history.ts";
import { fullHistoryDigest } from "./support/full-history-digest.ts";
import { backend, openTestCore, type ManualClock } from "./support/test-store.ts";

// Monday 2026-11-16 09:00 London: the demo fills the 13 weeks before this one and this morning.
const NOW = "2026-11-16T09:00:00Z";

describe(`the demo quarter on ${backend}`, () => {
  let core: Core;
  let clock: ManualClock;
  let dispose: () => Promise<void>;
  let first: DemoResult;
  let second: DemoResult;
  let eventsAfterFirst: number;
  let exported: PartnershipExport;
  let digest: WeeklyDigest;

  beforeAll(async () => {
    const t = await openTestCore(NOW);
    ({ core, clock } = t);
    dispose = t.store.dispose;
    first = await seedDemo(core);
    eventsAfterFirst = (await core.ledger.events(first.partnership.id)).length;
    second = await seedDemo(core);
    exported = await exportPartnership(core, first.partnership.id);
    digest = await weeklyDigest(core, first.partnership.id);
  });
  afterAll(() => dispose());

  const count = (type: EventType) => exported.events.filter((e) => e.type === type).length;

  it("records the quarter once: a second run records nothing and finds the same partnership", async () => {
    expect(first.recorded).toBeGreaterThan(100);
    // Events, not steps: a direct request is one step that records issue.reported + request.direct.
    expect(first.recorded).toBe(eventsAfterFirst);
    expect(second.recorded).toBe(0);
    expect(second.partnership.id).toBe(first.partnership.id);
    expect(await core.ledger.events(first.partnership.id)).toHaveLength(eventsAfterFirst);
    expect(await core.partnerships.list()).toHaveLength(1);
    expect(clock.now().toISOString()).toBe(new Date(NOW).toISOString());
  });

  it("digests the last complete week with every section, both scores and an 8-week trend", () => {
    const d = digest.digest;
    expect(digest.week.label).toBe("2026-11-09");
    expect(digest.metrics.complete).toBe(true);
    expect(d.quiet).toBe(false);
    expect(d.sections.map((s) => s.side)).toEqual(["provider", "client", "shared"]);
    for (const section of d.sections) expect(section.facts.length).toBeGreaterThan(0);
    for (const score of [d.scores.provider, d.scores.client]) {
      expect(Number.isInteger(score)).toBe(true);
      expect(score).toBeGreaterThanOrEqual(0);
      expect(score).toBeLessThanOrEqual(100);
    }
    expect(d.trend.labels).toHaveLength(8);
    expect(d.trend.provider).toHaveLength(8);
    expect(d.trend.client).toHaveLength(8);
    // Counted in code points: the bars are single characters whatever their byte length.
    expect([...d.trend.sparkline.provider]).toHaveLength(8);
    expect([...d.trend.sparkline.client]).toHaveLength(8);
    expect(d.trend.sparkline.provider).toMatch(/^[▁▂▃▄▅▆▇█]{8}$/);
    expect(d.actions.length).toBeGreaterThan(0);
    expect(d.actions.length).toBeLessThanOrEqual(3);
  });

  it("has issues of every priority, breaches and resolutions across the quarter", async () => {
    expect(new Set(exported.issues.map((i) => i.priority))).toEqual(new Set(PRIORITIES));
    expect(exported.issues.filter((i) => i.status === "resolved").length).toBeGreaterThan(0);
    const partnership = await core.partnerships.get(first.partnership.id);
    const lastWeek = digest.week;
    const quarter = previousWeeks(lastWeek, DEMO_WEEKS, DEMO.timezone).map((week) =>
      weekMetrics({ partnership, events: exported.events, week, now: clock.now() }),
    );
    const total = (pick: (m: (typeof quarter)[number]) => number) =>
      quarter.reduce((sum, m) => sum + pick(m), 0);
    expect(total((m) => m.provider.firstResponseAttainmentOverall.breached)).toBeGreaterThan(0);
    expect(total((m) => m.provider.resolutionAttainmentOverall.breached)).toBeGreaterThan(0);
    expect(total((m) => m.provider.resolutionAttainmentOverall.met)).toBeGreaterThan(0);
    expect(total((m) => m.provider.resolution.count)).toBeGreaterThan(0);
    expect(quarter.every((m) => !m.quiet)).toBe(true);
  });

  it("has a direct request, recommendations in every state, missed calls, a downtime and heads-ups", () => {
    expect(count("request.direct")).toBeGreaterThan(0);
    expect(exported.issues.some((i) => i.via === "direct")).toBe(true);
    expect(exported.recommendations).toHaveLength(DEMO_RECOMMENDATIONS.length);
    expect(new Set(exported.recommendations.map((r) => r.status))).toEqual(
      new Set(["accepted", "declined", "risk_accepted", "ignored", "pending"]),
    );
    expect(exported.calls.some((c) => c.status === "missed" && c.missedBy === "client")).toBe(true);
    expect(exported.calls.some((c) => c.status === "held")).toBe(true);
    expect(exported.downtimes).toHaveLength(1);
    expect(exported.downtimes[0]!.endedAt).not.toBeNull();
    expect(exported.downtimes[0]!.issueId).not.toBeNull();
    expect(count("change.announced")).toBe(DEMO_CHANGES.length);
  });

  it("exports the whole record: partnership, people, channel, every event and every projection", () => {
    expect(exported.partnership.id).toBe(first.partnership.id);
    expect(exported.partnership).toMatchObject({
      name: DEMO.name,
      timezone: DEMO.timezone,
      downtimeCostPerHour: DEMO.downtimeCostPerHour,
    });
    expect(exported.exportedAt.toISOString()).toBe(new Date(NOW).toISOString());
    expect(exported.members).toHaveLength(2 + DEMO_PEOPLE.techs.length + DEMO_PEOPLE.staff.length);
    expect(exported.channels).toEqual([
      expect.objectContaining({ channelId: DEMO.supportChannel, purposes: ["support", "digest"] }),
    ]);
    expect(exported.events).toHaveLength(eventsAfterFirst);
    const types = new Set(exported.events.map((e) => e.type));
    for (const type of [
      "issue.reported",
      "issue.responded",
      "issue.waiting_on_client",
      "issue.client_replied",
      "issue.resolved",
      "request.direct",
      "recommendation.made",
      "recommendation.accepted",
      "recommendation.declined",
      "recommendation.risk_accepted",
      "recommendation.ignored",
      "call.held",
      "call.missed",
      "change.announced",
      "downtime.started",
      "downtime.ended",
    ] as const) {
      expect(types, type).toContain(type);
    }
    // Every projection row is backed by the ledger.
    expect(exported.issues).toHaveLength(count("issue.reported"));
    expect(exported.calls).toHaveLength(count("call.held") + count("call.missed"));
    expect(exported.recommendations).toHaveLength(count("recommendation.made"));
  });

  it("keeps the quarter in place when run again a week later: past weeks are unchanged", async () => {
    // Runs last: it moves the clock. Only steps of the original plan that have come due since
    // may be added; the weeks already complete read exactly as before.
    const pastWeek = new Date("2026-11-03T12:00:00Z");
    const before = await weeklyDigest(core, first.partnership.id, pastWeek);
    const firstEvent = await core.ledger.firstOccurredAt(first.partnership.id);
    clock.advance(7 * 24 * 3_600_000 + 8 * 3_600_000);
    const later = await seedDemo(core);
    expect(await core.ledger.firstOccurredAt(first.partnership.id)).toEqual(firstEvent);
    const after = await weeklyDigest(core, first.partnership.id, pastWeek);
    expect(after.metrics).toEqual(before.metrics);
    const issues = await core.records.issues(first.partnership.id);
    const keys = new Set(issues.map((i) => i.key));
    expect(keys.size).toBe(issues.length);
    expect(later.recorded).toBeLessThan(first.recorded / 4);
  });
});

describe(`a synthetic history of a given size on ${backend}`, () => {
  const size = { weeks: 10, issuesPerWeek: 40 };
  /** Events a batch: small, so that this history takes several. */
  const BATCH = 500;
  let core: Core;
  let clock: ManualClock;
  let dispose: () => Promise<void>;
  let result: DemoResult;
  const progress: HistoryProgress[] = [];

  beforeAll(async () => {
    const t = await openTestCore("2026-11-18T10:00:00Z");
    ({ core, clock } = t);
    dispose = t.store.dispose;
    result = await seedHistory(core, size, (p) => progress.push(p), BATCH);
  });
  afterAll(() => dispose());

  it("records about the asked number of issues a week through the ledger, in batches, saying how far it got", async () => {
    const issues = await core.records.issues(result.partnership.id);
    // Ten past weeks and this week's Monday to Wednesday morning.
    expect(issues.length).toBeGreaterThanOrEqual(size.weeks * size.issuesPerWeek);
    expect(issues.length).toBeLessThanOrEqual((size.weeks + 1) * size.issuesPerWeek);
    expect(new Set(issues.map((i) => i.key)).size).toBe(issues.length);
    expect(issues.some((i) => i.status !== "resolved")).toBe(true);
    expect(result.recorded).toBe(await core.ledger.count(result.partnership.id));
    expect(result.recorded).toBeGreaterThan(BATCH);
    expect(progress.length).toBe(Math.ceil(progress.at(-1)!.planned / BATCH));
    expect(progress.at(-1)!.recorded).toBe(progress.at(-1)!.planned);
    expect(progress.map((p) => p.recorded)).toEqual(
      [...progress.map((p) => p.recorded)].sort((a, b) => a - b),
    );
    const exported = await exportPartnership(core, result.partnership.id);
    // Every projection row is backed by the ledger, as if each event had been appended alone.
    expect(exported.issues).toHaveLength(exported.events.filter((e) => e.type === "issue.reported").length);
    for (const issue of exported.issues) {
      const events = exported.events.filter((e) => e.subjectId === issue.id && e.type.startsWith("issue."));
      const last = events.filter((e) => e.type === "issue.resolved" || e.type === "issue.reopened").at(-1);
      expect(issue.status === "resolved", issue.key).toBe(last?.type === "issue.resolved");
    }
  });

  it("digests it as the plain full-history computation does", async () => {
    const digest = await weeklyDigest(core, result.partnership.id);
    expect(digest.digest.trend.labels).toHaveLength(8);
    expect(digest.metrics.provider.issuesReceived).toBeGreaterThan(size.issuesPerWeek / 2);
    expect(digest).toEqual(await fullHistoryDigest(core, result.partnership.id));
    expect(await weeklyDigest(core, result.partnership.id, clock.now())).toEqual(
      await fullHistoryDigest(core, result.partnership.id, clock.now()),
    );
  });

  it("records nothing twice when run again, and only what has come due a day later", async () => {
    expect((await seedHistory(core, size)).recorded).toBe(0);
    clock.advance(24 * 3_600_000);
    const later = await seedHistory(core, size);
    expect(later.partnership.id).toBe(result.partnership.id);
    expect(later.recorded).toBeGreaterThan(0);
    expect(later.recorded).toBeLessThan(result.recorded / 10);
    expect(await weeklyDigest(core, result.partnership.id, clock.now())).toEqual(
      await fullHistoryDigest(core, result.partnership.id, clock.now()),
    );
  });
});
