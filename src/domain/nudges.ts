import { DateTime } from "luxon";
import { calendarOf, isWorkingInstant } from "./business-time.ts";
import { constantHistory, type SettingsHistory } from "./settings-history.ts";
import { budgetUsed, clockTimeBetween } from "./sla-clock.ts";
import type { IssueFacts } from "./issue-timeline.ts";
import type { PartnershipSettings } from "./partnership.ts";
import type { Priority } from "./vocabulary.ts";
import { lastCompleteWeek, weekContaining, type Week } from "./week.ts";

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

/** The SLA nudges due at `now` (with the settings in force minute by minute, when given): each issue's stage, where a nudge about its priority may go out now. */
export function slaNudgesDue(
  settings: NudgeSettings,
  issues: readonly NudgeIssue[],
  now: Date,
  history?: SettingsHistory,
): SlaNudge[] {
  return issues.flatMap((issue) => {
    const stage = slaStage(settings, issue, now, history);
    return stage && mayNudgeAt(settings, issue.priority, now) ? [stage] : [];
  });
}

/** How far back a missed call still earns a nudge: older ones are history, not news. */
export const MISSED_CALL_LOOKBACK_MS = 7 * 24 * 60 * MS_PER_MINUTE;

/** A call as the missed-call rule sees it. */
export interface NudgeCall {
  callId: string;
  status: "held" | "missed";
  /** When rapport recorded it: the nudge is about news. */
  loggedAt: Date;
}

/**
 * Calls logged as missed within the lookback, when a nudge may go out (a working instant): the
 * lead hears of a missed call in the morning, not at midnight.
 */
export function missedCallsDue<C extends NudgeCall>(
  settings: NudgeSettings,
  calls: readonly C[],
  now: Date,
  lookbackMs = MISSED_CALL_LOOKBACK_MS,
): C[] {
  if (!isWorkingInstant(calendarOf(settings), now)) return [];
  const since = now.getTime() - lookbackMs;
  return calls.filter(
    (c) => c.status === "missed" && c.loggedAt.getTime() >= since && c.loggedAt.getTime() <= now.getTime(),
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

/** How long after its decide-by an ignored recommendation's nudge is still (re)queued after a crash. */
export const EXPIRY_NUDGE_LOOKBACK_MS = 7 * 24 * 60 * MS_PER_MINUTE;

/**
 * Recommendations whose decide-by day is over at `now`, each with the instant it became ignored
 * (the end of that day, never before it was made: a late run records the same instant). Pending
 * ones are to be recorded as ignored; ones already ignored within the lookback come back too, so
 * a run that died between recording and queueing the nudge gets to queue it.
 */
export function expiredRecommendations<R extends ExpiringRecommendation>(
  timezone: string,
  recommendations: readonly R[],
  now: Date,
  lookbackMs = EXPIRY_NUDGE_LOOKBACK_MS,
): Array<{ recommendation: R; ignoredAt: Date }> {
  return recommendations.flatMap((r) => {
    const passed = decideByPassedAt(r.decideBy, timezone);
    if (passed.getTime() > now.getTime()) return [];
    const recent = passed.getTime() >= now.getTime() - lookbackMs;
    if (r.status !== "pending" && !(r.status === "ignored" && recent)) return [];
    const ignoredAt = passed < r.madeAt ? r.madeAt : passed;
    return [{ recommendation: r, ignoredAt }];
  });
}

/** The digest moment of the week holding `at`: its digest weekday at its digest time, local. */
export function digestMomentOf(settings: NudgeSettings, at: Date): Date {
  const monday = DateTime.fromJSDate(weekContaining(at, settings.timezone).start, {
    zone: settings.timezone,
  });
  const [hour, minute] = settings.digestTime.split(":").map(Number);
  return monday
    .plus({ days: settings.digestWeekday - 1 })
    .set({ hour: hour ?? 0, minute: minute ?? 0, second: 0, millisecond: 0 })
    .toJSDate();
}

/**
 * The week whose digest is due at `now`: the last complete week, once this week's digest moment
 * has passed; null before it. A run that missed the moment catches up later in the same week.
 */
export function digestWeekDue(settings: NudgeSettings, now: Date): Week | null {
  if (now.getTime() < digestMomentOf(settings, now).getTime()) return null;
  return lastCompleteWeek(now, settings.timezone);
}
