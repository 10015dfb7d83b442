import { describe, it, expect } from "vitest";
import {
  CLIENT_WEIGHTS,
  PROVIDER_WEIGHTS,
  healthScores,
  topActions,
  trend,
} from "../../../src/domain/health.ts";
import { weekMetrics, type WeekMetrics } from "../../../src/domain/metrics.ts";
import { previousWeeks, weekContaining } from "../../../src/domain/week.ts";
import { eventBuilder, testPartnership } from "./build-events.ts";

const partnership = testPartnership();
const week = weekContaining(new Date("2026-03-02T12:00:00Z"), "Europe/London");
const quiet = weekMetrics({ partnership, events: [], week, now: new Date("2026-03-20T00:00:00Z") });

/** The quiet week with some figures replaced. */
function withFigures(
  provider: Partial<WeekMetrics["provider"]>,
  client: Partial<WeekMetrics["client"]>,
): WeekMetrics {
  return { ...quiet, provider: { ...quiet.provider, ...provider }, client: { ...quiet.client, ...client } };
}

const dist = (median: number | null, count = 1) => ({ count, median, p90: median });

// Provider: first response 0.5 (w 30), unanswered 0 → 1 (w 15), no backlog → 1 (w 10); the rest null.
// Client: adherence 0.6 (25), delay 270 min → 0.5 (15), decisions 0.75 (15), 3 of 4 pending stale → 0.25 (15),
// wait 120 min → 1 (15), no calls (null), 1 of 2 changes short → 0.5 (5).
const mixed = withFigures(
  { firstResponseAttainmentOverall: { met: 1, breached: 1, rate: 0.5 } },
  {
    processAdherence: 0.6,
    directRequests: 2,
    reportingDelay: dist(270),
    decisionRate: 0.75,
    decisions: { accepted: 3, declined: 0, riskAccepted: 0, ignored: 1 },
    pendingRecommendations: 4,
    stalePendingRecommendations: 3,
    waiting: dist(120),
    headsUpLeadDays: dist(3, 2),
    shortNoticeChanges: 1,
  },
);

describe("weights", () => {
  it("add up to 100 on each side", () => {
    expect(Object.values(PROVIDER_WEIGHTS).reduce((a, b) => a + b, 0)).toBe(100);
    expect(Object.values(CLIENT_WEIGHTS).reduce((a, b) => a + b, 0)).toBe(100);
  });
});

describe("healthScores", () => {
  it("shares out the weight of null figures: provider (15 + 15 + 10) ÷ 55 = 73, not 40 or 85", () => {
    const s = healthScores(mixed);
    expect(s.provider.score).toBe(73);
    expect(s.provider.parts.find((p) => p.figure === "resolution")?.value).toBeNull();
  });

  it("client: (15 + 7.5 + 11.25 + 3.75 + 15 + 2.5) ÷ 90 = 61", () => {
    expect(healthScores(mixed).client.score).toBe(61);
  });

  it("is defined in a quiet week: nothing open, nothing stale → 100 on both sides", () => {
    expect(healthScores(quiet)).toMatchObject({ provider: { score: 100 }, client: { score: 100 } });
  });

  it("scores unanswered requests 0.25 down each and backlog age linearly to 28 days", () => {
    const m = withFigures(
      { unansweredPastThreshold: 2, openBacklog: 1, oldestOpen: { key: "ACME-1", ageMinutes: 14 * 1440 } },
      {},
    );
    // unanswered 0.5 × 15 + backlog 0.5 × 10 over 25 = 50%, but 25 points is under the 40 needed
    // to judge by: the missing 15 count as fine, (12.5 + 15) ÷ 40 = 68.75 → 69.
    expect(healthScores(m).provider.score).toBe(69);
  });
});

describe("topActions", () => {
  it("orders by points recovered across both sides and keeps three", () => {
    const actions = topActions(mixed, partnership);
    expect(actions.map((a) => [a.side, a.figure])).toEqual([
      ["provider", "firstResponse"], // 30 × 0.5 ÷ 55 = 27.3 points
      ["client", "stalePending"], // 15 × 0.75 ÷ 90 = 12.5
      ["client", "adherence"], // 25 × 0.4 ÷ 90 = 11.1
    ]);
    expect(actions[0]?.points).toBeCloseTo(27.27, 2);
    expect(actions[1]?.text).toBe("3 recommendations have waited > 14 days: decide on them");
    expect(actions[2]?.text).toBe(
      "2 requests bypassed the support channel: report issues there so none are lost",
    );
  });

  it("leaves out actions worth less than a score point, such as a backlog only hours old", () => {
    const m = withFigures({ openBacklog: 1, oldestOpen: { key: "ACME-9", ageMinutes: 60 } }, {});
    expect(topActions(m, partnership).map((a) => a.figure)).not.toContain("backlogAge");
  });

  it("is empty when nothing could be raised", () => {
    expect(topActions(quiet, partnership)).toEqual([]);
  });
});

describe("trend", () => {
  it("gives both scores per week, oldest first", () => {
    const b = eventBuilder();
    // One P2 never answered: breached in its own week, quiet (100) before.
    const events = [b.reported("1", "2026-03-02T09:00:00Z")];
    const weeks = previousWeeks(week, 3, "Europe/London").map((w) =>
      weekMetrics({ partnership, events, week: w, now: new Date("2026-03-20T00:00:00Z") }),
    );
    const t = trend(weeks);
    expect(t.labels).toEqual(["2026-02-16", "2026-02-23", "2026-03-02"]);
    expect(t.provider.slice(0, 2)).toEqual([100, 100]);
    // First response 0 (w 30), resolution 0 (w 25, target passed Mon 17:00), unanswered 0.75 (w 15),
    // backlog 6.625 of 28 days (w 10), proactivity 0 recommendations ÷ 1 issue (w 10), calls null:
    // (11.25 + 7.63) ÷ 90 = 20.98 → 21.
    expect(t.provider[2]).toBe(21);
    expect(t.client).toEqual([100, 100, 100]);
  });
});

describe("a score with little to judge by", () => {
  it("is damped towards 100 instead of resting on one figure", () => {
    // The client's only known figure: one recommendation pending and stale (value 0, weight 15).
    const m = withFigures({}, { pendingRecommendations: 1, stalePendingRecommendations: 1 });
    // (40 − 15) ÷ 40 = 62.5 → 63, not 0.
    expect(healthScores(m).client.score).toBe(63);
  });
});
