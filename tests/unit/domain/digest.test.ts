import { describe, it, expect } from "vitest";
import { buildDigest, sparkline } from "../../../src/domain/digest.ts";
import { renderDigestText } from "../../../src/domain/digest-text.ts";
import { healthScores } from "../../../src/domain/health.ts";
import { weekMetrics } from "../../../src/domain/metrics.ts";
import { previousWeeks, weekContaining } from "../../../src/domain/week.ts";
import { eventBuilder, testPartnership } from "./build-events.ts";

const TZ = "Europe/London";
const partnership = testPartnership({ downtimeCostPerHour: 500, currency: "GBP" });
const week = weekContaining(new Date("2026-03-02T12:00:00Z"), TZ);
const now = new Date("2026-03-20T00:00:00Z");

function busyEvents() {
  const b = eventBuilder();
  return [
    b.reported("A", "2026-03-02T09:00:00Z"),
    b.responded("A", "2026-03-02T09:30:00Z"),
    b.resolved("A", "2026-03-02T15:00:00Z"),
    b.reported("B", "2026-03-02T16:00:00Z", { priority: "P3" }),
    b.waiting("B", "2026-03-03T10:00:00Z"),
    b.replied("B", "2026-03-04T10:00:00Z"),
    b.resolved("B", "2026-03-04T12:00:00Z"),
    b.reported("C", "2026-03-07T10:00:00Z", { priority: "P1" }),
    b.responded("C", "2026-03-07T10:40:00Z"),
    b.resolved("C", "2026-03-07T13:00:00Z"),
    b.reported("E", "2026-03-04T09:00:00Z", { priority: "P4" }),
    b.direct("2026-03-05T12:00:00Z"),
    b.downStarted("d1", "2026-03-07T10:00:00Z"),
    b.downEnded("d1", "2026-03-07T13:00:00Z"),
    b.recommended("r1", "2026-02-01T10:00:00Z"),
  ];
}

function digestFor(events: ReturnType<typeof busyEvents>) {
  const trendWeeks = previousWeeks(week, 8, TZ).map((w) =>
    weekMetrics({ partnership, events, week: w, now }),
  );
  const metrics = weekMetrics({ partnership, events, week, now });
  return { metrics, digest: buildDigest(partnership, metrics, trendWeeks) };
}

describe("sparkline", () => {
  it("maps 0–100 onto ▁…█ on a fixed scale", () => {
    expect(sparkline([0, 12, 13, 50, 87, 88, 100])).toBe("▁▁▂▅▇██");
  });
});

describe("buildDigest on a busy week", () => {
  const { metrics, digest } = digestFor(busyEvents());
  const fact = (label: string) => digest.sections.flatMap((s) => s.facts).find((f) => f.label === label);

  it("has provider, client and shared sections with formatted figures", () => {
    expect(digest.quiet).toBe(false);
    expect(digest.sections.map((s) => s.side)).toEqual(["provider", "client", "shared"]);
    expect(fact("First response")?.value).toBe("40 min median, 2 h 30 min p90 (n=3)");
    expect(fact("First response on target")).toEqual({
      label: "First response on target",
      value: "50% (2 of 4; P1 0%, P2 100%, P3 100%, P4 0%)",
      status: "bad",
    });
    expect(fact("Through the agreed channel")?.value).toBe("80% (4 of 5; 1 direct)");
    expect(fact("Downtime")?.value).toBe("3 h in 1 outage, est. £1,500");
    expect(digest.period).toEqual({ start: week.start, end: week.end, label: "2026-03-02 to 2026-03-08" });
  });

  it("carries both scores and an 8-week trend ending with this week", () => {
    const scores = healthScores(metrics);
    expect(digest.scores).toEqual({ provider: scores.provider.score, client: scores.client.score });
    expect(digest.trend.provider).toHaveLength(8);
    expect(digest.trend.provider[7]).toBe(scores.provider.score);
    expect(digest.trend.sparkline.provider).toBe(sparkline(digest.trend.provider));
    expect(digest.trend.labels[7]).toBe("2026-03-02");
  });

  it("scores each side 100 less the points its figures cost", () => {
    // Provider: first response 2 breached of 4 (0.5 × 30 = 15), E unanswered (0.25 × 15 = 3.75),
    // E open 4 days 15 h of 28 (10 × 4.625 ÷ 28 = 1.65), no recommendation for 4 issues (10):
    // 100 − 30.4 = 69.6 → 70.
    // Client: 1 direct of 5 (0.2 × 25 = 5), 4 reports without a start (0.5 × 15 = 7.5), r1 stale
    // (0.25 × 15 = 3.75), B's 510 min wait (390 ÷ 1320 × 20 = 5.91): 100 − 22.16 = 77.84 → 78.
    expect(digest.scores).toEqual({ provider: 70, client: 78 });
    // r1, made 1 February, is stale from the week of 9 February (14 days 14 hours at its end).
    expect(digest.trend.client).toEqual([100, 100, 100, 100, 96, 96, 96, 78]);
  });

  it("lists at most three actions, those whose figures cost the most points first", () => {
    // 15 (first response), 10 (proactivity), 7.5 (reporting); the stale recommendation's 3.75 is fourth.
    expect(digest.actions).toEqual([
      "2 requests missed the first-response target: answer new requests within target",
      "0 recommendations for 4 issues this week: record the improvements you see",
      '4 of 4 reports did not say when the problem began: add "since 9am" when you report',
    ]);
  });

  it("says how many reports gave a start time, how long the provider waited and what is stale", () => {
    expect(fact("Reporting delay")?.value).toBe(
      "no start times given; 0 of 4 reports said when the problem began",
    );
    expect(fact("Provider waited on the client")?.value).toBe(
      "8 h 30 min in total; 8 h 30 min median, 8 h 30 min p90 (n=1)",
    );
    expect(fact("Recommendations pending")?.value).toBe('1 (oldest "Rec r1", 35 days; 1 waited > 14 days)');
  });

  it("never names an individual", () => {
    const json = JSON.stringify(digest);
    for (const name of ["Pat Provider", "Casey Client", "Bob Technician", "Carol Requester"]) {
      expect(json).not.toContain(name);
    }
  });
});

describe("buildDigest on a quiet week", () => {
  const { digest } = digestFor([]);

  it("is short, flagged quiet, with scores still defined", () => {
    expect(digest.quiet).toBe(true);
    expect(digest.sections).toHaveLength(1);
    expect(digest.sections[0]?.heading).toBe("Quiet week");
    expect(digest.scores).toEqual({ provider: 100, client: 100 });
    expect(digest.trend.sparkline).toEqual({ provider: "████████", client: "████████" });
    expect(digest.actions).toEqual([]);
  });
});

describe("renderDigestText", () => {
  it("prints both scores, both sparklines, every section and the actions", () => {
    const { digest } = digestFor(busyEvents());
    const text = renderDigestText(digest);
    expect(text).toContain(`provider ${digest.scores.provider}/100  client ${digest.scores.client}/100`);
    expect(text).toContain(
      `provider ${digest.trend.sparkline.provider}  client ${digest.trend.sparkline.client}`,
    );
    expect(text).toMatch(/[▁▂▃▄▅▆▇█]{8}/);
    expect(text).toContain("Provider: Northwind IT");
    expect(text).toContain("Client: Acme Dental");
    expect(text).toContain("  ✗ First response on target: 50%");
    expect(text).toContain(`  1. ${digest.actions[0]}`);
  });

  it("prints a quiet week in a few lines", () => {
    const text = renderDigestText(digestFor([]).digest);
    expect(text).toContain("Quiet week");
    expect(text).toContain("provider 100/100  client 100/100");
    expect(text.trim().split("\n").length).toBeLessThan(10);
  });
});
