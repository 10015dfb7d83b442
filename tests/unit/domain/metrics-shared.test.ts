import { describe, it, expect } from "vitest";
import { distributionOf, percentile, weekMetrics } from "../../../src/domain/metrics.ts";
import { weekContaining } from "../../../src/domain/week.ts";
import { eventBuilder, testPartnership } from "./build-events.ts";

const partnership = testPartnership({ downtimeCostPerHour: 500, currency: "EUR" });
const week = weekContaining(new Date("2026-03-02T12:00:00Z"), "Europe/London");

describe("percentiles (nearest rank)", () => {
  it("picks an actual value at rank ceil(p × n)", () => {
    const v = [50, 15, 40, 20, 35];
    expect(percentile(v, 30)).toBe(20);
    expect(percentile(v, 40)).toBe(20);
    expect(percentile(v, 50)).toBe(35);
    expect(percentile(v, 90)).toBe(50);
    expect(percentile(v, 100)).toBe(50);
  });

  it("gives the lower middle for an even count and null for none", () => {
    expect(distributionOf([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])).toEqual({ count: 10, median: 5, p90: 9 });
    expect(distributionOf([7])).toEqual({ count: 1, median: 7, p90: 7 });
    expect(distributionOf([])).toEqual({ count: 0, median: null, p90: null });
  });
});

describe("downtime", () => {
  it("is clipped to the week, an open outage runs to the cut-off, and costs hours × rate", () => {
    const b = eventBuilder();
    const events = [
      b.downStarted("d1", "2026-03-01T22:00:00Z"), // Sunday before the week
      b.downEnded("d1", "2026-03-02T02:00:00Z"), // 2 h inside
      b.downStarted("d2", "2026-03-08T23:00:00Z"), // still down: 1 h to the week's end
      b.downStarted("d3", "2026-03-10T10:00:00Z"), // next week
      b.downEnded("d3", "2026-03-10T12:00:00Z"),
    ];
    const m = weekMetrics({ partnership, events, week, now: new Date("2026-03-20T00:00:00Z") }).shared;
    expect(m.downtimeHours).toBe(3);
    expect(m.downtimeIncidents).toBe(2);
    expect(m.downtimeCost).toEqual({ amount: 1500, currency: "EUR" });
  });

  it("runs an open outage only to now in a week not over yet", () => {
    const b = eventBuilder();
    const events = [b.downStarted("d1", "2026-03-03T10:00:00Z")];
    const m = weekMetrics({ partnership, events, week, now: new Date("2026-03-03T11:30:00Z") }).shared;
    expect(m.downtimeHours).toBe(1.5);
  });

  it("counts every local day as 24 h: the London change days, midnight to midnight, are 24 h", () => {
    const b = eventBuilder();
    const events = [
      b.downStarted("d1", "2026-03-29T00:00:00Z"), // Sunday 29 March 00:00 GMT
      b.downEnded("d1", "2026-03-29T23:00:00Z"), // Monday 00:00 BST: 23 real hours
      b.downStarted("d2", "2026-10-24T23:00:00Z"), // Sunday 25 October 00:00 BST
      b.downEnded("d2", "2026-10-26T00:00:00Z"), // Monday 00:00 GMT: 25 real hours
    ];
    const hours = (day: string) =>
      weekMetrics({
        partnership,
        events,
        week: weekContaining(new Date(day), "Europe/London"),
        now: new Date("2026-12-01T00:00:00Z"),
      }).shared;
    expect(hours("2026-03-25T12:00:00Z").downtimeHours).toBe(24);
    expect(hours("2026-03-25T12:00:00Z").downtimeCost.amount).toBe(12_000);
    expect(hours("2026-10-21T12:00:00Z").downtimeHours).toBe(24);
  });

  it("counts an outage across the spring change by the office clock: 00:30 GMT → 03:30 BST is 3 h", () => {
    const b = eventBuilder();
    // 2 real hours; the skipped hour counts, as on any other night.
    const events = [b.downStarted("d1", "2026-03-29T00:30:00Z"), b.downEnded("d1", "2026-03-29T02:30:00Z")];
    const dstWeek = weekContaining(new Date("2026-03-25T12:00:00Z"), "Europe/London");
    const m = weekMetrics({ partnership, events, week: dstWeek, now: new Date("2026-04-10T00:00:00Z") });
    expect(m.shared.downtimeHours).toBe(3);
    expect(m.trace.downtime).toEqual([{ kind: "downtime", ref: "d1", minutes: 180, detail: "Email" }]);
  });
});

describe("a week with no activity", () => {
  const b = eventBuilder();
  // Only history before the week: resolved, and one recommendation decided.
  const events = [
    b.reported("1", "2026-02-23T10:00:00Z"),
    b.responded("1", "2026-02-23T10:10:00Z"),
    b.resolved("1", "2026-02-23T12:00:00Z"),
  ];
  const m = weekMetrics({ partnership, events, week, now: new Date("2026-03-20T00:00:00Z") });

  it("is quiet with null figures where there is nothing to measure", () => {
    expect(m.quiet).toBe(true);
    expect(m.activity).toBe(0);
    expect(m.provider.firstResponse.median).toBeNull();
    expect(m.provider.firstResponseAttainmentOverall.rate).toBeNull();
    expect(m.provider.resolutionAttainmentOverall.rate).toBeNull();
    expect(m.provider.proactivity).toBeNull();
    expect(m.client.processAdherence).toBeNull();
    expect(m.client.reportingDelay.median).toBeNull();
    expect(m.client.decisionRate).toBeNull();
    expect(m.client.headsUpLeadDays.median).toBeNull();
    expect(m.shared.downtimeHours).toBe(0);
  });

  it("is not quiet when anything was recorded in it", () => {
    const busy = weekMetrics({
      partnership,
      events: [...events, b.callHeld("c1", "2026-03-04T10:00:00Z")],
      week,
      now: new Date("2026-03-20T00:00:00Z"),
    });
    expect(busy.quiet).toBe(false);
    expect(busy.activity).toBe(1);
  });
});
