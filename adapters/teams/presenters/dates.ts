// Dates in cards, in the partnership's timezone with the zone named, so that both sides read
// the same instant the same way (the digest and the SLA clocks run in that timezone too).
import { DateTime } from "luxon";

/** A date and time in `timezone` for people: "Wed 4 Mar 2026, 09:40 GMT". */
export function formatDateTime(date: Date, timezone: string): string {
  return DateTime.fromJSDate(date, { zone: timezone })
    .setLocale("en-GB")
    .toFormat("ccc d LLL yyyy, HH:mm ZZZZ");
}

/** A calendar date (YYYY-MM-DD) for people: "Wed 18 Mar 2026"; an unreadable one as it is. */
export function formatDay(isoDate: string): string {
  const day = DateTime.fromISO(isoDate, { zone: "UTC", locale: "en-GB" });
  return day.isValid ? day.toFormat("ccc d LLL yyyy") : isoDate;
}

/** Real elapsed time between two instants: "45 min", "3 h 5 min", "2.5 days". */
export function elapsed(from: Date, to: Date): string {
  const minutes = Math.max(0, Math.round((to.getTime() - from.getTime()) / 60_000));
  if (minutes < 60) return `${minutes} min`;
  if (minutes < 48 * 60) {
    const h = Math.floor(minutes / 60);
    const m = minutes % 60;
    return m === 0 ? `${h} h` : `${h} h ${m} min`;
  }
  return `${Math.round((minutes / 1440) * 10) / 10} days`;
}

/** Today's date (YYYY-MM-DD) in `timezone`, `plusDays` later. */
export function isoDay(now: Date, timezone: string, plusDays = 0): string {
  return DateTime.fromJSDate(now, { zone: timezone }).plus({ days: plusDays }).toISODate() ?? "";
}

/**
 * A date and time typed in the partnership's timezone, as an instant; null when both are empty.
 * A time alone means today; a date alone is an error, since "that day" is not a time.
 */
export function readDateTime(
  date: string | undefined,
  time: string | undefined,
  { now, timezone }: { now: Date; timezone: string },
): Date | null | "unreadable" | "no time" {
  if (!date && !time) return null;
  if (!time) return "no time";
  const day = date || (DateTime.fromJSDate(now, { zone: timezone }).toISODate() ?? "");
  const parsed = DateTime.fromISO(`${day}T${time}`, { zone: timezone });
  return parsed.isValid && /^\d{4}-\d{2}-\d{2}$/.test(day) ? parsed.toJSDate() : "unreadable";
}
