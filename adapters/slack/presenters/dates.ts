// Dates in messages: Slack's date token shows each reader their own timezone; the fallback
// (for notifications and old clients) uses the partnership's.
import { DateTime } from "luxon";

/** Slack's date token for `date`, with a fallback in `timezone` such as "Tue 3 Mar 2026, 09:14 GMT". */
export function slackDate(date: Date, timezone: string, format = "{date_short_pretty} at {time}"): string {
  const unix = Math.floor(date.getTime() / 1000);
  return `<!date^${unix}^${format}|${fallbackDate(date, timezone)}>`;
}

/** A date and time in `timezone` for people: "Tue 3 Mar 2026, 09:14 GMT". */
export function fallbackDate(date: Date, timezone: string): string {
  return DateTime.fromJSDate(date, { zone: timezone })
    .setLocale("en-GB")
    .toFormat("ccc d LLL yyyy, HH:mm ZZZZ");
}

/** A calendar date (YYYY-MM-DD) for people: "Fri 20 Mar 2026"; an unreadable one as it is. */
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
