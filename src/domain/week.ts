import { DateTime } from "luxon";
import { RapportError } from "./errors.ts";
import { Remembered } from "./remembered.ts";

/** One reporting week: Monday 00:00 (inclusive) to the next Monday 00:00 (exclusive), local to `timezone`. */
export interface Week {
  start: Date;
  end: Date;
  /** The Monday's local date, YYYY-MM-DD: the week's stable name. */
  label: string;
  timezone: string;
}

function weekFrom(monday: DateTime, timezone: string): Week {
  return {
    start: monday.toJSDate(),
    // Calendar arithmetic, not 7 × 24 h: a DST week is 167 h or 169 h long.
    end: monday.plus({ weeks: 1 }).toJSDate(),
    label: monday.toISODate() ?? "",
    timezone,
  };
}

/** The week that holds `date` in `timezone`. */
export function weekContaining(date: Date, timezone: string): Week {
  const t = date.getTime();
  const weeks = knownWeeks.get(timezone, () => []);
  const known = weeks.find((w) => w.start.getTime() <= t && t < w.end.getTime());
  if (known) return copyOf(known);
  // Luxon's "week" is the ISO week, which starts on Monday.
  const week = weekFrom(DateTime.fromJSDate(date, { zone: timezone }).startOf("week"), timezone);
  if (weeks.length >= WEEKS_KEPT_PER_ZONE) weeks.shift();
  weeks.push(week);
  return copyOf(week);
}

/**
 * The weeks worked out before, by zone: every digest, nudge and job run asks about the same few
 * weeks in the same few zones, and luxon reads the zone's rules each time.
 */
const knownWeeks = new Remembered<Week[]>(500);
const WEEKS_KEPT_PER_ZONE = 64;

/** A week the caller may keep or change. */
function copyOf(w: Week): Week {
  return { ...w, start: new Date(w.start), end: new Date(w.end) };
}

/** The most recent week that has fully ended by `now`: the week before the one holding `now`. */
export function lastCompleteWeek(now: Date, timezone: string): Week {
  const current = weekContaining(now, timezone);
  return weekContaining(new Date(current.start.getTime() - 1), timezone);
}

/** The `n` weeks ending with `week` (inclusive), oldest first: `previousWeeks(w, 8, tz)` is w's 8-week trend window. */
export function previousWeeks(week: Week, n: number, timezone: string): Week[] {
  const known = trendWeeks.get(`${timezone} ${week.start.getTime()} ${n}`, () => {
    const monday = DateTime.fromJSDate(week.start, { zone: timezone }).startOf("week");
    const weeks: Week[] = [];
    for (let i = n - 1; i >= 0; i--) weeks.push(weekFrom(monday.minus({ weeks: i }), timezone));
    return weeks;
  });
  // Fresh objects: a caller may keep or change what it is given.
  return known.map(copyOf);
}

/**
 * Trend windows worked out before, by zone, week and length: the weekly job asks the same one for
 * every partnership, and luxon reads the zone's rules each time.
 */
const trendWeeks = new Remembered<Week[]>(1000);

/** The week named by a label (any date in it, YYYY-MM-DD, local); throws invalid_input for a bad date. */
export function weekFromLabel(label: string, timezone: string): Week {
  const day = DateTime.fromISO(label, { zone: timezone });
  if (!/^\d{4}-\d{2}-\d{2}$/.test(label) || !day.isValid) {
    throw new RapportError("invalid_input", `"${label}" is not a date: give the week as YYYY-MM-DD.`);
  }
  return weekFrom(day.startOf("week"), timezone);
}
