import { dayMillisBetween, type TimeInterval } from "./business-time.ts";
import type { IssueFacts } from "./issue-timeline.ts";
import { distributionOf, ratio } from "./metrics-percentile.ts";
import {
  MS_PER_MINUTE,
  type Attainment,
  type MetricsContext,
  type ProviderMetrics,
  type SlaOutcome,
  type TraceItem,
} from "./metrics-types.ts";
import { breachInstant, budgetUsed, clockTimeBetween, priorityIn, type TargetKind } from "./sla-clock.ts";
import { settingsAt } from "./settings-history.ts";
import { PRIORITIES, type Priority } from "./vocabulary.ts";

/** True when `at` lies in the context's week (start inclusive, end exclusive) and by the cut-off. */
export function inWeek(ctx: MetricsContext, at: Date | null): at is Date {
  if (!at) return false;
  const t = at.getTime();
  return t >= ctx.week.start.getTime() && t < ctx.week.end.getTime() && t <= ctx.cutoff.getTime();
}

/** Clock minutes of an issue from `from` to `to`, minute by minute under the priority and settings then. */
export function issueMinutes(
  ctx: MetricsContext,
  issue: IssueFacts,
  from: Date,
  to: Date,
  paused: readonly TimeInterval[] = [],
): number {
  return clockTimeBetween(ctx.history, issue.priorities, from, to, paused) / MS_PER_MINUTE;
}

function outcome(
  ctx: MetricsContext,
  issue: IssueFacts,
  kind: SlaOutcome["kind"],
  cycle: number,
  doneAt: Date | null,
  breachAt: Date | null,
  paused: readonly TimeInterval[],
): SlaOutcome | null {
  const met = doneAt !== null && (breachAt === null || doneAt.getTime() <= breachAt.getTime());
  const decidedAt = met ? doneAt : breachAt;
  if (!decidedAt || !inWeek(ctx, decidedAt)) return null;
  return {
    issueId: issue.issueId,
    key: issue.key,
    kind,
    cycle,
    result: met ? "met" : "breached",
    decidedAt,
    priority: priorityIn(issue.priorities, decidedAt.getTime()),
    minutes: met
      ? issueMinutes(ctx, issue, issue.reportedAt, decidedAt, paused)
      : breachMinutes(ctx, issue, kind, decidedAt, paused),
  };
}

/**
 * Clock minutes at a breach: the budget exactly, never the hour the clocks skip in spring when a
 * target runs out inside it (the breach is decided as the clocks jump, past the budget).
 */
function breachMinutes(
  ctx: MetricsContext,
  issue: IssueFacts,
  kind: SlaOutcome["kind"],
  at: Date,
  paused: readonly TimeInterval[],
): number {
  const minutes = issueMinutes(ctx, issue, issue.reportedAt, at, paused);
  const used = budgetUsed(ctx.history, issue.priorities, issue.reportedAt, at, TARGET[kind], paused);
  if (used <= 1) return minutes;
  const before = at.getTime() - 1;
  const target = settingsAt(ctx.history, new Date(before)).sla[priorityIn(issue.priorities, before)][
    TARGET[kind]
  ];
  return minutes - (used - 1) * target;
}

const TARGET: Record<SlaOutcome["kind"], TargetKind> = {
  first_response: "firstResponseMinutes",
  resolution: "resolutionMinutes",
};

/** The first-response outcome of an issue decided in the week, if any. */
function firstResponseOutcome(ctx: MetricsContext, issue: IssueFacts): SlaOutcome | null {
  const done = issue.firstResponseAt;
  // Answered before the week began: decided then, nothing to do here (keeps a week's cost to its window).
  if (done !== null && done < ctx.week.start) return null;
  const breachAt = breachInstant(
    ctx.history,
    issue.priorities,
    issue.reportedAt,
    TARGET.first_response,
    issue.waiting,
  );
  return outcome(ctx, issue, "first_response", 1, done, breachAt, issue.waiting);
}

/**
 * The resolution outcomes of an issue decided in the week: one per resolution cycle, except the
 * cycles after one that breached (a breach is counted once). The clock stops while the issue is
 * waiting on the client and while it stood resolved before a reopening.
 */
function resolutionOutcomes(ctx: MetricsContext, issue: IssueFacts): SlaOutcome[] {
  const last = issue.cycles[issue.cycles.length - 1];
  if (last?.end && last.end < ctx.week.start) return [];
  const paused = [...issue.waiting, ...issue.closedSpans];
  const breachAt = breachInstant(ctx.history, issue.priorities, issue.reportedAt, TARGET.resolution, paused);
  const outcomes: SlaOutcome[] = [];
  issue.cycles.forEach((cycle, i) => {
    if (breachAt !== null && breachAt < cycle.start && i > 0) return;
    const o = outcome(ctx, issue, "resolution", i + 1, cycle.end, breachAt, paused);
    if (o) outcomes.push(o);
  });
  return outcomes;
}

function emptyAttainment(): Attainment {
  return { met: 0, breached: 0, rate: null };
}

function tally(outcomes: readonly SlaOutcome[]): {
  perPriority: Record<Priority, Attainment>;
  overall: Attainment;
} {
  const perPriority = Object.fromEntries(PRIORITIES.map((p) => [p, emptyAttainment()])) as Record<
    Priority,
    Attainment
  >;
  const overall = emptyAttainment();
  for (const o of outcomes) {
    for (const a of [perPriority[o.priority], overall]) {
      if (o.result === "met") a.met++;
      else a.breached++;
    }
  }
  for (const a of [...Object.values(perPriority), overall]) a.rate = ratio(a.met, a.met + a.breached);
  return { perPriority, overall };
}

/** A breach's minutes are its budget's, so its line says which target they are. */
function outcomeItem(o: SlaOutcome): TraceItem {
  const detail = o.result === "met" ? `met (${o.priority})` : `breached at the ${o.priority} target`;
  return { kind: "issue", ref: o.key, minutes: o.minutes, detail };
}

/** Every SLA outcome decided in the context's week. */
export function slaOutcomes(ctx: MetricsContext): SlaOutcome[] {
  return ctx.timeline.issues.flatMap((issue) => {
    const first = firstResponseOutcome(ctx, issue);
    return [...(first ? [first] : []), ...resolutionOutcomes(ctx, issue)];
  });
}

function unanswered(ctx: MetricsContext): IssueFacts[] {
  const threshold = ctx.partnership.nudge.unansweredMinutes;
  return ctx.timeline.issues.filter(
    (issue) =>
      issue.firstResponseAt === null &&
      issue.status !== "resolved" &&
      issueMinutes(ctx, issue, issue.reportedAt, ctx.cutoff) > threshold,
  );
}

/** Minutes an open issue has been in the provider's hands at the cut-off (see `ProviderMetrics.oldestOpen`). */
function providerHeldMinutes(ctx: MetricsContext, issue: IssueFacts): number {
  const tz = ctx.partnership.timezone;
  let ms = dayMillisBetween(tz, issue.reportedAt, ctx.cutoff);
  for (const span of [...issue.waiting, ...issue.closedSpans]) {
    const end = span.end ?? ctx.cutoff;
    ms -= dayMillisBetween(tz, span.start, end < ctx.cutoff ? end : ctx.cutoff);
  }
  return Math.max(0, ms) / MS_PER_MINUTE;
}

function backlog(ctx: MetricsContext) {
  const open = ctx.timeline.issues
    .filter((i) => i.status !== "resolved")
    .map((issue) => ({ issue, minutes: providerHeldMinutes(ctx, issue) }))
    .sort((a, b) => b.minutes - a.minutes || a.issue.reportedAt.getTime() - b.issue.reportedAt.getTime());
  const oldest = open[0];
  return {
    openBacklog: open.length,
    oldestOpen: oldest ? { key: oldest.issue.key, ageMinutes: oldest.minutes } : null,
    items: open.map(({ issue, minutes }): TraceItem => ({
      kind: "issue",
      ref: issue.key,
      minutes,
      detail: issue.status,
    })),
  };
}

/** The provider-side figures of the context's week (definitions on `ProviderMetrics`), with their items. */
export function providerMetrics(
  ctx: MetricsContext,
  outcomes: readonly SlaOutcome[],
): { metrics: ProviderMetrics; trace: Record<string, TraceItem[]> } {
  const responses = outcomes.filter((o) => o.kind === "first_response");
  const resolutions = outcomes.filter((o) => o.kind === "resolution");
  const response = tally(responses);
  const resolution = tally(resolutions);
  const answered = ctx.timeline.issues.filter((i) => inWeek(ctx, i.firstResponseAt));
  const answeredMinutes = answered.map((i) =>
    issueMinutes(ctx, i, i.reportedAt, i.firstResponseAt!, i.waiting),
  );
  const resolved = ctx.timeline.issues.filter((i) => i.status === "resolved" && inWeek(ctx, i.resolvedAt));
  const resolvedMinutes = resolved.map((i) =>
    issueMinutes(ctx, i, i.reportedAt, i.resolvedAt!, [...i.waiting, ...i.closedSpans]),
  );
  const late = unanswered(ctx);
  const open = backlog(ctx);
  const received = ctx.timeline.issues.filter(
    (i) => inWeek(ctx, i.reportedAt) && i.reportedBy !== "provider",
  );
  const recommendations = ctx.timeline.recommendations.filter((r) => inWeek(ctx, r.madeAt));
  const missed = ctx.timeline.calls.filter((c) => c.missedBy === "provider" && inWeek(ctx, c.scheduledAt));
  return {
    metrics: {
      firstResponse: distributionOf(answeredMinutes),
      firstResponseAttainment: response.perPriority,
      firstResponseAttainmentOverall: response.overall,
      resolution: distributionOf(resolvedMinutes),
      resolutionAttainment: resolution.perPriority,
      resolutionAttainmentOverall: resolution.overall,
      unansweredPastThreshold: late.length,
      openBacklog: open.openBacklog,
      oldestOpen: open.oldestOpen,
      recommendationsMade: recommendations.length,
      issuesReceived: received.length,
      proactivity: ratio(recommendations.length, received.length),
      missedCalls: missed.length,
    },
    trace: {
      firstResponse: answered.map((i, n) => ({ kind: "issue", ref: i.key, minutes: answeredMinutes[n] })),
      firstResponseAttainment: responses.map(outcomeItem),
      resolution: resolved.map((i, n) => ({ kind: "issue", ref: i.key, minutes: resolvedMinutes[n] })),
      resolutionAttainment: resolutions.map(outcomeItem),
      unanswered: late.map((i) => ({
        kind: "issue",
        ref: i.key,
        minutes: issueMinutes(ctx, i, i.reportedAt, ctx.cutoff),
      })),
      backlog: open.items,
      issuesReceived: received.map((i) => ({ kind: "issue", ref: i.key, detail: i.title })),
      recommendationsMade: recommendations.map((r) => ({
        kind: "recommendation",
        ref: r.recommendationId,
        detail: r.title,
      })),
      providerMissedCalls: missed.map((c) => ({ kind: "call", ref: c.callId, detail: c.title ?? "call" })),
    },
  };
}
