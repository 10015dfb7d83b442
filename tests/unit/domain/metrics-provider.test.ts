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
  const all = weekMetrics({ partnership, events: scenario(), week: week0302, now: afterBoth });
  const m = all.provider;

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

  it("unanswered past 120 min, backlog and the issue longest in the provider's hands at the cut-off (week end)", () => {
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

  it("lists each outcome once, at the instant it was decided, with its priority and clock minutes", () => {
    const rows = all.outcomes.map((o) => [o.key, o.kind, o.result, o.priority, o.minutes, o.decidedAt]);
    // In the order the issues were reported. E's 480 business min ran out at Wed 17:00 and
    // C's 15 min at Sat 10:15: breached there.
    expect(rows).toEqual([
      ["ACME-A", "first_response", "met", "P2", 30, new Date("2026-03-02T09:30:00Z")],
      ["ACME-A", "resolution", "met", "P2", 360, new Date("2026-03-02T15:00:00Z")],
      ["ACME-B", "first_response", "met", "P3", 150, new Date("2026-03-03T10:00:00Z")],
      ["ACME-B", "resolution", "met", "P3", 270, new Date("2026-03-04T12:00:00Z")],
      ["ACME-E", "first_response", "breached", "P4", 480, new Date("2026-03-04T17:00:00Z")],
      ["ACME-C", "first_response", "breached", "P1", 15, new Date("2026-03-07T10:15:00Z")],
      ["ACME-C", "resolution", "met", "P1", 180, new Date("2026-03-07T13:00:00Z")],
    ]);
    expect(all.outcomes.every((o) => o.cycle === 1)).toBe(true);
  });

  it("traces the items behind the figures", () => {
    expect(all.trace.firstResponseAttainment).toContainEqual({
      kind: "issue",
      ref: "ACME-E",
      minutes: 480,
      detail: "breached at the P4 target",
    });
    // E unanswered Wed 09:00 → Fri 17:30: 3 × 8.5 business h = 1,530 min.
    expect(all.trace.unanswered).toEqual([{ kind: "issue", ref: "ACME-E", minutes: 1530 }]);
    // D: Fri 17:00 → Mon 00:00 = 55 h.
    expect(all.trace.backlog).toEqual([
      { kind: "issue", ref: "ACME-E", minutes: 111 * 60, detail: "open" },
      { kind: "issue", ref: "ACME-D", minutes: 55 * 60, detail: "open" },
    ]);
    expect(all.trace.providerMissedCalls).toEqual([{ kind: "call", ref: "c1", detail: "call" }]);
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
  const at = (iso: string, evs = events) =>
    weekMetrics({ partnership, events: evs, week: week0302, now: new Date(iso) });
  const resolutions = (m: ReturnType<typeof at>) =>
    m.outcomes.filter((o) => o.kind === "resolution").map((o) => [o.cycle, o.result, o.minutes, o.decidedAt]);

  it("counts its first resolution (60 min) until it is reopened", () => {
    expect(at("2026-03-02T23:00:00Z").provider.resolution).toEqual({ count: 1, median: 60, p90: 60 });
  });

  it("is open again after the reopen: no resolution time, but the first cycle's met target stands", () => {
    const m = at("2026-03-03T10:00:00Z");
    expect(m.provider.resolution.count).toBe(0);
    expect(m.provider.openBacklog).toBe(1);
    expect(m.provider.resolutionAttainmentOverall).toEqual({ met: 1, breached: 0, rate: 1 });
    expect(resolutions(m)).toEqual([[1, "met", 60, new Date("2026-03-02T10:00:00Z")]]);
  });

  it("measures to the final resolution with the resolved-to-reopened span stopped: 60 + 120 = 180 min", () => {
    const m = at("2026-03-20T00:00:00Z");
    expect(m.provider.resolution).toEqual({ count: 1, median: 180, p90: 180 });
    // One outcome per cycle, both within P2's 480 min budget shared across the cycles.
    expect(m.provider.resolutionAttainmentOverall).toEqual({ met: 2, breached: 0, rate: 1 });
    expect(resolutions(m)).toEqual([
      [1, "met", 60, new Date("2026-03-02T10:00:00Z")],
      [2, "met", 180, new Date("2026-03-03T11:00:00Z")],
    ]);
    expect(m.provider.openBacklog).toBe(0);
    expect(m.outcomes.filter((o) => o.kind === "first_response")).toHaveLength(1);
  });

  it("breaches the cycle in which the shared budget runs out, and decides no cycle after it", () => {
    const c = eventBuilder();
    const evs = [
      c.reported("1", "2026-03-02T09:00:00Z"),
      c.resolved("1", "2026-03-02T10:00:00Z"), // cycle 1: 60 of 480 min
      c.reopened("1", "2026-03-03T09:00:00Z"), // cycle 2: 420 min left, run out at Tue 16:00
      c.resolved("1", "2026-03-04T11:00:00Z"),
      c.reopened("1", "2026-03-04T12:00:00Z"), // cycle 3: after a breach, no outcome
      c.resolved("1", "2026-03-04T13:00:00Z"),
    ];
    const m = at("2026-03-20T00:00:00Z", evs);
    expect(resolutions(m)).toEqual([
      [1, "met", 60, new Date("2026-03-02T10:00:00Z")],
      [2, "breached", 480, new Date("2026-03-03T16:00:00Z")],
    ]);
    expect(m.provider.resolutionAttainmentOverall).toEqual({ met: 1, breached: 1, rate: 0.5 });
    // To the final resolution, both closed spans stopped: 60 + 510 (Tue) + 120 + 60 = 750 min.
    expect(m.provider.resolution).toEqual({ count: 1, median: 750, p90: 750 });
  });

  it("leaves a past week's met cycle in place when a reopening breaches in a later week", () => {
    const c = eventBuilder();
    const evs = [
      c.reported("1", "2026-03-06T09:00:00Z"),
      c.resolved("1", "2026-03-06T10:00:00Z"),
      c.reopened("1", "2026-03-09T09:00:00Z"), // 420 min left: run out Monday 16:00
      c.resolved("1", "2026-03-10T12:00:00Z"),
    ];
    const first = weekMetrics({ partnership, events: evs, week: week0302, now: afterBoth }).provider;
    const second = weekMetrics({ partnership, events: evs, week: week0309, now: afterBoth }).provider;
    expect(first.resolutionAttainmentOverall).toEqual({ met: 1, breached: 0, rate: 1 });
    expect(second.resolutionAttainmentOverall).toEqual({ met: 0, breached: 1, rate: 0 });
    // Each week's resolution time is that of the resolution standing at its cut-off: 60 min as of
    // Sunday; to the final one 60 + 510 (Mon) + 180 (Tue) = 750 min.
    expect(first.resolution).toEqual({ count: 1, median: 60, p90: 60 });
    expect(second.resolution).toEqual({ count: 1, median: 750, p90: 750 });
  });
});

describe("a target that runs out at Friday's close", () => {
  // P2 reported Friday 16:30: its 60 min run out at 17:30, the close; nothing more runs until
  // Monday 09:00, so an answer then still meets it and no answer by then is a breach there.
  const b = eventBuilder();
  const reported = b.reported("F", "2026-03-06T16:30:00Z");
  const firstResponses = (m: ReturnType<typeof weekMetrics>) =>
    m.outcomes.filter((o) => o.kind === "first_response").map((o) => [o.result, o.minutes, o.decidedAt]);

  it("answered Monday 09:00: met, in Monday's week only", () => {
    const events = [reported, b.responded("F", "2026-03-09T09:00:00Z")];
    const friday = weekMetrics({ partnership, events, week: week0302, now: afterBoth });
    const monday = weekMetrics({ partnership, events, week: week0309, now: afterBoth });
    expect(friday.outcomes).toEqual([]);
    expect(friday.provider.firstResponseAttainmentOverall.rate).toBeNull();
    expect(firstResponses(monday)).toEqual([["met", 60, new Date("2026-03-09T09:00:00Z")]]);
    expect(monday.provider.firstResponseAttainment.P2).toEqual({ met: 1, breached: 0, rate: 1 });
  });

  it("unanswered: not breached over the weekend, breached at Monday 09:00", () => {
    const sunday = weekMetrics({ partnership, events: [reported], week: week0302, now: afterBoth });
    expect(sunday.outcomes).toEqual([]);
    const monday = (iso: string) =>
      weekMetrics({ partnership, events: [reported], week: week0309, now: new Date(iso) });
    expect(monday("2026-03-09T08:59:00Z").outcomes).toEqual([]);
    expect(firstResponses(monday("2026-03-09T09:00:00Z"))).toEqual([
      ["breached", 60, new Date("2026-03-09T09:00:00Z")],
    ]);
  });
});

describe("DST in the provider's clocks", () => {
  it("London spring: a P1 across the change is 240 minutes (3 real hours); a P2 over the weekend 45 business minutes", () => {
    const b = eventBuilder();
    const events = [
      // 23:00 GMT → 03:00 BST: the skipped hour counts, 240 min as on any other night.
      b.reported("1", "2026-03-28T23:00:00Z", { priority: "P1" }),
      b.responded("1", "2026-03-29T02:00:00Z"),
      b.reported("2", "2026-03-27T17:00:00Z"),
      b.responded("2", "2026-03-30T08:15:00Z"), // Mon 09:15 BST
    ];
    const w1 = weekContaining(new Date("2026-03-25T12:00:00Z"), LONDON);
    const w2 = weekContaining(new Date("2026-04-01T12:00:00Z"), LONDON);
    const m1 = weekMetrics({ partnership, events, week: w1, now: new Date("2026-04-10T00:00:00Z") }).provider;
    const m2 = weekMetrics({ partnership, events, week: w2, now: new Date("2026-04-10T00:00:00Z") }).provider;
    expect(m1.firstResponse.median).toBe(240);
    expect(m1.firstResponseAttainment.P1).toEqual({ met: 0, breached: 1, rate: 0 });
    expect(m2.firstResponse.median).toBe(45);
    expect(m2.firstResponseAttainment.P2).toEqual({ met: 1, breached: 0, rate: 1 });
  });

  it("New York spring: Fri 17:15 EST → Mon 09:30 EDT is 45 business minutes; autumn P1 across the repeated hour counts it once", () => {
    const ny = testPartnership({ timezone: "America/New_York" });
    const b = eventBuilder();
    const events = [
      b.reported("1", "2026-03-06T22:15:00Z"),
      b.responded("1", "2026-03-09T13:30:00Z"),
      // 00:30 EDT → 01:30 EST, 2 real hours: 00:30 → 02:00 EDT runs (90 min), then the clock
      // stands still through the repeated 01:00–01:30 EST.
      b.reported("2", "2026-11-01T04:30:00Z", { priority: "P1" }),
      b.responded("2", "2026-11-01T06:30:00Z"),
    ];
    const spring = weekContaining(new Date("2026-03-10T12:00:00Z"), "America/New_York");
    const autumn = weekContaining(new Date("2026-10-30T12:00:00Z"), "America/New_York");
    const now = new Date("2026-12-01T00:00:00Z");
    expect(weekMetrics({ partnership: ny, events, week: spring, now }).provider.firstResponse.median).toBe(
      45,
    );
    expect(weekMetrics({ partnership: ny, events, week: autumn, now }).provider.firstResponse.median).toBe(
      90,
    );
  });

  it("ages the open backlog by local days: Friday 12:00 GMT → Monday 00:00 BST is 60 h (59 real)", () => {
    const b = eventBuilder();
    const events = [b.reported("1", "2026-03-27T12:00:00Z", { priority: "P3" })];
    const week = weekContaining(new Date("2026-03-25T12:00:00Z"), LONDON);
    const m = weekMetrics({ partnership, events, week, now: new Date("2026-04-10T00:00:00Z") }).provider;
    expect(m.oldestOpen).toEqual({ key: "ACME-1", ageMinutes: 60 * 60 });
  });
});

describe("the backlog's age is the time in the provider's hands", () => {
  it("leaves out waiting on the client and the time it stood resolved before a reopening", () => {
    const b = eventBuilder();
    const events = [
      b.reported("1", "2026-03-02T09:00:00Z"),
      b.waiting("1", "2026-03-02T12:00:00Z"),
      b.replied("1", "2026-03-04T12:00:00Z"), // 48 h waiting
      b.resolved("1", "2026-03-05T09:00:00Z"),
      b.reopened("1", "2026-03-06T09:00:00Z"), // 24 h resolved
      b.reported("2", "2026-03-03T09:00:00Z"), // 135 h, all with the provider
    ];
    const m = weekMetrics({ partnership, events, week: week0302, now: afterBoth }).provider;
    // Issue 1: Mon 09:00 → Mon 00:00 = 159 h, less 48 h and 24 h = 87 h; issue 2 is older in
    // the provider's hands though reported a day later.
    expect(m.openBacklog).toBe(2);
    expect(m.oldestOpen).toEqual({ key: "ACME-2", ageMinutes: 135 * 60 });
    expect(weekMetrics({ partnership, events, week: week0302, now: afterBoth }).trace.backlog).toContainEqual(
      {
        kind: "issue",
        ref: "ACME-1",
        minutes: 87 * 60,
        detail: "open",
      },
    );
  });

  it("counts an open question up to the cut-off as not the provider's time", () => {
    const b = eventBuilder();
    const events = [b.reported("1", "2026-03-02T09:00:00Z"), b.waiting("1", "2026-03-02T10:00:00Z")];
    const m = weekMetrics({ partnership, events, week: week0302, now: afterBoth }).provider;
    expect(m.oldestOpen).toEqual({ key: "ACME-1", ageMinutes: 60 });
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

  it("stays a breach when lowered after the breach but before the answer", () => {
    const b = eventBuilder();
    // P1 Tue 10:00: 15 min on 24x7 run out at 10:15. Lowered to P4 at 10:20, answered 10:30.
    const events = [
      b.reported("X", "2026-03-03T10:00:00Z", { priority: "P1" }),
      b.priority("X", "2026-03-03T10:20:00Z", "P1", "P4"),
      b.responded("X", "2026-03-03T10:30:00Z"),
    ];
    const all = weekMetrics({ partnership, events, week: week0302, now: afterBoth });
    const first = all.outcomes.find((o) => o.kind === "first_response");
    expect([first?.result, first?.priority, first?.minutes, first?.decidedAt]).toEqual([
      "breached",
      "P1",
      15,
      new Date("2026-03-03T10:15:00Z"),
    ]);
    expect(all.provider.firstResponseAttainment.P4).toEqual({ met: 0, breached: 0, rate: null });
    // The answer took 20 min on P1's 24x7 clock and 10 on P4's business clock.
    expect(all.provider.firstResponse.median).toBe(30);
  });

  it("spends the rest of the budget at the new target when raised mid-way", () => {
    // P3 Mon 09:00–11:00 uses 120 ÷ 240 = 1/2; raised to P2, the other half of 60 min is 30 min:
    // breach at 11:30. Answered 11:20 (140 clock min): met; answered 11:40: breached at 11:30.
    const answeredAt = (iso: string) => {
      const b = eventBuilder();
      const events = [
        b.reported("R", "2026-03-02T09:00:00Z", { priority: "P3" }),
        b.priority("R", "2026-03-02T11:00:00Z", "P3", "P2"),
        b.responded("R", iso),
      ];
      const all = weekMetrics({ partnership, events, week: week0302, now: afterBoth });
      const first = all.outcomes.find((o) => o.kind === "first_response");
      return [first?.result, first?.priority, first?.minutes, first?.decidedAt.toISOString()];
    };
    expect(answeredAt("2026-03-02T11:20:00Z")).toEqual(["met", "P2", 140, "2026-03-02T11:20:00.000Z"]);
    expect(answeredAt("2026-03-02T11:40:00Z")).toEqual(["breached", "P2", 150, "2026-03-02T11:30:00.000Z"]);
  });

  it("measures an issue triaged down before the answer against the rest of its budget at the new priority", () => {
    const b = eventBuilder();
    // Reported P1 Tue 10:00, lowered to P3 at 10:05: 5 of P1's 15 min used 1/3 of the budget;
    // the other 2/3 of P3's 240 business min is 160 min, to 12:45. Answered 11:00 → met, as P3.
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
