import { EVENT_TYPES, eventPayloadSchemas, type EventType, type LedgerEvent } from "../domain/events.ts";
import type { Side, SourcePlatform } from "../domain/vocabulary.ts";
import type { EventRow } from "./tables.ts";

/** Turns a stored event row back into the domain's event, re-validating its payload. */
export function eventFromRow(row: EventRow): LedgerEvent {
  return fromRow(row, true);
}

/**
 * The same without validating the payload again: the ledger validated every payload it stored, so
 * reads that only compute from them (figures over thousands of events) may trust them.
 */
export function storedEventFromRow(row: EventRow): LedgerEvent {
  return fromRow(row, false);
}

// Each known type once: a read of thousands of events holds one string per type, not one per event.
const KNOWN_TYPES = new Map<string, EventType>(EVENT_TYPES.map((t) => [t, t]));

/** A stored event's type, which this code must know: a newer build's event stops the read. */
export function storedEventType(type: string): EventType {
  const known = KNOWN_TYPES.get(type);
  if (!known) throw new Error(`unknown event type in the ledger: ${type}`);
  return known;
}

function fromRow(row: EventRow, validate: boolean): LedgerEvent {
  const type = storedEventType(row.type);
  const schema = eventPayloadSchemas[type];
  return {
    id: row.id,
    partnershipId: row.partnership_id,
    type,
    subjectId: row.subject_id,
    actor: row.actor_side
      ? {
          memberId: row.actor_member_id,
          side: row.actor_side as Side,
          role: null,
          platform: (row.actor_platform ?? row.source_platform) as SourcePlatform,
          userId: row.actor_user_id,
          displayName: row.actor_name,
        }
      : null,
    occurredAt: row.occurred_at,
    recordedAt: row.recorded_at,
    source: { platform: row.source_platform as SourcePlatform, id: row.source_id, url: row.source_url },
    payload: validate ? schema.parse(row.payload) : row.payload,
  } as LedgerEvent;
}

/** The events row that stores `event`. */
export function eventRowOf(event: LedgerEvent) {
  return {
    partnership_id: event.partnershipId,
    id: event.id,
    type: event.type,
    subject_id: event.subjectId,
    actor_member_id: event.actor?.memberId ?? null,
    actor_side: event.actor?.side ?? null,
    actor_platform: event.actor?.platform ?? null,
    actor_user_id: event.actor?.userId ?? null,
    actor_name: event.actor?.displayName ?? null,
    occurred_at: event.occurredAt,
    recorded_at: event.recordedAt,
    source_platform: event.source.platform,
    source_id: event.source.id,
    source_url: event.source.url ?? null,
    payload: JSON.stringify(event.payload),
  };
}
