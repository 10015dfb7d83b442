import { DateTime } from "luxon";
import { calendarOf, isWorkingInstant } from "./business-time.ts";
import { constantHistory, type SettingsHistory } from "./settings-history.ts";
import { budgetUsed, clockTimeBetween } from "./sla-clock.ts";
import type { IssueFacts } from "./issue-timeline.ts";
import type { PartnershipSettings } from "./partnership.ts";
import type { Priority } from "./vocabulary.ts";
import { lastCompleteWeek, weekContaining, type Week } from "./week.ts";
import { Remembered } from "./remembered.ts";

// What the jobs owe someone at an instant. Pure: the jobs read the store, ask these functions,
// and enqueue what they answer; the outbox makes each answer count once.

const MS_PER_MINUTE = 60_000;

/** The settings the nudge rules read. */
export type NudgeSettings = Pick<
  PartnershipSettings,
  "timezone" | "workingHours" | "holidays" | "sla" | "nudge" | "digestWeekday" | "digestTime"
>;

/** How far a request is from its first-response target. */
export type SlaNudgeKind = "nearing" | "breached";

/** An unanswered request the provider lead should hear about now. */
export interface SlaNudge {
  issueId: string;
  key: string;
  title: string;
  priority: Priority;
  kind: SlaNudgeKind;
  /** Clock minutes since the report (waiting on the client excluded), rounded down. */
  elapsedMinutes: number;
  targetMinutes: number;
}

/** What the SLA rules need of an issue: its replayed facts. */
export type NudgeIssue = Pick<
  IssueFacts,
  | "issueId"
  | "key"
  | "title"
  | "priority"
  | "priorities"
  | "status"
  | "reportedAt"
  | "firstResponseAt"
  | "waiting"
>;

/**
 * Whether a nudge about a `priority` request may be sent at `at`: a P1 on a 24×7 clock at any
 * time, everything else only at a working instant (nobody is woken for a P3).
 */
export function mayNudgeAt(settings: NudgeSettings, priority: Priority, at: Date): boolean {
  if (priority === "P1" && settings.sla.P1.clock === "24x7") return true;
  return isWorkingInstant(calendarOf(settings), at);
}

/**
 * The first-response stage an issue has reached at `now`, by the same rule as the digest: the
 * budget is used minute by minute under the priority in force during each minute, "breached" once
 * more than all of it has run (a reply at exactly the target still meets it), "nearing" from
 * `nearingPercent` of it; null when answered, resolved or not yet near.
 */
export function slaStage(
  settings: NudgeSettings,
  issue: NudgeIssue,
  now: Date,
  history: SettingsHistory = constantHistory(settings as PartnershipSettings),
): SlaNudge | null {
  if (issue.firstResponseAt !== null || issue.status === "resolved") return null;
  const priorities = issue.priorities.length
    ? issue.priorities
    : [{ from: issue.reportedAt, priority: issue.priority }];
  const used = budgetUsed(history, priorities, issue.reportedAt, now, "firstResponseMinutes", issue.waiting);
  const kind: SlaNudgeKind | null =
    used > 1 + 1e-9 ? "breached" : used * 100 >= settings.nudge.nearingPercent - 1e-9 ? "nearing" : null;
  if (!kind) return null;
  const elapsed = clockTimeBetween(history, priorities, issue.reportedAt, now, issue.waiting);
  return {
    issueId: issue.issueId,
    key: issue.key,
    title: issue.title,
    priority: issue.priority,
    kind,
    elapsedMinutes: Math.floor(elapsed / MS_PER_MINUTE),
    targetMinutes: settings.sla[issue.priority].firstResponseMinutes,
  };
}

/**
 * The least time from a report to the moment its request can first reach a nudge stage: the
 * nearing share of the shortest first-response target any version of the settings sets (a budget
 * is used no faster than the wall clock runs). A request reported more recently is not due yet,
 * whatever happened to it since.
 */
export function leastAgeToNudgeMs(settings: NudgeSettings, history?: SettingsHistory): number {
  const versions = [settings, ...(history ?? []).map((v) => v.settings)];
  const shortest = Math.min(
    ...versions.flatMap((v) => Object.values(v.sla).map((t) => t.firstResponseMinutes)),
  );
  return Math.max(
    0,
    Math.floor((shortest * MS_PER_MINUTE * settings.nudge.nearingPercent) / 100) - MS_PER_MINUTE,
  );
}

/**
 * How long a fact stays news: a nudge is about something that happened in the world within this
 * window (a threshold crossed, a call missed, a decide-by date passed). Long enough to span a
 * long weekend, when a P3's nudge waits for the next working minute.
 */
export const NUDGE_WINDOW_MS = 7 * 24 * 60 * MS_PER_MINUTE;

/**
 * The SLA nudges due at `now` (with the settings in force minute by minute, when given): each
 * issue's stage, where a nudge about its priority may go out now, unless the issue had already
 * reached that stage `windowMs` ago: then it is old news, not a nudge.
 */
export function slaNudgesDue(
  settings: NudgeSettings,
  issues: readonly NudgeIssue[],
  now: Date,
  history?: SettingsHistory,
  windowMs = NUDGE_WINDOW_MS,
): SlaNudge[] {
  return issues.flatMap((issue) => {
    const stage = slaStage(settings, issue, now, history);
    if (!stage || !mayNudgeAt(settings, issue.priority, now)) return [];
    const windowStart = new Date(now.getTime() - windowMs);
    if (windowStart > issue.reportedAt) {
      const then = slaStage(settings, issue, windowStart, history);
      if (then && (then.kind === stage.kind || then.kind === "breached")) return [];
    }
    return [stage];
  });
}

/** A call as the missed-call rule sees it. */
export interface NudgeCall {
  callId: string;
  status: "held" | "missed";
  /** When it was to take place, and so when it was missed: the nudge is about news in the world. */
  happenedAt: Date;
}

/**
 * Calls missed within the window (by when they were to take place, however late they were
 * logged), when a nudge may go out (a working instant): the lead hears of a missed call in the
 * morning, not at midnight.
 */
export function missedCallsDue<C extends NudgeCall>(
  settings: NudgeSettings,
  calls: readonly C[],
  now: Date,
  windowMs = NUDGE_WINDOW_MS,
): C[] {
  if (!isWorkingInstant(calendarOf(settings), now)) return [];
  const since = now.getTime() - windowMs;
  return calls.filter(
    (c) =>
      c.status === "missed" && c.happenedAt.getTime() >= since && c.happenedAt.getTime() <= now.getTime(),
  );
}

/** The instant a decide-by date (YYYY-MM-DD, local) has passed: the start of the next local day. */
export function decideByPassedAt(decideBy: string, timezone: string): Date {
  return DateTime.fromISO(decideBy, { zone: timezone }).startOf("day").plus({ days: 1 }).toJSDate();
}

/** A recommendation as the expiry rule sees it. */
export interface ExpiringRecommendation {
  id: string;
  status: string;
  decideBy: string;
  madeAt: Date;
}

/**
 * Recommendations whose decide-by day is over at `now`, each with the instant it became ignored
 * (the end of that day, never before it was made: a late run records the same instant) and
 * whether that is news (within the window: only then is the client lead nudged). Pending ones are
 * to be recorded as ignored, however old; ones already ignored within the window come back too,
 * so a run that died between recording and queueing the nudge gets to queue it.
 */
export function expiredRecommendations<R extends ExpiringRecommendation>(
  timezone: string,
  recommendations: readonly R[],
  now: Date,
  windowMs = NUDGE_WINDOW_MS,
): Array<{ recommendation: R; ignoredAt: Date; news: boolean }> {
  return recommendations.flatMap((r) => {
    const passed = decideByPassedAt(r.decideBy, timezone);
    if (passed.getTime() > now.getTime()) return [];
    const ignoredAt = passed < r.madeAt ? r.madeAt : passed;
    const news = ignoredAt.getTime() >= now.getTime() - windowMs;
    if (r.status !== "pending" && !(r.status === "ignored" && news)) return [];
    return [{ recommendation: r, ignoredAt, news }];
  });
}

/** The digest moment of the week holding `at`: its digest weekday at its digest time, local. */
export function digestMomentOf(settings: NudgeSettings, at: Date): Date {
  const week = weekContaining(at, settings.timezone);
  const key = `${settings.timezone} ${week.label} ${settings.digestWeekday} ${settings.digestTime}`;
  const moment = digestMoments.get(key, () => {
    const monday = DateTime.fromJSDate(week.start, { zone: settings.timezone });
    const [hour, minute] = settings.digestTime.split(":").map(Number);
    return monday
      .plus({ days: settings.digestWeekday - 1 })
      .set({ hour: hour ?? 0, minute: minute ?? 0, second: 0, millisecond: 0 })
      .toMillis();
  });
  return new Date(moment);
}

// Digest moments worked out before, by zone, week, weekday and time: the scheduler asks for every
// partnership every minute, and most share a few schedules.
const digestMoments = new Remembered<number>(5_000);

/**
 * The week whose digest is due at `now`: the last complete week, once this week's digest moment
 * has passed; null before it. A run that missed the moment catches up later in the same week.
 */
export function digestWeekDue(settings: NudgeSettings, now: Date): Week | null {
  if (now.getTime() < digestMomentOf(settings, now).getTime()) return null;
  return lastCompleteWeek(now, settings.timezone);
}
