import { DateTime } from "luxon";
import { RapportError } from "./errors.ts";
import { offsetMs } from "./zone-offsets.ts";
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

const DAY_MS = 86_400_000;
/** Entries a zone's caches may hold before they start again: years of days, far more than a digest needs. */
const CACHE_LIMIT = 100_000;

/**
 * One local day of a zone, kept: working out a day's start, weekday, date and spans with luxon
 * reads the zone's rules each time, and every figure of a week walks the same few days.
 */
interface LocalDay {
  start: number;
  end: number;
  weekday: number;
  date: string;
  dt: DateTime;
  next: LocalDay | null;
  /**
   * The day's spans for each weekday schedule it was asked with, by the schedule's text: every
   * partnership with the same hours shares them (the weekly job computes hundreds).
   */
  spans: Map<string, DaySpan[]>;
}

interface ZoneDays {
  byStart: Map<number, LocalDay>;
  /** The days overlapping each UTC day (index = floor(ms / DAY_MS)). */
  byUtcDay: Map<number, LocalDay[]>;
}

const zoneDays = new Map<string, ZoneDays>();

function daysOf(timezone: string): ZoneDays {
  let z = zoneDays.get(timezone);
  if (!z || z.byStart.size > CACHE_LIMIT) {
    z = { byStart: new Map(), byUtcDay: new Map() };
    zoneDays.set(timezone, z);
  }
  return z;
}

function dayFrom(timezone: string, dt: DateTime): LocalDay {
  const z = daysOf(timezone);
  const start = dt.toMillis();
  const known = z.byStart.get(start);
  if (known) return known;
  const day: LocalDay = {
    start,
    end: dt.plus({ days: 1 }).toMillis(),
    weekday: dt.weekday,
    date: dt.toISODate() ?? "",
    dt,
    next: null,
    spans: new Map(),
  };
  z.byStart.set(start, day);
  for (let i = Math.floor(day.start / DAY_MS); i <= Math.floor((day.end - 1) / DAY_MS); i++) {
    const list = z.byUtcDay.get(i);
    if (list) list.push(day);
    else z.byUtcDay.set(i, [day]);
  }
  return day;
}

/** The local day holding `at`. */
function localDayAt(timezone: string, at: number): LocalDay {
  for (const d of daysOf(timezone).byUtcDay.get(Math.floor(at / DAY_MS)) ?? []) {
    if (at >= d.start && at < d.end) return d;
  }
  return dayFrom(timezone, DateTime.fromMillis(at, { zone: timezone }).startOf("day"));
}

function nextDay(timezone: string, day: LocalDay): LocalDay {
  return (day.next ??= dayFrom(timezone, day.dt.plus({ days: 1 })));
}

function spanEdge(day: DateTime, hhmm: string): number {
  if (hhmm === "24:00") return day.plus({ days: 1 }).toMillis();
  const [h, m] = hhmm.split(":").map(Number);
  // Local wall-clock times resolved in the zone: a DST change moves the offset, never the span.
  return day.set({ hour: h ?? 0, minute: m ?? 0, second: 0, millisecond: 0 }).toMillis();
}

/** Working spans of one local day, as epoch ms. */
function spansOf(calendar: BusinessCalendar, day: LocalDay): DaySpan[] {
  if (calendar.holidays.includes(day.date)) return [];
  const key = String(day.weekday) as keyof WorkingHours;
  const spans: readonly WorkingSpan[] = calendar.workingHours[key] ?? NO_SPANS;
  const text = scheduleText(spans);
  let out = day.spans.get(text);
  if (!out) {
    out = spans
      .map((s) => ({ start: spanEdge(day.dt, s.start), end: spanEdge(day.dt, s.end) }))
      .sort((a, b) => a.start - b.start);
    day.spans.set(text, out);
  }
  return out;
}

const NO_SPANS: readonly WorkingSpan[] = [];
const scheduleTexts = new WeakMap<readonly WorkingSpan[], string>();

/** A weekday schedule as text ("09:00-17:30 …"), worked out once per schedule object. */
function scheduleText(spans: readonly WorkingSpan[]): string {
  let text = scheduleTexts.get(spans);
  if (text === undefined) {
    text = spans.map((s) => `${s.start}-${s.end}`).join(" ");
    scheduleTexts.set(spans, text);
  }
  return text;
}

function startDay(calendar: BusinessCalendar, at: Date): LocalDay {
  return localDayAt(calendar.timezone, at.getTime());
}

/** Working milliseconds in [from, to); 0 when `to` is not after `from`. */
export function businessMillisBetween(calendar: BusinessCalendar, from: Date, to: Date): number {
  const a = from.getTime();
  const b = to.getTime();
  if (b <= a) return 0;
  let total = 0;
  for (let day = startDay(calendar, from); day.start < b; day = nextDay(calendar.timezone, day)) {
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
  for (let i = 0; i < MAX_SEARCH_DAYS; i++, day = nextDay(calendar.timezone, day)) {
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
  const end = startDay(calendar, to).start;
  let count = 0;
  for (let day = startDay(calendar, from); day.start < end; day = nextDay(calendar.timezone, day)) {
    if (spansOf(calendar, day).length > 0) count++;
  }
  return count;
}

/** Overlapping or touching intervals merged, open ends closed at `cutoff`, sorted by start. */
export function mergeIntervals(
  intervals: readonly TimeInterval[],
  cutoff: Date,
): Array<{ start: Date; end: Date }> {
  if (intervals.length === 0) return [];
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
