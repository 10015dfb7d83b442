import { describe, it, expect } from "vitest";
import { weekMetrics } from "../../../src/domain/metrics.ts";
import { weekContaining } from "../../../src/domain/week.ts";
import { eventBuilder, testPartnership } from "./build-events.ts";

const partnership = testPartnership();
const week = weekContaining(new Date("2026-03-02T12:00:00Z"), "Europe/London");
const now = new Date("2026-03-20T12:00:00Z");

function scenario() {
  const b = eventBuilder();
  return [
    // W: waited on the client Tue 10:00 → Wed 10:00 = 7.5 + 1 = 8.5 business h.
    b.reported("W", "2026-03-02T16:00:00Z", { priority: "P3" }),
    b.waiting("W", "2026-03-03T10:00:00Z"),
    b.replied("W", "2026-03-04T10:00:00Z"),
    b.resolved("W", "2026-03-04T12:00:00Z"),
    // X: still waiting at the week's end: 16:30 → 17:30 Friday is the part inside the week.
    b.reported("X", "2026-03-06T16:00:00Z"),
    b.responded("X", "2026-03-06T16:10:00Z"),
    b.waiting("X", "2026-03-06T16:30:00Z"),
    // Reporting delays: 120 min (P2), 30 + 60 = 90 business min (P3), 240 real min (P1, 24x7).
    b.reported("Y", "2026-03-02T11:00:00Z", { via: "reaction", startedAt: "2026-03-02T09:00:00Z" }),
    b.reported("Q", "2026-03-03T10:00:00Z", { priority: "P3", startedAt: "2026-03-02T17:00:00Z" }),
    b.reported("R", "2026-03-07T10:00:00Z", { priority: "P1", startedAt: "2026-03-07T06:00:00Z" }),
    // Direct: Z came in direct and was logged (one bypass), V direct without a log, one log without an issue.
    b.reported("Z", "2026-03-03T12:00:00Z", { via: "direct" }),
    b.direct("2026-03-03T12:00:00Z", "Z"),
    b.reported("V", "2026-03-04T12:00:00Z", { via: "direct" }),
    b.direct("2026-03-05T12:00:00Z"),
    b.direct("2026-02-27T12:00:00Z"),
    // Recommendations.
    b.recommended("r1", "2026-02-01T10:00:00Z", "Enable MFA"),
    b.recommended("r2", "2026-02-10T10:00:00Z"),
    b.recommended("r3", "2026-03-03T10:00:00Z"),
    b.recommended("r4", "2026-02-20T10:00:00Z"),
    b.decided("r4", "2026-03-03T10:00:00Z", "accepted"),
    b.recommended("r5", "2026-02-15T10:00:00Z"),
    b.decided("r5", "2026-03-05T00:00:00Z", "ignored"),
    b.recommended("r6", "2026-02-16T10:00:00Z"),
    b.decided("r6", "2026-03-04T10:00:00Z", "declined"),
    b.recommended("r7", "2026-02-17T10:00:00Z"),
    b.decided("r7", "2026-03-06T10:00:00Z", "risk_accepted"),
    b.recommended("r8", "2026-02-18T10:00:00Z"),
    b.decided("r8", "2026-02-25T10:00:00Z", "accepted"),
    // Calls.
    b.callMissed("c1", "2026-03-03T15:00:00Z", "client"),
    b.callMissed("c2", "2026-03-04T15:00:00Z", "provider"),
    b.callHeld("c3", "2026-03-05T15:00:00Z"),
    b.callMissed("c0", "2026-02-24T15:00:00Z", "client"),
    // Heads-ups: Mon → next Mon is 5 working days; Thu → Mon is 2.
    b.announced("ch1", "2026-03-02T10:00:00Z", "2026-03-09T09:00:00Z"),
    b.announced("ch2", "2026-03-05T10:00:00Z", "2026-03-09T09:00:00Z"),
  ];
}

describe("client metrics on a hand-computed week", () => {
  const all = weekMetrics({ partnership, events: scenario(), week, now });
  const m = all.client;

  it("waiting on the client: answered and still-open questions, counted for the client and not on the provider's clock", () => {
    // W's answered 510 min, and X's question still open at the cut-off: 16:30 → 17:30 Friday.
    expect(m.waiting).toEqual({ count: 2, median: 60, p90: 510 });
    expect(m.waitingTotalMinutes).toBe(510 + 60);
    expect(m.waitingNow).toBe(1);
    // W's resolution: Mon 16:00 → Wed 12:00 is 13 business h, minus 8.5 h waiting = 270 min.
    expect(all.provider.resolution.median).toBe(270);
  });

  it("process adherence: 5 through the channel ÷ (5 + 3 direct), a logged direct issue counted once", () => {
    expect(m.agreedChannelRequests).toBe(5);
    expect(m.directRequests).toBe(3);
    expect(m.processAdherence).toBe(0.625);
  });

  it("reporting delay on each issue's clock: [90, 120, 240] → median 120, p90 240", () => {
    expect(m.reportingDelay).toEqual({ count: 3, median: 120, p90: 240 });
  });

  it("counts the client's reports and those that said when the problem began: 3 of 7", () => {
    expect(m.reports).toEqual({ total: 7, withStart: 3 });
    expect(all.trace.reporting).toContainEqual({
      kind: "issue",
      ref: "ACME-W",
      detail: "no start time given",
    });
  });

  it("recommendation follow-through: decisions in the week, pending and oldest pending at the cut-off", () => {
    expect(m.decisions).toEqual({ accepted: 1, declined: 1, riskAccepted: 1, ignored: 1 });
    expect(m.decisionRate).toBe(0.75);
    expect(m.pendingRecommendations).toBe(3);
    expect(m.stalePendingRecommendations).toBe(2);
    expect(m.oldestPending).toEqual({ title: "Enable MFA", ageDays: 35 });
  });

  it("missed and held calls by side, this week only", () => {
    expect(m.missedCalls).toBe(1);
    expect(all.provider.missedCalls).toBe(1);
    expect(m.callsHeld).toBe(1);
  });

  it("heads-up lead time in days and short notice under 5 working days", () => {
    expect(m.headsUpLeadDays.count).toBe(2);
    expect(m.headsUpLeadDays.median).toBeCloseTo(3 + 23 / 24, 9);
    expect(m.headsUpLeadDays.p90).toBeCloseTo(6 + 23 / 24, 9);
    expect(m.shortNoticeChanges).toBe(1);
  });
});

describe("process adherence with no requests", () => {
  it("is null, not 0 % or 100 %", () => {
    const m = weekMetrics({ partnership, events: [], week, now }).client;
    expect(m.processAdherence).toBeNull();
    expect(m.directRequests).toBe(0);
  });

  it("is 0 when every request was direct", () => {
    const b = eventBuilder();
    const m = weekMetrics({ partnership, events: [b.direct("2026-03-03T12:00:00Z")], week, now }).client;
    expect(m.processAdherence).toBe(0);
  });

  it("leaves out issues the provider raised itself: they are not client requests", () => {
    const b = eventBuilder();
    const own = {
      ...b.reported("M", "2026-03-03T09:00:00Z", { startedAt: "2026-03-03T08:00:00Z" }),
      actor: null,
    };
    const byProvider = {
      ...b.reported("N", "2026-03-03T10:00:00Z", { startedAt: "2026-03-02T10:00:00Z" }),
      actor: {
        memberId: "m-provider",
        side: "provider" as const,
        role: null,
        platform: "slack" as const,
        userId: "U-p",
        displayName: null,
      },
    };
    const events = [
      b.reported("K", "2026-03-03T11:00:00Z"),
      byProvider,
      own,
      b.direct("2026-03-03T12:00:00Z"),
    ];
    const m = weekMetrics({ partnership, events, week, now });
    // K and rapport's own M through the channel, one direct; N (the provider's) counts nowhere.
    expect(m.client.agreedChannelRequests).toBe(2);
    expect(m.client.processAdherence).toBeCloseTo(2 / 3, 9);
    expect(m.client.reportingDelay.count).toBe(1);
    expect(m.provider.issuesReceived).toBe(2);
  });
});

describe("the clock of the priority an issue was reported with", () => {
  it("keeps a reporting delay when the provider later changes the priority", () => {
    const b = eventBuilder();
    // Reported P1 (24x7) on Saturday 10:00, begun 06:00: 240 min, whatever it became later.
    const events = [
      b.reported("1", "2026-03-07T10:00:00Z", { priority: "P1", startedAt: "2026-03-07T06:00:00Z" }),
      b.priority("1", "2026-03-07T10:30:00Z", "P1", "P4"),
    ];
    expect(weekMetrics({ partnership, events, week, now }).client.reportingDelay.median).toBe(240);
  });

  it("measures a wait on the reported priority's clock though the priority changed during it", () => {
    const b = eventBuilder();
    // P3 asked Friday 16:30, answered Monday 10:00: 60 + 60 business min; the raise to P1 on
    // Saturday moves the provider's clock, not the client's.
    const events = [
      b.reported("1", "2026-03-06T09:00:00Z", { priority: "P3" }),
      b.waiting("1", "2026-03-06T16:30:00Z"),
      b.priority("1", "2026-03-07T10:00:00Z", "P3", "P1"),
      b.replied("1", "2026-03-09T10:00:00Z"),
    ];
    const next = weekContaining(new Date("2026-03-09T12:00:00Z"), "Europe/London");
    expect(weekMetrics({ partnership, events, week: next, now }).client.waiting.median).toBe(120);
  });
});

describe("waiting on the client across weeks", () => {
  const next = weekContaining(new Date("2026-03-09T12:00:00Z"), "Europe/London");
  const b = eventBuilder();
  // P2 asked Friday 16:30: 60 business min by the end of the week.
  const asked = [b.reported("1", "2026-03-06T09:00:00Z"), b.waiting("1", "2026-03-06T16:30:00Z")];

  it("counts a question still open at the cut-off in every week it is open, with its length so far", () => {
    expect(weekMetrics({ partnership, events: asked, week, now }).client.waiting).toEqual({
      count: 1,
      median: 60,
      p90: 60,
    });
    // Still open a week later: 60 + 5 × 510 = 2,610 min.
    const later = weekMetrics({ partnership, events: asked, week: next, now }).client;
    expect(later.waiting).toEqual({ count: 1, median: 2610, p90: 2610 });
    expect(later.waitingTotalMinutes).toBe(2550);
    expect(later.waitingNow).toBe(1);
  });

  it("counts it at its full length in the week it is answered", () => {
    // Answered Tuesday 10:00: 60 (Fri) + 510 (Mon) + 60 (Tue) = 630 min.
    const events = [...asked, b.replied("1", "2026-03-10T10:00:00Z")];
    expect(weekMetrics({ partnership, events, week: next, now }).client.waiting).toEqual({
      count: 1,
      median: 630,
      p90: 630,
    });
    expect(weekMetrics({ partnership, events, week, now }).client.waiting.median).toBe(60);
  });

  it("never counts a question left unanswered as shorter than the same question answered late", () => {
    const answered = [...asked, b.replied("1", "2026-03-10T10:00:00Z")];
    const left = weekMetrics({ partnership, events: asked, week: next, now }).client.waiting;
    const late = weekMetrics({ partnership, events: answered, week: next, now }).client.waiting;
    expect(left.median).toBeGreaterThanOrEqual(late.median ?? Infinity);
  });
});

describe("calls count in the week they were scheduled", () => {
  const next = weekContaining(new Date("2026-03-09T12:00:00Z"), "Europe/London");
  const b = eventBuilder();
  // Friday's calls, written down on Monday.
  const events = [
    b.callMissed("c1", "2026-03-06T15:00:00Z", "client", { loggedAt: "2026-03-09T10:00:00Z" }),
    b.callMissed("c2", "2026-03-06T16:00:00Z", "provider", { loggedAt: "2026-03-09T10:00:00Z" }),
    b.callHeld("c3", "2026-03-08T23:30:00Z", { loggedAt: "2026-03-09T09:00:00Z" }),
  ];

  it("in the scheduled week, not the week they were logged", () => {
    const then = weekMetrics({ partnership, events, week, now });
    expect([then.client.missedCalls, then.provider.missedCalls, then.client.callsHeld]).toEqual([1, 1, 1]);
    expect(then.activity).toBe(3);
    const logged = weekMetrics({ partnership, events, week: next, now });
    expect([logged.client.missedCalls, logged.provider.missedCalls, logged.client.callsHeld]).toEqual([
      0, 0, 0,
    ]);
    expect(logged.quiet).toBe(true);
  });

  it("counted in the scheduled week though logged after its cut-off", () => {
    // Recomputed Monday 10:00, the week that ended at Monday 00:00 holds Friday's calls.
    const m = weekMetrics({ partnership, events, week, now: new Date("2026-03-09T10:00:00Z") });
    expect(m.cutoff).toEqual(week.end);
    expect([m.client.missedCalls, m.provider.missedCalls, m.client.callsHeld]).toEqual([1, 1, 1]);
  });
});

describe("stale recommendations: pending more than N × 24 h at the cut-off", () => {
  const b = eventBuilder();
  const staleAt = (madeAt: string, cutoff: string, tz = "Europe/London") => {
    const p = testPartnership({ timezone: tz });
    // The week the cut-off ends (or falls in).
    const w = weekContaining(new Date(new Date(cutoff).getTime() - 1), tz);
    const m = weekMetrics({
      partnership: p,
      events: [b.recommended("r", madeAt)],
      week: w,
      now: new Date(cutoff),
    });
    return [m.client.stalePendingRecommendations, m.client.oldestPending?.ageDays];
  };

  it("14 days 14 hours is stale with N = 14; exactly 14 days is not", () => {
    // Made Sunday 22 February 09:00, cut-off Sunday 8 March 23:00: 14 days 14 hours.
    expect(staleAt("2026-02-22T09:00:00Z", "2026-03-08T23:00:00Z")).toEqual([1, 14]);
    expect(staleAt("2026-02-22T23:00:00Z", "2026-03-08T23:00:00Z")).toEqual([0, 14]);
    expect(staleAt("2026-02-23T09:00:00Z", "2026-03-08T23:00:00Z")).toEqual([0, 13]);
  });

  it("counts every local day as 24 h across the spring change", () => {
    // Sunday 15 March 23:30 GMT → the week's end, Monday 30 March 00:00 BST, is 14 days 0.5 h on
    // the office clock, though only 335.5 real hours: stale.
    expect(staleAt("2026-03-15T23:30:00Z", "2026-03-29T23:00:00Z")).toEqual([1, 14]);
  });
});
