import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { holidaysFromICalendar, holidayWindow } from "../../../src/domain/holiday-calendar.ts";

// England and Wales bank holidays as a calendar app exports them: yearly RRULEs (fixed dates and
// "first/last Monday of"), an EXDATE and a RECURRENCE-ID override for years a holiday moved,
// one-off and multi-day events, DTEND, DURATION or neither, folded lines, CRLF, a VTIMEZONE, an
// event at a time of day and a cancelled one.
const UK = readFileSync(new URL("../../fixtures/ical/uk-bank-holidays.ics", import.meta.url), "utf8");

/** A minimal calendar around some VEVENT lines. */
function calendar(...events: string[][]): string {
  const body = events.flatMap((lines, i) => ["BEGIN:VEVENT", `UID:event-${i}@test`, ...lines, "END:VEVENT"]);
  return ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//test//EN", ...body, "END:VCALENDAR", ""].join("\r\n");
}

function datesOf(text: string, window = { from: "2020-01-01", to: "2031-12-31" }): string[] {
  const result = holidaysFromICalendar(text, window);
  if ("error" in result) throw new Error(result.error);
  return result.dates;
}

describe("holidayWindow", () => {
  it("runs from 1 January of last year to 31 December five years ahead", () => {
    expect(holidayWindow("2026-03-04")).toEqual({ from: "2025-01-01", to: "2031-12-31" });
    expect(holidayWindow("2026-12-31")).toEqual({ from: "2025-01-01", to: "2031-12-31" });
  });
});

describe("holidaysFromICalendar", () => {
  it("reads a year of the UK calendar: yearly rules, a multi-day Easter, no timed or cancelled events", () => {
    expect(datesOf(UK).filter((d) => d.startsWith("2026"))).toEqual([
      "2026-01-01", // New Year's Day, FREQ=YEARLY
      "2026-04-03", // Easter weekend: DTSTART 3 April, DTEND 7 April (exclusive)
      "2026-04-04",
      "2026-04-05",
      "2026-04-06",
      "2026-05-04", // first Monday of May
      "2026-05-25", // last Monday of May, from a folded SUMMARY
      "2026-08-31", // last Monday of August
      "2026-12-25",
      "2026-12-26",
    ]);
    // Not the two minutes' silence on 8 November (a time of day), nor the withdrawn 18 September.
    expect(datesOf(UK)).not.toContain("2026-11-08");
    expect(datesOf(UK)).not.toContain("2026-09-18");
  });

  it("takes an all-day event without DTEND, or with DURATION, as one day", () => {
    expect(datesOf(UK).filter((d) => d.startsWith("2027-03"))).toEqual(["2027-03-26", "2027-03-29"]);
  });

  it("follows the years a holiday moved: an override (RECURRENCE-ID) and an EXDATE", () => {
    const y2020 = datesOf(UK).filter((d) => d.startsWith("2020-05"));
    expect(y2020).toEqual(["2020-05-08", "2020-05-25"]); // early May moved to VE Day, Friday 8 May
    const y2022 = datesOf(UK).filter((d) => /^2022-0[56]/.test(d));
    // The spring bank holiday of 30 May 2022 is excluded; the two-day Jubilee event stands instead.
    expect(y2022).toEqual(["2022-05-02", "2022-06-02", "2022-06-03"]);
  });

  it("expands yearly rules over the window only, and keeps every date once, sorted", () => {
    const dates = datesOf(UK, holidayWindow("2026-03-04"));
    expect(dates[0]).toBe("2025-01-01");
    expect(dates.at(-1)).toBe("2031-12-26");
    expect(dates.filter((d) => d.endsWith("-12-25"))).toHaveLength(7);
    expect([...dates].sort()).toEqual(dates);
    expect(new Set(dates).size).toBe(dates.length);
  });

  it("cuts a multi-day event at the window's edges, across a new year", () => {
    const text = calendar(["DTSTART;VALUE=DATE:20301230", "DTEND;VALUE=DATE:20320103", "SUMMARY:Closed"]);
    expect(datesOf(text, { from: "2030-12-31", to: "2031-01-02" })).toEqual([
      "2030-12-31",
      "2031-01-01",
      "2031-01-02",
    ]);
  });

  it("stops a rule without an end at the window, and skips an occurrence cancelled by an override", () => {
    const text = calendar(
      ["DTSTART;VALUE=DATE:19000101", "RRULE:FREQ=YEARLY", "SUMMARY:New Year"],
      ["DTSTART;VALUE=DATE:20260706", "RRULE:FREQ=WEEKLY;BYDAY=MO", "SUMMARY:Summer Mondays"],
    ).replace(
      "END:VCALENDAR",
      [
        "BEGIN:VEVENT",
        "UID:event-1@test",
        "RECURRENCE-ID;VALUE=DATE:20260713",
        "DTSTART;VALUE=DATE:20260713",
        "STATUS:CANCELLED",
        "SUMMARY:Summer Mondays",
        "END:VEVENT",
        "END:VCALENDAR",
      ].join("\r\n"),
    );
    expect(datesOf(text, { from: "2026-07-01", to: "2026-07-27" })).toEqual([
      "2026-07-06",
      "2026-07-20",
      "2026-07-27",
    ]);
  });

  it("reads a calendar with LF line endings and a byte-order mark", () => {
    expect(datesOf(`\uFEFF${UK.replace(/\r\n/g, "\n")}`)).toEqual(datesOf(UK));
  });

  it("gives no dates for a calendar without all-day events", () => {
    const text = calendar(["DTSTART:20261225T100000Z", "DTEND:20261225T110000Z", "SUMMARY:Carols"]);
    expect(holidaysFromICalendar(text, holidayWindow("2026-03-04"))).toEqual({ dates: [] });
  });

  const NOT_ICS = /^it is not an iCalendar file \(it does not begin with BEGIN:VCALENDAR\)$/;
  it.each([
    ["plain text", "Christmas: 25 December", NOT_ICS],
    ["an empty file", "", NOT_ICS],
    ["a vCard", "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Dana\r\nEND:VCARD\r\n", NOT_ICS],
    [
      "a broken line",
      "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nhello\r\nEND:VCALENDAR\r\n",
      /^it is not an iCalendar file \(invalid line/,
    ],
    [
      "a broken date",
      calendar(["DTSTART;VALUE=DATE:2026x", "SUMMARY:Oops"]),
      /^an event could not be read \(Could not extract integer/,
    ],
  ])("says in one sentence why %s is not a holiday calendar", (_what, text, error) => {
    const result = holidaysFromICalendar(text, holidayWindow("2026-03-04"));
    expect("error" in result ? result.error : "").toMatch(error);
  });
});
