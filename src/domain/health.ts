import { formatMinutes, plural } from "./figure-format.ts";
import type { WeekMetrics } from "./metrics-types.ts";
import type { Partnership } from "./partnership.ts";
import type { Side } from "./vocabulary.ts";

/**
 * Provider health weights (points of 100). Each figure scores 0–1; a null figure's weight is
 * shared out over the others.
 *
 * | figure        | weight | 1 when                          | 0 when                        | null when         |
 * |---------------|-------:|---------------------------------|-------------------------------|-------------------|
 * | firstResponse |     30 | every first response on target  | every one breached            | no outcome        |
 * | resolution    |     25 | every resolution on target      | every one breached            | no outcome        |
 * | unanswered    |     15 | none past the nudge threshold   | 4 or more (−0.25 each)        | never             |
 * | backlogAge    |     10 | no open issue                   | oldest open ≥ 28 days (linear)| never             |
 * | proactivity   |     10 | ≥ 1 recommendation per 5 issues | no recommendation             | no issue received |
 * | calls         |     10 | the provider missed no call     | it missed every call          | no call           |
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
 * Client health weights (points of 100). Each figure scores 0–1; a null figure's weight is
 * shared out over the others.
 *
 * | figure         | weight | 1 when                           | 0 when                  | null when           |
 * |----------------|-------:|----------------------------------|-------------------------|---------------------|
 * | adherence      |     25 | every request via the channel    | every request direct    | no request          |
 * | reportingDelay |     15 | median delay ≤ 1 h               | median ≥ 8 h (linear)   | no start time given |
 * | decisions      |     15 | every decision before decide-by  | every one ignored       | no decision         |
 * | stalePending   |     15 | no recommendation pending > N d  | every pending one stale | never               |
 * | responsiveness |     15 | median wait on the client ≤ 2 h  | median ≥ 24 h (linear)  | no wait ended       |
 * | calls          |     10 | the client missed no call        | it missed every call    | no call             |
 * | headsUp        |      5 | every change ≥ 5 working days    | none                    | no change announced |
 *
 * N is the partnership's `nudge.recommendationStaleDays`; business minutes throughout.
 */
export const CLIENT_WEIGHTS = {
  adherence: 25,
  reportingDelay: 15,
  decisions: 15,
  stalePending: 15,
  responsiveness: 15,
  calls: 10,
  headsUp: 5,
} as const;

/** A proactivity of this many recommendations per issue earns the full proactivity score. */
export const FULL_PROACTIVITY = 0.2;
/** The age (days) at which the oldest open issue takes the whole backlog score. */
export const BACKLOG_ZERO_DAYS = 28;

/** Names of the figures each side is scored on. */
export type ProviderFigure = keyof typeof PROVIDER_WEIGHTS;
export type ClientFigure = keyof typeof CLIENT_WEIGHTS;

/** One figure's part in a score: its 0–1 value (null = no data) and weight. */
export interface ScorePart<F extends string = string> {
  figure: F;
  weight: number;
  value: number | null;
}

/** A side's 0–100 score and the parts it came from. */
export interface HealthScore<F extends string = string> {
  score: number;
  parts: ScorePart<F>[];
}

/** 1 at or below `good`, 0 at or above `bad`, linear in between; null stays null. */
function linear(x: number | null, good: number, bad: number): number | null {
  if (x === null) return null;
  return Math.min(1, Math.max(0, (bad - x) / (bad - good)));
}

function callShare(m: WeekMetrics, side: Side): number | null {
  const missed = side === "provider" ? m.provider.missedCalls : m.client.missedCalls;
  const calls = m.client.callsHeld + m.provider.missedCalls + m.client.missedCalls;
  return calls === 0 ? null : 1 - missed / calls;
}

function providerValues(m: WeekMetrics): Record<ProviderFigure, number | null> {
  const p = m.provider;
  const ageDays = p.oldestOpen ? p.oldestOpen.ageMinutes / 1440 : 0;
  return {
    firstResponse: p.firstResponseAttainmentOverall.rate,
    resolution: p.resolutionAttainmentOverall.rate,
    unanswered: Math.max(0, 1 - 0.25 * p.unansweredPastThreshold),
    backlogAge: linear(ageDays, 0, BACKLOG_ZERO_DAYS),
    proactivity: p.proactivity === null ? null : Math.min(1, p.proactivity / FULL_PROACTIVITY),
    calls: callShare(m, "provider"),
  };
}

function clientValues(m: WeekMetrics): Record<ClientFigure, number | null> {
  const c = m.client;
  const announced = c.headsUpLeadDays.count;
  return {
    adherence: c.processAdherence,
    reportingDelay: linear(c.reportingDelay.median, 60, 480),
    decisions: c.decisionRate,
    stalePending:
      c.pendingRecommendations === 0 ? 1 : 1 - c.stalePendingRecommendations / c.pendingRecommendations,
    responsiveness: linear(c.waiting.median, 120, 1440),
    calls: callShare(m, "client"),
    headsUp: announced === 0 ? null : 1 - c.shortNoticeChanges / announced,
  };
}

/**
 * Below this much known weight (points of 100) a score is damped towards 100: the missing weight
 * up to it counts as "no evidence of trouble". Without it, a week whose one known client figure
 * is a stale recommendation would score the client 0.
 */
export const MIN_KNOWN_WEIGHT = 40;

/** What the known parts' weights are divided by: their sum, but never less than MIN_KNOWN_WEIGHT. */
function basisOf(parts: readonly ScorePart[]): number {
  return Math.max(
    MIN_KNOWN_WEIGHT,
    parts.reduce((sum, p) => sum + (p.value === null ? 0 : p.weight), 0),
  );
}

/**
 * Weighted mean of the non-null parts × 100, rounded; the weight of a null part is shared out,
 * and with little known weight the score is damped towards 100 (MIN_KNOWN_WEIGHT).
 */
function scoreOf<F extends string>(
  weights: Record<F, number>,
  values: Record<F, number | null>,
): HealthScore<F> {
  const parts = (Object.keys(weights) as F[]).map((figure) => ({
    figure,
    weight: weights[figure],
    value: values[figure],
  }));
  const basis = basisOf(parts);
  const shortfall = parts.reduce((sum, p) => sum + (p.value === null ? 0 : p.weight * (1 - p.value)), 0);
  return { score: Math.round((100 * (basis - shortfall)) / basis), parts };
}

/** Both sides' 0–100 health scores for one week (weights: PROVIDER_WEIGHTS, CLIENT_WEIGHTS). */
export function healthScores(m: WeekMetrics): {
  provider: HealthScore<ProviderFigure>;
  client: HealthScore<ClientFigure>;
} {
  return {
    provider: scoreOf(PROVIDER_WEIGHTS, providerValues(m)),
    client: scoreOf(CLIENT_WEIGHTS, clientValues(m)),
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

type Sentence = (m: WeekMetrics, p: Partnership) => string;

const PROVIDER_ACTIONS: Record<ProviderFigure, Sentence> = {
  firstResponse: ({ provider: p }) =>
    `${plural(p.firstResponseAttainmentOverall.breached, "request")} missed the first-response target: answer new requests within target`,
  resolution: ({ provider: p }) =>
    `${plural(p.resolutionAttainmentOverall.breached, "issue")} passed the resolution target: resolve or re-prioritise them`,
  unanswered: ({ provider: p }, ps) =>
    `${plural(p.unansweredPastThreshold, "request")} unanswered for more than ${formatMinutes(ps.nudge.unansweredMinutes)}: answer them`,
  backlogAge: ({ provider: p }) =>
    `${p.oldestOpen?.key ?? "The oldest issue"} has been open ${plural(Math.floor((p.oldestOpen?.ageMinutes ?? 0) / 1440), "day")}: resolve it or agree a plan`,
  proactivity: ({ provider: p }) =>
    `${plural(p.recommendationsMade, "recommendation")} for ${plural(p.issuesReceived, "issue")} this week: record the improvements you see`,
  calls: ({ provider: p }) =>
    `The provider missed ${plural(p.missedCalls, "call")}: keep scheduled calls or move them ahead of time`,
};

const CLIENT_ACTIONS: Record<ClientFigure, Sentence> = {
  adherence: ({ client: c }) =>
    `${plural(c.directRequests, "request")} bypassed the support channel: report issues there so none are lost`,
  reportingDelay: ({ client: c }) =>
    `Problems were reported a median ${formatMinutes(c.reportingDelay.median ?? 0)} after they began: report them as soon as they start`,
  decisions: ({ client: c }) =>
    `${plural(c.decisions.ignored, "recommendation")} passed the decide-by date undecided: decide before the date`,
  stalePending: ({ client: c }, ps) =>
    `${plural(c.stalePendingRecommendations, "recommendation")} ${c.stalePendingRecommendations === 1 ? "has" : "have"} waited > ${ps.nudge.recommendationStaleDays} days: decide on them`,
  responsiveness: ({ client: c }) =>
    `The provider waited a median ${formatMinutes(c.waiting.median ?? 0)} for answers: reply to questions on open issues sooner`,
  calls: ({ client: c }) =>
    `The client missed ${plural(c.missedCalls, "call")}: attend scheduled calls or move them ahead of time`,
  headsUp: ({ client: c }) =>
    `${plural(c.shortNoticeChanges, "change")} came with less than 5 working days' notice: announce changes a week ahead`,
};

function actionsFor<F extends ProviderFigure | ClientFigure>(
  side: Side,
  score: HealthScore<F>,
  sentences: Record<F, Sentence>,
  m: WeekMetrics,
  p: Partnership,
): HealthAction[] {
  const total = basisOf(score.parts);
  return score.parts
    .filter((part) => part.value !== null && part.value < 1)
    .map((part) => ({
      side,
      figure: part.figure,
      // Raising this figure to 1 while the others stay put lifts the score by this much.
      points: (100 * part.weight * (1 - (part.value ?? 1))) / total,
      text: sentences[part.figure](m, p),
    }));
}

/** An action worth less than this many score points is noise ("open 0 days: resolve it"), not advice. */
export const MIN_ACTION_POINTS = 1;

/** The (up to) three actions, from either side, that would recover the most score points, most first. */
export function topActions(m: WeekMetrics, partnership: Partnership): HealthAction[] {
  const scores = healthScores(m);
  return [
    ...actionsFor("provider", scores.provider, PROVIDER_ACTIONS, m, partnership),
    ...actionsFor("client", scores.client, CLIENT_ACTIONS, m, partnership),
  ]
    .filter((a) => a.points >= MIN_ACTION_POINTS)
    .sort((a, b) => b.points - a.points)
    .slice(0, 3);
}
