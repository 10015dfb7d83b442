import { calendarDaysBetween, clockMillisBetween, workingDaysBetween } from "./business-time.ts";
import { inWeek } from "./metrics-provider.ts";
import { distributionOf, ratio } from "./metrics-percentile.ts";
import { MS_PER_MINUTE, type ClientMetrics, type MetricsContext } from "./metrics-types.ts";

const MS_PER_DAY = 86_400_000;

/** Fewer working days than this between announcement and change is short notice. */
export const HEADS_UP_WORKING_DAYS = 5;

function adherence(
  ctx: MetricsContext,
): Pick<ClientMetrics, "agreedChannelRequests" | "directRequests" | "processAdherence"> {
  const reported = ctx.timeline.issues.filter(
    (i) => inWeek(ctx, i.reportedAt) && i.reportedBy !== "provider",
  );
  const direct = ctx.timeline.directRequests.filter((d) => inWeek(ctx, d.occurredAt));
  const counted = new Set(direct.map((d) => d.issueId).filter((id) => id !== null));
  // An issue logged from a direct request is one bypass, not two.
  const directIssues = reported.filter((i) => i.via === "direct" && !counted.has(i.issueId)).length;
  const agreed = reported.filter((i) => i.via !== "direct").length;
  const directRequests = direct.length + directIssues;
  return {
    agreedChannelRequests: agreed,
    directRequests,
    processAdherence: ratio(agreed, agreed + directRequests),
  };
}

function reportingDelays(ctx: MetricsContext): number[] {
  return ctx.timeline.issues
    .filter((i) => inWeek(ctx, i.reportedAt) && i.startedAt !== null && i.reportedBy !== "provider")
    .map((i) => {
      const { clock } = ctx.partnership.sla[i.priority];
      return (
        clockMillisBetween(ctx.calendar, clock, i.startedAt ?? i.reportedAt, i.reportedAt) / MS_PER_MINUTE
      );
    });
}

function recommendations(ctx: MetricsContext) {
  const decided = ctx.timeline.recommendations.filter((r) => inWeek(ctx, r.decidedAt));
  const count = (s: string) => decided.filter((r) => r.status === s).length;
  const decisions = {
    accepted: count("accepted"),
    declined: count("declined"),
    riskAccepted: count("risk_accepted"),
    ignored: count("ignored"),
  };
  const pending = ctx.timeline.recommendations
    .filter((r) => r.status === "pending")
    .sort((a, b) => a.madeAt.getTime() - b.madeAt.getTime());
  const ageDays = (madeAt: Date) => Math.floor((ctx.cutoff.getTime() - madeAt.getTime()) / MS_PER_DAY);
  const staleDays = ctx.partnership.nudge.recommendationStaleDays;
  const oldest = pending[0];
  const answered = decisions.accepted + decisions.declined + decisions.riskAccepted;
  return {
    decisions,
    decisionRate: ratio(answered, answered + decisions.ignored),
    pendingRecommendations: pending.length,
    stalePendingRecommendations: pending.filter((r) => ageDays(r.madeAt) > staleDays).length,
    oldestPending: oldest ? { title: oldest.title, ageDays: ageDays(oldest.madeAt) } : null,
  };
}

function waitingOnClient(ctx: MetricsContext) {
  const { start } = ctx.week;
  const end = ctx.cutoff < ctx.week.end ? ctx.cutoff : ctx.week.end;
  let totalMs = 0;
  const ended: number[] = [];
  for (const issue of ctx.timeline.issues) {
    // The issue's own SLA clock: a P1 on 24x7 paused all weekend waited all weekend on the client.
    const { clock } = ctx.partnership.sla[issue.priority];
    for (const w of issue.waiting) {
      const wEnd = w.end ?? ctx.cutoff;
      const from = w.start > start ? w.start : start;
      const to = wEnd < end ? wEnd : end;
      if (from < to) totalMs += clockMillisBetween(ctx.calendar, clock, from, to);
      if (inWeek(ctx, w.end))
        ended.push(clockMillisBetween(ctx.calendar, clock, w.start, wEnd) / MS_PER_MINUTE);
    }
  }
  return {
    waitingTotalMinutes: totalMs / MS_PER_MINUTE,
    waiting: distributionOf(ended),
    waitingNow: ctx.timeline.issues.filter((i) => i.status === "waiting_on_client").length,
  };
}

function calls(ctx: MetricsContext): Pick<ClientMetrics, "missedCalls" | "callsHeld"> {
  const inThisWeek = ctx.timeline.calls.filter((c) => inWeek(ctx, c.occurredAt));
  return {
    missedCalls: inThisWeek.filter((c) => c.missedBy === "client").length,
    callsHeld: inThisWeek.filter((c) => c.held).length,
  };
}

function headsUp(ctx: MetricsContext): Pick<ClientMetrics, "headsUpLeadDays" | "shortNoticeChanges"> {
  const announced = ctx.timeline.changes.filter((c) => inWeek(ctx, c.announcedAt));
  const leadDays = announced.map((c) =>
    Math.max(0, calendarDaysBetween(ctx.partnership.timezone, c.announcedAt, c.effectiveAt)),
  );
  const short = announced.filter(
    (c) => workingDaysBetween(ctx.calendar, c.announcedAt, c.effectiveAt) < HEADS_UP_WORKING_DAYS,
  );
  return { headsUpLeadDays: distributionOf(leadDays), shortNoticeChanges: short.length };
}

/** The client-side figures of the context's week (definitions on `ClientMetrics`). */
export function clientMetrics(ctx: MetricsContext): ClientMetrics {
  return {
    ...adherence(ctx),
    reportingDelay: distributionOf(reportingDelays(ctx)),
    ...recommendations(ctx),
    ...waitingOnClient(ctx),
    ...calls(ctx),
    ...headsUp(ctx),
  };
}
