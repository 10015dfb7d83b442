// Dates in cards, in the partnership's timezone with the zone named, so that both sides read
// the same instant the same way (the digest and the SLA clocks run in that timezone too).
import { DateTime } from "luxon";

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
