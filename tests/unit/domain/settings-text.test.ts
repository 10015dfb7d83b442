import { describe, expect, it } from "vitest";
import {
  describeTarget,
  formatHolidays,
  formatSlaTargets,
  formatWorkingHours,
  holidaysForForm,
  keepUnshownHolidays,
  parseHolidays,
  parseSlaTargets,
  parseSlaTarget,
  parseWorkingHours,
  readAutoIntake,
  readCurrency,
  readDigestTime,
  readDigestWeekday,
  readDowntimeCost,
  readHolidays,
  readNearingPercent,
  readSlaTargets,
  readStaleDays,
  readTimezone,
  readUnansweredMinutes,
  readWorkingHours,
  SETTING_ERRORS,
  type SettingReading,
} from "../../../src/domain/settings-text.ts";
import { readSettingsForm, SETTINGS_FORM } from "../../../src/domain/forms.ts";
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

describe("parseHolidays / formatHolidays", () => {
  it("reads dates separated by commas, spaces and new lines into a sorted list without repeats", () => {
    expect(parseHolidays("2026-12-28, 2026-12-25\n2027-01-01  2026-12-25;\n\n")).toEqual({
      holidays: ["2026-12-25", "2026-12-28", "2027-01-01"],
    });
  });

  it("reads an empty text as no holidays", () => {
    expect(parseHolidays("")).toEqual({ holidays: [] });
    expect(parseHolidays(" \n, ")).toEqual({ holidays: [] });
  });

  it.each([
    ["2026-12-25, 25/12/2026", '"25/12/2026" is not a date like 2026-12-25 (YYYY-MM-DD)'],
    ["2026-12-25 Christmas", '"Christmas" is not a date like 2026-12-25 (YYYY-MM-DD)'],
    ["2026-1-5", '"2026-1-5" is not a date like 2026-12-25 (YYYY-MM-DD)'],
    ["2026-02-29", '"2026-02-29" is not a real date'],
    ["2026-13-01", '"2026-13-01" is not a real date'],
    [
      "2026-12-25,this-entry-is-much-too-long-to-quote-whole",
      '"this-entry-is-much-too-l…" is not a date like 2026-12-25 (YYYY-MM-DD)',
    ],
  ])("names the first bad entry of %j", (text, error) => {
    expect(parseHolidays(text)).toEqual({ error });
  });

  it("accepts 29 February in a leap year", () => {
    expect(parseHolidays("2028-02-29")).toEqual({ holidays: ["2028-02-29"] });
  });

  it("formats one date per line, or as a sentence, sorted, and reads its own text back", () => {
    const dates = ["2026-12-28", "2026-12-25"];
    expect(formatHolidays(dates)).toBe("2026-12-25\n2026-12-28");
    expect(formatHolidays(dates, ", ")).toBe("2026-12-25, 2026-12-28");
    expect(formatHolidays([])).toBe("");
    expect(parseHolidays(formatHolidays(dates))).toEqual({ holidays: ["2026-12-25", "2026-12-28"] });
  });
});

describe("holidays in a form of limited length", () => {
  const dates = ["2025-12-25", "2025-12-26", "2026-12-25", "2026-12-26"];

  it("shows every date when they fit", () => {
    expect(holidaysForForm(dates, 3000)).toEqual({ text: formatHolidays(dates), shownFrom: null });
    expect(holidaysForForm(dates, 43)).toEqual({ text: formatHolidays(dates), shownFrom: null });
  });

  it("shows the newest dates that fit, and from which one", () => {
    const form = holidaysForForm(dates, 42);
    expect(form).toEqual({ text: "2025-12-26\n2026-12-25\n2026-12-26", shownFrom: "2025-12-26" });
    expect(form.text.length).toBeLessThanOrEqual(42);
    expect(holidaysForForm(dates, 21)).toEqual({ text: "2026-12-25\n2026-12-26", shownFrom: "2026-12-25" });
    expect(holidaysForForm(dates, 20)).toEqual({ text: "2026-12-26", shownFrom: "2026-12-26" });
  });

  it("keeps, on saving, the dates the form did not show", () => {
    const saved = ["2026-12-24", "2026-12-25"];
    expect(keepUnshownHolidays(dates, "2025-12-26", saved)).toEqual([
      "2025-12-25",
      "2026-12-24",
      "2026-12-25",
    ]);
    expect(keepUnshownHolidays(dates, null, saved)).toEqual(saved);
  });
});

describe("one setting at a time: the readers the set-up form and `rapport partnership configure` share", () => {
  it.each([
    [readTimezone, " America/New_York ", "America/New_York"],
    [readDigestWeekday, "5", 5],
    [readDigestWeekday, "Fri", 5],
    [readDigestWeekday, "sunday", 7],
    [readDigestTime, "9:30", "09:30"],
    [readDigestTime, "16:30:00", "16:30"],
    [readUnansweredMinutes, "90", 90],
    [readNearingPercent, "80%", 80],
    [readStaleDays, "10", 10],
    [readDowntimeCost, "87.50", 87.5],
    [readDowntimeCost, "0", 0],
    [readCurrency, "usd", "USD"],
    [readAutoIntake, "on", true],
    [readAutoIntake, "true", true],
    [readAutoIntake, "off", false],
  ] as [(t: string) => SettingReading<unknown>, string, unknown][])("%o reads %s", (read, text, value) => {
    expect(read(text)).toEqual({ value });
  });

  it.each([
    [readTimezone, "Mars/Olympus", SETTING_ERRORS.timezone],
    [readDigestWeekday, "8", SETTING_ERRORS.digestWeekday],
    [readDigestWeekday, "mo", SETTING_ERRORS.digestWeekday],
    [readDigestTime, "9am", SETTING_ERRORS.digestTime],
    [readDigestTime, "25:00", SETTING_ERRORS.digestTime],
    [readUnansweredMinutes, "-5", SETTING_ERRORS.unansweredMinutes],
    [readUnansweredMinutes, "0", SETTING_ERRORS.unansweredMinutes],
    [readUnansweredMinutes, "ten", SETTING_ERRORS.unansweredMinutes],
    [readNearingPercent, "100", SETTING_ERRORS.nearingPercent],
    [readStaleDays, "1.5", SETTING_ERRORS.recommendationStaleDays],
    [readDowntimeCost, "-3", SETTING_ERRORS.downtimeCostPerHour],
    [readDowntimeCost, "£250", SETTING_ERRORS.downtimeCostPerHour],
    [readCurrency, "pounds", SETTING_ERRORS.currency],
    [readAutoIntake, "yes", SETTING_ERRORS.autoIntake],
  ] as [(t: string) => SettingReading<unknown>, string, string][])(
    "%o refuses %s in one sentence",
    (read, text, error) => {
      expect(read(text)).toEqual({ error });
      expect(error).toMatch(/^[A-Z].*\.$/);
      // No setting's internal name, no library's wording.
      expect(error).not.toMatch(/nudge\.|Minutes\b|expected|Too (small|big)/);
    },
  );

  it("reads working hours, holidays and targets as the form's parsers do", () => {
    expect(readWorkingHours("Mon-Fri 09:00-17:30")).toEqual({ value: DEFAULT_SETTINGS.workingHours });
    expect(readWorkingHours("Funday 9-5")).toEqual(parseWorkingHours("Funday 9-5"));
    expect(readHolidays("2026-12-26 2026-12-25")).toEqual({ value: ["2026-12-25", "2026-12-26"] });
    expect(readSlaTargets(formatSlaTargets(DEFAULT_SETTINGS.sla))).toEqual({ value: DEFAULT_SETTINGS.sla });
    expect(parseSlaTarget("P2", "30m/8h")).toEqual({
      value: { firstResponseMinutes: 30, resolutionMinutes: 480, clock: "business" },
    });
    expect(parseSlaTarget("P1", "15m/4h 24x7")).toEqual({ value: DEFAULT_SETTINGS.sla.P1 });
    expect(parseSlaTarget("P2", "8h/1h")).toEqual({
      error: "P2: the resolution target cannot be shorter than the first response",
    });
  });

  it("gives the set-up form the same sentences", () => {
    const read = readSettingsForm({
      [SETTINGS_FORM.timezone]: "Mars/Olympus",
      [SETTINGS_FORM.workingHours]: "Mon-Fri 09:00-17:30",
      [SETTINGS_FORM.sla]: formatSlaTargets(DEFAULT_SETTINGS.sla),
      [SETTINGS_FORM.digestDay]: "8",
      [SETTINGS_FORM.digestTime]: "later",
    });
    expect(read).toEqual({
      errors: {
        [SETTINGS_FORM.timezone]: SETTING_ERRORS.timezone,
        [SETTINGS_FORM.digestDay]: SETTING_ERRORS.digestWeekday,
        [SETTINGS_FORM.digestTime]: SETTING_ERRORS.digestTime,
      },
    });
  });
});
