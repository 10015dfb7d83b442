// The five rules of docs/METRICS.md as laws over generated histories (scenario-arbitrary.ts):
// each law draws a case, names the histories to compare, and checks them once recorded.
import { isDeepStrictEqual } from "node:util";
import fc from "fast-check";
import { DateTime } from "luxon";
import { healthScores } from "../../../src/domain/health.ts";
import { weekMetrics, type Attainment, type SlaOutcome } from "../../../src/domain/metrics.ts";
import type { Priority, Side } from "../../../src/domain/vocabulary.ts";
import {
  type CallScript,
  type ChangeScript,
  type Decision,
  type Gap,
  type IssueScript,
  type IssueStep,
  type IssueStepKind,
  type RecommendationScript,
  type Recorded,
  SLOTS_PER_WEEK,
  type Scenario,
  type WeekResult,
  advance,
  callArb,
  changeArb,
  describeEvents,
  describeSettings,
  evaluationEnd,
  evaluationWeeks,
  gapArb,
  horizonEnd,
  instantOf,
  intentArb,
  interpretSteps,
  issueArb,
  lost,
  monday,
  partsDiff,
  priorityArb,
  recommendationArb,
  scenarioArb,
  scoreWeeks,
  slotArb,
  uuidOf,
} from "./scenario-arbitrary.ts";

// ---------------------------------------------------------------------------------------------
// Laws

/** A rule checked over generated cases: the scenarios a case needs, and the check of their records. */
export interface Law<T> {
  arbitrary: fc.Arbitrary<T>;
  scenarios(c: T): Scenario[];
  check(c: T, runs: readonly Recorded[]): void;
}

const EPSILON = 1e-9;
/** Focus items get numbers no generated item has. */
const FOCUS = 900;

function fail(message: string, scenario: Scenario, ...runs: Recorded[]): never {
  const events = runs.map(
    (r, i) => `events${runs.length > 1 ? ` (${i === 0 ? "before" : "after"})` : ""}:\n${describeEvents(r)}`,
  );
  throw new Error([message, describeSettings(scenario), ...events].join("\n"));
}

/**
 * Checks that `after` scores `side` no higher than `before` in every week: that the points `side`
 * lost, as `cost` counts them in that week (by default all of them), never fall.
 */
function neverHigher(
  what: string,
  side: Side,
  s: Scenario,
  [before, after]: [Recorded, Recorded],
  cost: (w: WeekResult) => (r: WeekResult) => number = () => (r) => lost(r, side),
): void {
  const a = scoreWeeks(s, before);
  const b = scoreWeeks(s, after);
  a.forEach((wa, i) => {
    const wb = b[i]!;
    const points = cost(wa);
    if (points(wb) < points(wa) - EPSILON) {
      fail(
        `${what} raised the ${side}'s score in the week of ${wa.week.label}: ${wa[side].score} → ${wb[side].score} (${partsDiff(wa, wb, side)})`,
        s,
        before,
        after,
      );
    }
  });
}

/**
 * The points the provider lost in a week leaving out the SLA outcomes of one issue: its
 * attainment counted over the other issues' outcomes only.
 */
function lostBesidesOutcomesOf(issueId: string) {
  return (r: WeekResult): number => {
    const outcomes = r.metrics.outcomes.filter((o) => o.issueId !== issueId);
    const tally = (kind: SlaOutcome["kind"]): Attainment => {
      const of = outcomes.filter((o) => o.kind === kind);
      const met = of.filter((o) => o.result === "met").length;
      return { met, breached: of.length - met, rate: of.length ? met / of.length : null };
    };
    const provider = {
      ...r.metrics.provider,
      firstResponseAttainmentOverall: tally("first_response"),
      resolutionAttainmentOverall: tally("resolution"),
    };
    return healthScores({ ...r.metrics, provider, outcomes }).provider.parts.reduce(
      (n, p) => n + p.points,
      0,
    );
  };
}

/** Checks that `side`'s every figure cost the same points in both records, in each week `inScope` admits. */
function unchanged(
  what: string,
  side: Side,
  s: Scenario,
  [before, after]: [Recorded, Recorded],
  inScope: (w: WeekResult) => boolean = () => true,
): void {
  const a = scoreWeeks(s, before);
  const b = scoreWeeks(s, after);
  a.forEach((wa, i) => {
    const wb = b[i]!;
    if (!inScope(wa)) return;
    const diff = partsDiff(wa, wb, side);
    if (diff) {
      fail(
        `${what} moved the ${side}'s score in the week of ${wa.week.label}: ${wa[side].score} → ${wb[side].score} (${diff})`,
        s,
        before,
        after,
      );
    }
  });
}

/** Applies worsenings one at a time (a chain of states), comparing each state with the one before. */
function chain<S, W extends string>(start: S, worsenings: readonly W[], apply: (state: S, w: W) => S | null) {
  const states: S[] = [start];
  const steps: Array<{ worsening: W; from: number; to: number }> = [];
  for (const w of worsenings) {
    const next = apply(states[states.length - 1]!, w);
    if (next === null) continue;
    states.push(next);
    steps.push({ worsening: w, from: states.length - 2, to: states.length - 1 });
  }
  return { states, steps };
}

// Law 1 -----------------------------------------------------------------------------------------

/** The client's worse facts, in the order a chain applies them. */
export const CLIENT_WORSENINGS = [
  "reply_later",
  "no_reply",
  "no_start_time",
  "no_heads_up",
  "missed_call",
  "direct_request",
  "reported_directly",
  "earlier_recommendation",
] as const;
export type ClientWorsening = (typeof CLIENT_WORSENINGS)[number];

interface QuestionFocus {
  at: number;
  priority: Priority;
  startedBefore: number;
  respond: Gap | null;
  ask: Gap;
  early: Gap;
  late: Gap;
  resolve: Gap | null;
}

export interface ClientCase {
  base: Scenario;
  question: QuestionFocus;
  change: ChangeScript;
  call: CallScript;
  direct: number;
  recommendation: { early: number; later: number };
  worsenings: ClientWorsening[];
}

interface ClientState {
  reply: "early" | "late" | "none";
  startTime: boolean;
  headsUp: boolean;
  missedCall: boolean;
  direct: boolean;
  reportedDirectly: boolean;
  earlierRecommendation: boolean;
}

function questionIssue(f: QuestionFocus, st: ClientState): IssueScript {
  const steps: IssueStep[] = [];
  let t = f.at;
  if (f.respond !== null) steps.push({ at: (t = advance(t, f.respond)), kind: "respond" });
  steps.push({ at: (t = advance(t, f.ask)), kind: "ask" });
  const early = advance(t, f.early);
  const late = advance(early, f.late);
  if (st.reply !== "none") steps.push({ at: st.reply === "early" ? early : late, kind: "reply" });
  if (f.resolve !== null) steps.push({ at: advance(late, f.resolve), kind: "resolve" });
  const startedAt = st.startTime ? f.at - f.startedBefore : null;
  // Reported directly: asked of a technician, who logged it (the issue and the request.direct).
  const via = st.reportedDirectly ? "direct" : "command";
  return { id: FOCUS, at: f.at, priority: f.priority, startedAt, via, logged: st.reportedDirectly, steps };
}

function clientVariant(c: ClientCase, st: ClientState): Scenario {
  const s = c.base;
  const recommendation: RecommendationScript = {
    id: FOCUS,
    at: st.earlierRecommendation ? c.recommendation.early : c.recommendation.later,
    // Past the evaluation: pending throughout, never ignored.
    decideByDays: 7 * (s.weeks + 2),
    decision: null,
  };
  return {
    ...s,
    issues: [...s.issues, questionIssue(c.question, st)],
    changes: st.headsUp ? [...s.changes, c.change] : s.changes,
    calls: st.missedCall ? [...s.calls, c.call] : s.calls,
    directRequests: st.direct ? [...s.directRequests, c.direct] : s.directRequests,
    recommendations: [...s.recommendations, recommendation],
  };
}

function clientStates(c: ClientCase) {
  const start: ClientState = {
    reply: "early",
    startTime: true,
    headsUp: true,
    missedCall: false,
    direct: false,
    reportedDirectly: false,
    earlierRecommendation: false,
  };
  return chain(start, c.worsenings, (st, w): ClientState | null => {
    switch (w) {
      case "reply_later":
        return st.reply === "early" ? { ...st, reply: "late" } : null;
      case "no_reply":
        return { ...st, reply: "none" };
      case "no_start_time":
        return { ...st, startTime: false };
      case "no_heads_up":
        return { ...st, headsUp: false };
      case "missed_call":
        return { ...st, missedCall: true };
      case "direct_request":
        return { ...st, direct: true };
      case "reported_directly":
        return { ...st, reportedDirectly: true };
      case "earlier_recommendation":
        return { ...st, earlierRecommendation: true };
    }
  });
}

/**
 * Law 1: a worse fact of the client's never raises the client's score, in any week: a question
 * answered later or never, a report without its start time, a change not announced, one more
 * call missed, one more direct request (a request.direct), a request made directly rather than
 * through the agreed channel, a pending recommendation that has waited longer.
 */
export const clientMonotone: Law<ClientCase> = {
  arbitrary: scenarioArb().chain((base) =>
    fc.record({
      base: fc.constant(base),
      question: fc.record({
        at: slotArb(base.weeks),
        priority: priorityArb,
        startedBefore: fc.oneof(fc.integer({ min: 0, max: 60 }), fc.integer({ min: 0, max: 3000 })),
        respond: fc.option(gapArb, { nil: null }),
        ask: gapArb,
        early: gapArb,
        late: gapArb,
        resolve: fc.option(gapArb, { nil: null }),
      }),
      change: changeArb(base.weeks, FOCUS),
      call: callArb(base.weeks, FOCUS, "missed_by_client"),
      direct: slotArb(base.weeks),
      recommendation: fc
        .record({ early: slotArb(base.weeks), gap: fc.integer({ min: 1, max: 2 * SLOTS_PER_WEEK }) })
        .map(({ early, gap }) => ({ early, later: early + gap })),
      worsenings: fc.subarray([...CLIENT_WORSENINGS], { minLength: 1, maxLength: 3 }),
    }),
  ),
  scenarios: (c) => clientStates(c).states.map((st) => clientVariant(c, st)),
  check(c, runs) {
    for (const step of clientStates(c).steps) {
      const pair: [Recorded, Recorded] = [runs[step.from]!, runs[step.to]!];
      neverHigher(`The client's "${step.worsening}"`, "client", c.base, pair);
    }
  },
};

export interface DirectCase {
  base: Scenario;
  issue: IssueScript;
}

/**
 * Law 1, one more direct request as technicians log them: the request.direct and the issue
 * reported through it (with or without a start time, and whatever happens to it next) never
 * lower what the bypass costs the client (adherence). The report itself is one more report like
 * any other: reporting is averaged over reports (docs/METRICS.md), so a well-reported request may
 * lift that figure, and that is the report's merit, not the bypass's.
 */
export const directRequestLogged: Law<DirectCase> = {
  arbitrary: scenarioArb().chain((base) =>
    fc.record({
      base: fc.constant(base),
      issue: issueArb(base.weeks, FOCUS).map((i) => ({ ...i, via: "direct" as const, logged: true })),
    }),
  ),
  scenarios: (c) => [c.base, { ...c.base, issues: [...c.base.issues, c.issue] }],
  check(c, [before, after]) {
    const a = scoreWeeks(c.base, before!);
    const b = scoreWeeks(c.base, after!);
    a.forEach((wa, i) => {
      const cost = (w: WeekResult) => w.client.parts.find((p) => p.figure === "adherence")?.points ?? 0;
      if (cost(b[i]!) < cost(wa) - EPSILON) {
        fail(
          `One more direct request lowered what adherence costs the client in the week of ${wa.week.label}: ${cost(wa)} → ${cost(b[i]!)}`,
          c.base,
          before!,
          after!,
        );
      }
    });
  },
};

// Law 2 -----------------------------------------------------------------------------------------

export const PROVIDER_WORSENINGS = [
  "answer_later",
  "never_answer",
  "missed_call",
  "unanswered_issue",
] as const;
export type ProviderWorsening = (typeof PROVIDER_WORSENINGS)[number];

export interface ProviderCase {
  base: Scenario;
  /** The focus issue; its first step is the provider's (a reply, a question or a resolution). */
  issue: IssueScript;
  /** Which of its provider steps is delayed, and by how much (within the room before the next step). */
  pick: number;
  delay: number;
  call: CallScript;
  silent: { at: number; priority: Priority };
  worsenings: ProviderWorsening[];
}

interface ProviderState {
  /** When the chosen step happens; null: never. */
  at: number | null;
  missedCall: boolean;
  silent: boolean;
}

const PROVIDER_WORK: readonly IssueStepKind[] = ["respond", "ask", "resolve"];

function chosenStep(c: ProviderCase): { index: number; at: number; room: number } {
  const work = c.issue.steps.flatMap((step, i) => (PROVIDER_WORK.includes(step.kind) ? [i] : []));
  const index = work[c.pick % work.length]!;
  const at = c.issue.steps[index]!.at;
  const next = c.issue.steps[index + 1];
  return { index, at, room: next ? next.at - at : 3000 };
}

function providerVariant(c: ProviderCase, st: ProviderState): Scenario {
  const s = c.base;
  const { index } = chosenStep(c);
  const steps = c.issue.steps.flatMap((step, i) =>
    i !== index ? [step] : st.at === null ? [] : [{ ...step, at: st.at }],
  );
  const silent: IssueScript = {
    id: FOCUS + 1,
    at: c.silent.at,
    priority: c.silent.priority,
    startedAt: null,
    via: "command",
    logged: false,
    steps: [],
  };
  return {
    ...s,
    issues: [...s.issues, { ...c.issue, steps }, ...(st.silent ? [silent] : [])],
    calls: st.missedCall ? [...s.calls, c.call] : s.calls,
  };
}

function providerStates(c: ProviderCase) {
  const chosen = chosenStep(c);
  const last = chosen.index === c.issue.steps.length - 1;
  const start: ProviderState = { at: chosen.at, missedCall: false, silent: false };
  return chain(start, c.worsenings, (st, w): ProviderState | null => {
    switch (w) {
      case "answer_later":
        // Later, but not after the issue's next step: the rest of its history stays possible.
        return st.at === chosen.at ? { ...st, at: chosen.at + 1 + (c.delay % chosen.room) } : null;
      case "never_answer":
        return last && st.at !== null ? { ...st, at: null } : null;
      case "missed_call":
        return { ...st, missedCall: true };
      case "unanswered_issue":
        return { ...st, silent: true };
    }
  });
}

/**
 * Law 2: a worse fact of the provider's never raises the provider's score: answering or resolving
 * later (or never), one more call missed, one more issue left unanswered. The one exception, as
 * docs/METRICS.md states it ("Monotone, and its one exception"): an outcome counts in the week it
 * is decided, so answering an issue later can move that issue's outcomes into a later week. So:
 * in every week up to the one that held the earlier answer the score never rises; in the weeks
 * after it, the points lost besides that issue's own outcomes never fall.
 */
export const providerMonotone: Law<ProviderCase> = {
  arbitrary: scenarioArb().chain((base) =>
    fc.record({
      base: fc.constant(base),
      issue: fc
        .tuple(
          issueArb(base.weeks, FOCUS, 0),
          fc.integer({ min: 0, max: 2 }),
          gapArb,
          fc.array(intentArb, { maxLength: 5 }),
        )
        .map(([issue, first, gap, rest]) => ({
          ...issue,
          via: "command" as const,
          logged: false,
          // The first intent picks respond, ask or resolve: the issue always has a provider step.
          steps: interpretSteps(issue, [{ choice: first, gap, to: "P1" }, ...rest], Number.MAX_SAFE_INTEGER),
        })),
      pick: fc.nat(),
      delay: fc.nat(),
      call: callArb(base.weeks, FOCUS + 1, "missed_by_provider"),
      silent: fc.record({ at: slotArb(base.weeks), priority: priorityArb }),
      worsenings: fc.subarray([...PROVIDER_WORSENINGS], { minLength: 1, maxLength: 3 }),
    }),
  ),
  scenarios: (c) => providerStates(c).states.map((st) => providerVariant(c, st)),
  check(c, runs) {
    const { states, steps } = providerStates(c);
    for (const step of steps) {
      const pair: [Recorded, Recorded] = [runs[step.from]!, runs[step.to]!];
      const before = states[step.from]!.at;
      const moved = step.worsening === "answer_later" || step.worsening === "never_answer";
      const until = moved && before !== null ? instantOf(c.base, before) : null;
      const besides = lostBesidesOutcomesOf(uuidOf("issue", FOCUS));
      neverHigher(`The provider's "${step.worsening}"`, "provider", c.base, pair, (w) =>
        !until || w.week.start <= until ? (r) => lost(r, "provider") : besides,
      );
    }
  },
};

// Law 3 -----------------------------------------------------------------------------------------

export interface SidesCase {
  base: Scenario;
  provider: {
    recommendation: RecommendationScript | null;
    call: CallScript | null;
    priorities: Array<{ issue: number; offset: number; to: Priority }>;
    responses: Array<{ issue: number; offset: number }>;
    resolutions: Array<{ issue: number; gap: Gap }>;
  };
  client: {
    call: CallScript | null;
    decisions: Array<{ recommendation: number; kind: Decision; delay: number }>;
    changes: ChangeScript[];
  };
}

function insertStep(steps: readonly IssueStep[], step: IssueStep): IssueStep[] {
  const i = steps.findIndex((s) => s.at > step.at);
  return i < 0 ? [...steps, step] : [...steps.slice(0, i), step, ...steps.slice(i)];
}

function finalStatus(issue: IssueScript): "open" | "waiting" | "resolved" {
  let status: "open" | "waiting" | "resolved" = "open";
  for (const step of issue.steps) {
    if (step.kind === "ask") status = "waiting";
    if (step.kind === "reply" || step.kind === "reopen") status = "open";
    if (step.kind === "resolve") status = "resolved";
  }
  return status;
}

/** The base with the provider's own facts added: none of them is a fact the client shares. */
function withProviderFacts(c: SidesCase): Scenario {
  const s = c.base;
  const issues = s.issues.map((i) => ({ ...i, steps: [...i.steps] }));
  const end = horizonEnd(s);
  for (const p of c.provider.priorities) {
    const issue = issues[p.issue % Math.max(1, issues.length)];
    if (!issue) break;
    const at = issue.at + 1 + (p.offset % Math.max(1, end - issue.at - 1));
    issue.steps = insertStep(issue.steps, { at, kind: "priority", to: p.to });
  }
  for (const r of c.provider.responses) {
    const issue = issues[r.issue % Math.max(1, issues.length)];
    if (!issue || issue.steps.some((step) => step.kind === "respond")) continue;
    // Before the first answer of any kind: the issue is open and unanswered until then.
    const first = issue.steps.find((step) => PROVIDER_WORK.includes(step.kind))?.at ?? end;
    if (first - issue.at < 2) continue;
    issue.steps = insertStep(issue.steps, {
      at: issue.at + 1 + (r.offset % (first - issue.at - 1)),
      kind: "respond",
    });
  }
  for (const r of c.provider.resolutions) {
    const issue = issues[r.issue % Math.max(1, issues.length)];
    // Only an issue with no open question: a resolution settles the client's question too.
    if (!issue || finalStatus(issue) !== "open") continue;
    const last = issue.steps[issue.steps.length - 1]?.at ?? issue.at;
    issue.steps = [...issue.steps, { at: advance(last, r.gap), kind: "resolve" }];
  }
  return {
    ...s,
    issues,
    recommendations: c.provider.recommendation
      ? [...s.recommendations, c.provider.recommendation]
      : s.recommendations,
    calls: c.provider.call ? [...s.calls, c.provider.call] : s.calls,
  };
}

/** The base with the client's own facts added. */
function withClientFacts(c: SidesCase): Scenario {
  const s = c.base;
  const recommendations = s.recommendations.map((r) => ({ ...r }));
  for (const d of c.client.decisions) {
    const r = recommendations[d.recommendation % Math.max(1, recommendations.length)];
    if (!r || r.decision) continue;
    r.decision = { kind: d.kind, at: r.at + 1 + d.delay };
  }
  return {
    ...s,
    recommendations,
    calls: c.client.call ? [...s.calls, c.client.call] : s.calls,
    changes: [...s.changes, ...c.client.changes],
  };
}

/**
 * Law 3: each side answers for itself. The provider's own facts (a fresh recommendation, a call
 * it missed, priority changes, responses, resolutions of issues with no open question) never move
 * the client's score; the client's own facts (a call it missed, decisions, heads-ups) never move
 * the provider's.
 */
export const eachSideAnswersForItself: Law<SidesCase> = {
  arbitrary: scenarioArb().chain((base) => {
    const w = base.weeks;
    return fc.record({
      base: fc.constant(base),
      provider: fc.record({
        recommendation: fc.option(
          recommendationArb(w, FOCUS).map((r) => ({ ...r, decideByDays: 7 * (w + 2), decision: null })),
          { nil: null },
        ),
        call: fc.option(callArb(w, FOCUS, "missed_by_provider"), { nil: null }),
        priorities: fc.array(fc.record({ issue: fc.nat(), offset: fc.nat(), to: priorityArb }), {
          maxLength: 3,
        }),
        responses: fc.array(fc.record({ issue: fc.nat(), offset: fc.nat() }), { maxLength: 2 }),
        resolutions: fc.array(fc.record({ issue: fc.nat(), gap: gapArb }), { maxLength: 2 }),
      }),
      client: fc.record({
        call: fc.option(callArb(w, FOCUS + 1, "missed_by_client"), { nil: null }),
        decisions: fc.array(
          fc.record({
            recommendation: fc.nat(),
            kind: fc.constantFrom<Decision>("accepted", "declined", "risk_accepted"),
            delay: fc.integer({ min: 0, max: 2 * SLOTS_PER_WEEK }),
          }),
          { maxLength: 2 },
        ),
        changes: fc.array(changeArb(w, FOCUS + 2), { maxLength: 1 }),
      }),
    });
  }),
  scenarios: (c) => [c.base, withProviderFacts(c), withClientFacts(c)],
  check(c, [base, provider, client]) {
    const r = c.provider.recommendation;
    const madeAt = r ? instantOf(c.base, r.at).getTime() : null;
    // The fresh recommendation is a shared fact once it is stale: only weeks where it is not count.
    const limitMs = c.base.staleDays * 86_400_000 - 2 * 3_600_000;
    const fresh = (w: WeekResult) => madeAt === null || w.metrics.cutoff.getTime() - madeAt <= limitMs;
    unchanged("The provider's own facts", "client", c.base, [base!, provider!], fresh);
    unchanged("The client's own facts", "provider", c.base, [base!, client!]);
  },
};

// Law 4 -----------------------------------------------------------------------------------------

/** An instant to compute the figures as of: a slot, or just before or at one of the recorded events. */
export type AsOf = { slot: number } | { event: number; before: boolean };

export interface OutcomeCase {
  base: Scenario;
  /** Instants at which the figures are also computed, besides the end of the evaluation. */
  nows: AsOf[];
}

function instantAsOf(s: Scenario, run: Recorded, at: AsOf): Date {
  if ("slot" in at) return instantOf(s, at.slot);
  const event = run.events[at.event % Math.max(1, run.events.length)];
  if (!event) return instantOf(s, 0);
  return new Date(event.occurredAt.getTime() - (at.before ? 60_000 : 0));
}

type Decided = { week: string; result: string; decidedAt: number; priority: Priority };

function outcomesAsOf(s: Scenario, run: Recorded, now: Date): Map<string, Decided> {
  const decided = new Map<string, Decided>();
  for (const week of evaluationWeeks(s).filter((w) => w.start <= now)) {
    const m = weekMetrics({ partnership: run.partnership, events: run.events, week, now });
    for (const o of m.outcomes) {
      const key = `${o.key} ${o.kind} ${o.cycle}`;
      const t = o.decidedAt.getTime();
      if (decided.has(key))
        fail(`${key} counted in the weeks of ${decided.get(key)!.week} and ${week.label}`, s, run);
      if (t < week.start.getTime() || t >= week.end.getTime() || t > now.getTime()) {
        fail(`${key} decided at ${o.decidedAt.toISOString()} counted in the week of ${week.label}`, s, run);
      }
      decided.set(key, { week: week.label, result: o.result, decidedAt: t, priority: o.priority });
    }
  }
  return decided;
}

/** Each issue's answered and closed resolution cycles by `now`, from the events themselves. */
function expectedOutcomes(run: Recorded, now: Date): { answered: string[]; closed: Map<string, number[]> } {
  const answered = new Set<string>();
  const closed = new Map<string, number[]>();
  const state = new Map<string, { key: string; cycle: number; resolved: boolean }>();
  for (const e of run.events) {
    if (e.occurredAt > now) continue;
    const p = e.payload as { issueId?: string; key?: string };
    if (e.type === "issue.reported") state.set(p.issueId!, { key: p.key!, cycle: 1, resolved: false });
    const issue = p.issueId ? state.get(p.issueId) : undefined;
    if (!issue) continue;
    const provider = e.actor?.side !== "client";
    if (["issue.responded", "issue.waiting_on_client", "issue.resolved"].includes(e.type) && provider) {
      answered.add(issue.key);
    }
    if (e.type === "issue.resolved" && !issue.resolved) {
      issue.resolved = true;
      closed.set(issue.key, [...(closed.get(issue.key) ?? []), issue.cycle]);
    }
    if (e.type === "issue.reopened" && issue.resolved) {
      issue.resolved = false;
      issue.cycle++;
    }
  }
  return { answered: [...answered], closed };
}

/**
 * Law 4: each outcome is decided once and lands in exactly one week. Computed as of several
 * instants, an outcome appears in at most one week, at an instant inside it; once decided it keeps
 * its week, result and instant as later events arrive; every answered issue has its first-response
 * outcome and every closed resolution cycle its outcome, except the cycles after a breached one.
 */
export const outcomesDecidedOnce: Law<OutcomeCase> = {
  arbitrary: scenarioArb({ maxIssues: 6 }).chain((base) =>
    fc.record({
      base: fc.constant(base),
      nows: fc.array(
        fc.oneof(
          fc.record({ slot: fc.integer({ min: 1, max: evaluationEnd(base) - 1 }) }),
          fc.record({ event: fc.nat(), before: fc.boolean() }),
        ),
        { maxLength: 6 },
      ),
    }),
  ),
  scenarios: (c) => [c.base],
  check(c, [run]) {
    const s = c.base;
    // Just before and at events is where a decision could be taken back: as of each, and at the end.
    const nows = [...c.nows.map((at) => instantAsOf(s, run!, at)), instantOf(s, evaluationEnd(s))].sort(
      (a, b) => a.getTime() - b.getTime(),
    );
    let earlier: Map<string, Decided> | null = null;
    for (const now of nows) {
      const decided = outcomesAsOf(s, run!, now);
      for (const [key, o] of earlier ?? []) {
        const later = decided.get(key);
        if (!later || later.week !== o.week || later.result !== o.result || later.decidedAt !== o.decidedAt) {
          fail(
            `${key}, ${o.result} in the week of ${o.week}, became ${later ? `${later.result} in the week of ${later.week}` : "undecided"} as of ${now.toISOString()}`,
            s,
            run!,
          );
        }
      }
      const breachedCycle = new Map<string, number>();
      for (const [key, o] of decided) {
        const [issueKey, kind, cycle] = key.split(" ");
        if (kind === "resolution" && o.result === "breached") {
          breachedCycle.set(issueKey!, Math.min(Number(cycle), breachedCycle.get(issueKey!) ?? Infinity));
        }
      }
      for (const [key] of decided) {
        const [issueKey, kind, cycle] = key.split(" ");
        if (kind === "resolution" && Number(cycle) > (breachedCycle.get(issueKey!) ?? Infinity)) {
          fail(`${key} has an outcome after cycle ${breachedCycle.get(issueKey!)} breached`, s, run!);
        }
      }
      const expected = expectedOutcomes(run!, now);
      for (const key of expected.answered) {
        if (!decided.has(`${key} first_response 1`))
          fail(`${key} was answered but has no first-response outcome`, s, run!);
      }
      for (const [key, cycles] of expected.closed) {
        for (const cycle of cycles) {
          if (cycle > (breachedCycle.get(key) ?? Infinity)) continue;
          if (!decided.has(`${key} resolution ${cycle}`))
            fail(`${key} resolution cycle ${cycle} closed without an outcome`, s, run!);
        }
      }
      earlier = decided;
    }
  },
};

// Law 5 -----------------------------------------------------------------------------------------

export interface ShiftCase {
  base: Scenario;
  pick: number;
}

/** Week shifts (±1…±8) after which some day of the evaluation has another UTC offset or length. */
export function crossingShifts(s: Pick<Scenario, "zone" | "firstMonday" | "weeks">): number[] {
  const start = monday(s);
  const days = (s.weeks + 1) * 7;
  const shape = (from: DateTime) =>
    Array.from({ length: days }, (_, d) => {
      const day = from.plus({ days: d });
      return `${day.set({ hour: 12 }).offset}/${day.plus({ days: 1 }).diff(day, "hours").hours}`;
    }).join(",");
  const own = shape(start);
  return [-8, -7, -6, -5, -4, -3, -2, -1, 1, 2, 3, 4, 5, 6, 7, 8].filter(
    (n) => shape(start.plus({ weeks: n })) !== own,
  );
}

function shiftOf(c: ShiftCase): number {
  const shifts = crossingShifts(c.base);
  return shifts[c.pick % shifts.length] ?? 0;
}

/** A week's figures without what names its dates: what must not change when the week moves. */
export function comparable(r: WeekResult) {
  const { week: _week, cutoff: _cutoff, outcomes, trace, ...figures } = r.metrics;
  return toMillionths({
    ...figures,
    outcomes: outcomes.map(({ decidedAt: _decidedAt, ...o }) => o),
    // A direct request's item is its event id, which each database assigns afresh.
    trace: Object.fromEntries(
      Object.entries(trace).map(([k, items]) => [
        k,
        items.map((i) => (i.kind === "direct_request" ? { ...i, ref: "request" } : i)),
      ]),
    ),
    scores: { provider: r.provider, client: r.client },
  });
}

/**
 * Every number to a millionth: a minute figure summed from instants that lie elsewhere on the
 * time line can differ in its last binary digit (239.99999999999997 against 240), which is no
 * shifted minute.
 */
function toMillionths<T>(value: T): T {
  if (typeof value === "number") return (Math.round(value * 1e6) / 1e6) as T;
  if (Array.isArray(value)) return value.map(toMillionths) as T;
  if (value && typeof value === "object" && !(value instanceof Date)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toMillionths(v)])) as T;
  }
  return value;
}

/**
 * Law 5: DST never shifts a minute. The same scenario moved by whole weeks (each instant by luxon
 * `plus({ weeks })` in the zone, so every local time stays), across a DST change, gives the same
 * figures and scores in every week.
 */
export const shiftByWeeks: Law<ShiftCase> = {
  arbitrary: fc.record({ base: scenarioArb(), pick: fc.nat() }),
  scenarios: (c) => [c.base, { ...c.base, shiftWeeks: shiftOf(c) }],
  check(c, [before, after]) {
    const moved = { ...c.base, shiftWeeks: shiftOf(c) };
    const a = scoreWeeks(c.base, before!);
    const b = scoreWeeks(moved, after!);
    a.forEach((wa, i) => {
      const wb = b[i]!;
      const x = comparable(wa);
      const y = comparable(wb);
      if (!isDeepStrictEqual(x, y)) {
        fail(
          `Moved ${moved.shiftWeeks} weeks, the week of ${wa.week.label} (→ ${wb.week.label}) changed: ${firstDifference(x, y)}`,
          c.base,
          before!,
          after!,
        );
      }
    });
  },
};

/** The first path at which two plain values differ, with both values. */
export function firstDifference(a: unknown, b: unknown, path = ""): string {
  if (isDeepStrictEqual(a, b)) return "";
  if (a && b && typeof a === "object" && typeof b === "object") {
    for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) {
      const found = firstDifference(
        (a as Record<string, unknown>)[k],
        (b as Record<string, unknown>)[k],
        `${path}.${k}`,
      );
      if (found) return found;
    }
  }
  return `${path || "value"}: ${JSON.stringify(a)} → ${JSON.stringify(b)}`;
}

/**
 * fast-check's parameters for a run of the laws: RAPPORT_PROPERTY_RUNS (else `defaultRuns`) runs,
 * replaying RAPPORT_PROPERTY_SEED and _PATH when given. CI explores one fixed sample, so a verdict
 * does not depend on the day's luck; elsewhere every run draws new histories.
 */
export function propertyParams(defaultRuns: number): fc.Parameters<unknown> {
  const seed = process.env.RAPPORT_PROPERTY_SEED ?? (process.env.CI ? "20261201" : undefined);
  const path = process.env.RAPPORT_PROPERTY_PATH;
  return {
    numRuns: Number(process.env.RAPPORT_PROPERTY_RUNS ?? defaultRuns),
    ...(seed ? { seed: Number(seed) } : {}),
    ...(path ? { path } : {}),
  };
}
