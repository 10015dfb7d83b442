import type { TimeInterval } from "./business-time.ts";
import type { EventPayload, EventType, IntakeVia, ReplayedEvent } from "./events.ts";
import type { IssueStatus, Priority, RecommendationRisk, RecommendationStatus, Side } from "./vocabulary.ts";

/** What the ledger says about one issue as of the cut-off. */
export interface IssueFacts {
  issueId: string;
  key: string;
  title: string;
  /** `occurredAt` of issue.reported. */
  reportedAt: Date;
  /** When the problem began, if the reporter said so. */
  startedAt: Date | null;
  via: IntakeVia;
  /**
   * The side of whoever reported it (null: rapport itself). Issues the provider raises, from its
   * monitoring say, are neither client requests nor client reporting delays.
   */
  reportedBy: Side | null;
  /** The latest priority (after any issue.priority_changed). */
  priority: Priority;
  /** Every priority the issue had, from when: the first is the reported one. */
  priorities: { from: Date; priority: Priority }[];
  status: IssueStatus;
  /**
   * The first issue.responded or issue.waiting_on_client not by the client (asking a question is
   * an answer); a resolution with no earlier answer counts as the first response.
   */
  firstResponseAt: Date | null;
  /** The final resolution: null while open, cleared by issue.reopened. */
  resolvedAt: Date | null;
  reopenCount: number;
  /**
   * Resolution cycles: the first runs from the report, each reopening starts another; `end` is
   * the resolution that closed it (null while it runs).
   */
  cycles: Array<{ start: Date; end: Date | null }>;
  /** Stretches between a resolution and the reopening that undid it: the resolution clock stops there. */
  closedSpans: TimeInterval[];
  /** Waiting on the client: waiting_on_client → client_replied/resolved; `end: null` still open. */
  waiting: TimeInterval[];
}

/** One recommendation and the client's latest decision on it. */
export interface RecommendationFacts {
  recommendationId: string;
  title: string;
  risk: RecommendationRisk;
  madeAt: Date;
  decideBy: string;
  status: RecommendationStatus;
  /** When the latest decision (including `ignored`) was recorded; null while pending. */
  decidedAt: Date | null;
}

/** One scheduled call and whether it took place. */
export interface CallFacts {
  callId: string;
  title: string | null;
  /** When it was logged. */
  occurredAt: Date;
  /** When it was held or missed: the week it counts in. */
  scheduledAt: Date;
  held: boolean;
  missedBy: Side | null;
}

/** One heads-up from the client about an IT-affecting change. */
export interface ChangeFacts {
  changeId: string;
  title: string;
  /** The first announcement: lead time runs from here. */
  announcedAt: Date;
  effectiveAt: Date;
}

/** One outage of a service; `endedAt: null` while still down. */
export interface DowntimeFacts {
  downtimeId: string;
  service: string;
  issueId: string | null;
  startedAt: Date;
  endedAt: Date | null;
}

/** A request that bypassed the agreed channel (aggregated only: no names kept). */
export interface DirectRequestFacts {
  /** The request.direct event's id. */
  requestId: string;
  occurredAt: Date;
  issueId: string | null;
}

/** Everything metrics need, replayed from a partnership's events up to `cutoff`. */
export interface Timeline {
  cutoff: Date;
  issues: IssueFacts[];
  recommendations: RecommendationFacts[];
  calls: CallFacts[];
  changes: ChangeFacts[];
  downtimes: DowntimeFacts[];
  directRequests: DirectRequestFacts[];
  /** The events replayed (occurred at or before `cutoff`), in order of occurrence. */
  events: ReplayedEvent[];
}

type Of<T extends EventType> = Extract<ReplayedEvent, { type: T }>;

interface State {
  issues: Map<string, IssueFacts>;
  recs: Map<string, RecommendationFacts>;
  calls: CallFacts[];
  changes: Map<string, ChangeFacts>;
  downtimes: Map<string, DowntimeFacts>;
  direct: DirectRequestFacts[];
}

/**
 * When an event happened in the world. A call is logged after it was held or missed: it belongs
 * to its scheduled time, not to the moment someone wrote it down.
 */
export function worldTime(e: ReplayedEvent): Date {
  if (e.type === "call.held" || e.type === "call.missed") return new Date(e.payload.scheduledAt);
  return e.occurredAt;
}

function report(s: State, e: Of<"issue.reported">): void {
  const p = e.payload;
  if (s.issues.has(p.issueId)) return;
  s.issues.set(p.issueId, {
    issueId: p.issueId,
    key: p.key,
    title: p.title,
    reportedAt: e.occurredAt,
    startedAt: p.startedAt ? new Date(p.startedAt) : null,
    via: p.via,
    reportedBy: e.actor?.side ?? null,
    priority: p.priority,
    priorities: [{ from: e.occurredAt, priority: p.priority }],
    status: "open",
    firstResponseAt: null,
    resolvedAt: null,
    reopenCount: 0,
    cycles: [{ start: e.occurredAt, end: null }],
    closedSpans: [],
    waiting: [],
  });
}

function closeWait(issue: IssueFacts, at: Date): void {
  const open = issue.waiting.find((w) => w.end === null);
  if (open) open.end = at;
}

function applyIssue(s: State, e: ReplayedEvent): void {
  const issue = s.issues.get((e.payload as { issueId?: string }).issueId ?? "");
  if (!issue) return;
  const byProvider = e.actor?.side !== "client";
  switch (e.type) {
    case "issue.responded":
      if (byProvider) issue.firstResponseAt ??= e.occurredAt;
      return;
    case "issue.waiting_on_client":
      if (byProvider) issue.firstResponseAt ??= e.occurredAt;
      if (issue.status === "resolved") return;
      if (!issue.waiting.some((w) => w.end === null)) issue.waiting.push({ start: e.occurredAt, end: null });
      issue.status = "waiting_on_client";
      return;
    case "issue.client_replied":
      closeWait(issue, e.occurredAt);
      if (issue.status === "waiting_on_client") issue.status = "open";
      return;
    case "issue.resolved":
      closeWait(issue, e.occurredAt);
      issue.firstResponseAt ??= e.occurredAt;
      if (issue.status !== "resolved") {
        const cycle = issue.cycles[issue.cycles.length - 1];
        if (cycle) cycle.end = e.occurredAt;
      }
      issue.status = "resolved";
      issue.resolvedAt ??= e.occurredAt;
      return;
    case "issue.reopened":
      if (issue.status !== "resolved" || !issue.resolvedAt) return;
      issue.closedSpans.push({ start: issue.resolvedAt, end: e.occurredAt });
      issue.status = "open";
      issue.resolvedAt = null;
      issue.reopenCount++;
      issue.cycles.push({ start: e.occurredAt, end: null });
      return;
    case "issue.priority_changed":
      issue.priority = (e.payload as EventPayload<"issue.priority_changed">).to;
      issue.priorities.push({ from: e.occurredAt, priority: issue.priority });
      return;
  }
}

function applyRecommendation(s: State, e: ReplayedEvent): void {
  if (e.type === "recommendation.made") {
    const p = e.payload;
    if (s.recs.has(p.recommendationId)) return;
    s.recs.set(p.recommendationId, {
      recommendationId: p.recommendationId,
      title: p.title,
      risk: p.risk,
      madeAt: e.occurredAt,
      decideBy: p.decideBy,
      status: "pending",
      decidedAt: null,
    });
    return;
  }
  const rec = s.recs.get((e.payload as { recommendationId?: string }).recommendationId ?? "");
  if (!rec) return;
  // The latest decision stands: a late "accept" after "ignored" is still follow-through.
  rec.status = e.type.slice("recommendation.".length) as RecommendationStatus;
  rec.decidedAt = e.occurredAt;
}

function applyOther(s: State, e: ReplayedEvent): void {
  switch (e.type) {
    case "call.held":
    case "call.missed":
      s.calls.push({
        callId: e.payload.callId,
        title: e.payload.title,
        occurredAt: e.occurredAt,
        scheduledAt: new Date(e.payload.scheduledAt),
        held: e.type === "call.held",
        missedBy: e.type === "call.missed" ? e.payload.missedBy : null,
      });
      return;
    case "change.announced": {
      const known = s.changes.get(e.payload.changeId);
      const effectiveAt = new Date(e.payload.effectiveAt);
      if (known) known.effectiveAt = effectiveAt;
      else {
        const { changeId, title } = e.payload;
        s.changes.set(changeId, { changeId, title, announcedAt: e.occurredAt, effectiveAt });
      }
      return;
    }
    case "downtime.started":
      if (!s.downtimes.has(e.payload.downtimeId)) {
        const { downtimeId, service, issueId } = e.payload;
        s.downtimes.set(downtimeId, { downtimeId, service, issueId, startedAt: e.occurredAt, endedAt: null });
      }
      return;
    case "downtime.ended": {
      const d = s.downtimes.get(e.payload.downtimeId);
      if (d && d.endedAt === null) d.endedAt = e.occurredAt;
      return;
    }
    case "request.direct":
      s.direct.push({ requestId: e.id, occurredAt: e.occurredAt, issueId: e.payload.issueId });
      return;
  }
}

/**
 * Replays events (in any order) into facts as of `cutoff`; events that happened after it in the
 * world (`worldTime`) are ignored.
 */
export function replayTimeline(events: readonly ReplayedEvent[], cutoff: Date): Timeline {
  return new TimelineReplay(events).advanceTo(cutoff);
}

/**
 * One replay of a ledger read at successive cut-offs: each `advanceTo` applies only the events
 * since the previous one, so the weeks of a trend cost one pass over their events, not one each.
 * The facts of a returned timeline change on the next `advanceTo`: use one before advancing.
 */
export class TimelineReplay {
  private readonly sorted: ReplayedEvent[];
  private readonly times: number[];
  private next = 0;
  private readonly s: State = {
    issues: new Map(),
    recs: new Map(),
    calls: [],
    changes: new Map(),
    downtimes: new Map(),
    direct: [],
  };

  constructor(events: readonly ReplayedEvent[]) {
    // In order of occurrence (worldTime), then of recording, then as given; each event's instant
    // read once, not at every comparison.
    const at = events.map((e) => worldTime(e).getTime());
    const order = at.map((_, i) => i);
    order.sort(
      (a, b) => at[a]! - at[b]! || events[a]!.recordedAt.getTime() - events[b]!.recordedAt.getTime() || a - b,
    );
    this.sorted = order.map((i) => events[i]!);
    this.times = order.map((i) => at[i]!);
  }

  /** The facts as of `cutoff`, which must not be before the previous one. */
  advanceTo(cutoff: Date): Timeline {
    const s = this.s;
    const until = cutoff.getTime();
    for (; this.next < this.sorted.length && this.times[this.next]! <= until; this.next++) {
      const e = this.sorted[this.next]!;
      if (e.type === "issue.reported") report(s, e);
      else if (e.type.startsWith("issue.")) applyIssue(s, e);
      else if (e.type.startsWith("recommendation.")) applyRecommendation(s, e);
      else applyOther(s, e);
    }
    return {
      cutoff,
      issues: [...s.issues.values()],
      recommendations: [...s.recs.values()],
      calls: [...s.calls],
      changes: [...s.changes.values()],
      downtimes: [...s.downtimes.values()],
      directRequests: [...s.direct],
      events: this.sorted.slice(0, this.next),
    };
  }
}
