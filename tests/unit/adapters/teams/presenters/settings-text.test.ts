import { describe, expect, it } from "vitest";
import {
  describeTarget,
  formatSlaTargets,
  formatWorkingHours,
  parseSlaTargets,
  parseWorkingHours,
} from "../../../../../adapters/teams/presenters/settings-text.ts";
import { DEFAULT_SETTINGS } from "../../../../../src/index.ts";

describe("working hours text", () => {
  it("reads split days and round-trips", () => {
    const text = "Mon-Thu 08:00-12:00,13:00-17:00; Fri 08:00-15:00";
    const parsed = parseWorkingHours(text);
    expect(parsed).toEqual({
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
