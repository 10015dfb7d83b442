import { describe, expect, it } from "vitest";
import { healthScores } from "../../../src/domain/health.ts";
import { weekMetrics } from "../../../src/domain/metrics.ts";
import { weekContaining } from "../../../src/domain/week.ts";
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
});
