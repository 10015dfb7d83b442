import { describe, expect, it } from "vitest";
import {
  decideByPassedAt,
  digestMomentOf,
  digestWeekDue,
  expiredRecommendations,
  mayNudgeAt,
  missedCallsDue,
  slaNudgesDue,
  slaStage,
  type NudgeIssue,
} from "../../../src/domain/nudges.ts";
import { DEFAULT_SETTINGS, type PartnershipSettings } from "../../../src/domain/partnership.ts";
import type { Priority } from "../../../src/domain/vocabulary.ts";

// DEFAULT_SETTINGS: Europe/London, Mon–Fri 09:00–17:30, P1 15 min on 24×7, P3 240 min on
// business time, nearing at 75%. In November London is on UTC, so local time = Z.
// 2026-11-16 is a Monday; 2026-11-20 a Friday.
const settings: PartnershipSettings = DEFAULT_SETTINGS;
const at = (iso: string) => new Date(iso);

function issue(reportedAt: string, priority: Priority = "P3", extra: Partial<NudgeIssue> = {}): NudgeIssue {
  return {
    issueId: "i1",
    key: "ACME-1",
    title: "Printer jammed",
    priority,
    status: "open",
    reportedAt: at(reportedAt),
    priorities: [{ from: at(reportedAt), priority }],
    firstResponseAt: null,
    waiting: [],
    ...extra,
  };
}

const stage = (i: NudgeIssue, now: string, s: PartnershipSettings = settings) =>
  slaStage(s, i, at(now))?.kind ?? null;

describe("slaStage: first-response stage on the issue's SLA clock", () => {
  it("P3 reported Monday 09:00: nearing from 12:00 (180 of 240 min), breached after 13:00", () => {
    const i = issue("2026-11-16T09:00:00Z");
    expect(stage(i, "2026-11-16T11:59:00Z")).toBeNull();
    expect(stage(i, "2026-11-16T12:00:00Z")).toBe("nearing");
    // A reply at exactly the target still meets it, so this is not yet a breach.
    expect(stage(i, "2026-11-16T13:00:00Z")).toBe("nearing");
    expect(slaStage(settings, i, at("2026-11-16T13:01:00Z"))).toMatchObject({
      kind: "breached",
      elapsedMinutes: 241,
      targetMinutes: 240,
    });
  });

  it("counts working time only: reported Monday 16:00, 90 min that day, nearing Tuesday 10:30, breached after 11:30", () => {
    const i = issue("2026-11-16T16:00:00Z");
    expect(stage(i, "2026-11-16T23:00:00Z")).toBeNull();
    expect(stage(i, "2026-11-17T10:29:00Z")).toBeNull();
    expect(stage(i, "2026-11-17T10:30:00Z")).toBe("nearing");
    expect(stage(i, "2026-11-17T11:30:00Z")).toBe("nearing");
    expect(stage(i, "2026-11-17T11:31:00Z")).toBe("breached");
  });

  it("excludes time waiting on the client: an hour's wait moves each stage an hour later", () => {
    const i = issue("2026-11-16T09:00:00Z", "P3", {
      waiting: [{ start: at("2026-11-16T10:00:00Z"), end: at("2026-11-16T11:00:00Z") }],
    });
    expect(stage(i, "2026-11-16T12:59:00Z")).toBeNull();
    expect(stage(i, "2026-11-16T13:00:00Z")).toBe("nearing");
    expect(stage(i, "2026-11-16T14:00:00Z")).toBe("nearing");
    expect(stage(i, "2026-11-16T14:01:00Z")).toBe("breached");
  });

  it("P1 on the 24×7 clock: 15 min target, nearing from 11¼ min, at 03:00 on a Saturday", () => {
    const i = issue("2026-11-21T03:00:00Z", "P1");
    expect(stage(i, "2026-11-21T03:11:00Z")).toBeNull();
    expect(stage(i, "2026-11-21T03:11:15Z")).toBe("nearing");
    expect(stage(i, "2026-11-21T03:15:00Z")).toBe("nearing");
    expect(stage(i, "2026-11-21T03:15:01Z")).toBe("breached");
  });

  it("nothing for an answered or resolved issue", () => {
    const now = "2026-11-16T16:00:00Z";
    expect(
      stage(issue("2026-11-16T09:00:00Z", "P3", { firstResponseAt: at("2026-11-16T09:05:00Z") }), now),
    ).toBeNull();
    expect(stage(issue("2026-11-16T09:00:00Z", "P3", { status: "resolved" }), now)).toBeNull();
  });

  it("honours a configured nearing share: 50% of 240 min is 2 h", () => {
    const half = { ...settings, nudge: { ...settings.nudge, nearingPercent: 50 } };
    const i = issue("2026-11-16T09:00:00Z");
    expect(stage(i, "2026-11-16T10:59:00Z", half)).toBeNull();
    expect(stage(i, "2026-11-16T11:00:00Z", half)).toBe("nearing");
  });

  it("a P2 whose 60 min run out at Friday's close is not breached before Monday's opening", () => {
    // Reported Friday 16:30: all 60 min have run at 17:30, and no more run until Monday 09:00,
    // when an answer still meets the target. A minute later more than the target has run.
    const i = issue("2026-11-20T16:30:00Z", "P2");
    expect(stage(i, "2026-11-20T17:30:00Z")).toBe("nearing");
    expect(slaStage(settings, i, at("2026-11-22T12:00:00Z"))).toMatchObject({
      kind: "nearing",
      elapsedMinutes: 60,
    });
    expect(stage(i, "2026-11-23T09:00:00Z")).toBe("nearing");
    expect(stage(i, "2026-11-23T09:01:00Z")).toBe("breached");
  });
});

describe("slaStage: the budget is used minute by minute under the priority in force", () => {
  it("stays breached when the priority is lowered after the breach", () => {
    // P2 from 09:00 breached at 10:00; lowered to P4 at 10:30. At 10:45 the budget used is
    // 60 ÷ 60 + 15 ÷ 480 > 1, though 105 min is far inside P4's 480.
    const i = issue("2026-11-16T09:00:00Z", "P4", {
      priorities: [
        { from: at("2026-11-16T09:00:00Z"), priority: "P2" },
        { from: at("2026-11-16T10:30:00Z"), priority: "P4" },
      ],
    });
    expect(slaStage(settings, i, at("2026-11-16T10:45:00Z"))).toMatchObject({
      kind: "breached",
      priority: "P4",
      elapsedMinutes: 105,
    });
  });

  it("spends the rest of the budget at the new target when the priority is raised", () => {
    // P3 09:00–11:00 uses 120 ÷ 240 = 1/2; as a P2 from 11:00 the other half is 30 min: nearing
    // from 75 % (11:15), breached after 11:30; not breached at 11:00 for having run 120 > 60 min.
    const i = issue("2026-11-16T09:00:00Z", "P2", {
      priorities: [
        { from: at("2026-11-16T09:00:00Z"), priority: "P3" },
        { from: at("2026-11-16T11:00:00Z"), priority: "P2" },
      ],
    });
    expect(stage(i, "2026-11-16T11:00:00Z")).toBeNull();
    expect(stage(i, "2026-11-16T11:14:00Z")).toBeNull();
    expect(stage(i, "2026-11-16T11:15:00Z")).toBe("nearing");
    expect(stage(i, "2026-11-16T11:30:00Z")).toBe("nearing");
    expect(stage(i, "2026-11-16T11:31:00Z")).toBe("breached");
  });
});

describe("slaNudgesDue: news only", () => {
  it("nudges about a threshold crossed within the last week, never about one crossed before it", () => {
    // A P1 on 24×7 breaches 15 minutes after its report.
    const p1 = issue("2026-11-02T10:00:00Z", "P1");
    expect(slaNudgesDue(settings, [p1], at("2026-11-09T10:14:00Z"))).toMatchObject([{ kind: "breached" }]);
    expect(slaNudgesDue(settings, [p1], at("2026-11-09T10:16:00Z"))).toEqual([]);
    // Three months unanswered: old news.
    expect(slaNudgesDue(settings, [issue("2026-08-03T10:00:00Z")], at("2026-11-16T10:00:00Z"))).toEqual([]);
  });

  it("a request that was only nearing a week ago and has breached since is news", () => {
    // P3 reported Monday 09:00: nearing at 12:00, breached after 13:00 (240 working minutes).
    const p3 = issue("2026-11-16T09:00:00Z");
    const week = 7 * 24 * 3600_000;
    expect(slaNudgesDue(settings, [p3], at("2026-11-23T12:30:00Z"), undefined, week)).toMatchObject([
      { kind: "breached" },
    ]);
    expect(slaNudgesDue(settings, [p3], at("2026-11-23T13:30:00Z"), undefined, week)).toEqual([]);
  });
});

describe("slaNudgesDue: P2–P4 only at working instants", () => {
  // Reported Friday 14:30: 180 working minutes are reached at 17:30, the very end of the day.
  const friday = issue("2026-11-20T14:30:00Z");

  it("holds a P3 that became nearing at Friday's close until Monday 09:00", () => {
    expect(slaStage(settings, friday, at("2026-11-20T17:30:00Z"))?.kind).toBe("nearing");
    expect(slaNudgesDue(settings, [friday], at("2026-11-20T17:30:00Z"))).toEqual([]);
    expect(slaNudgesDue(settings, [friday], at("2026-11-22T12:00:00Z"))).toEqual([]);
    expect(slaNudgesDue(settings, [friday], at("2026-11-23T09:00:00Z"))).toMatchObject([
      { kind: "nearing", elapsedMinutes: 180 },
    ]);
  });

  it("holds a P3 even on a 24×7 clock at night; a P1 on 24×7 goes at any time", () => {
    const allHours = {
      ...settings,
      sla: { ...settings.sla, P3: { ...settings.sla.P3, clock: "24x7" as const } },
    };
    const night = at("2026-11-21T03:00:00Z");
    expect(slaNudgesDue(allHours, [issue("2026-11-20T20:00:00Z", "P3")], night)).toEqual([]);
    expect(slaNudgesDue(settings, [issue("2026-11-21T02:40:00Z", "P1")], night)).toMatchObject([
      { kind: "breached", priority: "P1" },
    ]);
    expect(mayNudgeAt(settings, "P1", night)).toBe(true);
    expect(mayNudgeAt(settings, "P2", night)).toBe(false);
    const p1Business = {
      ...settings,
      sla: { ...settings.sla, P1: { ...settings.sla.P1, clock: "business" as const } },
    };
    expect(mayNudgeAt(p1Business, "P1", night)).toBe(false);
  });
});

describe("missedCallsDue", () => {
  const calls = [
    { callId: "c1", status: "missed" as const, happenedAt: at("2026-11-16T10:00:00Z") },
    { callId: "c2", status: "held" as const, happenedAt: at("2026-11-16T10:00:00Z") },
    { callId: "c3", status: "missed" as const, happenedAt: at("2026-11-01T10:00:00Z") },
  ];

  it("calls missed in the last 7 days, at a working instant", () => {
    expect(missedCallsDue(settings, calls, at("2026-11-16T10:01:00Z")).map((c) => c.callId)).toEqual(["c1"]);
    expect(missedCallsDue(settings, calls, at("2026-11-23T10:00:00Z")).map((c) => c.callId)).toEqual(["c1"]);
    expect(missedCallsDue(settings, calls, at("2026-11-23T10:00:01Z"))).toEqual([]);
  });

  it("none outside working hours", () => {
    expect(missedCallsDue(settings, calls, at("2026-11-16T20:00:00Z"))).toEqual([]);
  });
});

describe("expiredRecommendations", () => {
  const rec = (status: string, decideBy = "2026-11-20") => ({
    id: `r-${status}`,
    status,
    decideBy,
    madeAt: at("2026-11-06T10:00:00Z"),
  });

  it("the decide-by day is over at the next local midnight", () => {
    expect(decideByPassedAt("2026-11-20", "Europe/London").toISOString()).toBe("2026-11-21T00:00:00.000Z");
    expect(decideByPassedAt("2026-11-20", "America/New_York").toISOString()).toBe("2026-11-21T05:00:00.000Z");
  });

  it("a pending one expires at the end of its day, stamped with that instant however late the run", () => {
    expect(expiredRecommendations("Europe/London", [rec("pending")], at("2026-11-20T23:59:59Z"))).toEqual([]);
    const late = expiredRecommendations("Europe/London", [rec("pending")], at("2026-11-23T09:00:00Z"));
    expect(late.map((e) => e.ignoredAt.toISOString())).toEqual(["2026-11-21T00:00:00.000Z"]);
  });

  it("decided ones never; ignored ones again within a week (to queue a nudge a crash lost)", () => {
    const all = ["accepted", "declined", "risk_accepted", "ignored", "pending"].map((s) => rec(s));
    const ids = (now: string) =>
      expiredRecommendations("Europe/London", all, at(now)).map((e) => e.recommendation.id);
    expect(ids("2026-11-22T10:00:00Z")).toEqual(["r-ignored", "r-pending"]);
    expect(ids("2026-11-29T10:00:00Z")).toEqual(["r-pending"]);
  });

  it("is news (a nudge) only within a week of the decide-by day's end, however late it is recorded", () => {
    const news = (now: string) =>
      expiredRecommendations("Europe/London", [rec("pending")], at(now)).map((e) => e.news);
    expect(news("2026-11-23T09:00:00Z")).toEqual([true]);
    expect(news("2026-11-28T00:00:00Z")).toEqual([true]);
    expect(news("2026-11-28T00:00:01Z")).toEqual([false]);
    expect(news("2027-02-01T09:00:00Z")).toEqual([false]);
  });
});

describe("the digest schedule", () => {
  it("Monday 09:00 London: due from then, for the week before; a later run that week catches up", () => {
    expect(digestMomentOf(settings, at("2026-11-18T12:00:00Z")).toISOString()).toBe(
      "2026-11-16T09:00:00.000Z",
    );
    expect(digestWeekDue(settings, at("2026-11-16T08:59:59Z"))).toBeNull();
    expect(digestWeekDue(settings, at("2026-11-16T09:00:00Z"))?.label).toBe("2026-11-09");
    expect(digestWeekDue(settings, at("2026-11-22T23:59:00Z"))?.label).toBe("2026-11-09");
    // The next Monday before 09:00 is a new week whose moment has not come.
    expect(digestWeekDue(settings, at("2026-11-23T08:00:00Z"))).toBeNull();
  });

  it("Friday 16:00 in New York is 21:00 UTC in November", () => {
    const ny = { ...settings, timezone: "America/New_York", digestWeekday: 5, digestTime: "16:00" };
    expect(digestWeekDue(ny, at("2026-11-20T20:59:00Z"))).toBeNull();
    expect(digestWeekDue(ny, at("2026-11-20T21:00:00Z"))?.label).toBe("2026-11-09");
  });

  it("keeps local time across a DST change: Monday 09:00 BST is 08:00 UTC", () => {
    expect(digestWeekDue(settings, at("2026-03-30T07:59:00Z"))).toBeNull();
    expect(digestWeekDue(settings, at("2026-03-30T08:00:00Z"))?.label).toBe("2026-03-23");
  });
});
