import { describe, expect, it } from "vitest";
import { healthScores, topActions } from "../../../src/domain/health.ts";
import { percentile, weekMetrics } from "../../../src/domain/metrics.ts";
import { weekContaining } from "../../../src/domain/week.ts";
import { renderExplanation } from "../../../src/domain/digest-explain.ts";
import type { LedgerEvent } from "../../../src/domain/events.ts";
import type { Partnership } from "../../../src/domain/partnership.ts";
import { eventBuilder, testPartnership } from "./build-events.ts";

// The worked examples of docs/METRICS.md, one test each, with the numbers the document gives.
// Europe/London, Mon–Fri 09:00–17:30, default SLA targets (P1 24×7 15/240 min; P2 60/480, P3
// 240/1440, P4 480/4800 business minutes). November 2026 is GMT: local time = UTC.

function week(
  events: LedgerEvent[],
  day: string,
  p: Partnership = testPartnership(),
  now = "2026-12-31T00:00:00Z",
) {
  return weekMetrics({
    partnership: p,
    events,
    week: weekContaining(new Date(day), p.timezone),
    now: new Date(now),
  });
}

describe("docs/METRICS.md worked examples", () => {
  it("a target that runs out at Friday's close is decided at Monday's opening, in Monday's week", () => {
    const b = eventBuilder();
    const answeredAt0900 = [
      b.reported("1", "2026-11-13T16:30:00Z", { priority: "P2" }),
      b.responded("1", "2026-11-16T09:00:00Z"),
    ];
    const friday = week(answeredAt0900, "2026-11-13");
    const monday = week(answeredAt0900, "2026-11-16");
    expect(friday.outcomes).toEqual([]);
    const firstResponses = monday.outcomes.filter((o) => o.kind === "first_response");
    expect(firstResponses.map((o) => [o.kind, o.result, o.minutes, o.decidedAt.toISOString()])).toEqual([
      ["first_response", "met", 60, "2026-11-16T09:00:00.000Z"],
    ]);
    const b2 = eventBuilder();
    const answeredAt0901 = [
      b2.reported("1", "2026-11-13T16:30:00Z", { priority: "P2" }),
      b2.responded("1", "2026-11-16T09:01:00Z"),
    ];
    expect(week(answeredAt0901, "2026-11-13").outcomes).toEqual([]);
    expect(
      week(answeredAt0901, "2026-11-16")
        .outcomes.filter((o) => o.kind === "first_response")
        .map((o) => [o.result, o.decidedAt.toISOString()]),
    ).toEqual([["breached", "2026-11-16T09:00:00.000Z"]]);
  });

  it("lowering the priority after a breach does not undo it", () => {
    const b = eventBuilder();
    const m = week(
      [
        b.reported("1", "2026-11-16T09:00:00Z", { priority: "P2" }),
        b.priority("1", "2026-11-16T10:30:00Z", "P2", "P4"),
        b.responded("1", "2026-11-16T11:00:00Z"),
      ],
      "2026-11-16",
    );
    const first = m.outcomes.find((o) => o.kind === "first_response");
    expect([first?.result, first?.priority, first?.decidedAt.toISOString()]).toEqual([
      "breached",
      "P2",
      "2026-11-16T10:00:00.000Z",
    ]);
  });

  it("raising the priority spends the rest of the budget at the new target", () => {
    const b = eventBuilder();
    const events = [
      b.reported("1", "2026-11-16T09:00:00Z", { priority: "P4" }),
      b.priority("1", "2026-11-16T13:00:00Z", "P4", "P1"),
      b.responded("1", "2026-11-16T13:05:00Z"),
    ];
    const first = week(events, "2026-11-16").outcomes.find((o) => o.kind === "first_response");
    expect([first?.result, first?.priority, first?.minutes]).toEqual(["met", "P1", 245]);
    const b2 = eventBuilder();
    const late = [
      b2.reported("1", "2026-11-16T09:00:00Z", { priority: "P4" }),
      b2.priority("1", "2026-11-16T13:00:00Z", "P4", "P1"),
      b2.responded("1", "2026-11-16T13:10:00Z"),
    ];
    const breach = week(late, "2026-11-16").outcomes.find((o) => o.kind === "first_response");
    expect([breach?.result, breach?.decidedAt.toISOString()]).toEqual([
      "breached",
      "2026-11-16T13:07:30.000Z",
    ]);
  });

  it("reporting delay stays on the clock of the priority it was reported with", () => {
    const b = eventBuilder();
    const m = week(
      [
        b.reported("1", "2026-11-16T10:50:00Z", { priority: "P3", startedAt: "2026-11-16T09:00:00Z" }),
        b.responded("1", "2026-11-16T11:00:00Z"),
        b.resolved("1", "2026-11-16T12:00:00Z"),
        b.priority("1", "2026-11-16T12:30:00Z", "P3", "P1"),
      ],
      "2026-11-16",
    );
    // 110 business minutes, not the 3,920 24×7 minutes of the P1 it became: credit
    // 1 − 0.5 × (110 − 60) ÷ 420 = 0.94, costing 15 × 0.06 = 0.89 points.
    expect(m.client.reportingDelay.median).toBe(110);
    expect(healthScores(m).client.score).toBe(99);
  });

  it("a call counts in the week it was held, not the week it was logged", () => {
    const b = eventBuilder();
    const held = b.ev(
      "call.missed",
      "2026-11-16T09:00:00Z",
      { callId: "c1", title: "Monthly review", scheduledAt: "2026-11-13T15:00:00Z", missedBy: "client" },
      "provider",
    );
    expect(week([held], "2026-11-13").client.missedCalls).toBe(1);
    expect(week([held], "2026-11-16").client.missedCalls).toBe(0);
  });

  it("14 days and 14 hours is more than 14 days", () => {
    const b = eventBuilder();
    const rec = b.recommended("r1", "2026-11-08T09:00:00Z");
    const m = week([rec], "2026-11-16", testPartnership(), "2026-11-22T23:00:00Z");
    expect(m.client.stalePendingRecommendations).toBe(1);
    const fresh = week(
      [eventBuilder().recommended("r1", "2026-11-09T01:00:00Z")],
      "2026-11-16",
      testPartnership(),
      "2026-11-22T23:00:00Z",
    );
    expect(fresh.client.stalePendingRecommendations).toBe(0);
  });

  it("silence never beats a late answer, and telling never scores below saying nothing", () => {
    const b = eventBuilder();
    const asked = [
      b.reported("1", "2026-11-16T09:30:00Z", { priority: "P3", startedAt: "2026-11-16T09:30:00Z" }),
      b.waiting("1", "2026-11-16T10:00:00Z"),
    ];
    const never = week(asked, "2026-11-16");
    const answered = week([...asked, b.replied("1", "2026-11-17T11:30:00Z")], "2026-11-16");
    expect(never.client.waiting.median).toBe(2490);
    expect(healthScores(never).client.score).toBe(80);
    expect(answered.client.waiting.median).toBe(600);
    expect(healthScores(answered).client.score).toBe(93);

    const scoreWith = (startedAt?: string) =>
      healthScores(
        week(
          [eventBuilder().reported("1", "2026-11-16T13:30:00Z", { priority: "P3", startedAt })],
          "2026-11-16",
        ),
      ).client.score;
    expect([
      scoreWith(),
      scoreWith("2026-11-16T13:00:00Z"),
      scoreWith("2026-11-16T09:00:00Z"),
      scoreWith("2026-11-13T09:00:00Z"),
    ]).toEqual([93, 100, 96, 93]);
  });

  it("the provider's own calls and recommendations do not move the client's score", () => {
    const b = eventBuilder();
    const missed = [b.callMissed("c1", "2026-11-17T10:00:00Z", "client")];
    expect(healthScores(week(missed, "2026-11-16")).client.score).toBe(90);
    const alsoProvider = [...missed, b.callMissed("c2", "2026-11-18T10:00:00Z", "provider")];
    const both = healthScores(week(alsoProvider, "2026-11-16"));
    expect([both.client.score, both.provider.score]).toEqual([90, 90]);

    const stale = [b.recommended("r1", "2026-10-26T10:00:00Z")];
    expect(healthScores(week(stale, "2026-11-16")).client.score).toBe(96);
    const another = [...stale, b.recommended("r2", "2026-11-18T10:00:00Z")];
    expect(healthScores(week(another, "2026-11-16")).client.score).toBe(96);
  });

  it("a reopened issue: each cycle is an outcome, one shared budget, nothing after a breach", () => {
    const b = eventBuilder();
    const base = [
      b.reported("1", "2026-11-16T09:00:00Z", { priority: "P2" }),
      b.resolved("1", "2026-11-16T10:00:00Z"),
      b.reopened("1", "2026-11-17T09:00:00Z"),
    ];
    const fixed = week([...base, b.resolved("1", "2026-11-17T11:00:00Z")], "2026-11-16");
    expect(
      fixed.outcomes.filter((o) => o.kind === "resolution").map((o) => [o.cycle, o.result, o.minutes]),
    ).toEqual([
      [1, "met", 60],
      [2, "met", 180],
    ]);
    const late = week([...base, b.resolved("1", "2026-11-18T11:00:00Z")], "2026-11-16");
    expect(
      late.outcomes
        .filter((o) => o.kind === "resolution")
        .map((o) => [o.cycle, o.result, o.decidedAt.toISOString()]),
    ).toEqual([
      [1, "met", "2026-11-16T10:00:00.000Z"],
      [2, "breached", "2026-11-17T16:00:00.000Z"],
    ]);
  });

  it("the 24×7 clock counts the nights the clocks change as any other night", () => {
    const p = testPartnership();
    const minutesOf = (reported: string, resolved: string) => {
      const b = eventBuilder();
      const m = week([b.reported("1", reported, { priority: "P1" }), b.resolved("1", resolved)], reported, p);
      return m.provider.resolution.median;
    };
    // 23:00 → 03:00 local: 3 real hours in March, 5 in October, 4 in November; 240 minutes each time.
    expect(minutesOf("2026-03-28T23:00:00Z", "2026-03-29T02:00:00Z")).toBe(240);
    expect(minutesOf("2026-10-24T22:00:00Z", "2026-10-25T03:00:00Z")).toBe(240);
    expect(minutesOf("2026-11-07T23:00:00Z", "2026-11-08T03:00:00Z")).toBe(240);
  });

  it("weeks run from Monday 00:00 local: 167 hours when the clocks go forward, 169 when they go back", () => {
    const hours = (w: { start: Date; end: Date }) => (w.end.getTime() - w.start.getTime()) / 3_600_000;
    const march = weekContaining(new Date("2026-03-25T12:00:00Z"), "Europe/London");
    expect([march.label, march.start.toISOString(), march.end.toISOString(), hours(march)]).toEqual([
      "2026-03-23",
      "2026-03-23T00:00:00.000Z",
      "2026-03-29T23:00:00.000Z",
      167,
    ]);
    const october = weekContaining(new Date("2026-10-21T12:00:00Z"), "Europe/London");
    expect([october.label, october.start.toISOString(), hours(october)]).toEqual([
      "2026-10-19",
      "2026-10-18T23:00:00.000Z",
      169,
    ]);
    // Sunday 29 March 23:00 UTC is Monday 30 March 00:00 BST: the first instant of the next week.
    const b = eventBuilder();
    const atMidnight = [b.reported("1", "2026-03-29T23:00:00Z", { priority: "P3" })];
    expect(week(atMidnight, "2026-03-25").provider.issuesReceived).toBe(0);
    expect(week(atMidnight, "2026-03-30").provider.issuesReceived).toBe(1);
    expect(weekContaining(new Date("2026-03-29T22:59:59Z"), "Europe/London").label).toBe("2026-03-23");
  });

  it("weeks follow the current timezone: moving it moves the boundaries of past weeks", () => {
    const b = eventBuilder();
    // Monday 16 November 03:00 UTC: Monday 03:00 in London, Sunday 22:00 in New York.
    const events = [b.reported("1", "2026-11-16T03:00:00Z", { priority: "P1" })];
    const london = testPartnership();
    const newYork = testPartnership({ timezone: "America/New_York" });
    const settingsHistory = [
      { from: new Date(0), settings: london },
      { from: new Date("2026-12-01T12:00:00Z"), settings: newYork },
    ];
    const received = (p: Partnership, day: string) =>
      weekMetrics({
        partnership: p,
        events,
        week: weekContaining(new Date(day), p.timezone),
        now: new Date("2026-12-31T00:00:00Z"),
        settingsHistory,
      }).provider.issuesReceived;
    expect([received(london, "2026-11-09"), received(london, "2026-11-16")]).toEqual([0, 1]);
    const moved = weekContaining(new Date("2026-11-18T12:00:00Z"), "America/New_York");
    expect(moved.start.toISOString()).toBe("2026-11-16T05:00:00.000Z");
    expect([received(newYork, "2026-11-11"), received(newYork, "2026-11-18")]).toEqual([1, 0]);
  });

  it("a working span includes its start and excludes its end", () => {
    const firstResponse = (reported: string, answered: string) => {
      const b = eventBuilder();
      return week([b.reported("1", reported, { priority: "P2" }), b.responded("1", answered)], "2026-11-16")
        .provider.firstResponse.median;
    };
    // 17:29–17:30 Monday, then 09:00–09:01 Tuesday.
    expect(firstResponse("2026-11-16T17:29:00Z", "2026-11-17T09:01:00Z")).toBe(2);
    // At 17:30 the day is closed: the clock first runs at 09:00.
    expect(firstResponse("2026-11-16T17:30:00Z", "2026-11-17T09:01:00Z")).toBe(1);
    // Reported before opening: nothing until 09:00.
    expect(firstResponse("2026-11-16T08:30:00Z", "2026-11-16T09:01:00Z")).toBe(1);
  });

  it("medians and 90th percentiles by nearest rank", () => {
    expect([percentile([15, 30, 75], 50), percentile([15, 30, 75], 90)]).toEqual([30, 75]);
    expect([percentile([40, 20], 50), percentile([40, 20], 90)]).toEqual([20, 40]);
    const ten = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((n) => n * 10);
    expect([percentile(ten, 50), percentile(ten, 90)]).toEqual([50, 90]);
    const b = eventBuilder();
    const m = week(
      [
        b.reported("1", "2026-11-16T09:00:00Z", { priority: "P2" }),
        b.responded("1", "2026-11-16T09:20:00Z"),
        b.reported("2", "2026-11-16T10:00:00Z", { priority: "P2" }),
        b.responded("2", "2026-11-16T10:40:00Z"),
      ],
      "2026-11-16",
    );
    expect(m.provider.firstResponse).toEqual({ count: 2, median: 20, p90: 40 });
  });

  it("the cut-off: a week still running knows what happened by now, and nothing after", () => {
    const b = eventBuilder();
    const events = [
      b.reported("1", "2026-11-18T10:00:00Z", { priority: "P2" }),
      b.responded("1", "2026-11-18T12:30:00Z"),
    ];
    const asOf = (now: string) => week(events, "2026-11-18", testPartnership(), now);
    const at1130 = asOf("2026-11-18T11:30:00Z");
    expect([at1130.complete, at1130.cutoff.toISOString(), at1130.outcomes.length]).toEqual([
      false,
      "2026-11-18T11:30:00.000Z",
      1,
    ]);
    expect(at1130.outcomes[0]?.result).toBe("breached");
    expect([at1130.provider.unansweredPastThreshold, at1130.provider.firstResponse.count]).toEqual([0, 0]);
    const at1215 = asOf("2026-11-18T12:15:00Z");
    expect([at1215.provider.unansweredPastThreshold, at1215.provider.firstResponse.count]).toEqual([1, 0]);
    const after = asOf("2026-12-31T00:00:00Z");
    expect([after.complete, after.cutoff.toISOString()]).toEqual([true, "2026-11-23T00:00:00.000Z"]);
    expect([after.provider.unansweredPastThreshold, after.provider.firstResponse.median]).toEqual([0, 150]);
    const firstResponses = after.outcomes.filter((o) => o.kind === "first_response");
    expect(firstResponses.map((o) => [o.result, o.decidedAt.toISOString(), o.minutes])).toEqual([
      ["breached", "2026-11-18T11:00:00.000Z", 60],
    ]);
  });

  it("unanswered past the threshold: more than 120 clock minutes, 0.25 of 15 points each", () => {
    const b = eventBuilder();
    const events = [b.reported("1", "2026-11-16T09:00:00Z", { priority: "P3" })];
    const asOf = (now: string) => week(events, "2026-11-16", testPartnership(), now);
    expect(asOf("2026-11-16T11:00:00Z").provider.unansweredPastThreshold).toBe(0);
    const late = asOf("2026-11-16T11:01:00Z");
    expect(late.provider.unansweredPastThreshold).toBe(1);
    expect(healthScores(late).provider.parts.find((p) => p.figure === "unanswered")?.points).toBe(3.75);
    // A P1 runs on the 24×7 clock: reported Saturday 10:00, past the threshold at 12:00.
    const b2 = eventBuilder();
    const p1 = [b2.reported("1", "2026-11-21T10:00:00Z", { priority: "P1" })];
    expect(
      week(p1, "2026-11-16", testPartnership(), "2026-11-21T12:01:00Z").provider.unansweredPastThreshold,
    ).toBe(1);
  });

  it("backlog: the open issue longest in the provider's hands, waits on the client left out", () => {
    const b = eventBuilder();
    const m = week(
      [
        b.reported("1", "2026-11-02T09:00:00Z", { priority: "P2" }),
        b.waiting("1", "2026-11-03T09:00:00Z"),
        b.replied("1", "2026-11-05T09:00:00Z"),
        b.reported("2", "2026-11-09T09:00:00Z", { priority: "P3" }),
        b.responded("2", "2026-11-09T09:30:00Z"),
      ],
      "2026-11-16",
    );
    // ACME-1: Mon 2 Nov 09:00 → Mon 23 Nov 00:00 is 495 h, less 48 h waiting: 447 h (18.6 days).
    // ACME-2: Mon 9 Nov 09:00 → Mon 23 Nov 00:00 is 327 h.
    expect(m.provider.openBacklog).toBe(2);
    expect(m.provider.oldestOpen).toEqual({ key: "ACME-1", ageMinutes: 447 * 60 });
    const part = healthScores(m).provider.parts.find((p) => p.figure === "backlogAge");
    expect(part?.points).toBeCloseTo((10 * 447) / 24 / 28, 9);
    expect(part?.points.toFixed(2)).toBe("6.65");
  });

  it("proactivity: one recommendation for every five issues received costs nothing", () => {
    const points = (issues: number, recommendations: number) => {
      const b = eventBuilder();
      const events = [
        ...Array.from({ length: issues }, (_, i) =>
          b.reported(String(i + 1), `2026-11-16T1${i % 8}:00:00Z`, { priority: "P4" }),
        ),
        ...Array.from({ length: recommendations }, (_, i) => b.recommended(`r${i}`, "2026-11-17T10:00:00Z")),
      ];
      const m = week(events, "2026-11-16");
      return healthScores(m).provider.parts.find((p) => p.figure === "proactivity")?.points;
    };
    expect(points(10, 1)).toBe(5);
    expect(points(5, 1)).toBe(0);
    expect(points(4, 0)).toBe(10);
    expect(points(0, 2)).toBe(0);
  });

  it("the agreed channel: a request logged with its issue counts once", () => {
    const b = eventBuilder();
    const m = week(
      [
        b.reported("1", "2026-11-16T09:00:00Z", { priority: "P3" }),
        b.reported("2", "2026-11-16T10:00:00Z", { priority: "P3", via: "form" }),
        b.reported("3", "2026-11-17T10:00:00Z", { priority: "P3", via: "reaction" }),
        b.direct("2026-11-17T11:00:00Z"),
        b.reported("4", "2026-11-18T09:00:00Z", { priority: "P3", via: "direct" }),
        b.direct("2026-11-18T09:00:00Z", "4"),
      ],
      "2026-11-16",
    );
    expect([m.client.agreedChannelRequests, m.client.directRequests, m.client.processAdherence]).toEqual([
      3, 2, 0.6,
    ]);
    expect(healthScores(m).client.parts.find((p) => p.figure === "adherence")?.points).toBe(10);
  });

  it("an ignored recommendation counts in the week its date passed; a later decision in its own week", () => {
    const b = eventBuilder();
    const events = [
      b.recommended("r1", "2026-11-02T10:00:00Z"),
      b.recommended("r2", "2026-11-09T10:00:00Z"),
      b.decided("r1", "2026-11-17T00:00:00Z", "ignored"),
      b.decided("r2", "2026-11-18T10:00:00Z", "accepted"),
      b.decided("r1", "2026-11-24T10:00:00Z", "declined"),
    ];
    const first = week(events, "2026-11-16");
    expect(first.client.decisions).toEqual({ accepted: 1, declined: 0, riskAccepted: 0, ignored: 1 });
    expect(healthScores(first).client.parts.find((p) => p.figure === "decisions")?.points).toBe(7.5);
    expect(healthScores(first).client.score).toBe(93);
    const next = week(events, "2026-11-23");
    expect(next.client.decisions).toEqual({ accepted: 0, declined: 1, riskAccepted: 0, ignored: 0 });
    expect(healthScores(next).client.score).toBe(100);
  });

  it("heads-up: days on the 24×7 clock, short notice under 5 working days, not scored", () => {
    const b = eventBuilder();
    const m = week(
      [
        b.announced("c1", "2026-11-16T10:00:00Z", "2026-11-20T00:00:00Z"),
        b.announced("c2", "2026-11-16T10:00:00Z", "2026-11-23T00:00:00Z"),
      ],
      "2026-11-16",
    );
    // 3 days 14 h and 6 days 14 h; Monday to Friday is 4 working days, Monday to Monday 5.
    expect(m.client.headsUpLeadDays.median).toBeCloseTo(3 + 14 / 24, 9);
    expect(m.client.headsUpLeadDays.p90).toBeCloseTo(6 + 14 / 24, 9);
    expect(m.client.shortNoticeChanges).toBe(1);
    expect(healthScores(m).client.score).toBe(100);
  });

  it("downtime: the hours inside the week on the 24×7 clock, an open outage to the cut-off", () => {
    const b = eventBuilder();
    const events = [
      b.downStarted("d1", "2026-11-15T22:00:00Z"),
      b.downEnded("d1", "2026-11-16T02:00:00Z"),
      b.downStarted("d2", "2026-11-20T20:00:00Z"),
    ];
    const before = week(events, "2026-11-09");
    expect([before.shared.downtimeHours, before.shared.downtimeCost.amount]).toEqual([2, 1000]);
    const m = week(events, "2026-11-16");
    // 2 h of d1 on Monday; d2 from Friday 20:00 to the cut-off, Monday 00:00: 52 h.
    expect([m.shared.downtimeHours, m.shared.downtimeIncidents, m.shared.downtimeCost]).toEqual([
      54,
      2,
      { amount: 27_000, currency: "GBP" },
    ]);
    // Clocks back on 25 October: 00:00–04:00 local is 5 real hours and 4 on the office clock.
    const b2 = eventBuilder();
    const autumn = [b2.downStarted("d3", "2026-10-24T23:00:00Z"), b2.downEnded("d3", "2026-10-25T04:00:00Z")];
    expect(week(autumn, "2026-10-21").shared.downtimeHours).toBe(4);
  });

  it("a provider's score, figure by figure, and what would help most", () => {
    const b = eventBuilder();
    const m = week(
      [
        b.reported("1", "2026-11-16T09:00:00Z", { priority: "P2" }),
        b.responded("1", "2026-11-16T09:30:00Z"),
        b.resolved("1", "2026-11-16T11:00:00Z"),
        b.reported("2", "2026-11-16T10:00:00Z", { priority: "P2" }),
        b.responded("2", "2026-11-16T11:30:00Z"),
        b.resolved("2", "2026-11-16T12:00:00Z"),
        b.reported("3", "2026-11-17T09:00:00Z", { priority: "P3" }),
        b.responded("3", "2026-11-17T10:00:00Z"),
        b.reported("4", "2026-11-20T15:00:00Z", { priority: "P4" }),
        b.callHeld("c1", "2026-11-17T14:00:00Z"),
        b.callMissed("c2", "2026-11-19T14:00:00Z", "provider"),
      ],
      "2026-11-16",
    );
    const points = Object.fromEntries(
      healthScores(m).provider.parts.map((p) => [p.figure, Math.round(p.points * 100) / 100]),
    );
    expect(points).toEqual({
      firstResponse: 10,
      resolution: 8.33,
      unanswered: 3.75,
      backlogAge: 2.01,
      proactivity: 10,
      calls: 5,
    });
    expect(healthScores(m).provider.score).toBe(61);
    expect(m.outcomes.map((o) => [o.key, o.kind, o.result, o.decidedAt.toISOString(), o.minutes])).toEqual([
      ["ACME-1", "first_response", "met", "2026-11-16T09:30:00.000Z", 30],
      ["ACME-1", "resolution", "met", "2026-11-16T11:00:00.000Z", 120],
      ["ACME-2", "first_response", "breached", "2026-11-16T11:00:00.000Z", 60],
      ["ACME-2", "resolution", "met", "2026-11-16T12:00:00.000Z", 120],
      ["ACME-3", "first_response", "met", "2026-11-17T10:00:00.000Z", 60],
      ["ACME-3", "resolution", "breached", "2026-11-19T16:00:00.000Z", 1440],
    ]);
    expect(topActions(m).map((a) => [a.side, a.figure, Math.round(a.points * 100) / 100, a.text])).toEqual([
      [
        "provider",
        "firstResponse",
        10,
        "1 request missed the first-response target: answer new requests within target",
      ],
      [
        "provider",
        "proactivity",
        10,
        "0 recommendations for 4 issues this week: record the improvements you see",
      ],
      ["provider", "resolution", 8.33, "1 issue passed the resolution target: resolve or re-prioritise them"],
    ]);
    // The client's fourth-largest cost, four reports without a start time, is not listed.
    expect(healthScores(m).client.parts.find((p) => p.figure === "reporting")?.points).toBe(7.5);
  });

  it("answering later, still on target, can move a met outcome into the next week", () => {
    const scores = (answeredAt: string) => {
      const b = eventBuilder();
      const events = [
        b.reported("1", "2026-11-20T16:00:00Z", { priority: "P4" }),
        b.recommended("r1", "2026-11-20T16:30:00Z"),
        b.responded("1", answeredAt),
        b.reported("2", "2026-11-23T09:00:00Z", { priority: "P2" }),
        b.responded("2", "2026-11-23T10:30:00Z"),
        b.resolved("2", "2026-11-23T11:00:00Z"),
        b.resolved("1", "2026-11-23T11:00:00Z"),
        b.recommended("r2", "2026-11-23T12:00:00Z"),
      ];
      return ["2026-11-16", "2026-11-23"].map((day) => {
        const m = week(events, day);
        const a = m.provider.firstResponseAttainmentOverall;
        return [a.met, a.breached, healthScores(m).provider.score];
      });
    };
    expect(scores("2026-11-20T17:00:00Z")).toEqual([
      [1, 0, 99],
      [0, 1, 70],
    ]);
    expect(scores("2026-11-23T10:00:00Z")).toEqual([
      [0, 0, 99],
      [1, 1, 85],
    ]);
  });

  it("explains a breach with the minutes of its target, and a direct request with its issue", () => {
    const b = eventBuilder();
    const m = week(
      [
        b.reported("1", "2026-11-16T10:00:00Z", { priority: "P2", via: "direct" }),
        b.direct("2026-11-16T10:00:00Z", "1"),
        b.responded("1", "2026-11-16T11:30:00Z"),
      ],
      "2026-11-16",
    );
    const text = renderExplanation(m);
    // The breach's minutes are P2's 60-minute target, not the 90 minutes to the answer.
    expect(text).toContain("    ACME-1  1 h  breached at the P2 target");
    expect(m.trace.directRequests).toEqual([
      { kind: "direct_request", ref: "e2", detail: "logged with ACME-1" },
    ]);
  });
});
