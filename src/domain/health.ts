import { formatMinutes, plural } from "./figure-format.ts";
import type { WeekMetrics } from "./metrics-types.ts";
import type { Side } from "./vocabulary.ts";

/**
 * Provider health weights (points of 100; docs/METRICS.md, "Health scores"). Each figure has a
 * shortfall from 0 (nothing wrong) to 1 and costs weight × shortfall points; no data costs nothing.
 *
 * | figure        | weight | shortfall                                                   |
 * |---------------|-------:|-------------------------------------------------------------|
 * | firstResponse |     30 | breached ÷ first-response outcomes decided in the week      |
 * | resolution    |     25 | breached ÷ resolution outcomes decided in the week          |
 * | unanswered    |     15 | 0.25 per request unanswered past the nudge threshold (≤ 1)   |
 * | backlogAge    |     10 | oldest open issue in the provider's hands, 0 → 28 days      |
 * | proactivity   |     10 | 1 − recommendations ÷ (issues received × 0.2), at least 0   |
 * | calls         |     10 | calls missed by the provider ÷ (held + missed by it)        |
 */
export const PROVIDER_WEIGHTS = {
  firstResponse: 30,
  resolution: 25,
  unanswered: 15,
  backlogAge: 10,
  proactivity: 10,
  calls: 10,
} as const;

/**
 * Client health weights (points of 100), scored as PROVIDER_WEIGHTS are.
 *
 * | figure         | weight | shortfall                                                        |
 * |----------------|-------:|------------------------------------------------------------------|
 * | adherence      |     25 | direct requests ÷ all requests of the week                       |
 * | reporting      |     15 | mean over client reports of 1 − credit (1 at ≤ 1 h, 0.5 at ≥ 8 h; |
 * |                |        | a report without a start time earns 0.5)                         |
 * | decisions      |     15 | ignored ÷ decisions recorded in the week                         |
 * | stalePending   |     15 | 0.25 per recommendation pending > N × 24 h (≤ 1)                  |
 * | responsiveness |     20 | Σ per wait of 0 at ≤ 2 h … 1 at ≥ 24 h (≤ 1)                      |
 * | calls          |     10 | calls missed by the client ÷ (held + missed by it)              |
 *
 * Heads-up lead time is shown, not scored: rapport cannot see a change nobody announced, so a
 * score for short notice would make saying nothing better than a late heads-up.
 */
export const CLIENT_WEIGHTS = {
  adherence: 25,
  reporting: 15,
  decisions: 15,
  stalePending: 15,
  responsiveness: 20,
  calls: 10,
} as const;

/** A proactivity of this many recommendations per issue received costs nothing. */
export const FULL_PROACTIVITY = 0.2;
/** The age (days) at which the oldest open issue costs the whole backlog weight. */
export const BACKLOG_ZERO_DAYS = 28;
/** Each unanswered request, or stale recommendation, costs this share of its figure's weight. */
export const PER_ITEM_SHORTFALL = 0.25;
/** Reporting credit: full at or below this delay (minutes) … */
export const REPORTING_GOOD_MINUTES = 60;
/** … down to REPORTING_FLOOR at or above this one. */
export const REPORTING_LATE_MINUTES = 480;
/** The least credit a report earns, and what a report without a start time earns: telling never scores below silence. */
export const REPORTING_FLOOR = 0.5;
/** A wait on the client costs nothing up to this many clock minutes … */
export const WAIT_GOOD_MINUTES = 120;
/** … and the whole responsiveness weight from this many. */
export const WAIT_BAD_MINUTES = 1440;

/** Names of the figures each side is scored on. */
export type ProviderFigure = keyof typeof PROVIDER_WEIGHTS;
export type ClientFigure = keyof typeof CLIENT_WEIGHTS;

/** One figure's part in a score: its shortfall (null = no data, costs nothing) and the points it cost. */
export interface ScorePart<F extends string = string> {
  figure: F;
  weight: number;
  /** 0 (nothing wrong) to 1; null when the week gives no data for it. */
  shortfall: number | null;
  /** weight × shortfall: the points this figure took off 100. */
  points: number;
}

/** A side's 0–100 score and the parts it came from. */
export interface HealthScore<F extends string = string> {
  score: number;
  parts: ScorePart<F>[];
}

const clamp01 = (x: number) => Math.min(1, Math.max(0, x));

/** 0 at or below `good`, 1 at or above `bad`, linear in between. */
function rising(x: number, good: number, bad: number): number {
  return clamp01((x - good) / (bad - good));
}

function share(part: number, whole: number): number | null {
  return whole === 0 ? null : part / whole;
}

function providerShortfalls(m: WeekMetrics): Record<ProviderFigure, number | null> {
  const p = m.provider;
  const first = p.firstResponseAttainmentOverall;
  const resolution = p.resolutionAttainmentOverall;
  return {
    firstResponse: share(first.breached, first.met + first.breached),
    resolution: share(resolution.breached, resolution.met + resolution.breached),
    unanswered: clamp01(PER_ITEM_SHORTFALL * p.unansweredPastThreshold),
    backlogAge: rising((p.oldestOpen?.ageMinutes ?? 0) / 1440, 0, BACKLOG_ZERO_DAYS),
    proactivity: p.issuesReceived === 0 ? null : clamp01(1 - (p.proactivity ?? 0) / FULL_PROACTIVITY),
    calls: share(p.missedCalls, m.client.callsHeld + p.missedCalls),
  };
}

/** Per client report, its reporting credit: 1 … REPORTING_FLOOR by delay, REPORTING_FLOOR without a start. */
export function reportingCredit(delayMinutes: number | null): number {
  if (delayMinutes === null) return REPORTING_FLOOR;
  return 1 - (1 - REPORTING_FLOOR) * rising(delayMinutes, REPORTING_GOOD_MINUTES, REPORTING_LATE_MINUTES);
}

function reportingShortfall(m: WeekMetrics): number | null {
  const items = m.trace.reporting ?? [];
  if (items.length === 0) return null;
  const lost = items.reduce((sum, i) => sum + 1 - reportingCredit(i.minutes ?? null), 0);
  return lost / items.length;
}

function clientShortfalls(m: WeekMetrics): Record<ClientFigure, number | null> {
  const c = m.client;
  const d = c.decisions;
  const waits = (m.trace.waiting ?? []).map((w) =>
    rising(w.minutes ?? 0, WAIT_GOOD_MINUTES, WAIT_BAD_MINUTES),
  );
  return {
    adherence: share(c.directRequests, c.agreedChannelRequests + c.directRequests),
    reporting: reportingShortfall(m),
    decisions: share(d.ignored, d.accepted + d.declined + d.riskAccepted + d.ignored),
    stalePending: clamp01(PER_ITEM_SHORTFALL * c.stalePendingRecommendations),
    responsiveness: waits.length === 0 ? null : clamp01(waits.reduce((a, b) => a + b, 0)),
    calls: share(c.missedCalls, c.callsHeld + c.missedCalls),
  };
}

/** 100 less the points every figure cost, rounded: a worse fact can only cost more, and no data costs nothing. */
function scoreOf<F extends string>(
  weights: Record<F, number>,
  shortfalls: Record<F, number | null>,
): HealthScore<F> {
  const parts = (Object.keys(weights) as F[]).map((figure) => {
    const shortfall = shortfalls[figure];
    return { figure, weight: weights[figure], shortfall, points: weights[figure] * (shortfall ?? 0) };
  });
  const lost = parts.reduce((sum, p) => sum + p.points, 0);
  return { score: Math.round(100 - lost), parts };
}

/** Both sides' 0–100 health scores for one week (weights: PROVIDER_WEIGHTS, CLIENT_WEIGHTS). */
export function healthScores(m: WeekMetrics): {
  provider: HealthScore<ProviderFigure>;
  client: HealthScore<ClientFigure>;
} {
  return {
    provider: scoreOf(PROVIDER_WEIGHTS, providerShortfalls(m)),
    client: scoreOf(CLIENT_WEIGHTS, clientShortfalls(m)),
  };
}

/** The series of both scores over consecutive weeks, oldest first (as given). */
export function trend(weeks: readonly WeekMetrics[]): {
  labels: string[];
  provider: number[];
  client: number[];
} {
  const scores = weeks.map(healthScores);
  return {
    labels: weeks.map((w) => w.week.label),
    provider: scores.map((s) => s.provider.score),
    client: scores.map((s) => s.client.score),
  };
}

/** One thing a side could do, and the score points (unrounded) it would recover. */
export interface HealthAction {
  side: Side;
  figure: ProviderFigure | ClientFigure;
  points: number;
  text: string;
}

type Sentence = (m: WeekMetrics) => string;

const PROVIDER_ACTIONS: Record<ProviderFigure, Sentence> = {
  firstResponse: ({ provider: p }) =>
    `${plural(p.firstResponseAttainmentOverall.breached, "request")} missed the first-response target: answer new requests within target`,
  resolution: ({ provider: p }) =>
    `${plural(p.resolutionAttainmentOverall.breached, "issue")} passed the resolution target: resolve or re-prioritise them`,
  unanswered: ({ provider: p, settings }) =>
    `${plural(p.unansweredPastThreshold, "request")} unanswered for more than ${formatMinutes(settings.nudge.unansweredMinutes)}: answer them`,
  backlogAge: ({ provider: p }) =>
    `${p.oldestOpen?.key ?? "The oldest issue"} has been with the provider ${plural(Math.floor((p.oldestOpen?.ageMinutes ?? 0) / 1440), "day")}: resolve it or agree a plan`,
  proactivity: ({ provider: p }) =>
    `${plural(p.recommendationsMade, "recommendation")} for ${plural(p.issuesReceived, "issue")} this week: record the improvements you see`,
  calls: ({ provider: p }) =>
    `The provider missed ${plural(p.missedCalls, "call")}: keep scheduled calls or move them ahead of time`,
};

const CLIENT_ACTIONS: Record<ClientFigure, Sentence> = {
  adherence: ({ client: c }) =>
    `${plural(c.directRequests, "request")} bypassed the support channel: report issues there so none are lost`,
  reporting: ({ client: c }) =>
    c.reports.withStart < c.reports.total
      ? `${c.reports.total - c.reports.withStart} of ${plural(c.reports.total, "report")} did not say when the problem began: add "since 9am" when you report`
      : `Problems were reported a median ${formatMinutes(c.reportingDelay.median ?? 0)} after they began: report them as soon as they start`,
  decisions: ({ client: c }) =>
    `${plural(c.decisions.ignored, "recommendation")} passed the decide-by date undecided: decide before the date`,
  stalePending: ({ client: c, settings }) =>
    `${plural(c.stalePendingRecommendations, "recommendation")} ${c.stalePendingRecommendations === 1 ? "has" : "have"} waited > ${settings.nudge.recommendationStaleDays} days: decide on them`,
  responsiveness: ({ client: c }) =>
    `The provider waited up to ${formatMinutes(c.waiting.p90 ?? 0)} for answers (${plural(c.waiting.count, "question")}): reply to questions on open issues sooner`,
  calls: ({ client: c }) =>
    `The client missed ${plural(c.missedCalls, "call")}: attend scheduled calls or move them ahead of time`,
};

function actionsFor<F extends ProviderFigure | ClientFigure>(
  side: Side,
  score: HealthScore<F>,
  sentences: Record<F, Sentence>,
  m: WeekMetrics,
): HealthAction[] {
  return (
    score.parts
      .filter((part) => part.points > 0)
      // Clearing this figure's shortfall while the others stay put lifts the score by its points.
      .map((part) => ({ side, figure: part.figure, points: part.points, text: sentences[part.figure](m) }))
  );
}

/** An action worth less than this many score points is noise ("open 0 days: resolve it"), not advice. */
export const MIN_ACTION_POINTS = 1;

/** The (up to) three actions, from either side, that would recover the most score points, most first. */
export function topActions(m: WeekMetrics): HealthAction[] {
  const scores = healthScores(m);
  return [
    ...actionsFor("provider", scores.provider, PROVIDER_ACTIONS, m),
    ...actionsFor("client", scores.client, CLIENT_ACTIONS, m),
  ]
    .filter((a) => a.points >= MIN_ACTION_POINTS)
    .sort((a, b) => b.points - a.points)
    .slice(0, 3);
}
