import { describe, it, expect } from "vitest";
import {
  CLIENT_WEIGHTS,
  PROVIDER_WEIGHTS,
  healthScores,
  reportingCredit,
  topActions,
  trend,
} from "../../../src/domain/health.ts";
import { weekMetrics, type TraceItem, type WeekMetrics } from "../../../src/domain/metrics.ts";
import { previousWeeks, weekContaining } from "../../../src/domain/week.ts";
import { eventBuilder, testPartnership } from "./build-events.ts";

const partnership = testPartnership();
const week = weekContaining(new Date("2026-03-02T12:00:00Z"), "Europe/London");
const quiet = weekMetrics({ partnership, events: [], week, now: new Date("2026-03-20T00:00:00Z") });

/** The quiet week with some figures (and the items behind them) replaced. */
function withFigures(
  provider: Partial<WeekMetrics["provider"]>,
  client: Partial<WeekMetrics["client"]>,
  trace: Record<string, TraceItem[]> = {},
): WeekMetrics {
  return {
    ...quiet,
    provider: { ...quiet.provider, ...provider },
    client: { ...quiet.client, ...client },
    trace: { ...quiet.trace, ...trace },
  };
}

const waits = (...minutes: number[]): TraceItem[] =>
  minutes.map((m, n) => ({ kind: "question", ref: `ACME-${n + 1}`, minutes: m }));

// Provider: first response 1 breached of 2 → 0.5 × 30 = 15 points; nothing else has data or
// anything wrong (no resolution outcome, no issue received, no call missed by the provider).
// Client: adherence 2 direct of 5 → 0.4 × 25 = 10; reporting: one report 270 min late (credit
// 1 − 0.5 × 210 ÷ 420 = 0.75) and one without a start (0.5), mean shortfall 0.375 × 15 = 5.625;
// decisions 1 ignored of 4 → 0.25 × 15 = 3.75; 3 stale → 0.75 × 15 = 11.25; waits of 120 and
// 450 min → 0 + 330 ÷ 1320 = 0.25 × 20 = 5; calls 1 missed of 1 held + 1 → 0.5 × 10 = 5; one
// short-notice change, shown and not scored.
const mixed = withFigures(
  { firstResponseAttainmentOverall: { met: 1, breached: 1, rate: 0.5 } },
  {
    agreedChannelRequests: 3,
    directRequests: 2,
    processAdherence: 0.6,
    reportingDelay: { count: 1, median: 270, p90: 270 },
    reports: { total: 2, withStart: 1 },
    decisionRate: 0.75,
    decisions: { accepted: 3, declined: 0, riskAccepted: 0, ignored: 1 },
    pendingRecommendations: 4,
    stalePendingRecommendations: 3,
    waiting: { count: 2, median: 120, p90: 450 },
    missedCalls: 1,
    callsHeld: 1,
    headsUpLeadDays: { count: 2, median: 3, p90: 3 },
    shortNoticeChanges: 1,
  },
  {
    reporting: [
      { kind: "issue", ref: "ACME-1", minutes: 270 },
      { kind: "issue", ref: "ACME-2", detail: "no start time given" },
    ],
    waiting: waits(120, 450),
  },
);

describe("weights", () => {
  it("add up to 100 on each side", () => {
    expect(Object.values(PROVIDER_WEIGHTS).reduce((a, b) => a + b, 0)).toBe(100);
    expect(Object.values(CLIENT_WEIGHTS).reduce((a, b) => a + b, 0)).toBe(100);
  });
});

describe("healthScores: 100 less weight × shortfall of every figure", () => {
  it("costs nothing for a figure without data and shares out no weight: provider 100 − 15 = 85", () => {
    const s = healthScores(mixed);
    expect(s.provider.score).toBe(85);
    expect(s.provider.parts).toEqual([
      { figure: "firstResponse", weight: 30, shortfall: 0.5, points: 15 },
      { figure: "resolution", weight: 25, shortfall: null, points: 0 },
      { figure: "unanswered", weight: 15, shortfall: 0, points: 0 },
      { figure: "backlogAge", weight: 10, shortfall: 0, points: 0 },
      { figure: "proactivity", weight: 10, shortfall: null, points: 0 },
      // The client held a call and the provider missed none: 0 ÷ 1.
      { figure: "calls", weight: 10, shortfall: 0, points: 0 },
    ]);
  });

  it("client: 100 − (10 + 5.625 + 3.75 + 11.25 + 5 + 5) = 59.375 → 59, heads-up not scored", () => {
    const s = healthScores(mixed).client;
    expect(s.score).toBe(59);
    expect(s.parts.map((p) => [p.figure, p.shortfall, p.points])).toEqual([
      ["adherence", 0.4, 10],
      ["reporting", 0.375, 5.625],
      ["decisions", 0.25, 3.75],
      ["stalePending", 0.75, 11.25],
      ["responsiveness", 0.25, 5],
      ["calls", 0.5, 5],
    ]);
    const noShortNotice = withFigures({}, { ...mixed.client, shortNoticeChanges: 0 }, mixed.trace);
    expect(healthScores(noShortNotice).client.score).toBe(59);
  });

  it("is defined in a quiet week: nothing open, nothing stale → 100 on both sides", () => {
    expect(healthScores(quiet)).toMatchObject({ provider: { score: 100 }, client: { score: 100 } });
  });

  it("scores unanswered requests 0.25 down each and backlog age linearly to 28 days", () => {
    const m = withFigures(
      { unansweredPastThreshold: 2, openBacklog: 1, oldestOpen: { key: "ACME-1", ageMinutes: 14 * 1440 } },
      {},
    );
    // unanswered 0.5 × 15 = 7.5, backlog 14 ÷ 28 × 10 = 5: 100 − 12.5 = 87.5 → 88.
    expect(healthScores(m).provider.score).toBe(88);
    // Both at most their weight: 5 unanswered are 1 × 15, 40 days are 1 × 10.
    const worse = withFigures(
      { unansweredPastThreshold: 5, openBacklog: 1, oldestOpen: { key: "ACME-1", ageMinutes: 40 * 1440 } },
      {},
    );
    expect(healthScores(worse).provider.score).toBe(75);
  });

  it("scores proactivity against one recommendation per five issues, and not at all without issues", () => {
    const with10 = (recommendationsMade: number) =>
      healthScores(
        withFigures({ issuesReceived: 10, recommendationsMade, proactivity: recommendationsMade / 10 }, {}),
      ).provider.score;
    // 0 → 10 points; 1 → 1 − 0.1 ÷ 0.2 = 0.5 → 5; 2 or more → 0.
    expect([with10(0), with10(1), with10(2), with10(5)]).toEqual([90, 95, 100, 100]);
    expect(healthScores(withFigures({ recommendationsMade: 3 }, {})).provider.score).toBe(100);
  });

  it("scores each side only for the calls it missed, against the calls held", () => {
    // Held 3; the provider missed 1 (1 ÷ 4 × 10 = 2.5) and the client 3 (3 ÷ 6 × 10 = 5).
    const s = healthScores(withFigures({ missedCalls: 1 }, { missedCalls: 3, callsHeld: 3 }));
    expect([s.provider.score, s.client.score]).toEqual([98, 95]);
  });

  it("sums the cost of slow answers, each from 0 at 2 h to 1 at 24 h, up to the whole weight", () => {
    const score = (...minutes: number[]) =>
      healthScores(withFigures({}, {}, { waiting: waits(...minutes) })).client.score;
    // 780 min: 660 ÷ 1320 = 0.5 → 10 points; two of them: 20; 1,440 min and more: 20 at most.
    expect([score(120), score(780), score(780, 780), score(1440, 1440, 3000)]).toEqual([100, 90, 80, 80]);
  });
});

describe("reportingCredit", () => {
  it("is 1 up to an hour, falls evenly to 0.5 at 8 h and stays there; no start time earns 0.5", () => {
    expect([0, 60, 270, 480, 5000].map(reportingCredit)).toEqual([1, 1, 0.75, 0.5, 0.5]);
    expect(reportingCredit(null)).toBe(0.5);
  });
});

describe("a never-answered question costs the client at least as much as a late answer", () => {
  const b = eventBuilder();
  // P2 reported Monday 09:00 as it began, asked at 10:00. Never answered: open at the cut-off
  // for 7.5 + 4 × 8.5 = 41.5 business h, the whole 20 points → 80.
  const asked = [
    b.reported("1", "2026-03-02T09:00:00Z", { startedAt: "2026-03-02T09:00:00Z" }),
    b.waiting("1", "2026-03-02T10:00:00Z"),
  ];
  const now = new Date("2026-03-20T00:00:00Z");
  const clientScore = (events: typeof asked) =>
    healthScores(weekMetrics({ partnership, events, week, now })).client.score;

  it("for an answer at any time in the week or after it", () => {
    const never = clientScore(asked);
    expect(never).toBe(80);
    const replies = [
      "2026-03-02T10:30:00Z", // 30 min: nothing
      "2026-03-02T14:00:00Z", // 240 min: 120 ÷ 1320 × 20 = 1.8 → 98
      "2026-03-03T10:00:00Z", // 510 min: 390 ÷ 1320 × 20 = 5.9 → 94
      "2026-03-06T17:00:00Z", // 2,460 min: past 24 h, all 20 → 80
      "2026-03-10T10:00:00Z", // next week: open at this week's cut-off, as if never
    ];
    const answered = replies.map((at) => clientScore([...asked, b.replied("1", at)]));
    expect(answered).toEqual([100, 98, 94, 80, 80]);
    for (const score of answered) expect(score).toBeGreaterThanOrEqual(never);
  });
});

describe("topActions", () => {
  it("orders by the points each figure cost across both sides and keeps three", () => {
    const actions = topActions(mixed);
    expect(actions.map((a) => [a.side, a.figure, a.points])).toEqual([
      ["provider", "firstResponse", 15],
      ["client", "stalePending", 11.25],
      ["client", "adherence", 10],
    ]);
    expect(actions[0]?.text).toBe(
      "1 request missed the first-response target: answer new requests within target",
    );
    expect(actions[1]?.text).toBe("3 recommendations have waited > 14 days: decide on them");
    expect(actions[2]?.text).toBe(
      "2 requests bypassed the support channel: report issues there so none are lost",
    );
  });

  it("gives each action the points its figure cost, with a sentence that says what to do", () => {
    const parts = healthScores(mixed).client.parts;
    const reporting = withFigures({}, mixed.client, { reporting: mixed.trace.reporting ?? [] });
    const [action] = topActions(reporting).filter((a) => a.figure === "reporting");
    expect(action?.points).toBe(parts.find((p) => p.figure === "reporting")?.points);
    expect(action?.text).toBe(
      '1 of 2 reports did not say when the problem began: add "since 9am" when you report',
    );
  });

  it("leaves out actions worth less than a score point, such as a backlog only hours old", () => {
    const m = withFigures({ openBacklog: 1, oldestOpen: { key: "ACME-9", ageMinutes: 60 } }, {});
    expect(topActions(m).map((a) => a.figure)).not.toContain("backlogAge");
  });

  it("is empty when nothing could be raised", () => {
    expect(topActions(quiet)).toEqual([]);
  });
});

describe("trend", () => {
  it("gives both scores per week, oldest first", () => {
    const b = eventBuilder();
    // One P2 never answered: quiet (100) before its week.
    const events = [b.reported("1", "2026-03-02T09:00:00Z")];
    const weeks = previousWeeks(week, 3, "Europe/London").map((w) =>
      weekMetrics({ partnership, events, week: w, now: new Date("2026-03-20T00:00:00Z") }),
    );
    const t = trend(weeks);
    expect(t.labels).toEqual(["2026-02-16", "2026-02-23", "2026-03-02"]);
    expect(t.provider.slice(0, 2)).toEqual([100, 100]);
    // First response breached at 10:00 (30), resolution at Mon 17:00 (25), 1 unanswered (3.75),
    // backlog 6 days 15 h of 28 (10 × 6.625 ÷ 28 = 2.37), no recommendation for 1 issue (10),
    // no calls: 100 − 71.12 = 28.88 → 29.
    expect(t.provider[2]).toBe(29);
    // The report did not say when the problem began: 0.5 × 15 = 7.5 → 92.5 → 93.
    expect(t.client).toEqual([100, 100, 93]);
  });
});

describe("a score with little to judge by", () => {
  it("is not damped: one stale recommendation costs 0.25 × 15 = 3.75 points → 96", () => {
    const m = withFigures({}, { pendingRecommendations: 1, stalePendingRecommendations: 1 });
    expect(healthScores(m).client.score).toBe(96);
  });
});
