import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { leastAgeToNudgeMs, slaStage, type NudgeIssue } from "../../../src/domain/nudges.ts";
import { DEFAULT_SETTINGS, type PartnershipSettings } from "../../../src/domain/partnership.ts";
import type { SettingsHistory } from "../../../src/domain/settings-history.ts";
import { PRIORITIES, type Priority } from "../../../src/domain/vocabulary.ts";

// The SLA watch reads only requests reported at least `leastAgeToNudgeMs` ago. A bound that was
// too short would cost reads; one too long would silently drop a nudge. For any settings, any
// history of them and any priority changes, a request younger than the bound has no stage yet.

const MINUTE = 60_000;
const START = Date.parse("2026-11-16T00:00:00Z");

const targets = fc.record({
  firstResponseMinutes: fc.integer({ min: 1, max: 600 }),
  resolutionMinutes: fc.integer({ min: 1, max: 6000 }),
  clock: fc.constantFrom("24x7" as const, "business" as const),
});

const settingsArb: fc.Arbitrary<PartnershipSettings> = fc
  .record({
    P1: targets,
    P2: targets,
    P3: targets,
    P4: targets,
    nearingPercent: fc.integer({ min: 1, max: 100 }),
  })
  .map(({ nearingPercent, ...sla }) => ({
    ...DEFAULT_SETTINGS,
    sla,
    nudge: { ...DEFAULT_SETTINGS.nudge, nearingPercent },
  }));

describe("leastAgeToNudgeMs: no request reaches a nudge stage sooner", () => {
  it("holds for any settings, settings history, priority changes and report instant", () => {
    fc.assert(
      fc.property(
        settingsArb,
        fc.array(fc.tuple(fc.integer({ min: 0, max: 14 * 24 * 60 }), settingsArb), { maxLength: 3 }),
        fc.integer({ min: 0, max: 14 * 24 * 60 }),
        fc.array(fc.tuple(fc.integer({ min: 1, max: 600 }), fc.constantFrom(...PRIORITIES)), {
          minLength: 1,
          maxLength: 3,
        }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (current, changes, reportedMinute, priorityChanges, share) => {
          const history: SettingsHistory = [
            { from: new Date(0), settings: current },
            ...changes
              .sort((a, b) => a[0] - b[0])
              .map(([minute, settings]) => ({ from: new Date(START + minute * MINUTE), settings })),
          ];
          const reportedAt = new Date(START + reportedMinute * MINUTE);
          let from = reportedAt.getTime();
          const priorities = priorityChanges.map(([after, priority]: [number, Priority], i) => {
            if (i > 0) from += after * MINUTE;
            return { from: new Date(from), priority };
          });
          const issue: NudgeIssue = {
            issueId: "i1",
            key: "ACME-1",
            title: "Email is down",
            priority: priorities.at(-1)!.priority,
            priorities,
            status: "open",
            reportedAt,
            firstResponseAt: null,
            waiting: [],
          };
          const least = leastAgeToNudgeMs(current, history);
          const now = new Date(reportedAt.getTime() + Math.floor(share * least));
          expect(slaStage(current, issue, now, history)).toBeNull();
        },
      ),
      { numRuns: 300 },
    );
  });

  it("is not far short: with the defaults (P1 15 min on 24×7, nearing at 75%), 10 min 15 s, and a P1 is nearing at 11 min 15 s", () => {
    const least = leastAgeToNudgeMs(DEFAULT_SETTINGS);
    expect(least).toBe(10 * MINUTE + 15_000);
    const reportedAt = new Date("2026-11-16T02:00:00Z");
    const issue: NudgeIssue = {
      issueId: "i1",
      key: "ACME-1",
      title: "Email is down",
      priority: "P1",
      priorities: [{ from: reportedAt, priority: "P1" }],
      status: "open",
      reportedAt,
      firstResponseAt: null,
      waiting: [],
    };
    const at = (ms: number) => new Date(reportedAt.getTime() + ms);
    expect(slaStage(DEFAULT_SETTINGS, issue, at(least))).toBeNull();
    expect(slaStage(DEFAULT_SETTINGS, issue, at(11 * MINUTE + 15_000))?.kind).toBe("nearing");
  });

  it("takes the shortest target of every version: a later P2 target of 5 min lowers it to 2 min 45 s", () => {
    const later: PartnershipSettings = {
      ...DEFAULT_SETTINGS,
      sla: { ...DEFAULT_SETTINGS.sla, P2: { ...DEFAULT_SETTINGS.sla.P2, firstResponseMinutes: 5 } },
    };
    const history: SettingsHistory = [
      { from: new Date(0), settings: DEFAULT_SETTINGS },
      { from: new Date(START), settings: later },
    ];
    expect(leastAgeToNudgeMs(DEFAULT_SETTINGS, history)).toBe(2 * MINUTE + 45_000);
    expect(leastAgeToNudgeMs(later)).toBe(2 * MINUTE + 45_000);
  });
});
