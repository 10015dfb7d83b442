import { eventPayloadSchemas, type EventType, type LedgerEvent } from "../domain/events.ts";
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

function fromRow(row: EventRow, validate: boolean): LedgerEvent {
  const type = row.type as EventType;
  const schema = eventPayloadSchemas[type];
  if (!schema) throw new Error(`unknown event type in the ledger: ${row.type}`);
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
