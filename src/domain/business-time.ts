import { DateTime } from "luxon";
import { RapportError } from "./errors.ts";
import type { PartnershipSettings, SlaClock, WorkingHours, WorkingSpan } from "./partnership.ts";

/** When a partnership works: its IANA timezone, spans per ISO weekday and holiday dates (YYYY-MM-DD, local). */
export interface BusinessCalendar {
  timezone: string;
  workingHours: WorkingHours;
  holidays: readonly string[];
}

/** A stretch of time; `end: null` means still running (it runs to whatever cut-off is applied). */
export interface TimeInterval {
  start: Date;
  end: Date | null;
}

/** The calendar part of a partnership's settings. */
export function calendarOf(
  settings: Pick<PartnershipSettings, "timezone" | "workingHours" | "holidays">,
): BusinessCalendar {
  return {
    timezone: settings.timezone,
    workingHours: settings.workingHours,
    holidays: settings.holidays,
  };
}

// A calendar with no working day at all would make deadline searches run forever.
const MAX_SEARCH_DAYS = 366 * 5;

type DaySpan = { start: number; end: number };

function spanEdge(day: DateTime, hhmm: string): number {
  if (hhmm === "24:00") return day.plus({ days: 1 }).toMillis();
  const [h, m] = hhmm.split(":").map(Number);
  // Local wall-clock times resolved in the zone: a DST change moves the offset, never the span.
  return day.set({ hour: h ?? 0, minute: m ?? 0, second: 0, millisecond: 0 }).toMillis();
}

/** Working spans of one local day (`day` is that day's start in the calendar's zone), as epoch ms. */
function spansOf(calendar: BusinessCalendar, day: DateTime): DaySpan[] {
  if (calendar.holidays.includes(day.toISODate() ?? "")) return [];
  const key = String(day.weekday) as keyof WorkingHours;
  const spans: WorkingSpan[] = calendar.workingHours[key] ?? [];
  return spans
    .map((s) => ({ start: spanEdge(day, s.start), end: spanEdge(day, s.end) }))
    .sort((a, b) => a.start - b.start);
}

function startDay(calendar: BusinessCalendar, at: Date): DateTime {
  return DateTime.fromJSDate(at, { zone: calendar.timezone }).startOf("day");
}

/** Working milliseconds in [from, to); 0 when `to` is not after `from`. */
export function businessMillisBetween(calendar: BusinessCalendar, from: Date, to: Date): number {
  const a = from.getTime();
  const b = to.getTime();
  if (b <= a) return 0;
  let total = 0;
  for (let day = startDay(calendar, from); day.toMillis() < b; day = day.plus({ days: 1 })) {
    for (const span of spansOf(calendar, day)) {
      const s = Math.max(span.start, a);
      const e = Math.min(span.end, b);
      if (e > s) total += e - s;
    }
  }
  return total;
}

/** The instant at which `ms` working milliseconds have passed since `from` (a business-clock deadline). */
export function addBusinessMillis(calendar: BusinessCalendar, from: Date, ms: number): Date {
  const a = from.getTime();
  if (ms <= 0) return new Date(a);
  let remaining = ms;
  let day = startDay(calendar, from);
  for (let i = 0; i < MAX_SEARCH_DAYS; i++, day = day.plus({ days: 1 })) {
    for (const span of spansOf(calendar, day)) {
      const s = Math.max(span.start, a);
      if (span.end <= s) continue;
      if (remaining <= span.end - s) return new Date(s + remaining);
      remaining -= span.end - s;
    }
  }
  throw new RapportError(
    "config_invalid",
    "The partnership's working hours leave no working time: set working hours for at least one weekday.",
  );
}

/** True when `at` falls inside a working span (start inclusive, end exclusive). */
export function isWorkingInstant(calendar: BusinessCalendar, at: Date): boolean {
  const t = at.getTime();
  return spansOf(calendar, startDay(calendar, at)).some((s) => t >= s.start && t < s.end);
}

/**
 * Working days in [local date of `from`, local date of `to`): the days a party had to prepare.
 * A Monday announcement of a change on the next Monday gives 5 working days.
 */
export function workingDaysBetween(calendar: BusinessCalendar, from: Date, to: Date): number {
  const end = startDay(calendar, to).toMillis();
  let count = 0;
  for (let day = startDay(calendar, from); day.toMillis() < end; day = day.plus({ days: 1 })) {
    if (spansOf(calendar, day).length > 0) count++;
  }
  return count;
}

/** Overlapping or touching intervals merged, open ends closed at `cutoff`, sorted by start. */
export function mergeIntervals(
  intervals: readonly TimeInterval[],
  cutoff: Date,
): Array<{ start: Date; end: Date }> {
  const closed = intervals
    .map((i) => ({ start: i.start.getTime(), end: (i.end ?? cutoff).getTime() }))
    .filter((i) => i.end > i.start)
    .sort((x, y) => x.start - y.start);
  const merged: Array<{ start: number; end: number }> = [];
  for (const i of closed) {
    const last = merged[merged.length - 1];
    if (last && i.start <= last.end) last.end = Math.max(last.end, i.end);
    else merged.push({ ...i });
  }
  return merged.map((i) => ({ start: new Date(i.start), end: new Date(i.end) }));
}

const HOUR_MS = 3_600_000;
// No time zone changes its offset twice within this span, so equal offsets at both ends mean none.
const SAME_OFFSET_SPAN_MS = 20 * 24 * HOUR_MS;
// Offsets never move by more than this at once, so a clock set back is found within it.
const MAX_SHIFT_MS = 3 * HOUR_MS;

function offsetMs(timezone: string, at: number): number {
  return DateTime.fromMillis(at, { zone: timezone }).offset * 60_000;
}

/**
 * The local wall clock at `at` as a never-decreasing count of milliseconds: the time an office
 * clock shows. When the clocks go forward it jumps ahead an hour; when they go back it stands
 * still through the repeated hour. So the night the clocks change counts as a normal night, and a
 * scenario moved to any other week keeps every duration to the minute.
 */
export function wallClock(timezone: string, at: number): number {
  const now = offsetMs(timezone, at);
  const before = offsetMs(timezone, at - MAX_SHIFT_MS);
  if (before <= now) return at + now;
  // The clocks went back within the last few hours: find when, and hold still for the repeat.
  let lo = at - MAX_SHIFT_MS;
  let hi = at;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (offsetMs(timezone, mid) === before) lo = mid;
    else hi = mid;
  }
  return Math.max(at + now, hi + before);
}

/**
 * Milliseconds in [from, to) on the local wall clock (`wallClock`): what the 24×7 SLA clock,
 * downtime and ages count. Every local day is 24 h, including the days the clocks change.
 */
export function dayMillisBetween(timezone: string, from: Date, to: Date): number {
  const a = from.getTime();
  const b = to.getTime();
  if (b <= a) return 0;
  const offsetA = offsetMs(timezone, a);
  if (
    b - a < SAME_OFFSET_SPAN_MS &&
    offsetA === offsetMs(timezone, b) &&
    offsetA === offsetMs(timezone, a - MAX_SHIFT_MS)
  ) {
    return b - a;
  }
  return Math.max(0, wallClock(timezone, b) - wallClock(timezone, a));
}

/** The first instant at which `ms` of wall-clock time (see `dayMillisBetween`) has run since `from`. */
export function addDayMillis(timezone: string, from: Date, ms: number): Date {
  const a = from.getTime();
  if (ms <= 0) return new Date(a);
  const goal = wallClock(timezone, a) + ms;
  // Real time runs at least as far as the wall clock, less an hour skipped in spring or so.
  let lo = a;
  let hi = a + ms + MAX_SHIFT_MS;
  if (wallClock(timezone, hi) < goal) hi = a + ms + 2 * MAX_SHIFT_MS;
  if (dayMillisBetween(timezone, from, new Date(a + ms)) === ms) return new Date(a + ms);
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (wallClock(timezone, mid) >= goal) hi = mid;
    else lo = mid;
  }
  return new Date(hi);
}

function rawClockMillis(calendar: BusinessCalendar, clock: SlaClock, from: Date, to: Date): number {
  if (clock === "24x7") return dayMillisBetween(calendar.timezone, from, to);
  return businessMillisBetween(calendar, from, to);
}

/** True when the clock runs at `at`: always on 24×7, inside a working span on the business clock. */
export function clockRunsAt(calendar: BusinessCalendar, clock: SlaClock, at: Date): boolean {
  return clock === "24x7" || isWorkingInstant(calendar, at);
}

/** `at` when it is a working instant, else the start of the next working span. */
export function nextWorkingInstant(calendar: BusinessCalendar, at: Date): Date {
  if (isWorkingInstant(calendar, at)) return at;
  // One working millisecond after `at` ends one millisecond into the next span.
  return new Date(addBusinessMillis(calendar, at, 1).getTime() - 1);
}

/**
 * Clock time in [from, to) minus the paused intervals: "24x7" counts every local day as 24 h
 * (`dayMillisBetween`), "business" counts working time only. Open paused intervals run to `to`.
 */
export function clockMillisBetween(
  calendar: BusinessCalendar,
  clock: SlaClock,
  from: Date,
  to: Date,
  paused: readonly TimeInterval[] = [],
): number {
  if (to.getTime() <= from.getTime()) return 0;
  let total = rawClockMillis(calendar, clock, from, to);
  for (const p of mergeIntervals(paused, to)) {
    const s = new Date(Math.max(p.start.getTime(), from.getTime()));
    const e = new Date(Math.min(p.end.getTime(), to.getTime()));
    total -= rawClockMillis(calendar, clock, s, e);
  }
  return Math.max(0, total);
}

function addClockMillis(calendar: BusinessCalendar, clock: SlaClock, from: Date, ms: number): Date {
  if (clock === "24x7") return addDayMillis(calendar.timezone, from, ms);
  return addBusinessMillis(calendar, from, ms);
}

/**
 * The instant at which `ms` of clock time has run since `from`, skipping paused intervals; null
 * when an open pause stops the clock before then (the deadline is not yet known).
 */
export function clockDeadline(
  calendar: BusinessCalendar,
  clock: SlaClock,
  from: Date,
  ms: number,
  paused: readonly TimeInterval[] = [],
): Date | null {
  const farFuture = new Date(8.64e15);
  let t = from;
  let remaining = ms;
  for (const p of mergeIntervals(paused, farFuture)) {
    if (p.end.getTime() <= t.getTime()) continue;
    const free = p.start.getTime() > t.getTime() ? rawClockMillis(calendar, clock, t, p.start) : 0;
    if (remaining <= free) return addClockMillis(calendar, clock, t, remaining);
    remaining -= free;
    if (p.end.getTime() === farFuture.getTime()) return null;
    t = p.end;
  }
  return addClockMillis(calendar, clock, t, remaining);
}

/**
 * Calendar days from `from` to `to` in `timezone` (fractional): a week across a DST change is
 * 7 days, not 167 or 169 hours ÷ 24.
 */
export function calendarDaysBetween(timezone: string, from: Date, to: Date): number {
  const zoned = (d: Date) => DateTime.fromJSDate(d, { zone: timezone });
  return zoned(to).diff(zoned(from), "days").days;
}
