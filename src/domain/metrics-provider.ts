import { clockDeadline, clockMillisBetween, type TimeInterval } from "./business-time.ts";
import { priorityAt, type IssueFacts } from "./issue-timeline.ts";
import { distributionOf, ratio } from "./metrics-percentile.ts";
import {
  MS_PER_MINUTE,
  type Attainment,
  type MetricsContext,
  type ProviderMetrics,
} from "./metrics-types.ts";
import { PRIORITIES, type Priority } from "./vocabulary.ts";

/** True when `at` lies in the context's week (start inclusive, end exclusive). */
export function inWeek(ctx: MetricsContext, at: Date | null): at is Date {
  if (!at) return false;
  const t = at.getTime();
  return t >= ctx.week.start.getTime() && t < ctx.week.end.getTime() && t <= ctx.cutoff.getTime();
}

type Outcome = "met" | "breached" | null;

interface Measure {
  /** Clock minutes from report to `doneAt`, or null when not done by the cut-off. */
  minutes: number | null;
  /** Whether the outcome is decided in this week, and which. */
  outcome: Outcome;
}

/**
 * One SLA measurement of an issue: "met" belongs to the week the work was done in time, "breached"
 * to the week the target elapsed (even if the work is still undone at the cut-off).
 */
function measure(
  ctx: MetricsContext,
  issue: IssueFacts,
  doneAt: Date | null,
  target: { minutes: number; priority: Priority },
  paused: readonly TimeInterval[],
): Measure {
  const targetMinutes = target.minutes;
  // Work finished before this week has no outcome here ("met" lands in the week it was done, a
  // breach's deadline precedes the work): skipping it keeps each week's cost independent of history.
  if (doneAt !== null && doneAt < ctx.week.start) return { minutes: null, outcome: null };
  const { clock } = ctx.partnership.sla[target.priority];
  const minutes =
    doneAt === null
      ? null
      : clockMillisBetween(ctx.calendar, clock, issue.reportedAt, doneAt, paused) / MS_PER_MINUTE;
  if (minutes !== null && minutes <= targetMinutes) {
    return { minutes, outcome: inWeek(ctx, doneAt) ? "met" : null };
  }
  const deadline = clockDeadline(
    ctx.calendar,
    clock,
    issue.reportedAt,
    targetMinutes * MS_PER_MINUTE,
    paused,
  );
  return { minutes, outcome: inWeek(ctx, deadline) ? "breached" : null };
}

function emptyAttainment(): Attainment {
  return { met: 0, breached: 0, rate: null };
}

function tally(outcomes: ReadonlyArray<{ priority: Priority; outcome: Outcome }>): {
  perPriority: Record<Priority, Attainment>;
  overall: Attainment;
} {
  const perPriority = Object.fromEntries(PRIORITIES.map((p) => [p, emptyAttainment()])) as Record<
    Priority,
    Attainment
  >;
  const overall = emptyAttainment();
  for (const { priority, outcome } of outcomes) {
    if (outcome === null) continue;
    for (const a of [perPriority[priority], overall]) {
      if (outcome === "met") a.met++;
      else a.breached++;
    }
  }
  for (const a of [...Object.values(perPriority), overall]) a.rate = ratio(a.met, a.met + a.breached);
  return { perPriority, overall };
}

function responseFigures(ctx: MetricsContext) {
  const minutes: number[] = [];
  const outcomes = ctx.timeline.issues.map((issue) => {
    const priority = priorityAt(issue, issue.firstResponseAt ?? ctx.cutoff);
    const target = { minutes: ctx.partnership.sla[priority].firstResponseMinutes, priority };
    const m = measure(ctx, issue, issue.firstResponseAt, target, issue.waiting);
    if (m.minutes !== null && inWeek(ctx, issue.firstResponseAt)) minutes.push(m.minutes);
    return { priority, outcome: m.outcome };
  });
  return { distribution: distributionOf(minutes), ...tally(outcomes) };
}

function resolutionFigures(ctx: MetricsContext) {
  const minutes: number[] = [];
  const outcomes = ctx.timeline.issues.map((issue) => {
    const priority = priorityAt(issue, issue.resolvedAt ?? ctx.cutoff);
    const target = { minutes: ctx.partnership.sla[priority].resolutionMinutes, priority };
    const paused = [...issue.waiting, ...issue.closedSpans];
    const m = measure(ctx, issue, issue.resolvedAt, target, paused);
    if (m.minutes !== null && inWeek(ctx, issue.resolvedAt)) minutes.push(m.minutes);
    return { priority, outcome: m.outcome };
  });
  return { distribution: distributionOf(minutes), ...tally(outcomes) };
}

function unansweredPastThreshold(ctx: MetricsContext): number {
  const threshold = ctx.partnership.nudge.unansweredMinutes * MS_PER_MINUTE;
  return ctx.timeline.issues.filter((issue) => {
    if (issue.firstResponseAt !== null || issue.status === "resolved") return false;
    const { clock } = ctx.partnership.sla[issue.priority];
    return clockMillisBetween(ctx.calendar, clock, issue.reportedAt, ctx.cutoff) > threshold;
  }).length;
}

function backlog(ctx: MetricsContext): Pick<ProviderMetrics, "openBacklog" | "oldestOpen"> {
  const open = ctx.timeline.issues.filter((i) => i.status !== "resolved");
  const oldest = open.reduce<IssueFacts | null>(
    (a, b) => (a === null || b.reportedAt < a.reportedAt ? b : a),
    null,
  );
  return {
    openBacklog: open.length,
    oldestOpen: oldest && {
      key: oldest.key,
      ageMinutes: (ctx.cutoff.getTime() - oldest.reportedAt.getTime()) / MS_PER_MINUTE,
    },
  };
}

/** The provider-side figures of the context's week (definitions on `ProviderMetrics`). */
export function providerMetrics(ctx: MetricsContext): ProviderMetrics {
  const response = responseFigures(ctx);
  const resolution = resolutionFigures(ctx);
  const issuesReceived = ctx.timeline.issues.filter(
    (i) => inWeek(ctx, i.reportedAt) && i.reportedBy !== "provider",
  ).length;
  const recommendationsMade = ctx.timeline.recommendations.filter((r) => inWeek(ctx, r.madeAt)).length;
  return {
    firstResponse: response.distribution,
    firstResponseAttainment: response.perPriority,
    firstResponseAttainmentOverall: response.overall,
    resolution: resolution.distribution,
    resolutionAttainment: resolution.perPriority,
    resolutionAttainmentOverall: resolution.overall,
    unansweredPastThreshold: unansweredPastThreshold(ctx),
    ...backlog(ctx),
    recommendationsMade,
    issuesReceived,
    proactivity: ratio(recommendationsMade, issuesReceived),
    missedCalls: ctx.timeline.calls.filter((c) => c.missedBy === "provider" && inWeek(ctx, c.occurredAt))
      .length,
  };
}
