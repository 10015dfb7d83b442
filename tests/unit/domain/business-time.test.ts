import { describe, it, expect } from "vitest";
import {
  addBusinessMillis,
  addDayMillis,
  businessMillisBetween,
  clockDeadline,
  clockMillisBetween,
  dayMillisBetween,
  isWorkingInstant,
  nextWorkingInstant,
  workingDaysBetween,
  type BusinessCalendar,
} from "../../../src/domain/business-time.ts";
import { WEEKDAYS_0900_1730 } from "./build-events.ts";

const H = 3_600_000;
const d = (iso: string) => new Date(iso);

const london: BusinessCalendar = {
  timezone: "Europe/London",
  workingHours: WEEKDAYS_0900_1730,
  holidays: [],
};
const newYork: BusinessCalendar = { ...london, timezone: "America/New_York" };
const everyDay = {
  ...WEEKDAYS_0900_1730,
  "6": WEEKDAYS_0900_1730["1"] ?? [],
  "7": WEEKDAYS_0900_1730["1"] ?? [],
};
const londonAllWeek: BusinessCalendar = { ...london, workingHours: everyDay };
const newYorkAllWeek: BusinessCalendar = { ...newYork, workingHours: everyDay };

describe("businessMillisBetween", () => {
  it("skips the weekend: Fri 16:30 → Mon 10:00 is 1 h + 1 h", () => {
    expect(businessMillisBetween(london, d("2026-03-06T16:30:00Z"), d("2026-03-09T10:00:00Z"))).toBe(2 * H);
  });

  it("skips holidays: Thu 17:00 → Tue 10:00 over Good Friday and Easter Monday is 0.5 h + 1 h", () => {
    const cal = { ...london, holidays: ["2026-04-03", "2026-04-06"] };
    // BST (UTC+1): local 17:00 is 16:00Z, local 10:00 is 09:00Z.
    expect(businessMillisBetween(cal, d("2026-04-02T16:00:00Z"), d("2026-04-07T09:00:00Z"))).toBe(1.5 * H);
  });

  it("leaves out a lunch gap: Wed 11:00 → 14:00 with 12:00–13:00 off is 2 h", () => {
    const cal = {
      ...london,
      workingHours: {
        ...WEEKDAYS_0900_1730,
        "3": [
          { start: "09:00", end: "12:00" },
          { start: "13:00", end: "17:00" },
        ],
      },
    };
    expect(businessMillisBetween(cal, d("2026-03-04T11:00:00Z"), d("2026-03-04T14:00:00Z"))).toBe(2 * H);
    expect(addBusinessMillis(cal, d("2026-03-04T11:30:00Z"), H)).toEqual(d("2026-03-04T13:30:00Z"));
  });

  it("is 0 when the end is not after the start", () => {
    expect(businessMillisBetween(london, d("2026-03-03T12:00:00Z"), d("2026-03-03T10:00:00Z"))).toBe(0);
  });
});

describe("DST: the business clock never shifts a minute, the 24x7 clock counts every local day as 24 h", () => {
  const cases = [
    {
      cal: londonAllWeek,
      name: "London spring",
      start: "2026-03-29T00:00:00Z",
      end: "2026-03-29T23:00:00Z",
      realHours: 23,
    },
    {
      cal: londonAllWeek,
      name: "London autumn",
      start: "2026-10-24T23:00:00Z",
      end: "2026-10-26T00:00:00Z",
      realHours: 25,
    },
    {
      cal: newYorkAllWeek,
      name: "New York spring",
      start: "2026-03-08T05:00:00Z",
      end: "2026-03-09T04:00:00Z",
      realHours: 23,
    },
    {
      cal: newYorkAllWeek,
      name: "New York autumn",
      start: "2026-11-01T04:00:00Z",
      end: "2026-11-02T05:00:00Z",
      realHours: 25,
    },
  ];
  for (const c of cases) {
    it(`${c.name}: the change day (local midnight to midnight, ${c.realHours} real hours) is 8.5 h business and 24 h 24x7`, () => {
      expect(d(c.end).getTime() - d(c.start).getTime()).toBe(c.realHours * H);
      expect(businessMillisBetween(c.cal, d(c.start), d(c.end))).toBe(8.5 * H);
      expect(clockMillisBetween(c.cal, "business", d(c.start), d(c.end))).toBe(8.5 * H);
      expect(clockMillisBetween(c.cal, "24x7", d(c.start), d(c.end))).toBe(24 * H);
      expect(dayMillisBetween(c.cal.timezone, d(c.start), d(c.end))).toBe(24 * H);
    });
  }

  // Fri 17:00 → Mon 09:30 local is 2 days 16.5 h = 64.5 h whatever the clocks did in between.
  it("London spring: Fri 17:00 GMT → Mon 09:30 BST is 1 h business and 64.5 h 24x7 (63.5 real)", () => {
    const from = d("2026-03-27T17:00:00Z");
    const to = d("2026-03-30T08:30:00Z");
    expect(clockMillisBetween(london, "business", from, to)).toBe(1 * H);
    expect(clockMillisBetween(london, "24x7", from, to)).toBe(64.5 * H);
    expect(addBusinessMillis(london, from, H)).toEqual(to);
  });

  it("London autumn: Fri 17:00 BST → Mon 09:30 GMT is 1 h business and 64.5 h 24x7 (65.5 real)", () => {
    const from = d("2026-10-23T16:00:00Z");
    const to = d("2026-10-26T09:30:00Z");
    expect(clockMillisBetween(london, "business", from, to)).toBe(1 * H);
    expect(clockMillisBetween(london, "24x7", from, to)).toBe(64.5 * H);
  });

  it("New York spring: Fri 17:00 EST → Mon 09:30 EDT is 1 h business and 64.5 h 24x7 (63.5 real)", () => {
    const from = d("2026-03-06T22:00:00Z");
    const to = d("2026-03-09T13:30:00Z");
    expect(clockMillisBetween(newYork, "business", from, to)).toBe(1 * H);
    expect(clockMillisBetween(newYork, "24x7", from, to)).toBe(64.5 * H);
    expect(addBusinessMillis(newYork, from, H)).toEqual(to);
  });

  it("New York autumn: Fri 17:00 EDT → Mon 09:30 EST is 1 h business and 64.5 h 24x7 (65.5 real)", () => {
    const from = d("2026-10-30T21:00:00Z");
    const to = d("2026-11-02T14:30:00Z");
    expect(clockMillisBetween(newYork, "business", from, to)).toBe(1 * H);
    expect(clockMillisBetween(newYork, "24x7", from, to)).toBe(64.5 * H);
  });

  it("a London week with the spring change holds 5 × 8.5 h of business time", () => {
    expect(businessMillisBetween(london, d("2026-03-23T00:00:00Z"), d("2026-03-29T23:00:00Z"))).toBe(
      42.5 * H,
    );
  });
});

describe("dayMillisBetween and addDayMillis: the 24x7 clock as the office clock runs", () => {
  const tz = "Europe/London";

  it("counts the hour the clocks skip: 00:00 GMT → 03:00 BST on 29 March is 2 real hours, 3 h", () => {
    expect(dayMillisBetween(tz, d("2026-03-29T00:00:00Z"), d("2026-03-29T02:00:00Z"))).toBe(3 * H);
  });

  it("counts the repeated hour once: 00:30 BST → 01:30 GMT on 25 October is 2 real hours, 1.5 h", () => {
    // 00:30 → 02:00 BST runs (1.5 h); the clock then stands still through 01:00–01:30 GMT.
    expect(dayMillisBetween(tz, d("2026-10-24T23:30:00Z"), d("2026-10-25T01:30:00Z"))).toBe(1.5 * H);
    // Inside the repeated hour nothing runs.
    expect(dayMillisBetween(tz, d("2026-10-25T01:10:00Z"), d("2026-10-25T01:50:00Z"))).toBe(0);
  });

  it("is real time on an ordinary day and 7 × 24 h over a whole week with a change", () => {
    expect(dayMillisBetween(tz, d("2026-03-02T09:00:00Z"), d("2026-03-02T09:15:00Z"))).toBe(0.25 * H);
    // Monday 23 March 00:00 GMT → Monday 30 March 00:00 BST: 167 real hours.
    expect(dayMillisBetween(tz, d("2026-03-23T00:00:00Z"), d("2026-03-29T23:00:00Z"))).toBe(168 * H);
    expect(dayMillisBetween(tz, d("2026-03-02T10:00:00Z"), d("2026-03-02T09:00:00Z"))).toBe(0);
  });

  it("23:00 + 4 h is 03:00 local on either change night: 3 real hours in March, 5 in October", () => {
    expect(addDayMillis(tz, d("2026-03-28T23:00:00Z"), 4 * H)).toEqual(d("2026-03-29T02:00:00Z"));
    expect(addDayMillis(tz, d("2026-10-24T22:00:00Z"), 4 * H)).toEqual(d("2026-10-25T03:00:00Z"));
    expect(addDayMillis(tz, d("2026-11-07T23:00:00Z"), 4 * H)).toEqual(d("2026-11-08T03:00:00Z"));
  });

  it("gives the first instant at which the time has run, around both changes", () => {
    const starts = [
      "2026-03-28T22:47:00Z",
      "2026-03-29T00:59:00Z",
      "2026-10-24T23:59:00Z",
      "2026-10-25T01:20:00Z",
    ];
    for (const start of starts) {
      for (const ms of [15 * 60_000, H, 4 * H, 24 * H]) {
        const end = addDayMillis(tz, d(start), ms);
        expect(dayMillisBetween(tz, d(start), end)).toBeGreaterThanOrEqual(ms);
        expect(dayMillisBetween(tz, d(start), new Date(end.getTime() - 1))).toBeLessThan(ms);
      }
    }
  });

  it("reaches a target inside the skipped hour when the clocks go forward", () => {
    // 00:59 GMT + 15 min would be 01:14, which never shows: at 01:00 GMT the clock reads 02:00 BST.
    const from = d("2026-03-29T00:59:00Z");
    expect(addDayMillis(tz, from, 15 * 60_000)).toEqual(d("2026-03-29T01:00:00Z"));
    expect(dayMillisBetween(tz, from, d("2026-03-29T01:00:00Z"))).toBe(61 * 60_000);
  });
});

describe("nextWorkingInstant", () => {
  it("an instant at work is itself; after Friday's close it is Monday 09:00", () => {
    expect(nextWorkingInstant(london, d("2026-11-18T12:34:00Z"))).toEqual(d("2026-11-18T12:34:00Z"));
    expect(nextWorkingInstant(london, d("2026-11-20T17:30:00Z"))).toEqual(d("2026-11-23T09:00:00Z"));
    expect(nextWorkingInstant(london, d("2026-11-17T06:00:00Z"))).toEqual(d("2026-11-17T09:00:00Z"));
  });

  it("skips a holiday", () => {
    const withHoliday = { ...london, holidays: ["2026-11-23"] };
    expect(nextWorkingInstant(withHoliday, d("2026-11-21T10:00:00Z"))).toEqual(d("2026-11-24T09:00:00Z"));
  });
});

describe("addBusinessMillis", () => {
  it("carries a deadline over the weekend: Fri 17:00 + 1 h → Mon 09:30", () => {
    expect(addBusinessMillis(london, d("2026-03-06T17:00:00Z"), H)).toEqual(d("2026-03-09T09:30:00Z"));
  });

  it("starts outside hours at the next opening: Sat 12:00 + 30 min → Mon 09:30", () => {
    expect(addBusinessMillis(london, d("2026-03-07T12:00:00Z"), 0.5 * H)).toEqual(d("2026-03-09T09:30:00Z"));
  });

  it("ends exactly at closing rather than the next opening: Mon 17:00 + 30 min → Mon 17:30", () => {
    expect(addBusinessMillis(london, d("2026-03-02T17:00:00Z"), 0.5 * H)).toEqual(d("2026-03-02T17:30:00Z"));
  });

  it("refuses a calendar with no working time", () => {
    expect(() =>
      addBusinessMillis({ ...london, workingHours: {} as never }, d("2026-03-02T09:00:00Z"), H),
    ).toThrow(/working hours/);
  });
});

describe("isWorkingInstant", () => {
  it("is true from opening (inclusive) to closing (exclusive) on working days only", () => {
    const cal = { ...london, holidays: ["2026-03-03"] };
    expect(isWorkingInstant(cal, d("2026-03-02T09:00:00Z"))).toBe(true);
    expect(isWorkingInstant(cal, d("2026-03-02T08:59:59Z"))).toBe(false);
    expect(isWorkingInstant(cal, d("2026-03-02T17:30:00Z"))).toBe(false);
    expect(isWorkingInstant(cal, d("2026-03-03T10:00:00Z"))).toBe(false);
    expect(isWorkingInstant(cal, d("2026-03-07T10:00:00Z"))).toBe(false);
  });

  it("reads local time: 08:30Z on a BST Monday is 09:30 London, working", () => {
    expect(isWorkingInstant(london, d("2026-03-30T08:30:00Z"))).toBe(true);
  });
});

describe("clockMillisBetween with paused intervals", () => {
  const from = d("2026-03-02T09:00:00Z");
  const to = d("2026-03-03T12:00:00Z");
  const paused = [
    { start: d("2026-03-02T10:00:00Z"), end: d("2026-03-02T11:00:00Z") },
    { start: d("2026-03-03T09:30:00Z"), end: null },
  ];

  it("business: 11.5 h minus 1 h and an open 2.5 h pause is 8 h", () => {
    expect(clockMillisBetween(london, "business", from, to, paused)).toBe(8 * H);
  });

  it("24x7: 27 h minus 1 h and 2.5 h is 23.5 h", () => {
    expect(clockMillisBetween(london, "24x7", from, to, paused)).toBe(23.5 * H);
  });

  it("overlapping pauses are subtracted once: 10:00–11:00 and 10:30–11:30 pause 1.5 h", () => {
    const overlapping = [
      { start: d("2026-03-02T10:00:00Z"), end: d("2026-03-02T11:00:00Z") },
      { start: d("2026-03-02T10:30:00Z"), end: d("2026-03-02T11:30:00Z") },
    ];
    expect(clockMillisBetween(london, "business", from, d("2026-03-02T12:00:00Z"), overlapping)).toBe(
      1.5 * H,
    );
  });
});

describe("clockDeadline", () => {
  it("business 4 h from Mon 09:00 paused Mon 10:00 → Tue 10:00 falls on Tue 13:00", () => {
    const paused = [{ start: d("2026-03-02T10:00:00Z"), end: d("2026-03-03T10:00:00Z") }];
    expect(clockDeadline(london, "business", d("2026-03-02T09:00:00Z"), 4 * H, paused)).toEqual(
      d("2026-03-03T13:00:00Z"),
    );
  });

  it("is unknown (null) while an open pause holds the clock before the target", () => {
    const paused = [{ start: d("2026-03-02T10:00:00Z"), end: null }];
    expect(clockDeadline(london, "business", d("2026-03-02T09:00:00Z"), 4 * H, paused)).toBeNull();
  });

  it("24x7 15 min from Sat 10:00 is Sat 10:15", () => {
    expect(clockDeadline(london, "24x7", d("2026-03-07T10:00:00Z"), 0.25 * H)).toEqual(
      d("2026-03-07T10:15:00Z"),
    );
  });
});

describe("workingDaysBetween", () => {
  it("counts the announcement day, not the change day: Mon → next Mon is 5", () => {
    expect(workingDaysBetween(london, d("2026-03-02T10:00:00Z"), d("2026-03-09T09:00:00Z"))).toBe(5);
  });

  it("Sat → next Fri is 4 (Mon–Thu)", () => {
    expect(workingDaysBetween(london, d("2026-03-07T10:00:00Z"), d("2026-03-13T09:00:00Z"))).toBe(4);
  });
});
