import { z } from "zod";
import {
  platformSchema,
  prioritySchema,
  recommendationRiskSchema,
  sideSchema,
  type Actor,
  type EventSource,
} from "./vocabulary.ts";

const id = z.string().min(1);
const instant = z.iso.datetime({ offset: true });
const text = (max: number) => z.string().trim().min(1).max(max);

/** How a request reached rapport. `direct` means it bypassed the agreed channel. */
export const intakeViaSchema = z.enum([
  "command",
  "form",
  "shortcut",
  "reaction",
  "auto_intake",
  "direct",
  "cli",
]);
export type IntakeVia = z.infer<typeof intakeViaSchema>;

/** The chat message an issue or request came from, so cards can thread under it. */
export const messageRefSchema = z.object({
  platform: platformSchema,
  workspaceId: z.string(),
  channelId: z.string(),
  messageId: z.string().optional(),
});
export type MessageRef = z.infer<typeof messageRefSchema>;

const personSchema = z.object({
  memberId: z.string().nullable(),
  userId: z.string().nullable(),
  displayName: z.string().nullable(),
});

/** Payload schemas, one per event type: the ledger refuses any payload that does not parse. */
export const eventPayloadSchemas = {
  "issue.reported": z.object({
    issueId: id,
    key: z.string(),
    title: text(200),
    detail: z.string().max(4000).nullable(),
    priority: prioritySchema,
    category: z.string().max(60).nullable(),
    startedAt: instant.nullable(),
    via: intakeViaSchema,
    message: messageRefSchema.nullable(),
  }),
  "issue.responded": z.object({ issueId: id, via: z.enum(["reply", "button", "command"]) }),
  "issue.waiting_on_client": z.object({ issueId: id, question: z.string().max(2000).nullable() }),
  "issue.client_replied": z.object({ issueId: id }),
  "issue.resolved": z.object({ issueId: id, resolution: z.string().max(2000).nullable() }),
  "issue.reopened": z.object({ issueId: id, reason: z.string().max(2000).nullable() }),
  "issue.priority_changed": z.object({ issueId: id, from: prioritySchema, to: prioritySchema }),
  "request.direct": z.object({
    issueId: id.nullable(),
    technician: personSchema,
    requester: personSchema,
    summary: text(200),
    via: z.enum(["logged", "detected"]),
  }),
  "recommendation.made": z.object({
    recommendationId: id,
    title: text(200),
    why: z.string().max(4000).nullable(),
    risk: recommendationRiskSchema,
    decideBy: z.iso.date(),
  }),
  "recommendation.accepted": z.object({ recommendationId: id, note: z.string().max(2000).nullable() }),
  "recommendation.declined": z.object({ recommendationId: id, note: z.string().max(2000).nullable() }),
  "recommendation.risk_accepted": z.object({
    recommendationId: id,
    note: z.string().max(2000).nullable(),
  }),
  "recommendation.ignored": z.object({ recommendationId: id, decideBy: z.iso.date() }),
  "call.held": z.object({ callId: id, title: z.string().max(200).nullable(), scheduledAt: instant }),
  "call.missed": z.object({
    callId: id,
    title: z.string().max(200).nullable(),
    scheduledAt: instant,
    missedBy: sideSchema,
  }),
  "change.announced": z.object({
    changeId: id,
    title: text(200),
    detail: z.string().max(4000).nullable(),
    effectiveAt: instant,
  }),
  "downtime.started": z.object({ downtimeId: id, service: text(120), issueId: id.nullable() }),
  "downtime.ended": z.object({ downtimeId: id }),
} as const;

export type EventType = keyof typeof eventPayloadSchemas;
export type EventPayload<T extends EventType> = z.infer<(typeof eventPayloadSchemas)[T]>;
export const EVENT_TYPES = Object.keys(eventPayloadSchemas) as EventType[];

/** An event before the ledger has stored it. */
export type NewEvent = {
  [T in EventType]: {
    type: T;
    partnershipId: string;
    actor: Actor | null;
    occurredAt: Date;
    source: EventSource;
    payload: EventPayload<T>;
  };
}[EventType];

/** An event as the ledger holds it. `actor` is null for events rapport writes itself. */
export type LedgerEvent = NewEvent & {
  id: string;
  recordedAt: Date;
  /** The issue, recommendation, call, change or downtime the event is about. */
  subjectId: string | null;
};

/**
 * What replaying the ledger for its figures reads of an event: what happened (to what: in its
 * payload), when, and on which side; not who exactly acted nor where it came from, and its own id
 * only for a direct request, which the figures list by it. Every `LedgerEvent` is one.
 */
export type ReplayedEvent = {
  [T in EventType]: Omit<
    Extract<LedgerEvent, { type: T }>,
    "partnershipId" | "actor" | "source" | "id" | "subjectId"
  > & {
    actor: Pick<Actor, "side"> | null;
  } & (T extends "request.direct" ? { id: string } : unknown);
}[EventType];

/** Parses a payload for its type; throws a ZodError naming the bad field. */
export function parsePayload<T extends EventType>(type: T, payload: unknown): EventPayload<T> {
  return eventPayloadSchemas[type].parse(payload) as EventPayload<T>;
}

const SUBJECT_FIELD: Record<string, string> = {
  issue: "issueId",
  request: "issueId",
  recommendation: "recommendationId",
  call: "callId",
  change: "changeId",
  downtime: "downtimeId",
};

/** The id of the thing an event is about (a downtime's own id, not the issue it is tied to). */
export function subjectOf(event: Pick<NewEvent, "type" | "payload">): string | null {
  const field = SUBJECT_FIELD[event.type.split(".")[0]!];
  const value = field ? (event.payload as Record<string, unknown>)[field] : null;
  return typeof value === "string" ? value : null;
}
