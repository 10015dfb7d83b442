import type { Transaction } from "kysely";
import type { LedgerEvent } from "../domain/events.ts";
import { projectIssue } from "./issue-projection.ts";
import type { Database } from "./tables.ts";

type Trx = Transaction<Database>;

/**
 * Updates the read tables for one event, inside the transaction that stores it, so a reader never
 * sees an event without its projection or the other way round. Returns false when the event would
 * change nothing (the state it starts from is gone: a second Resolve, a decision already taken);
 * the ledger then records nothing.
 */
export async function project(trx: Trx, e: LedgerEvent): Promise<boolean> {
  switch (e.type) {
    case "issue.reported":
    case "issue.responded":
    case "issue.waiting_on_client":
    case "issue.client_replied":
    case "issue.resolved":
    case "issue.reopened":
    case "issue.priority_changed":
      return projectIssue(trx, e);
    case "recommendation.made":
      await insertRecommendation(trx, e);
      return true;
    case "recommendation.accepted":
    case "recommendation.declined":
    case "recommendation.risk_accepted":
    case "recommendation.ignored":
      return decideRecommendation(trx, e);
    case "call.held":
    case "call.missed":
      await insertCall(trx, e);
      return true;
    case "downtime.started":
      await trx
        .insertInto("downtimes")
        .values({
          partnership_id: e.partnershipId,
          id: e.payload.downtimeId,
          service: e.payload.service,
          issue_id: e.payload.issueId,
          started_at: e.occurredAt,
        })
        .execute();
      return true;
    case "downtime.ended": {
      const result = await trx
        .updateTable("downtimes")
        .set({ ended_at: e.occurredAt })
        .where("partnership_id", "=", e.partnershipId)
        .where("id", "=", e.payload.downtimeId)
        .where("ended_at", "is", null)
        .executeTakeFirst();
      return result.numUpdatedRows > 0n;
    }
    case "request.direct":
    case "change.announced":
      // Single facts with nothing to update: metrics read them from the ledger itself.
      return true;
  }
}

async function insertRecommendation(trx: Trx, e: Extract<LedgerEvent, { type: "recommendation.made" }>) {
  await trx
    .insertInto("recommendations")
    .values({
      partnership_id: e.partnershipId,
      id: e.payload.recommendationId,
      title: e.payload.title,
      why: e.payload.why,
      risk: e.payload.risk,
      decide_by: e.payload.decideBy,
      status: "pending",
      made_at: e.occurredAt,
      made_by_member_id: e.actor?.memberId ?? null,
      updated_at: e.recordedAt,
    })
    .execute();
}

type Decision = Extract<
  LedgerEvent,
  { type: `recommendation.${"accepted" | "declined" | "risk_accepted" | "ignored"}` }
>;

async function decideRecommendation(trx: Trx, e: Decision): Promise<boolean> {
  // The client may still decide after the deadline passed; the expiry job only marks a pending one.
  const from = e.type === "recommendation.ignored" ? ["pending"] : ["pending", "ignored"];
  const result = await trx
    .updateTable("recommendations")
    .set({
      status: e.type.slice("recommendation.".length),
      decided_at: e.occurredAt,
      decided_by_member_id: e.actor?.memberId ?? null,
      decision_note: "note" in e.payload ? e.payload.note : null,
      updated_at: e.recordedAt,
    })
    .where("partnership_id", "=", e.partnershipId)
    .where("id", "=", e.payload.recommendationId)
    .where("status", "in", from)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

async function insertCall(trx: Trx, e: Extract<LedgerEvent, { type: "call.held" | "call.missed" }>) {
  await trx
    .insertInto("calls")
    .values({
      partnership_id: e.partnershipId,
      id: e.payload.callId,
      title: e.payload.title,
      scheduled_at: e.payload.scheduledAt,
      status: e.type === "call.held" ? "held" : "missed",
      missed_by: e.type === "call.missed" ? e.payload.missedBy : null,
      logged_by_member_id: e.actor?.memberId ?? null,
      logged_at: e.recordedAt,
    })
    .execute();
}
