import type { EventPayload, EventType, IntakeVia, LedgerEvent } from "../../../src/domain/events.ts";
import { DEFAULT_SETTINGS, type Partnership, type WorkingHours } from "../../../src/domain/partnership.ts";
import type { Actor, Priority, Side } from "../../../src/domain/vocabulary.ts";

const day = [{ start: "09:00", end: "17:30" }];

/** Mon–Fri 09:00–17:30, weekends closed, every weekday key present. */
export const WEEKDAYS_0900_1730: WorkingHours = {
  "1": day,
  "2": day,
  "3": day,
  "4": day,
  "5": day,
  "6": [],
  "7": [],
};

/** A partnership with DEFAULT_SETTINGS (London, P1 24x7) and a full weekday map. */
export function testPartnership(overrides: Partial<Partnership> = {}): Partnership {
  return {
    ...DEFAULT_SETTINGS,
    workingHours: WEEKDAYS_0900_1730,
    downtimeCostPerHour: 500,
    id: "p1",
    key: "ACME",
    name: "Acme Dental × Northwind IT",
    providerOrg: "Northwind IT",
    clientOrg: "Acme Dental",
    providerWorkspaceIds: ["T-PROVIDER"],
    createdAt: new Date("2026-01-01T00:00:00Z"),
    ...overrides,
  };
}

function actor(side: Side): Actor {
  const name = side === "provider" ? "Pat Provider" : "Casey Client";
  return {
    memberId: `m-${side}`,
    side,
    role: null,
    platform: "slack",
    userId: `U-${side}`,
    displayName: name,
  };
}

/** When a call was written down, if later than it was scheduled, and its title. */
export interface CallLog {
  loggedAt?: string;
  title?: string;
}

/** Builds typed ledger events with increasing ids and recordedAt = occurredAt. */
export function eventBuilder(partnershipId = "p1") {
  let seq = 0;
  function ev<T extends EventType>(
    type: T,
    at: string,
    payload: EventPayload<T>,
    side: Side | null,
  ): LedgerEvent {
    seq++;
    const occurredAt = new Date(at);
    const subject = Object.values(payload as Record<string, unknown>).find((v) => typeof v === "string");
    return {
      id: `e${seq}`,
      type,
      partnershipId,
      actor: side ? actor(side) : null,
      occurredAt,
      recordedAt: occurredAt,
      source: { platform: "slack", id: `src-${seq}` },
      payload,
      subjectId: typeof subject === "string" ? subject : null,
    } as LedgerEvent;
  }
  return {
    ev,
    reported(
      issueId: string,
      at: string,
      o: { priority?: Priority; startedAt?: string; via?: IntakeVia; title?: string } = {},
    ): LedgerEvent {
      return ev(
        "issue.reported",
        at,
        {
          issueId,
          key: `ACME-${issueId}`,
          title: o.title ?? `Issue ${issueId}`,
          detail: null,
          priority: o.priority ?? "P2",
          category: null,
          startedAt: o.startedAt ?? null,
          via: o.via ?? "command",
          message: null,
        },
        "client",
      );
    },
    responded: (issueId: string, at: string, side: Side = "provider") =>
      ev("issue.responded", at, { issueId, via: "reply" }, side),
    waiting: (issueId: string, at: string) =>
      ev("issue.waiting_on_client", at, { issueId, question: "Which printer?" }, "provider"),
    replied: (issueId: string, at: string) => ev("issue.client_replied", at, { issueId }, "client"),
    resolved: (issueId: string, at: string) =>
      ev("issue.resolved", at, { issueId, resolution: null }, "provider"),
    reopened: (issueId: string, at: string) => ev("issue.reopened", at, { issueId, reason: null }, "client"),
    priority: (issueId: string, at: string, from: Priority, to: Priority) =>
      ev("issue.priority_changed", at, { issueId, from, to }, "provider"),
    direct: (at: string, issueId: string | null = null) =>
      ev(
        "request.direct",
        at,
        {
          issueId,
          technician: { memberId: "m-t", userId: "U-T", displayName: "Bob Technician" },
          requester: { memberId: "m-r", userId: "U-R", displayName: "Carol Requester" },
          summary: "Can you fix my email?",
          via: "logged",
        },
        "provider",
      ),
    recommended: (recommendationId: string, at: string, title = `Rec ${recommendationId}`) =>
      ev(
        "recommendation.made",
        at,
        { recommendationId, title, why: null, risk: "high", decideBy: "2026-12-31" },
        "provider",
      ),
    decided: (
      recommendationId: string,
      at: string,
      kind: "accepted" | "declined" | "risk_accepted" | "ignored",
    ) =>
      kind === "ignored"
        ? ev("recommendation.ignored", at, { recommendationId, decideBy: "2026-03-01" }, null)
        : ev(`recommendation.${kind}`, at, { recommendationId, note: null }, "client"),
    /** A call held at `at` (its scheduled time), logged then or at `o.loggedAt`. */
    callHeld: (callId: string, at: string, o: CallLog = {}) =>
      ev(
        "call.held",
        o.loggedAt ?? at,
        { callId, title: o.title ?? null, scheduledAt: new Date(at).toISOString() },
        "provider",
      ),
    /** A call scheduled at `at` that `missedBy` missed, logged then or at `o.loggedAt`. */
    callMissed: (callId: string, at: string, missedBy: Side, o: CallLog = {}) =>
      ev(
        "call.missed",
        o.loggedAt ?? at,
        { callId, title: o.title ?? null, scheduledAt: new Date(at).toISOString(), missedBy },
        missedBy === "client" ? "provider" : "client",
      ),
    announced: (changeId: string, at: string, effectiveAt: string) =>
      ev(
        "change.announced",
        at,
        {
          changeId,
          title: `Change ${changeId}`,
          detail: null,
          effectiveAt: new Date(effectiveAt).toISOString(),
        },
        "client",
      ),
    downStarted: (downtimeId: string, at: string) =>
      ev("downtime.started", at, { downtimeId, service: "Email", issueId: null }, "provider"),
    downEnded: (downtimeId: string, at: string) => ev("downtime.ended", at, { downtimeId }, "provider"),
  };
}
