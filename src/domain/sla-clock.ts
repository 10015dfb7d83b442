import {
  calendarOf,
  clockDeadline,
  clockMillisBetween,
  clockRunsAt,
  mergeIntervals,
  nextWorkingInstant,
  type BusinessCalendar,
  type TimeInterval,
} from "./business-time.ts";
import type { PartnershipSettings, SlaClock, SlaTarget } from "./partnership.ts";
import { settingsAt, settingsChangesBetween, type SettingsHistory } from "./settings-history.ts";
import type { Priority } from "./vocabulary.ts";

// An issue's clocks, minute by minute: each minute runs on the clock of the priority in force
// during it, under the settings in force during it. A priority change or a settings change splits
// the time into segments; within a segment both are constant.

/** Every priority an issue had, from when; the first also covers the time before it. */
export type PriorityHistory = ReadonlyArray<{ from: Date; priority: Priority }>;

/** Which target of a priority a clock is measured against. */
export type TargetKind = "firstResponseMinutes" | "resolutionMinutes";

interface Segment {
  start: number;
  end: number;
  priority: Priority;
  settings: PartnershipSettings;
  calendar: BusinessCalendar;
  clock: SlaClock;
}

const FAR_FUTURE = 8.64e15;

/** The priority in force at `at` (the first one before any change). */
export function priorityIn(priorities: PriorityHistory, at: number): Priority {
  let current = priorities[0]!.priority;
  for (const change of priorities) if (change.from.getTime() <= at) current = change.priority;
  return current;
}

const calendars = new WeakMap<PartnershipSettings, BusinessCalendar>();

/** The calendar of a settings version, made once per version (every segment of every issue asks). */
function calendarFor(settings: PartnershipSettings): BusinessCalendar {
  let calendar = calendars.get(settings);
  if (!calendar) {
    calendar = calendarOf(settings);
    calendars.set(settings, calendar);
  }
  return calendar;
}

function segmentAt(history: SettingsHistory, priorities: PriorityHistory, at: number, end: number): Segment {
  const settings = settingsAt(history, new Date(at));
  const priority = priorityIn(priorities, at);
  return {
    start: at,
    end,
    priority,
    settings,
    calendar: calendarFor(settings),
    clock: settings.sla[priority].clock,
  };
}

/** The segments of [from, to): a new one wherever the priority or the settings change. */
function segmentsOf(
  history: SettingsHistory,
  priorities: PriorityHistory,
  from: number,
  to: number,
): Segment[] {
  // Most spans see no change of priority or settings: one segment.
  if (nextCut(history, priorities, from) >= to) return [segmentAt(history, priorities, from, to)];
  const cuts = new Set<number>(settingsChangesBetween(history, from, to));
  for (const p of priorities) {
    const t = p.from.getTime();
    if (t > from && t < to) cuts.add(t);
  }
  const edges = [from, ...[...cuts].sort((a, b) => a - b), to];
  const segments: Segment[] = [];
  for (let i = 0; i + 1 < edges.length; i++) {
    segments.push(segmentAt(history, priorities, edges[i]!, edges[i + 1]!));
  }
  return segments;
}

/** The next instant after `at` at which the priority or the settings change (FAR_FUTURE if none). */
function nextCut(history: SettingsHistory, priorities: PriorityHistory, at: number): number {
  let next = FAR_FUTURE;
  for (const v of history) {
    const t = v.from.getTime();
    if (t > at && t < next) next = t;
  }
  for (const p of priorities) {
    const t = p.from.getTime();
    if (t > at && t < next) next = t;
  }
  return next;
}

/**
 * Clock milliseconds in [from, to) minus `paused`, each minute on the clock of the priority and
 * settings in force during it.
 */
export function clockTimeBetween(
  history: SettingsHistory,
  priorities: PriorityHistory,
  from: Date,
  to: Date,
  paused: readonly TimeInterval[] = [],
): number {
  if (to.getTime() <= from.getTime()) return 0;
  let total = 0;
  for (const s of segmentsOf(history, priorities, from.getTime(), to.getTime())) {
    total += clockMillisBetween(s.calendar, s.clock, new Date(s.start), new Date(s.end), paused);
  }
  return total;
}

/**
 * The instant at which an issue's target budget is used up: each clock millisecond under priority
 * p uses 1 / target(p) of it. Null when a pause still open stops the clock first.
 */
function budgetSpentAt(
  history: SettingsHistory,
  priorities: PriorityHistory,
  from: Date,
  kind: TargetKind,
  paused: readonly TimeInterval[],
): Date | null {
  let remaining = 1;
  let at = from.getTime();
  for (let guard = 0; guard < 10_000; guard++) {
    const end = nextCut(history, priorities, at);
    const s = segmentAt(history, priorities, at, end);
    const targetMs = (s.settings.sla[s.priority] as SlaTarget)[kind] * 60_000;
    const needMs = Math.round(remaining * targetMs);
    // The last segment runs for ever: the budget runs out in it, or an open pause holds it (null).
    if (end >= FAR_FUTURE) return clockDeadline(s.calendar, s.clock, new Date(at), needMs, paused);
    // Otherwise only a budget used up inside this segment ends here; a pause opening later (under
    // another priority) must not hide what happens before it.
    const used = clockMillisBetween(s.calendar, s.clock, new Date(at), new Date(end), paused);
    if (used >= needMs) return clockDeadline(s.calendar, s.clock, new Date(at), needMs, paused);
    remaining -= used / targetMs;
    at = end;
  }
  return null;
}

/** The first instant at or after `at` at which the clock runs (not paused, on its clock's time). */
function nextRunningInstant(
  history: SettingsHistory,
  priorities: PriorityHistory,
  at: number,
  paused: readonly TimeInterval[],
): Date | null {
  const pauses = mergeIntervals(paused, new Date(FAR_FUTURE));
  let t = at;
  for (let guard = 0; guard < 10_000; guard++) {
    const pause = pauses.find((p) => p.start.getTime() <= t && t < p.end.getTime());
    if (pause) {
      if (pause.end.getTime() >= FAR_FUTURE) return null;
      t = pause.end.getTime();
      continue;
    }
    const s = segmentAt(history, priorities, t, nextCut(history, priorities, t));
    if (clockRunsAt(s.calendar, s.clock, new Date(t))) return new Date(t);
    // Off hours: on to the next opening, unless the priority or the settings change sooner.
    t = Math.min(nextWorkingInstant(s.calendar, new Date(t)).getTime(), s.end);
  }
  return null;
}

/**
 * The breach instant of a target: the first instant at which more than the target has run. Work
 * done at or before it meets the target; at it, unanswered work is breached. On the business
 * clock a target used up exactly at the close of a day is breached at the next opening (an answer
 * at 09:00 on Monday still meets a target that ran out at 17:30 on Friday). Null while an open
 * pause (waiting on the client) keeps the budget from running out.
 */
export function breachInstant(
  history: SettingsHistory,
  priorities: PriorityHistory,
  from: Date,
  kind: TargetKind,
  paused: readonly TimeInterval[] = [],
): Date | null {
  const spent = budgetSpentAt(history, priorities, from, kind, paused);
  return spent === null ? null : nextRunningInstant(history, priorities, spent.getTime(), paused);
}

/** The share of a target's budget used from `from` to `to` (1 = exactly at target), minute by minute. */
export function budgetUsed(
  history: SettingsHistory,
  priorities: PriorityHistory,
  from: Date,
  to: Date,
  kind: TargetKind,
  paused: readonly TimeInterval[] = [],
): number {
  if (to.getTime() <= from.getTime()) return 0;
  let used = 0;
  for (const s of segmentsOf(history, priorities, from.getTime(), to.getTime())) {
    const targetMs = s.settings.sla[s.priority][kind] * 60_000;
    used += clockMillisBetween(s.calendar, s.clock, new Date(s.start), new Date(s.end), paused) / targetMs;
  }
  return used;
}
