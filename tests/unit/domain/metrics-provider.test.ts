import { describe, it, expect } from "vitest";
import { weekMetrics } from "../../../src/domain/metrics.ts";
import { weekContaining } from "../../../src/domain/week.ts";
import { eventBuilder, testPartnership } from "./build-events.ts";

const LONDON = "Europe/London";
const partnership = testPartnership();
const week0302 = weekContaining(new Date("2026-03-02T12:00:00Z"), LONDON);
const week0309 = weekContaining(new Date("2026-03-09T12:00:00Z"), LONDON);
const afterBoth = new Date("2026-03-20T12:00:00Z");

// A week in GMT (local = UTC). Targets: P1 15 min / 4 h on 24x7; P2 60 / 480, P3 240 / 1440, P4 480 / 4800 business.
function scenario() {
  const b = eventBuilder();
  return [
    // A: P2, answered after 30 min, resolved after 6 h.
    b.reported("A", "2026-03-02T09:00:00Z"),
    b.responded("A", "2026-03-02T09:30:00Z"),
    b.resolved("A", "2026-03-02T15:00:00Z"),
    // B: P3, asked the client after 1.5 h + 1 h; waited Tue 10:00 → Wed 10:00 (8.5 business h).
    b.reported("B", "2026-03-02T16:00:00Z", { priority: "P3" }),
    b.waiting("B", "2026-03-03T10:00:00Z"),
    b.replied("B", "2026-03-04T10:00:00Z"),
    b.resolved("B", "2026-03-04T12:00:00Z"),
    // C: P1 on Saturday, 24x7: answered after 40 min (breach), resolved after 3 h.
    b.reported("C", "2026-03-07T10:00:00Z", { priority: "P1" }),
    b.responded("C", "2026-03-07T10:40:00Z"),
    b.resolved("C", "2026-03-07T13:00:00Z"),
    // D: P2 on Friday 17:00, unanswered; its target falls on Monday 09:30 of the next week.
    b.reported("D", "2026-03-06T17:00:00Z"),
    // E: P4, unanswered; its 8 h target passed on Wednesday 17:00.
    b.reported("E", "2026-03-04T09:00:00Z", { priority: "P4" }),
    b.recommended("r1", "2026-03-03T12:00:00Z"),
    b.callMissed("c1", "2026-03-05T15:00:00Z", "provider"),
  ];
}

describe("provider metrics on a hand-computed week", () => {
  const m = weekMetrics({ partnership, events: scenario(), week: week0302, now: afterBoth }).provider;

  it("first response: [30, 40, 150] min → median 40, p90 150", () => {
    expect(m.firstResponse).toEqual({ count: 3, median: 40, p90: 150 });
  });

  it("first-response attainment per priority and overall, the unanswered P4 past target a breach", () => {
    expect(m.firstResponseAttainment).toEqual({
      P1: { met: 0, breached: 1, rate: 0 },
      P2: { met: 1, breached: 0, rate: 1 },
      P3: { met: 1, breached: 0, rate: 1 },
      P4: { met: 0, breached: 1, rate: 0 },
    });
    expect(m.firstResponseAttainmentOverall).toEqual({ met: 2, breached: 2, rate: 0.5 });
  });

  it("resolution excludes waiting on the client: [180, 270, 360] min, all on target", () => {
    expect(m.resolution).toEqual({ count: 3, median: 270, p90: 360 });
    expect(m.resolutionAttainmentOverall).toEqual({ met: 3, breached: 0, rate: 1 });
    expect(m.resolutionAttainment.P1).toEqual({ met: 1, breached: 0, rate: 1 });
  });

  it("unanswered past 120 min, backlog and oldest item at the cut-off (week end)", () => {
    expect(m.unansweredPastThreshold).toBe(1);
    expect(m.openBacklog).toBe(2);
    // Wed 09:00 → Mon 00:00 = 4 days 15 h.
    expect(m.oldestOpen).toEqual({ key: "ACME-E", ageMinutes: 111 * 60 });
  });

  it("proactivity 1 recommendation ÷ 5 issues, and 1 provider-missed call", () => {
    expect(m.recommendationsMade).toBe(1);
    expect(m.issuesReceived).toBe(5);
    expect(m.proactivity).toBe(0.2);
    expect(m.missedCalls).toBe(1);
  });

  it("the next week holds D's outcome (met when answered Mon 09:15 after 45 min) and not the old ones", () => {
    const events = [...scenario(), eventBuilder().responded("D", "2026-03-09T09:15:00Z")];
    const next = weekMetrics({ partnership, events, week: week0309, now: afterBoth }).provider;
    expect(next.firstResponse).toEqual({ count: 1, median: 45, p90: 45 });
    expect(next.firstResponseAttainmentOverall).toEqual({ met: 1, breached: 0, rate: 1 });
    expect(next.issuesReceived).toBe(0);
    expect(next.proactivity).toBeNull();
  });
});

describe("an issue still unanswered past its target", () => {
  const b = eventBuilder();
  const reported = b.reported("1", "2026-03-02T09:00:00Z");
  const at = (iso: string) =>
    weekMetrics({ partnership, events: [reported], week: week0302, now: new Date(iso) });

  it("counts in neither column while within target", () => {
    const m = at("2026-03-02T09:59:00Z");
    expect(m.cutoff).toEqual(new Date("2026-03-02T09:59:00Z"));
    expect(m.complete).toBe(false);
    expect(m.provider.firstResponseAttainmentOverall).toEqual({ met: 0, breached: 0, rate: null });
  });

  it("is a breach now, before any answer", () => {
    expect(at("2026-03-02T10:01:00Z").provider.firstResponseAttainmentOverall).toEqual({
      met: 0,
      breached: 1,
      rate: 0,
    });
  });

  it("stays one breach once answered late, and is not counted again the next week", () => {
    const events = [reported, b.responded("1", "2026-03-02T11:00:00Z")];
    const m = weekMetrics({ partnership, events, week: week0302, now: afterBoth }).provider;
    expect(m.firstResponseAttainmentOverall).toEqual({ met: 0, breached: 1, rate: 0 });
    expect(m.firstResponse.median).toBe(120);
    const next = weekMetrics({ partnership, events, week: week0309, now: afterBoth }).provider;
    expect(next.firstResponseAttainmentOverall.breached).toBe(0);
  });
});

describe("a reopened issue", () => {
  const b = eventBuilder();
  const events = [
    b.reported("1", "2026-03-02T09:00:00Z"),
    b.responded("1", "2026-03-02T09:10:00Z"),
    b.resolved("1", "2026-03-02T10:00:00Z"),
    b.reopened("1", "2026-03-03T09:00:00Z"),
    b.resolved("1", "2026-03-03T11:00:00Z"),
  ];
  const at = (iso: string) =>
    weekMetrics({ partnership, events, week: week0302, now: new Date(iso) }).provider;

  it("counts its first resolution (60 min) until it is reopened", () => {
    expect(at("2026-03-02T23:00:00Z").resolution).toEqual({ count: 1, median: 60, p90: 60 });
  });

  it("is open again after the reopen, with no resolution figure", () => {
    const m = at("2026-03-03T10:00:00Z");
    expect(m.resolution.count).toBe(0);
    expect(m.openBacklog).toBe(1);
    expect(m.resolutionAttainmentOverall.rate).toBeNull();
  });

  it("measures to the final resolution with the resolved-to-reopened span stopped: 60 + 120 = 180 min", () => {
    const m = at("2026-03-20T00:00:00Z");
    expect(m.resolution).toEqual({ count: 1, median: 180, p90: 180 });
    expect(m.resolutionAttainmentOverall).toEqual({ met: 1, breached: 0, rate: 1 });
    expect(m.openBacklog).toBe(0);
  });
});

describe("DST in the provider's clocks", () => {
  it("London spring: a P1 across the change is 180 real minutes; a P2 over the weekend 45 business minutes", () => {
    const b = eventBuilder();
    const events = [
      b.reported("1", "2026-03-28T23:00:00Z", { priority: "P1" }),
      b.responded("1", "2026-03-29T02:00:00Z"), // 03:00 BST, 4 wall-clock hours after 23:00 GMT
      b.reported("2", "2026-03-27T17:00:00Z"),
      b.responded("2", "2026-03-30T08:15:00Z"), // Mon 09:15 BST
    ];
    const w1 = weekContaining(new Date("2026-03-25T12:00:00Z"), LONDON);
    const w2 = weekContaining(new Date("2026-04-01T12:00:00Z"), LONDON);
    const m1 = weekMetrics({ partnership, events, week: w1, now: new Date("2026-04-10T00:00:00Z") }).provider;
    const m2 = weekMetrics({ partnership, events, week: w2, now: new Date("2026-04-10T00:00:00Z") }).provider;
    expect(m1.firstResponse.median).toBe(180);
    expect(m1.firstResponseAttainment.P1).toEqual({ met: 0, breached: 1, rate: 0 });
    expect(m2.firstResponse.median).toBe(45);
    expect(m2.firstResponseAttainment.P2).toEqual({ met: 1, breached: 0, rate: 1 });
  });

  it("New York spring: Fri 17:15 EST → Mon 09:30 EDT is 45 business minutes; autumn P1 across 01:00 repeats counts 120 real", () => {
    const ny = testPartnership({ timezone: "America/New_York" });
    const b = eventBuilder();
    const events = [
      b.reported("1", "2026-03-06T22:15:00Z"),
      b.responded("1", "2026-03-09T13:30:00Z"),
      b.reported("2", "2026-11-01T04:30:00Z", { priority: "P1" }), // 00:30 EDT
      b.responded("2", "2026-11-01T06:30:00Z"), // 01:30 EST, wall clock says 1 h
    ];
    const spring = weekContaining(new Date("2026-03-10T12:00:00Z"), "America/New_York");
    const autumn = weekContaining(new Date("2026-10-30T12:00:00Z"), "America/New_York");
    const now = new Date("2026-12-01T00:00:00Z");
    expect(weekMetrics({ partnership: ny, events, week: spring, now }).provider.firstResponse.median).toBe(
      45,
    );
    expect(weekMetrics({ partnership: ny, events, week: autumn, now }).provider.firstResponse.median).toBe(
      120,
    );
  });
});

describe("a priority changed after the fact", () => {
  it("keeps a P1 answered late a breach when it is lowered to P4 afterwards", () => {
    const b = eventBuilder();
    // P1 (24x7, 15 min) reported Tue 10:00, answered 12:00 (120 min), then set to P4 at 12:30.
    const events = [
      b.reported("X", "2026-03-03T10:00:00Z", { priority: "P1" }),
      b.responded("X", "2026-03-03T12:00:00Z"),
      b.priority("X", "2026-03-03T12:30:00Z", "P1", "P4"),
    ];
    const m = weekMetrics({ partnership, events, week: week0302, now: afterBoth }).provider;
    expect(m.firstResponseAttainment.P1).toEqual({ met: 0, breached: 1, rate: 0 });
    expect(m.firstResponseAttainment.P4).toEqual({ met: 0, breached: 0, rate: null });
  });

  it("measures an issue triaged down before the answer against the new priority", () => {
    const b = eventBuilder();
    // Reported P1 Tue 10:00, lowered to P3 at 10:05, answered 11:00: 60 business min ≤ 240 → met.
    const events = [
      b.reported("Y", "2026-03-03T10:00:00Z", { priority: "P1" }),
      b.priority("Y", "2026-03-03T10:05:00Z", "P1", "P3"),
      b.responded("Y", "2026-03-03T11:00:00Z"),
    ];
    const m = weekMetrics({ partnership, events, week: week0302, now: afterBoth }).provider;
    expect(m.firstResponseAttainment.P3).toEqual({ met: 1, breached: 0, rate: 1 });
    expect(m.firstResponseAttainment.P1).toEqual({ met: 0, breached: 0, rate: null });
  });
});
