import { describe, expect, it } from "vitest";
import { DEFAULT_SETTINGS, type PartnershipSettings } from "../../../src/domain/partnership.ts";
import { constantHistory, type SettingsHistory } from "../../../src/domain/settings-history.ts";
import {
  breachInstant,
  budgetUsed,
  clockTimeBetween,
  priorityIn,
  type PriorityHistory,
} from "../../../src/domain/sla-clock.ts";
import type { Priority } from "../../../src/domain/vocabulary.ts";

// DEFAULT_SETTINGS: Europe/London, Mon–Fri 09:00–17:30; first response P1 15 min (24×7), P2 60,
// P3 240, P4 480 business minutes; resolution P2 480 business minutes. November 2026 is GMT, so
// local time = Z. 2026-11-13 is a Friday, 2026-11-16 a Monday.
const history = constantHistory(DEFAULT_SETTINGS);
const at = (iso: string) => new Date(iso);
const MIN = 60_000;

/** A priority history: the first entry from the report, then each change. */
function priorities(...steps: Array<[string, Priority]>): PriorityHistory {
  return steps.map(([from, priority]) => ({ from: at(from), priority }));
}

const firstResponseBreach = (p: PriorityHistory, paused = [] as Parameters<typeof breachInstant>[4]) =>
  breachInstant(history, p, p[0]!.from, "firstResponseMinutes", paused)?.toISOString() ?? null;

describe("breachInstant: the first instant at which more than the target has run", () => {
  it("is the target's end inside working hours: P2 reported Monday 09:00 breaches at 10:00", () => {
    expect(firstResponseBreach(priorities(["2026-11-16T09:00:00Z", "P2"]))).toBe("2026-11-16T10:00:00.000Z");
  });

  it("moves a target used up exactly at Friday's close to Monday's opening", () => {
    // P2 reported Friday 16:30: 60 min run out at 17:30, the close. Nothing more runs until
    // Monday 09:00, so an answer at 09:00 still meets the target, and none by then is a breach there.
    const p = priorities(["2026-11-13T16:30:00Z", "P2"]);
    expect(firstResponseBreach(p)).toBe("2026-11-16T09:00:00.000Z");
    const used = (iso: string) => budgetUsed(history, p, p[0]!.from, at(iso), "firstResponseMinutes");
    expect(used("2026-11-13T17:30:00Z")).toBe(1);
    expect(used("2026-11-16T09:00:00Z")).toBe(1);
    expect(used("2026-11-16T09:01:00Z")).toBeCloseTo(61 / 60, 12);
  });

  it("runs a P1 on the 24×7 clock through the night and the weekend", () => {
    expect(firstResponseBreach(priorities(["2026-11-14T03:00:00Z", "P1"]))).toBe("2026-11-14T03:15:00.000Z");
  });

  it("waiting on the client pauses it: an hour's question moves the breach an hour later", () => {
    const p = priorities(["2026-11-16T09:00:00Z", "P2"]);
    const wait = [{ start: at("2026-11-16T09:30:00Z"), end: at("2026-11-16T10:30:00Z") }];
    expect(firstResponseBreach(p, wait)).toBe("2026-11-16T11:00:00.000Z");
  });

  it("is unknown while a question still open holds the clock before the target runs out", () => {
    const p = priorities(["2026-11-16T09:00:00Z", "P2"]);
    expect(firstResponseBreach(p, [{ start: at("2026-11-16T09:30:00Z"), end: null }])).toBeNull();
  });
});

describe("breachInstant: each minute uses the budget of the priority in force during it", () => {
  it("lowering the priority after the breach does not undo it", () => {
    // P2 from 09:00: the 60 min ran out at 10:00; the change to P4 at 10:30 comes too late.
    const p = priorities(["2026-11-16T09:00:00Z", "P2"], ["2026-11-16T10:30:00Z", "P4"]);
    expect(firstResponseBreach(p)).toBe("2026-11-16T10:00:00.000Z");
    expect(priorityIn(p, at("2026-11-16T10:00:00Z").getTime())).toBe("P2");
  });

  it("lowering it before the breach stretches the rest of the budget at the new target", () => {
    // P1 10:00–10:05 on 24×7 uses 5 ÷ 15 = 1/3; the other 2/3 of P3's 240 business minutes is
    // 160 min: 10:05 + 2 h 40 = 12:45.
    const p = priorities(["2026-11-17T10:00:00Z", "P1"], ["2026-11-17T10:05:00Z", "P3"]);
    expect(firstResponseBreach(p)).toBe("2026-11-17T12:45:00.000Z");
  });

  it("raising it mid-way spends the remaining budget at the new target", () => {
    // P3 09:00–11:00 uses 120 ÷ 240 = 1/2; the other half of P2's 60 min is 30 min: 11:30.
    const p = priorities(["2026-11-16T09:00:00Z", "P3"], ["2026-11-16T11:00:00Z", "P2"]);
    expect(firstResponseBreach(p)).toBe("2026-11-16T11:30:00.000Z");
    expect(budgetUsed(history, p, p[0]!.from, at("2026-11-16T11:15:00Z"), "firstResponseMinutes")).toBe(0.75);
  });

  it("raising it to a P1 out of hours starts the 24×7 clock at once", () => {
    // P3 Friday 16:30–17:30 uses 60 ÷ 240 = 1/4; nothing runs 17:30–20:00 on the business clock;
    // from 20:00 the remaining 3/4 of 15 min on 24×7 is 11¼ min: 20:11:15.
    const p = priorities(["2026-11-13T16:30:00Z", "P3"], ["2026-11-13T20:00:00Z", "P1"]);
    expect(firstResponseBreach(p)).toBe("2026-11-13T20:11:15.000Z");
  });

  it("raising it never breaches in hindsight", () => {
    // P4 09:00–13:00 uses 240 ÷ 480 = 1/2. Had it been a P2 all along it would have breached at
    // 10:00; raised at 13:00, it has the other half of P2's 60 min left: 13:30.
    const p = priorities(["2026-11-16T09:00:00Z", "P4"], ["2026-11-16T13:00:00Z", "P2"]);
    expect(firstResponseBreach(p)).toBe("2026-11-16T13:30:00.000Z");
  });
});

describe("breachInstant under the settings in force minute by minute", () => {
  it("a longer target from 09:30 stretches only the minutes after it", () => {
    const longer: PartnershipSettings = {
      ...DEFAULT_SETTINGS,
      sla: { ...DEFAULT_SETTINGS.sla, P2: { ...DEFAULT_SETTINGS.sla.P2, firstResponseMinutes: 120 } },
    };
    const changed: SettingsHistory = [
      { from: at("1970-01-01T00:00:00Z"), settings: DEFAULT_SETTINGS },
      { from: at("2026-11-16T09:30:00Z"), settings: longer },
    ];
    // 09:00–09:30 uses 30 ÷ 60 = 1/2; the other half of 120 min is 60 min: 10:30.
    const p = priorities(["2026-11-16T09:00:00Z", "P2"]);
    expect(breachInstant(changed, p, p[0]!.from, "firstResponseMinutes")?.toISOString()).toBe(
      "2026-11-16T10:30:00.000Z",
    );
  });
});

describe("clockTimeBetween: clock minutes on the clock of the priority in force", () => {
  it("adds business minutes under a P4 and 24×7 minutes under a P1", () => {
    // P4 Friday 16:30–17:30 (60 business min, the evening does not count), P1 from 20:00 to 20:30.
    const p = priorities(["2026-11-13T16:30:00Z", "P4"], ["2026-11-13T20:00:00Z", "P1"]);
    expect(clockTimeBetween(history, p, p[0]!.from, at("2026-11-13T20:30:00Z")) / MIN).toBe(90);
  });

  it("leaves out paused time and is 0 for an empty span", () => {
    const p = priorities(["2026-11-16T09:00:00Z", "P2"]);
    const wait = [{ start: at("2026-11-16T09:30:00Z"), end: null }];
    expect(clockTimeBetween(history, p, p[0]!.from, at("2026-11-16T12:00:00Z"), wait) / MIN).toBe(30);
    expect(clockTimeBetween(history, p, at("2026-11-16T12:00:00Z"), at("2026-11-16T11:00:00Z"))).toBe(0);
  });
});

describe("priorityIn", () => {
  it("is the reported priority before any change and the latest change after it", () => {
    const p = priorities(["2026-11-16T09:00:00Z", "P3"], ["2026-11-16T11:00:00Z", "P1"]);
    expect(priorityIn(p, at("2026-11-16T08:00:00Z").getTime())).toBe("P3");
    expect(priorityIn(p, at("2026-11-16T10:59:59Z").getTime())).toBe("P3");
    expect(priorityIn(p, at("2026-11-16T11:00:00Z").getTime())).toBe("P1");
  });
});
