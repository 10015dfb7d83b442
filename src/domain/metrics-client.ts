import { dayMillisBetween, workingDaysBetween } from "./business-time.ts";
import type { IssueFacts, RecommendationFacts } from "./issue-timeline.ts";
import { inWeek, issueMinutes } from "./metrics-provider.ts";
import { distributionOf, ratio } from "./metrics-percentile.ts";
import { type ClientMetrics, type MetricsContext, type TraceItem } from "./metrics-types.ts";

const MS_PER_DAY = 86_400_000;

/** Fewer working days than this between announcement and change is short notice. */
export const HEADS_UP_WORKING_DAYS = 5;

type Traced<K extends keyof ClientMetrics> = {
  metrics: Pick<ClientMetrics, K>;
  trace: Record<string, TraceItem[]>;
};

function clientReports(ctx: MetricsContext): IssueFacts[] {
  return ctx.timeline.issues.filter((i) => inWeek(ctx, i.reportedAt) && i.reportedBy !== "provider");
}

function adherence(
  ctx: MetricsContext,
): Traced<"agreedChannelRequests" | "directRequests" | "processAdherence"> {
  const reported = clientReports(ctx);
  const direct = ctx.timeline.directRequests.filter((d) => inWeek(ctx, d.occurredAt));
  const counted = new Set(direct.map((d) => d.issueId).filter((id) => id !== null));
  // An issue logged from a direct request is one bypass, not two.
  const directIssues = reported.filter((i) => i.via === "direct" && !counted.has(i.issueId));
  const agreed = reported.filter((i) => i.via !== "direct");
  const directRequests = direct.length + directIssues.length;
  return {
    metrics: {
      agreedChannelRequests: agreed.length,
      directRequests,
      processAdherence: ratio(agreed.length, agreed.length + directRequests),
    },
    trace: {
      agreedChannel: agreed.map((i) => ({ kind: "issue", ref: i.key, detail: i.via })),
      directRequests: [
        ...direct.map((d): TraceItem => ({
          kind: "direct_request",
          ref: d.requestId,
          detail: d.issueId ? `logged with ${ctx.issueKey(d.issueId) ?? "an issue"}` : "logged",
        })),
        ...directIssues.map((i): TraceItem => ({ kind: "issue", ref: i.key, detail: "reported as direct" })),
      ],
    },
  };
}

/**
 * The client's figures run on the clock of the priority an issue was reported with: a priority the
 * provider sets later moves the provider's clocks, never the client's score.
 */
function asReported(i: IssueFacts): IssueFacts {
  return { ...i, priorities: [{ from: i.reportedAt, priority: i.priorities[0]?.priority ?? i.priority }] };
}

/** How long each problem waited to be reported: from when it began to the report. */
function reporting(ctx: MetricsContext): Traced<"reportingDelay" | "reports"> {
  const reports = clientReports(ctx);
  const items: TraceItem[] = [];
  const delays: number[] = [];
  for (const i of reports) {
    if (i.startedAt === null) {
      items.push({ kind: "issue", ref: i.key, detail: "no start time given" });
      continue;
    }
    const minutes = issueMinutes(ctx, asReported(i), i.startedAt, i.reportedAt);
    delays.push(minutes);
    items.push({ kind: "issue", ref: i.key, minutes });
  }
  return {
    metrics: {
      reportingDelay: distributionOf(delays),
      reports: { total: reports.length, withStart: delays.length },
    },
    trace: { reporting: items },
  };
}

/** Pending for more than the partnership's stale days, each day 24 h (DST-proof), at the cut-off. */
export function isStale(ctx: MetricsContext, r: RecommendationFacts): boolean {
  const limit = ctx.partnership.nudge.recommendationStaleDays * MS_PER_DAY;
  return r.status === "pending" && dayMillisBetween(ctx.partnership.timezone, r.madeAt, ctx.cutoff) > limit;
}

function recommendations(
  ctx: MetricsContext,
): Traced<
  "decisions" | "decisionRate" | "pendingRecommendations" | "stalePendingRecommendations" | "oldestPending"
> {
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
  const ageDays = (r: RecommendationFacts) =>
    dayMillisBetween(ctx.partnership.timezone, r.madeAt, ctx.cutoff) / MS_PER_DAY;
  const stale = pending.filter((r) => isStale(ctx, r));
  const oldest = pending[0];
  const answered = decisions.accepted + decisions.declined + decisions.riskAccepted;
  const item = (r: RecommendationFacts, detail: string): TraceItem => ({
    kind: "recommendation",
    ref: r.recommendationId,
    minutes: Math.round(ageDays(r) * 1440),
    detail: `${r.title}: ${detail}`,
  });
  return {
    metrics: {
      decisions,
      decisionRate: ratio(answered, answered + decisions.ignored),
      pendingRecommendations: pending.length,
      stalePendingRecommendations: stale.length,
      oldestPending: oldest ? { title: oldest.title, ageDays: Math.floor(ageDays(oldest)) } : null,
    },
    trace: {
      decisions: decided.map((r) => item(r, r.status.replace("_", " "))),
      pending: pending.map((r) => item(r, isStale(ctx, r) ? "stale" : "pending")),
      stalePending: stale.map((r) => item(r, "stale")),
    },
  };
}

/**
 * Waiting on the client, on the clock of the priority the issue was reported with (`asReported`)
 * and the settings in force during each minute. A wait counts in the week it ended (the client replied, or the issue was resolved) and in every
 * week it is still open at the cut-off, with its length so far.
 */
function waitingOnClient(ctx: MetricsContext): Traced<"waitingTotalMinutes" | "waiting" | "waitingNow"> {
  const { start } = ctx.week;
  const end = ctx.cutoff < ctx.week.end ? ctx.cutoff : ctx.week.end;
  let total = 0;
  const counted: number[] = [];
  const items: TraceItem[] = [];
  for (const reported of ctx.timeline.issues) {
    if (reported.waiting.length === 0) continue;
    const issue = asReported(reported);
    for (const w of issue.waiting) {
      const wEnd = w.end ?? ctx.cutoff;
      const from = w.start > start ? w.start : start;
      const to = wEnd < end ? wEnd : end;
      if (from < to) total += issueMinutes(ctx, issue, from, to);
      // Open at the cut-off includes a wait ending exactly at it (Monday 00:00 is next week's).
      const open = w.end === null || w.end.getTime() >= ctx.cutoff.getTime();
      if (open || inWeek(ctx, w.end)) {
        const minutes = issueMinutes(ctx, issue, w.start, open ? ctx.cutoff : wEnd);
        counted.push(minutes);
        items.push({
          kind: "question",
          ref: issue.key,
          minutes,
          detail: open ? "still unanswered" : "answered",
        });
      }
    }
  }
  const now = ctx.timeline.issues.filter((i) => i.status === "waiting_on_client");
  return {
    metrics: { waitingTotalMinutes: total, waiting: distributionOf(counted), waitingNow: now.length },
    trace: { waiting: items },
  };
}

function calls(ctx: MetricsContext): Traced<"missedCalls" | "callsHeld"> {
  const inThisWeek = ctx.timeline.calls.filter((c) => inWeek(ctx, c.scheduledAt));
  const missed = inThisWeek.filter((c) => c.missedBy === "client");
  const held = inThisWeek.filter((c) => c.held);
  const item = (detail: string) => (c: (typeof inThisWeek)[number]) =>
    ({ kind: "call", ref: c.callId, detail: `${c.title ?? "call"}: ${detail}` }) as TraceItem;
  return {
    metrics: { missedCalls: missed.length, callsHeld: held.length },
    trace: { clientMissedCalls: missed.map(item("missed by the client")), callsHeld: held.map(item("held")) },
  };
}

function headsUp(ctx: MetricsContext): Traced<"headsUpLeadDays" | "shortNoticeChanges"> {
  const announced = ctx.timeline.changes.filter((c) => inWeek(ctx, c.announcedAt));
  // On the office clock, like every other duration: a DST night does not shorten the notice.
  const leadDays = announced.map(
    (c) => dayMillisBetween(ctx.partnership.timezone, c.announcedAt, c.effectiveAt) / MS_PER_DAY,
  );
  const short = announced.filter(
    (c) => workingDaysBetween(ctx.calendar, c.announcedAt, c.effectiveAt) < HEADS_UP_WORKING_DAYS,
  );
  return {
    metrics: { headsUpLeadDays: distributionOf(leadDays), shortNoticeChanges: short.length },
    trace: {
      headsUp: announced.map((c, n) => ({
        kind: "change",
        ref: c.changeId,
        minutes: Math.round((leadDays[n] ?? 0) * 1440),
        detail: `${c.title}${short.includes(c) ? ": short notice" : ""}`,
      })),
    },
  };
}

/** The client-side figures of the context's week (definitions on `ClientMetrics`), with their items. */
export function clientMetrics(ctx: MetricsContext): {
  metrics: ClientMetrics;
  trace: Record<string, TraceItem[]>;
} {
  const parts = [
    adherence(ctx),
    reporting(ctx),
    recommendations(ctx),
    waitingOnClient(ctx),
    calls(ctx),
    headsUp(ctx),
  ];
  return {
    metrics: Object.assign({}, ...parts.map((p) => p.metrics)) as ClientMetrics,
    trace: Object.assign({}, ...parts.map((p) => p.trace)) as Record<string, TraceItem[]>,
  };
}
