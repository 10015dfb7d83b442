import fc from "fast-check";
import { DateTime } from "luxon";
import { describe, it, expect } from "vitest";
import { lastCompleteWeek, previousWeeks, weekContaining, weekFromLabel } from "../../../src/domain/week.ts";

const H = 3_600_000;

describe("weekContaining", () => {
  it("runs Monday 00:00 to Monday 00:00 London, 167 h across the spring change", () => {
    const w = weekContaining(new Date("2026-03-29T12:00:00Z"), "Europe/London");
    expect(w.label).toBe("2026-03-23");
    expect(w.start).toEqual(new Date("2026-03-23T00:00:00Z"));
    expect(w.end).toEqual(new Date("2026-03-29T23:00:00Z"));
    expect(w.end.getTime() - w.start.getTime()).toBe(167 * H);
  });

  it("is 169 h across the autumn change in London", () => {
    const w = weekContaining(new Date("2026-10-21T12:00:00Z"), "Europe/London");
    expect(w.label).toBe("2026-10-19");
    expect(w.end.getTime() - w.start.getTime()).toBe(169 * H);
  });

  it("reads the date in the partnership's zone: Mon 02:00Z is still Sunday in New York", () => {
    const w = weekContaining(new Date("2026-03-09T02:00:00Z"), "America/New_York");
    expect(w.label).toBe("2026-03-02");
    expect(w.start).toEqual(new Date("2026-03-02T05:00:00Z"));
    expect(w.end).toEqual(new Date("2026-03-09T04:00:00Z"));
  });

  it("puts Monday 00:00 exactly in the new week", () => {
    expect(weekContaining(new Date("2026-03-09T00:00:00Z"), "Europe/London").label).toBe("2026-03-09");
  });
});

describe("lastCompleteWeek", () => {
  it("is the week before the one holding now", () => {
    const w = lastCompleteWeek(new Date("2026-03-30T08:00:00Z"), "Europe/London");
    expect(w.label).toBe("2026-03-23");
    expect(w.end.getTime()).toBeLessThanOrEqual(new Date("2026-03-30T08:00:00Z").getTime());
  });
});

describe("previousWeeks", () => {
  it("gives the 8 weeks ending with the given one, oldest first, edge to edge", () => {
    const tz = "America/New_York";
    const weeks = previousWeeks(weekContaining(new Date("2026-03-11T12:00:00Z"), tz), 8, tz);
    expect(weeks.map((w) => w.label)).toEqual([
      "2026-01-19",
      "2026-01-26",
      "2026-02-02",
      "2026-02-09",
      "2026-02-16",
      "2026-02-23",
      "2026-03-02",
      "2026-03-09",
    ]);
    for (let i = 1; i < weeks.length; i++) expect(weeks[i]?.start).toEqual(weeks[i - 1]?.end);
  });
});

describe("weekFromLabel", () => {
  it("accepts any day of the week and rejects a non-date", () => {
    expect(weekFromLabel("2026-03-25", "Europe/London").label).toBe("2026-03-23");
    expect(() => weekFromLabel("2026-13-40", "Europe/London")).toThrow(/YYYY-MM-DD/);
  });
});

describe("weeks remembered by zone", () => {
  const ZONES = [
    "Europe/London",
    "America/New_York",
    "Australia/Lord_Howe",
    "Asia/Kathmandu",
    "UTC",
    "Pacific/Apia",
  ];
  /** The week as luxon works it out, nothing remembered. */
  const fresh = (date: Date, tz: string) => {
    const monday = DateTime.fromJSDate(date, { zone: tz }).startOf("week");
    return {
      start: monday.toJSDate(),
      end: monday.plus({ weeks: 1 }).toJSDate(),
      label: monday.toISODate(),
      timezone: tz,
    };
  };

  it("gives every instant, asked in any order, the week luxon gives it, and the week before for the last complete one", () =>
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            fc.date({
              min: new Date("2010-01-01T00:00:00Z"),
              max: new Date("2040-01-01T00:00:00Z"),
              noInvalidDate: true,
            }),
            fc.constantFrom(...ZONES),
          ),
          { minLength: 1, maxLength: 40 },
        ),
        (asks) => {
          for (const [date, tz] of asks) {
            expect(weekContaining(date, tz)).toEqual(fresh(date, tz));
            const current = DateTime.fromJSDate(date, { zone: tz }).startOf("week");
            expect(lastCompleteWeek(date, tz)).toEqual(fresh(current.minus({ weeks: 1 }).toJSDate(), tz));
          }
        },
      ),
      { numRuns: 200 },
    ));

  it("hands out copies: changing one changes no later answer", () => {
    const at = new Date("2026-11-18T10:00:00Z");
    const first = weekContaining(at, "Europe/London");
    first.start.setTime(0);
    first.label = "changed";
    expect(weekContaining(at, "Europe/London")).toEqual(fresh(at, "Europe/London"));
  });
});
