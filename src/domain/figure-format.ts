import { DateTime } from "luxon";
/** "1 request", "3 requests": a count with its noun. */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** A duration in minutes for people: "45 min", "2 h 5 min", "3.5 days" (from 48 h up). */
export function formatMinutes(minutes: number): string {
  const m = Math.max(0, minutes);
  if (m < 59.5) return `${Math.round(m)} min`;
  if (m < 48 * 60) {
    const total = Math.round(m);
    const h = Math.floor(total / 60);
    const rest = total % 60;
    return rest === 0 ? `${h} h` : `${h} h ${rest} min`;
  }
  // Never "days": these are SLA-clock minutes, mostly working hours, and 1,440 of them are not a
  // day anyone would recognise (at 8.5 working hours a day they are nearly three).
  return `${Math.round(m / 60)} h`;
}

/** Real elapsed time (an age, not an SLA clock): minutes and hours up to two days, then days. */
export function formatElapsed(minutes: number): string {
  return minutes < 48 * 60 ? formatMinutes(minutes) : `${formatNumber(minutes / 1440)} days`;
}

/** A number with at most one decimal, trailing ".0" dropped: 3 → "3", 2.25 → "2.3". */
export function formatNumber(n: number): string {
  return String(Math.round(n * 10) / 10);
}

/** A ratio 0–1 as a whole percentage: 0.875 → "88%". */
export function formatPercent(ratio: number): string {
  return `${Math.round(ratio * 100)}%`;
}

/** An amount in an ISO 4217 currency, whole units: (1250, "GBP") → "£1,250". */
export function formatMoney(amount: number, currency: string): string {
  return new Intl.NumberFormat("en-GB", {
    style: "currency",
    currency,
    maximumFractionDigits: 0,
    minimumFractionDigits: 0,
  }).format(amount);
}

/** Real elapsed time between two instants: "45 min", "3 h 5 min", "2.5 days". */
export function elapsedBetween(from: Date, to: Date): string {
  return formatElapsed((to.getTime() - from.getTime()) / 60_000);
}

/** A date and time in `timezone` for people: "Tue 3 Mar 2026, 09:14 GMT". */
export function formatDateTime(date: Date, timezone: string): string {
  // It names the minute only, and since 1970 every zone's offset is a whole number of minutes:
  // every instant of a minute is written the same, so a minute's text is kept (each new issue's
  // card and confirmation write the same few minutes).
  const minute = Math.floor(date.getTime() / 60_000);
  if (!(minute >= 0)) return writeDateTime(date, timezone);
  const key = `${timezone} ${minute}`;
  let text = written.get(key);
  if (text === undefined) {
    if (written.size >= 1_000) written.clear();
    text = writeDateTime(date, timezone);
    written.set(key, text);
  }
  return text;
}

const written = new Map<string, string>();

/** `formatDateTime`'s text worked out afresh, nothing kept. */
export function writeDateTime(date: Date, timezone: string): string {
  const parts: Partial<Record<Intl.DateTimeFormatPartTypes, string>> = {};
  for (const part of dateTimeFormat(timezone).formatToParts(date)) parts[part.type] = part.value;
  const { weekday, day, month, year, hour, minute, timeZoneName } = parts;
  return `${weekday} ${day} ${month} ${year}, ${hour}:${minute} ${timeZoneName}`;
}

// Building a formatter (and reading a zone's rules) costs far more than formatting: one per zone.
const formats = new Map<string, Intl.DateTimeFormat>();

function dateTimeFormat(timezone: string): Intl.DateTimeFormat {
  let format = formats.get(timezone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-GB", {
      timeZone: timezone,
      weekday: "short",
      day: "numeric",
      month: "short",
      year: "numeric",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
      timeZoneName: "short",
    });
    formats.set(timezone, format);
  }
  return format;
}

/** A calendar date (YYYY-MM-DD) for people: "Fri 20 Mar 2026"; an unreadable one as it is. */
export function formatDay(isoDate: string): string {
  const day = DateTime.fromISO(isoDate, { zone: "UTC", locale: "en-GB" });
  return day.isValid ? day.toFormat("ccc d LLL yyyy") : isoDate;
}
