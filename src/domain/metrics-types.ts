import type { BusinessCalendar } from "./business-time.ts";
import type { SettingsHistory } from "./settings-history.ts";
import type { ReplayedEvent } from "./events.ts";
import type { Timeline } from "./issue-timeline.ts";
import type { Partnership } from "./partnership.ts";
import type { Priority } from "./vocabulary.ts";
import type { Week } from "./week.ts";

/**
 * SLA attainment: met ÷ (met + breached), null when both are 0. Each issue's outcome falls in
 * exactly one week: "met" in the week it was answered (resolved) within target, "breached" in the
 * week its target elapsed unanswered (unresolved), whether or not it was answered later. An issue
 * still within its target at the cut-off counts in neither. The one exception is a reopened
 * issue: a resolution met in one week stays met there (past digests do not change), and if the
 * reopened issue then runs past its target, that breach counts in the week it happens.
 * Targets are those of the priority in force when the work was done (or at the cut-off while it
 * is not): a priority changed afterwards does not rewrite the outcome.
 */
export interface Attainment {
  met: number;
  breached: number;
  rate: number | null;
}

/** One SLA outcome, decided at `decidedAt` and counted in the week holding that instant. */
export interface SlaOutcome {
  issueId: string;
  key: string;
  kind: "first_response" | "resolution";
  /** Resolution cycle (1 = from the report; each reopening starts another); 1 for first responses. */
  cycle: number;
  result: "met" | "breached";
  decidedAt: Date;
  /** The priority in force at `decidedAt`: the attainment row it counts in. */
  priority: Priority;
  /** Clock minutes from the report to the work, or to the breach (resolved-before-reopening spans stopped). */
  minutes: number;
}

/** One item behind a figure: what it is, and what it contributed. */
export interface TraceItem {
  kind: "issue" | "recommendation" | "call" | "change" | "direct_request" | "downtime" | "question";
  /** An issue key (ACME-42), or the id of a recommendation, call, change, request or downtime. */
  ref: string;
  /** Minutes (or for recommendations and changes, days) it contributed, where the figure is a time. */
  minutes?: number;
  /** A few words: its title, or how it counted ("breached", "no start time", …). */
  detail?: string;
}

/** Every figure's items, by figure name: what `rapport digest --explain` prints. */
export type MetricsTrace = Record<string, TraceItem[]>;

/** A median and 90th percentile (nearest rank) over `count` values; null when `count` is 0. */
export interface Distribution {
  count: number;
  median: number | null;
  p90: number | null;
}

/** The figures of the provider side for one week. */
export interface ProviderMetrics {
  /**
   * Clock minutes from report to first response (responded, or a question to the client), each
   * minute on the clock of the priority in force during it, over the issues first answered in
   * the week.
   */
  firstResponse: Distribution;
  /** First-response attainment per priority in force when decided; see `Attainment`. */
  firstResponseAttainment: Record<Priority, Attainment>;
  /** First-response attainment over all priorities. */
  firstResponseAttainmentOverall: Attainment;
  /**
   * Clock minutes from report to final resolution, waiting-on-client time excluded, over the
   * issues resolved in the week (and not reopened by the cut-off).
   */
  resolution: Distribution;
  /** Resolution attainment per priority in force when decided; see `Attainment`. */
  resolutionAttainment: Record<Priority, Attainment>;
  /** Resolution attainment over all priorities. */
  resolutionAttainmentOverall: Attainment;
  /**
   * Issues with no response at the cut-off whose clock time since report exceeds the
   * partnership's `nudge.unansweredMinutes`, whatever week they were reported in.
   */
  unansweredPastThreshold: number;
  /** Issues not resolved at the cut-off (waiting on the client included). */
  openBacklog: number;
  /**
   * The open issue longest in the provider's hands and that time in minutes at the cut-off:
   * elapsed time since the report (every local day 24 h) less time waiting on the client and
   * time spent resolved before a reopening.
   */
  oldestOpen: { key: string; ageMinutes: number } | null;
  /** Recommendations made in the week. */
  recommendationsMade: number;
  /** Issues reported in the week. */
  issuesReceived: number;
  /** recommendationsMade ÷ issuesReceived; null when no issue was received. */
  proactivity: number | null;
  /** Calls scheduled in the week that the provider did not show up for or answer. */
  missedCalls: number;
}

/** The figures of the client side for one week. */
export interface ClientMetrics {
  /** Issues reported in the week through the agreed channel (any intake but `direct`). */
  agreedChannelRequests: number;
  /**
   * Requests in the week that bypassed the agreed channel: request.direct events, plus issues
   * reported with via = direct that no request.direct event already counts.
   */
  directRequests: number;
  /** agreed ÷ (agreed + direct); null when both are 0. */
  processAdherence: number | null;
  /**
   * Clock minutes between when a problem began and when it was reported (reportedAt − startedAt,
   * never negative), on the clock of the priority it was reported with, over client reports in
   * the week that said when the problem began.
   */
  reportingDelay: Distribution;
  /** Client reports in the week, and how many of them said when the problem began. */
  reports: { total: number; withStart: number };
  /** Recommendation decisions recorded in the week, by kind (`ignored` = decide-by passed). */
  decisions: { accepted: number; declined: number; riskAccepted: number; ignored: number };
  /** (accepted + declined + riskAccepted) ÷ all decisions in the week; null when none. */
  decisionRate: number | null;
  /** Recommendations with no decision at the cut-off. */
  pendingRecommendations: number;
  /** Pending recommendations made more than `nudge.recommendationStaleDays` × 24 h before the cut-off. */
  stalePendingRecommendations: number;
  /** The oldest pending recommendation and its age in whole days at the cut-off. */
  oldestPending: { title: string; ageDays: number } | null;
  /** Clock minutes the provider spent waiting on the client inside the week (open waits run to the cut-off). */
  waitingTotalMinutes: number;
  /**
   * Clock minutes of each wait that ended in the week (client replied or issue resolved) or was
   * still open at the cut-off (its length so far): a question never answered counts as waiting.
   */
  waiting: Distribution;
  /** Issues waiting on the client at the cut-off. */
  waitingNow: number;
  /** Calls scheduled in the week that the client did not show up for or answer. */
  missedCalls: number;
  /** Calls scheduled in the week that were held. */
  callsHeld: number;
  /** Days (real elapsed) between announcement and effective date, over changes announced in the week. */
  headsUpLeadDays: Distribution;
  /** Changes announced in the week with fewer than 5 working days before their effective day. */
  shortNoticeChanges: number;
}

/** The figures both sides share for one week. */
export interface SharedMetrics {
  /** Hours of downtime inside the week (every local day 24 h); a downtime still open runs to the cut-off. */
  downtimeHours: number;
  /** Downtimes that overlap the week. */
  downtimeIncidents: number;
  /** downtimeHours × the partnership's downtimeCostPerHour, in its currency. */
  downtimeCost: { amount: number; currency: string };
}

/** Every figure of one week for one partnership, as of `cutoff`. */
export interface WeekMetrics {
  week: Week;
  /** min(now, week end): the instant the figures describe. */
  cutoff: Date;
  /** The week has ended by `now`. */
  complete: boolean;
  /** Ledger events that occurred in the week. */
  activity: number;
  /** No event in the week and no downtime in it. */
  quiet: boolean;
  provider: ProviderMetrics;
  client: ClientMetrics;
  shared: SharedMetrics;
  /** The SLA outcomes decided in the week. */
  outcomes: SlaOutcome[];
  /** The items behind each figure. */
  trace: MetricsTrace;
  /** The nudge thresholds and cost in force at the cut-off, which the figures used. */
  settings: Pick<Partnership, "nudge" | "downtimeCostPerHour" | "currency">;
}

/** What `weekMetrics` needs: all of a partnership's events (or at least those up to the cut-off). */
export interface WeekMetricsInput {
  partnership: Partnership;
  events: readonly ReplayedEvent[];
  week: Week;
  now: Date;
  /** Every version of the settings; without it, today's settings stand for all time. */
  settingsHistory?: SettingsHistory;
}

/** What every metrics function works from: the partnership, its week and the ledger replayed to the cut-off. */
export interface MetricsContext {
  /** The partnership with the settings in force at the cut-off. */
  partnership: Partnership;
  history: SettingsHistory;
  /** The calendar in force at the cut-off. */
  calendar: BusinessCalendar;
  week: Week;
  cutoff: Date;
  /** The facts at the cut-off; its issues are those the week's figures can count (see `metricsAt`). */
  timeline: Timeline;
  /** The key of any issue replayed, settled before the week or not (a direct request names it). */
  issueKey(issueId: string): string | undefined;
}

/** Minutes in a millisecond count, so clock figures share one unit. */
export const MS_PER_MINUTE = 60_000;
