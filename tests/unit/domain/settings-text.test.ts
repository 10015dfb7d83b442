import { describe, expect, it } from "vitest";
import {
  describeTarget,
  formatSlaTargets,
  formatWorkingHours,
  parseSlaTargets,
  parseWorkingHours,
} from "../../../src/domain/settings-text.ts";
import { DEFAULT_SETTINGS } from "../../../src/domain/partnership.ts";

describe("parseWorkingHours / formatWorkingHours", () => {
  it.each([
    "Mon-Fri 09:00-17:30",
    "Mon-Thu 08:00-12:00,13:00-17:00; Fri 08:00-15:00",
    "Mon 09:00-17:00; Wed 09:00-17:00; Sat 10:00-14:00",
    "Mon-Sun 00:00-24:00",
  ])("round-trips %s", (text) => {
    const parsed = parseWorkingHours(text);
    if (!("hours" in parsed)) throw new Error(parsed.error);
    expect(formatWorkingHours(parsed.hours)).toBe(text);
    expect(parseWorkingHours(formatWorkingHours(parsed.hours))).toEqual(parsed);
  });

  it("reads the two-span example into days", () => {
    expect(parseWorkingHours("Mon-Thu 08:00-12:00,13:00-17:00; Fri 08:00-15:00")).toEqual({
      hours: {
        "1": [
          { start: "08:00", end: "12:00" },
          { start: "13:00", end: "17:00" },
        ],
        "2": [
          { start: "08:00", end: "12:00" },
          { start: "13:00", end: "17:00" },
        ],
        "3": [
          { start: "08:00", end: "12:00" },
          { start: "13:00", end: "17:00" },
        ],
        "4": [
          { start: "08:00", end: "12:00" },
          { start: "13:00", end: "17:00" },
        ],
        "5": [{ start: "08:00", end: "15:00" }],
      },
    });
  });

  it("is lenient about spacing, case, day names and short times", () => {
    expect(parseWorkingHours("monday - friday 9 - 17:30")).toEqual(parseWorkingHours("Mon-Fri 09:00-17:30"));
  });

  it("formats the default hours", () => {
    expect(formatWorkingHours(DEFAULT_SETTINGS.workingHours)).toBe("Mon-Fri 09:00-17:30");
  });

  it.each([
    ["", /Give the working hours/],
    ["Mon-Fri", /not like/],
    ["Funday 09:00-17:00", /not a weekday/],
    ["Fri-Mon 09:00-17:00", /runs backwards/],
    ["Mon-Fri 17:00-09:00", /ends before it starts/],
    ["Mon-Fri 25:00-26:00", /not a time span/],
    ["Mon 09:00-13:00,12:00-17:00", /overlap/],
  ])("explains what is wrong with %j", (text, message) => {
    const parsed = parseWorkingHours(text);
    expect("error" in parsed ? parsed.error : "").toMatch(message);
  });
});

describe("parseSlaTargets / formatSlaTargets", () => {
  it("reads the documented example", () => {
    expect(parseSlaTargets("P1 15m/4h 24x7, P2 1h/8h, P3 4h/3d, P4 8h/10d")).toEqual({
      sla: DEFAULT_SETTINGS.sla,
    });
  });

  it("formats the defaults as the example", () => {
    expect(formatSlaTargets(DEFAULT_SETTINGS.sla)).toBe("P1 15m/4h 24x7, P2 1h/8h, P3 4h/3d, P4 8h/10d");
  });

  it.each([
    "P1 15m/4h 24x7, P2 1h/8h, P3 4h/3d, P4 8h/10d",
    "P1 10m/2h30m 24x7, P2 45m/1d, P3 2h/2d, P4 1d/5d",
    "P1 30m/48h 24x7, P2 1h30m/12h 24x7, P3 4h/16h, P4 8h/40h",
  ])("round-trips %s", (text) => {
    const parsed = parseSlaTargets(text);
    if (!("sla" in parsed)) throw new Error(parsed.error);
    expect(parseSlaTargets(formatSlaTargets(parsed.sla))).toEqual(parsed);
  });

  it("accepts other separators and any order", () => {
    expect(parseSlaTargets("p4 8h/10d; p3 4h/3d\np2 1h/8h business; P1 15m / 4h 24/7")).toEqual({
      sla: DEFAULT_SETTINGS.sla,
    });
  });

  it.each([
    ["P1 15m/4h 24x7, P2 1h/8h, P3 4h/3d", /missing: P4/],
    ["P1 15m/4h, P1 15m/4h, P2 1h/8h, P3 4h/3d, P4 8h/10d", /P1 is given twice/],
    ["P1 fast/4h, P2 1h/8h, P3 4h/3d, P4 8h/10d", /write times like/],
    ["P1 15m/1d 24x7, P2 1h/8h, P3 4h/3d, P4 8h/10d", /24x7 clock write days in hours/],
    ["P1 4h/15m, P2 1h/8h, P3 4h/3d, P4 8h/10d", /cannot be shorter/],
    ["P5 1h/2h", /is not like/],
  ])("explains what is wrong with %j", (text, message) => {
    const parsed = parseSlaTargets(text);
    expect("error" in parsed ? parsed.error : "").toMatch(message);
  });
});

describe("working hours text, more cases", () => {
  it("round-trips split days and formats the default hours", () => {
    // The parse itself is pinned by "reads the two-span example into days" above.
    const text = "Mon-Thu 08:00-12:00,13:00-17:00; Fri 08:00-15:00";
    const parsed = parseWorkingHours(text);
    expect("hours" in parsed && formatWorkingHours(parsed.hours)).toBe(text);
    expect(formatWorkingHours(DEFAULT_SETTINGS.workingHours)).toBe("Mon-Fri 09:00-17:30");
  });

  it("says what is wrong in one sentence", () => {
    expect(parseWorkingHours("")).toEqual({
      error: 'Give the working hours, for example "Mon-Fri 09:00-17:30"',
    });
    expect(parseWorkingHours("Fri-Mon 09:00-17:00")).toEqual({
      error: '"Fri-Mon" runs backwards; write days from Monday towards Sunday',
    });
    expect(parseWorkingHours("Mon 17:00-09:00")).toEqual({ error: '"17:00-09:00" ends before it starts' });
    expect(parseWorkingHours("Mon 09:00-13:00,12:00-17:00")).toEqual({
      error: "Two working spans of the same day overlap",
    });
  });
});

describe("SLA targets text", () => {
  it("reads and round-trips the defaults", () => {
    const text = formatSlaTargets(DEFAULT_SETTINGS.sla);
    expect(text).toBe("P1 15m/4h 24x7, P2 1h/8h, P3 4h/3d, P4 8h/10d");
    expect(parseSlaTargets(text)).toEqual({ sla: DEFAULT_SETTINGS.sla });
  });

  it("says what is wrong in one sentence", () => {
    expect(parseSlaTargets("P1 15m/4h, P1 1h/8h")).toEqual({ error: "P1 is given twice" });
    expect(parseSlaTargets("P1 1d/2d 24x7")).toMatchObject({ error: expect.stringMatching(/24x7 clock/) });
    expect(parseSlaTargets("P2 8h/1h")).toMatchObject({ error: expect.stringMatching(/cannot be shorter/) });
    expect(parseSlaTargets("P2 soon/later")).toMatchObject({
      error: expect.stringMatching(/write times like/),
    });
  });

  it("describes a target for people", () => {
    expect(describeTarget(DEFAULT_SETTINGS.sla.P3)).toBe(
      "respond within 4 h, resolve within 3 working days (working hours)",
    );
    expect(describeTarget(DEFAULT_SETTINGS.sla.P1)).toBe(
      "respond within 15 min, resolve within 4 h (around the clock)",
    );
  });
});
