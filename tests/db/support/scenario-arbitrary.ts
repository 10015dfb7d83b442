import fc from "fast-check";
import { DateTime } from "luxon";
import type {
  EventPayload,
  EventType,
  IntakeVia,
  LedgerEvent,
  NewEvent,
} from "../../../src/domain/events.ts";
import { subjectOf } from "../../../src/domain/events.ts";
import { healthScores, type HealthScore } from "../../../src/domain/health.ts";
import { weekMetrics, type WeekMetrics } from "../../../src/domain/metrics.ts";
import {
  DEFAULT_SETTINGS,
  type Partnership,
  type PartnershipSettings,
  type SlaTargets,
  type WorkingHours,
} from "../../../src/domain/partnership.ts";
import type { Actor, Priority, Side } from "../../../src/domain/vocabulary.ts";
import { weekContaining, type Week } from "../../../src/domain/week.ts";

// Generated histories of one partnership over 1–3 weeks, as the ledger would hold them, and how
// they are scored. The laws checked over them (docs/METRICS.md: each outcome decided once, a worse
// fact never raises a score, each side answers for itself, DST never shifts a minute) live in
// scorecard-laws.ts. A law names the scenarios it needs; a test file records them (in memory, or
// through the ledger on a database) and hands the recorded events back to the law's check.
//
// Times are "slots": local wall-clock minutes from the scenario's first Monday 00:00, skipping the
// local hours 01:00–03:00 of every day. Those are the hours the clocks change in both zones, so a
// slot always names exactly one instant, slots and instants are in the same order, and moving a
// scenario by whole weeks keeps every local time (the DST nights still lie inside spans of time).

/** Slots in a local day: 24 h less the two night hours never used. */
export const SLOTS_PER_DAY = 22 * 60;
const NIGHT_START = 60;
const NIGHT_LENGTH = 120;
export const SLOTS_PER_WEEK = 7 * SLOTS_PER_DAY;

export type Zone = "Europe/London" | "America/New_York";

/**
 * Mondays within a few weeks of the 2026 DST changes: London 29 March and 25 October, New York
 * 8 March and 1 November.
 */
export const FIRST_MONDAYS: Record<Zone, readonly string[]> = {
  "Europe/London": [
    "2026-03-09",
    "2026-03-16",
    "2026-03-23",
    "2026-03-30",
    "2026-10-12",
    "2026-10-19",
    "2026-10-26",
  ],
  "America/New_York": ["2026-02-23", "2026-03-02", "2026-03-09", "2026-10-19", "2026-10-26", "2026-11-02"],
};

export type IssueStepKind = "respond" | "ask" | "reply" | "resolve" | "reopen" | "priority";
export interface IssueStep {
  at: number;
  kind: IssueStepKind;
  /** The new priority of a `priority` step. */
  to?: Priority;
}

/** One issue reported by client staff and what happened to it, in time order. */
export interface IssueScript {
  id: number;
  at: number;
  priority: Priority;
  /** When the problem began (a slot at or before `at`), if the reporter said. */
  startedAt: number | null;
  via: IntakeVia;
  /** A direct issue logged by a technician: a request.direct about it is recorded with the report. */
  logged: boolean;
  steps: IssueStep[];
}

export type Decision = "accepted" | "declined" | "risk_accepted";
export interface RecommendationScript {
  id: number;
  at: number;
  /** Local days from the day it was made to its decide-by date. */
  decideByDays: number;
  decision: { kind: Decision; at: number } | null;
}

export interface CallScript {
  id: number;
  /** When the call was scheduled (and held or missed). */
  at: number;
  /** When someone logged it: never before `at`. */
  loggedAt: number;
  outcome: "held" | "missed_by_provider" | "missed_by_client";
}

export interface ChangeScript {
  id: number;
  at: number;
  effectiveAt: number;
}

export interface DowntimeScript {
  id: number;
  at: number;
  endAt: number | null;
}

export type HoursKind = "office" | "split" | "long";
export type ClocksKind = "default" | "p1_business" | "p2_24x7";

/** A partnership's settings and history over `weeks` weeks, all times in slots. */
export interface Scenario {
  zone: Zone;
  firstMonday: string;
  weeks: number;
  /** Whole weeks the built events are moved by (luxon `plus({ weeks })` in the zone). */
  shiftWeeks: number;
  hours: HoursKind;
  clocks: ClocksKind;
  /** Holidays, as day numbers from the first Monday. */
  holidays: number[];
  unansweredMinutes: number;
  staleDays: number;
  issues: IssueScript[];
  recommendations: RecommendationScript[];
  calls: CallScript[];
  changes: ChangeScript[];
  /** Direct requests a technician logged with no issue of their own. */
  directRequests: number[];
  downtimes: DowntimeScript[];
}

// ---------------------------------------------------------------------------------------------
// Time

function minuteOfSlot(r: number): number {
  return r < NIGHT_START ? r : r + NIGHT_LENGTH;
}

/** The slot of a local time of day (never one of the night hours left out). */
export function slotOfDay(day: number, hhmm: string): number {
  const [h, m] = hhmm.split(":").map(Number);
  const minute = (h ?? 0) * 60 + (m ?? 0);
  if (minute >= NIGHT_START && minute < NIGHT_START + NIGHT_LENGTH) throw new Error(`${hhmm} is not a slot`);
  return day * SLOTS_PER_DAY + (minute < NIGHT_START ? minute : minute - NIGHT_LENGTH);
}

export function monday(s: Pick<Scenario, "zone" | "firstMonday">): DateTime {
  return DateTime.fromISO(s.firstMonday, { zone: s.zone });
}

/** The local time of a slot (before any shift). */
export function localTime(s: Pick<Scenario, "zone" | "firstMonday">, slot: number): DateTime {
  const day = Math.floor(slot / SLOTS_PER_DAY);
  const minute = minuteOfSlot(slot - day * SLOTS_PER_DAY);
  return monday(s)
    .plus({ days: day })
    .set({ hour: Math.floor(minute / 60), minute: minute % 60, second: 0, millisecond: 0 });
}

/** The first slot of the scenario's evaluation: every event happens in its first `weeks` weeks. */
export function horizonEnd(s: Pick<Scenario, "weeks">): number {
  return s.weeks * SLOTS_PER_WEEK;
}

/** Weeks are scored one past the events, so breaches that fall after the last event count too. */
export function evaluationEnd(s: Pick<Scenario, "weeks">): number {
  return (s.weeks + 1) * SLOTS_PER_WEEK;
}

/** A gap in slots, or the next local opening, close, midnight or week start (the clocks' edges). */
export type Gap = number | "09:00" | "17:30" | "00:00" | "Mon 00:00";

/** The slot `gap` after `from` (always later). */
export function advance(from: number, gap: Gap): number {
  if (typeof gap === "number") return from + Math.max(1, gap);
  const day = Math.floor(from / SLOTS_PER_DAY);
  if (gap === "Mon 00:00") return (Math.floor(day / 7) + 1) * 7 * SLOTS_PER_DAY;
  const same = slotOfDay(day, gap);
  return same > from ? same : slotOfDay(day + 1, gap);
}

// ---------------------------------------------------------------------------------------------
// Arbitraries

export const priorityArb = fc.constantFrom<Priority>("P1", "P2", "P3", "P4");

/** Short replies, times right at the default targets, a working day or several, or the day's edges. */
export const gapArb: fc.Arbitrary<Gap> = fc.oneof(
  { weight: 3, arbitrary: fc.integer({ min: 1, max: 30 }) },
  {
    weight: 2,
    arbitrary: fc.constantFrom(14, 15, 16, 59, 60, 61, 119, 120, 121, 239, 240, 241, 479, 480, 481),
  },
  { weight: 3, arbitrary: fc.integer({ min: 30, max: 600 }) },
  { weight: 2, arbitrary: fc.integer({ min: 600, max: 4000 }) },
  { weight: 1, arbitrary: fc.constantFrom<Gap>("09:00", "17:30", "00:00", "Mon 00:00") },
);

/** A slot in the scenario's weeks, mostly in office hours (any day: P1s happen at weekends too). */
export function slotArb(weeks: number): fc.Arbitrary<number> {
  const days = weeks * 7;
  return fc.oneof(
    {
      weight: 3,
      arbitrary: fc
        .record({ day: fc.integer({ min: 0, max: days - 1 }), minute: fc.integer({ min: 480, max: 1110 }) })
        .map(({ day, minute }) => day * SLOTS_PER_DAY + minute - NIGHT_LENGTH),
    },
    { weight: 2, arbitrary: fc.integer({ min: 0, max: days * SLOTS_PER_DAY - 1 }) },
  );
}

interface IssueIntent {
  choice: number;
  gap: Gap;
  to: Priority;
}

function nextPriority(p: Priority): Priority {
  return ({ P1: "P2", P2: "P3", P3: "P4", P4: "P1" } as const)[p];
}

/** What may happen next to an issue in a state (what the ledger's projection accepts). */
function choices(status: "open" | "waiting" | "resolved", answered: boolean): IssueStepKind[] {
  if (status === "waiting") return ["reply", "resolve", "priority"];
  if (status === "resolved") return ["reopen", "priority"];
  return answered ? ["ask", "resolve", "priority"] : ["respond", "ask", "resolve", "priority"];
}

/** Turns free choices into a valid history: each intent picks one of the steps allowed then. */
export function interpretSteps(
  issue: Pick<IssueScript, "at" | "priority">,
  intents: readonly IssueIntent[],
  end: number,
): IssueStep[] {
  let status: "open" | "waiting" | "resolved" = "open";
  let answered = false;
  let priority = issue.priority;
  let t = issue.at;
  const steps: IssueStep[] = [];
  for (const intent of intents) {
    const options = choices(status, answered);
    const kind = options[intent.choice % options.length]!;
    const at = advance(t, intent.gap);
    if (at >= end) break;
    if (kind === "priority") {
      priority = intent.to === priority ? nextPriority(priority) : intent.to;
      steps.push({ at, kind, to: priority });
    } else {
      steps.push({ at, kind });
      if (kind === "respond" || kind === "ask" || kind === "resolve") answered = true;
      if (kind === "ask") status = "waiting";
      if (kind === "reply" || kind === "reopen") status = "open";
      if (kind === "resolve") status = "resolved";
    }
    t = at;
  }
  return steps;
}

export const intentArb: fc.Arbitrary<IssueIntent> = fc.record({
  choice: fc.nat(11),
  gap: gapArb,
  to: priorityArb,
});

/** An issue reported in the scenario's weeks, with up to `maxSteps` things happening to it. */
export function issueArb(weeks: number, id: number, maxSteps = 6): fc.Arbitrary<IssueScript> {
  return fc
    .record({
      at: slotArb(weeks),
      priority: priorityArb,
      startedBefore: fc.option(fc.oneof(fc.integer({ min: 0, max: 90 }), fc.integer({ min: 0, max: 4000 })), {
        nil: null,
      }),
      via: fc.constantFrom<IntakeVia>("command", "command", "form", "reaction", "auto_intake", "direct"),
      logged: fc.boolean(),
      intents: fc.array(intentArb, { maxLength: maxSteps }),
    })
    .map((r) => ({
      id,
      at: r.at,
      priority: r.priority,
      startedAt: r.startedBefore === null ? null : r.at - r.startedBefore,
      via: r.via,
      logged: r.via === "direct" && r.logged,
      steps: interpretSteps(r, r.intents, horizonEnd({ weeks })),
    }));
}

export function recommendationArb(weeks: number, id: number): fc.Arbitrary<RecommendationScript> {
  return fc
    .record({
      at: slotArb(weeks),
      decideByDays: fc.integer({ min: 0, max: 21 }),
      decision: fc.option(
        fc.record({
          kind: fc.constantFrom<Decision>("accepted", "declined", "risk_accepted"),
          after: fc.integer({ min: 1, max: 3 * SLOTS_PER_WEEK }),
        }),
        { nil: null },
      ),
    })
    .map((r) => ({
      id,
      at: r.at,
      decideByDays: r.decideByDays,
      decision:
        r.decision && r.at + r.decision.after < horizonEnd({ weeks })
          ? { kind: r.decision.kind, at: r.at + r.decision.after }
          : null,
    }));
}

export function callArb(
  weeks: number,
  id: number,
  outcome?: CallScript["outcome"],
): fc.Arbitrary<CallScript> {
  return fc
    .record({
      at: slotArb(weeks),
      delay: fc.oneof(fc.integer({ min: 0, max: 120 }), fc.integer({ min: 0, max: 4 * SLOTS_PER_DAY })),
      outcome: outcome
        ? fc.constant(outcome)
        : fc.constantFrom<CallScript["outcome"]>("held", "held", "missed_by_provider", "missed_by_client"),
    })
    .map((r) => ({ id, at: r.at, loggedAt: r.at + r.delay, outcome: r.outcome }));
}

export function changeArb(weeks: number, id: number): fc.Arbitrary<ChangeScript> {
  return fc
    .record({ at: slotArb(weeks), notice: fc.integer({ min: 0, max: 30 * SLOTS_PER_DAY }) })
    .map((r) => ({ id, at: r.at, effectiveAt: r.at + r.notice }));
}

function downtimeArb(weeks: number, id: number): fc.Arbitrary<DowntimeScript> {
  return fc
    .record({
      at: slotArb(weeks),
      length: fc.option(fc.integer({ min: 1, max: 2 * SLOTS_PER_DAY }), { nil: null }),
    })
    .map((r) => ({ id, at: r.at, endAt: r.length === null ? null : r.at + r.length }));
}

/** `n` items numbered from 1. */
function numbered<T>(max: number, item: (id: number) => fc.Arbitrary<T>): fc.Arbitrary<T[]> {
  return fc
    .integer({ min: 0, max })
    .chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => item(i + 1))));
}

/** A partnership's first Monday, zone, settings and 1–3 weeks of history. */
export function scenarioArb(
  options: { maxIssues?: number; weeks?: fc.Arbitrary<number> } = {},
): fc.Arbitrary<Scenario> {
  const maxIssues = options.maxIssues ?? 5;
  return fc
    .record({
      zone: fc.constantFrom<Zone>("Europe/London", "America/New_York"),
      pick: fc.nat(),
      weeks: options.weeks ?? fc.integer({ min: 1, max: 3 }),
    })
    .chain(({ zone, pick, weeks }) =>
      fc.record({
        zone: fc.constant(zone),
        firstMonday: fc.constant(FIRST_MONDAYS[zone][pick % FIRST_MONDAYS[zone].length]!),
        weeks: fc.constant(weeks),
        shiftWeeks: fc.constant(0),
        hours: fc.constantFrom<HoursKind>("office", "office", "split", "long"),
        clocks: fc.constantFrom<ClocksKind>("default", "default", "p1_business", "p2_24x7"),
        holidays: fc.uniqueArray(fc.integer({ min: 0, max: weeks * 7 - 1 }), { maxLength: 2 }),
        unansweredMinutes: fc.constantFrom(30, 60, 120, 240),
        staleDays: fc.constantFrom(1, 2, 3, 7, 14),
        issues: numbered(maxIssues, (id) => issueArb(weeks, id)),
        recommendations: numbered(3, (id) => recommendationArb(weeks, id)),
        calls: numbered(3, (id) => callArb(weeks, id)),
        changes: numbered(2, (id) => changeArb(weeks, id)),
        directRequests: fc.array(slotArb(weeks), { maxLength: 2 }),
        downtimes: numbered(1, (id) => downtimeArb(weeks, id)),
      }),
    );
}

// ---------------------------------------------------------------------------------------------
// Settings and events

const office = [{ start: "09:00", end: "17:30" }];
const split = [
  { start: "08:00", end: "12:00" },
  { start: "13:00", end: "17:00" },
];
const long = [{ start: "07:30", end: "19:00" }];
const HOURS: Record<HoursKind, WorkingHours> = {
  office: { "1": office, "2": office, "3": office, "4": office, "5": office },
  split: { "1": split, "2": split, "3": split, "4": split, "5": split },
  long: { "1": long, "2": long, "3": long, "4": long, "5": long, "6": long },
};

function slaOf(clocks: ClocksKind): SlaTargets {
  const sla = structuredClone(DEFAULT_SETTINGS.sla);
  if (clocks === "p1_business") sla.P1.clock = "business";
  if (clocks === "p2_24x7") sla.P2.clock = "24x7";
  return sla;
}

/** The settings a scenario's partnership is created with (its holidays moved with the scenario). */
export function settingsOf(s: Scenario): Partial<PartnershipSettings> {
  return {
    timezone: s.zone,
    workingHours: HOURS[s.hours],
    holidays: s.holidays.map((d) => monday(s).plus({ days: d, weeks: s.shiftWeeks }).toISODate()!),
    sla: slaOf(s.clocks),
    nudge: {
      ...DEFAULT_SETTINGS.nudge,
      unansweredMinutes: s.unansweredMinutes,
      recommendationStaleDays: s.staleDays,
    },
  };
}

/** The client org every scenario's partnership has: its issue keys are ACME-1, ACME-2, … */
export const CLIENT_ORG = "Acme Dental";

/** A scenario's partnership as the core would load it, for recording in memory. */
export function memoryPartnership(s: Scenario, id = "p-scenario"): Partnership {
  return {
    ...DEFAULT_SETTINGS,
    ...settingsOf(s),
    id,
    key: "ACME",
    name: "Scenario",
    providerOrg: "Fixit IT",
    clientOrg: CLIENT_ORG,
    providerWorkspaceIds: ["T0PROVIDER"],
    createdAt: new Date("2026-01-01T00:00:00Z"),
  };
}

const PEOPLE: Record<"staff" | "owner" | "tech" | "lead", Actor> = {
  staff: person("client", "staff", "U0STAFF", "Sam Staff"),
  owner: person("client", "lead", "U0OWNER", "Olive Owner"),
  tech: person("provider", "tech", "U0TECH", "Tara Tech"),
  lead: person("provider", "lead", "U0LEAD", "Leo Lead"),
};

function person(side: Side, role: Actor["role"], userId: string, displayName: string): Actor {
  return { memberId: null, side, role, platform: "slack", userId, displayName };
}

const KIND_PREFIX = { issue: "a1", recommendation: "b2", call: "c3", change: "d4", downtime: "e5" } as const;

/** A stable uuid per kind and number, so every variant of a scenario names the same things alike. */
export function uuidOf(kind: keyof typeof KIND_PREFIX, n: number): string {
  return `${KIND_PREFIX[kind]}000000-0000-4000-8000-${String(n).padStart(12, "0")}`;
}

interface Draft {
  at: number;
  type: EventType;
  payload: object;
  actor: Actor | null;
  system?: string;
}

function draft<T extends EventType>(
  at: number,
  type: T,
  payload: EventPayload<T>,
  actor: Actor | null,
): Draft {
  return { at, type, payload, actor };
}

function issueDrafts(s: Scenario, issue: IssueScript): Draft[] {
  const issueId = uuidOf("issue", issue.id);
  const iso = (slot: number) => localTime(s, slot).toUTC().toISO()!;
  const drafts: Draft[] = [
    draft(
      issue.at,
      "issue.reported",
      {
        issueId,
        key: "",
        title: `Issue ${issue.id}`,
        detail: null,
        priority: issue.priority,
        category: null,
        startedAt: issue.startedAt === null ? null : iso(issue.startedAt),
        via: issue.via,
        message: null,
      },
      PEOPLE.staff,
    ),
  ];
  if (issue.logged) drafts.push(directDraft(issue.at, issueId, `Issue ${issue.id}`));
  let priority = issue.priority;
  let status: "open" | "waiting" | "resolved" = "open";
  let answered = false;
  let last = issue.at;
  for (const step of issue.steps) {
    // A step the ledger would refuse is a bug in the generator, not a finding.
    if (step.at < last || !choices(status, answered).includes(step.kind)) {
      throw new Error(
        `Issue ${issue.id}: ${step.kind} at slot ${step.at} is not possible after slot ${last}`,
      );
    }
    last = step.at;
    if (step.kind === "priority") {
      const to = step.to!;
      if (to === priority) continue;
      drafts.push(draft(step.at, "issue.priority_changed", { issueId, from: priority, to }, PEOPLE.tech));
      priority = to;
      continue;
    }
    if (step.kind === "respond" || step.kind === "ask" || step.kind === "resolve") answered = true;
    if (step.kind === "respond")
      drafts.push(draft(step.at, "issue.responded", { issueId, via: "reply" }, PEOPLE.tech));
    if (step.kind === "ask") {
      drafts.push(
        draft(step.at, "issue.waiting_on_client", { issueId, question: "Which one?" }, PEOPLE.tech),
      );
      status = "waiting";
    }
    if (step.kind === "reply") {
      drafts.push(draft(step.at, "issue.client_replied", { issueId }, PEOPLE.staff));
      status = "open";
    }
    if (step.kind === "resolve") {
      drafts.push(draft(step.at, "issue.resolved", { issueId, resolution: null }, PEOPLE.tech));
      status = "resolved";
    }
    if (step.kind === "reopen") {
      drafts.push(draft(step.at, "issue.reopened", { issueId, reason: null }, PEOPLE.staff));
      status = "open";
    }
  }
  return drafts;
}

function directDraft(at: number, issueId: string | null, summary: string): Draft {
  const who = (a: Actor) => ({ memberId: a.memberId, userId: a.userId, displayName: a.displayName });
  return draft(
    at,
    "request.direct",
    { issueId, technician: who(PEOPLE.tech), requester: who(PEOPLE.staff), summary, via: "logged" },
    PEOPLE.tech,
  );
}

/** The slot at which a recommendation's decide-by day is over (the next local midnight). */
export function decideByPassed(r: RecommendationScript): number {
  return (Math.floor(r.at / SLOTS_PER_DAY) + r.decideByDays + 1) * SLOTS_PER_DAY;
}

function recommendationDrafts(s: Scenario, r: RecommendationScript): Draft[] {
  const recommendationId = uuidOf("recommendation", r.id);
  const decideBy = localTime(s, r.at).plus({ days: r.decideByDays }).toISODate()!;
  const drafts = [
    draft(
      r.at,
      "recommendation.made",
      { recommendationId, title: `Recommendation ${r.id}`, why: null, risk: "medium", decideBy },
      PEOPLE.lead,
    ),
  ];
  const passed = decideByPassed(r);
  const decidedInTime = r.decision !== null && r.decision.at < passed;
  // The expiry job records the lapse at the end of the decide-by day, if it has run by then.
  if (!decidedInTime && passed <= evaluationEnd(s)) {
    drafts.push({
      ...draft(passed, "recommendation.ignored", { recommendationId, decideBy }, null),
      system: `expiry:${recommendationId}`,
    });
  }
  // A decision after the lapse replaces "ignored" (the projection allows it), so it is kept.
  if (r.decision) {
    const { kind, at } = r.decision;
    drafts.push(draft(at, `recommendation.${kind}`, { recommendationId, note: null }, PEOPLE.owner));
  }
  return drafts;
}

function otherDrafts(s: Scenario): Draft[] {
  const iso = (slot: number) => localTime(s, slot).toUTC().toISO()!;
  const drafts: Draft[] = [];
  for (const c of s.calls) {
    const common = { callId: uuidOf("call", c.id), title: `Call ${c.id}`, scheduledAt: iso(c.at) };
    drafts.push(
      c.outcome === "held"
        ? draft(c.loggedAt, "call.held", common, PEOPLE.lead)
        : c.outcome === "missed_by_client"
          ? draft(c.loggedAt, "call.missed", { ...common, missedBy: "client" }, PEOPLE.lead)
          : draft(c.loggedAt, "call.missed", { ...common, missedBy: "provider" }, PEOPLE.owner),
    );
  }
  for (const c of s.changes) {
    drafts.push(
      draft(
        c.at,
        "change.announced",
        {
          changeId: uuidOf("change", c.id),
          title: `Change ${c.id}`,
          detail: null,
          effectiveAt: iso(c.effectiveAt),
        },
        PEOPLE.owner,
      ),
    );
  }
  for (const at of s.directRequests) drafts.push(directDraft(at, null, "Asked a technician directly"));
  for (const d of s.downtimes) {
    const downtimeId = uuidOf("downtime", d.id);
    drafts.push(
      draft(d.at, "downtime.started", { downtimeId, service: "Email", issueId: null }, PEOPLE.tech),
    );
    if (d.endAt !== null) drafts.push(draft(d.endAt, "downtime.ended", { downtimeId }, PEOPLE.tech));
  }
  return drafts;
}

/** Moves an instant by whole weeks on the zone's calendar: the same local time, n weeks on. */
export function shiftInstant(at: Date, zone: string, weeks: number): Date {
  if (weeks === 0) return at;
  return DateTime.fromJSDate(at, { zone }).plus({ weeks }).toJSDate();
}

function shiftPayload(
  payload: Record<string, unknown>,
  zone: string,
  weeks: number,
): Record<string, unknown> {
  if (weeks === 0) return payload;
  const out = { ...payload };
  for (const field of ["startedAt", "scheduledAt", "effectiveAt"]) {
    const value = out[field];
    if (typeof value === "string") out[field] = shiftInstant(new Date(value), zone, weeks).toISOString();
  }
  if (typeof out.decideBy === "string") {
    out.decideBy = DateTime.fromISO(out.decideBy, { zone }).plus({ weeks }).toISODate();
  }
  return out;
}

/**
 * The scenario's events in the order they are recorded (by when they were recorded; each
 * subject's events in time order), moved by `shiftWeeks`; issue keys are left for the ledger.
 */
export function newEvents(s: Scenario, partnershipId: string): NewEvent[] {
  const drafts = [
    ...s.issues.flatMap((i) => issueDrafts(s, i)),
    ...s.recommendations.flatMap((r) => recommendationDrafts(s, r)),
    ...otherDrafts(s),
  ];
  const ordered = drafts.map((d, n) => ({ d, n })).sort((a, b) => a.d.at - b.d.at || a.n - b.n);
  return ordered.map(({ d, n }) => ({
    type: d.type,
    partnershipId,
    actor: d.actor,
    occurredAt: shiftInstant(localTime(s, d.at).toJSDate(), s.zone, s.shiftWeeks),
    source: d.system ? { platform: "system", id: d.system } : { platform: "slack", id: `scenario-${n}` },
    payload: shiftPayload(d.payload as Record<string, unknown>, s.zone, s.shiftWeeks),
  })) as NewEvent[];
}

/** The events as the ledger would hold them after recording `newEvents` in order (keys, ids, subjects). */
export function ledgerEvents(s: Scenario, partnershipId = "p-scenario"): LedgerEvent[] {
  let keys = 0;
  return newEvents(s, partnershipId).map((e, n) => {
    const payload = e.type === "issue.reported" ? { ...e.payload, key: `ACME-${++keys}` } : e.payload;
    return {
      ...e,
      payload,
      id: `event-${n}`,
      recordedAt: e.occurredAt,
      subjectId: subjectOf(e),
    } as LedgerEvent;
  });
}

// ---------------------------------------------------------------------------------------------
// Evaluation

/** What a test file hands back for each scenario: its partnership and the events as recorded. */
export interface Recorded {
  partnership: Partnership;
  events: LedgerEvent[];
}

/** Records scenarios: in memory, or through the ledger of a database. */
export type Recorder = (scenarios: readonly Scenario[]) => Promise<Recorded[]> | Recorded[];

/** One week's figures and both scores. */
export interface WeekResult {
  week: Week;
  metrics: WeekMetrics;
  provider: HealthScore;
  client: HealthScore;
}

/** The weeks a scenario is scored over: its own weeks and one more, moved with it. */
export function evaluationWeeks(s: Scenario): Week[] {
  const first = monday(s).plus({ weeks: s.shiftWeeks });
  return Array.from({ length: s.weeks + 1 }, (_, k) =>
    weekContaining(first.plus({ weeks: k }).toJSDate(), s.zone),
  );
}

/** The instant a slot names once the scenario is moved (what the recorded events carry). */
export function instantOf(s: Scenario, slot: number): Date {
  return shiftInstant(localTime(s, slot).toJSDate(), s.zone, s.shiftWeeks);
}

/** Each evaluation week's figures as of `now` (default: the end of the last evaluation week). */
export function scoreWeeks(s: Scenario, run: Recorded, now = instantOf(s, evaluationEnd(s))): WeekResult[] {
  return evaluationWeeks(s)
    .filter((week) => week.start <= now)
    .map((week) => {
      const metrics = weekMetrics({ partnership: run.partnership, events: run.events, week, now });
      const scores = healthScores(metrics);
      return { week, metrics, provider: scores.provider, client: scores.client };
    });
}

/** Points a side lost in a week, before rounding: the score's exact complement. */
export function lost(r: WeekResult, side: Side): number {
  return r[side].parts.reduce((sum, p) => sum + p.points, 0);
}

/** The figures whose points differ between two weeks, for failure messages. */
export function partsDiff(a: WeekResult, b: WeekResult, side: Side): string {
  return a[side].parts
    .map((p, i) => ({ p, q: b[side].parts[i]! }))
    .filter(({ p, q }) => Math.abs(p.points - q.points) > 1e-9)
    .map(({ p, q }) => `${p.figure} ${p.points.toFixed(3)} → ${q.points.toFixed(3)}`)
    .join(", ");
}

/** The recorded events, one line each in local time: a counterexample a person can read. */
export function describeEvents(run: Recorded): string {
  const zone = run.partnership.timezone;
  const local = (d: Date | string) => DateTime.fromJSDate(new Date(d), { zone }).toFormat("ccc dd LLL HH:mm");
  const keys = new Map<string, string>();
  return run.events
    .map((e) => {
      const p = e.payload as Record<string, unknown>;
      if (e.type === "issue.reported") keys.set(String(p.issueId), String(p.key));
      const about = keys.get(String(p.issueId ?? "")) ?? String(e.subjectId ?? "").slice(0, 2);
      const extra = [
        p.priority ?? p.to,
        p.startedAt
          ? `started ${local(String(p.startedAt))}`
          : e.type === "issue.reported"
            ? "no start"
            : null,
        p.via && e.type === "issue.reported" ? `via ${String(p.via)}` : null,
        p.scheduledAt ? `scheduled ${local(String(p.scheduledAt))}` : null,
        p.missedBy ? `by ${String(p.missedBy)}` : null,
        p.effectiveAt ? `effective ${local(String(p.effectiveAt))}` : null,
        p.decideBy ? `decide by ${String(p.decideBy)}` : null,
      ].filter(Boolean);
      return `  ${local(e.occurredAt)} ${e.type} ${about} ${extra.join(" ")}`.trimEnd();
    })
    .join("\n");
}

/** Settings of a scenario in one line. */
export function describeSettings(s: Scenario): string {
  return `${s.zone} from ${s.firstMonday}${s.shiftWeeks ? ` moved ${s.shiftWeeks} weeks` : ""}, ${s.weeks} week(s), hours ${s.hours}, clocks ${s.clocks}, holidays [${settingsOf(s).holidays!.join(", ")}], unanswered after ${s.unansweredMinutes} min, stale after ${s.staleDays} days`;
}
