import type { Transaction, UpdateQueryBuilder, UpdateResult } from "kysely";
import type { LedgerEvent } from "../domain/events.ts";
import type { Database } from "./tables.ts";

type Trx = Transaction<Database>;

/**
 * Updates the read tables for one event, inside the transaction that stored it, so a reader
 * never sees an event without its projection or the other way round.
 */
export async function project(trx: Trx, e: LedgerEvent): Promise<void> {
  const at = e.occurredAt;
  const p = e.partnershipId;
  switch (e.type) {
    case "issue.reported":
      return insertIssue(trx, e);
    case "issue.responded":
      return updateIssue(trx, e, e.payload.issueId, (u) =>
        u.set((eb) => ({ first_response_at: eb.fn.coalesce("first_response_at", eb.val(at)) })),
      );
    case "issue.waiting_on_client":
      return updateIssue(trx, e, e.payload.issueId, (u) =>
        u.set((eb) => ({
          status: "waiting_on_client",
          waiting_since: at,
          first_response_at: eb.fn.coalesce("first_response_at", eb.val(at)),
        })),
      );
    case "issue.client_replied":
      return updateIssue(trx, e, e.payload.issueId, (u) => u.set({ status: "open", waiting_since: null }));
    case "issue.resolved":
      return updateIssue(trx, e, e.payload.issueId, (u) =>
        u.set({ status: "resolved", resolved_at: at, waiting_since: null }),
      );
    case "issue.reopened":
      return updateIssue(trx, e, e.payload.issueId, (u) => u.set({ status: "open", resolved_at: null }));
    case "issue.priority_changed":
      return updateIssue(trx, e, e.payload.issueId, (u) => u.set({ priority: e.payload.to }));
    case "recommendation.made":
      await trx
        .insertInto("recommendations")
        .values({
          partnership_id: p,
          id: e.payload.recommendationId,
          title: e.payload.title,
          why: e.payload.why,
          risk: e.payload.risk,
          decide_by: e.payload.decideBy,
          status: "pending",
          made_at: at,
          made_by_member_id: e.actor?.memberId ?? null,
          updated_at: e.recordedAt,
        })
        .execute();
      return;
    case "recommendation.accepted":
    case "recommendation.declined":
    case "recommendation.risk_accepted":
    case "recommendation.ignored":
      await trx
        .updateTable("recommendations")
        .set({
          status: e.type.slice("recommendation.".length),
          decided_at: at,
          decided_by_member_id: e.actor?.memberId ?? null,
          decision_note: "note" in e.payload ? e.payload.note : null,
          updated_at: e.recordedAt,
        })
        .where("partnership_id", "=", p)
        .where("id", "=", e.payload.recommendationId)
        .execute();
      return;
    case "call.held":
    case "call.missed":
      await trx
        .insertInto("calls")
        .values({
          partnership_id: p,
          id: e.payload.callId,
          title: e.payload.title,
          scheduled_at: e.payload.scheduledAt,
          status: e.type === "call.held" ? "held" : "missed",
          missed_by: e.type === "call.missed" ? e.payload.missedBy : null,
          logged_by_member_id: e.actor?.memberId ?? null,
          logged_at: e.recordedAt,
        })
        .execute();
      return;
    case "downtime.started":
      await trx
        .insertInto("downtimes")
        .values({
          partnership_id: p,
          id: e.payload.downtimeId,
          service: e.payload.service,
          issue_id: e.payload.issueId,
          started_at: at,
        })
        .execute();
      return;
    case "downtime.ended":
      await trx
        .updateTable("downtimes")
        .set({ ended_at: at })
        .where("partnership_id", "=", p)
        .where("id", "=", e.payload.downtimeId)
        .execute();
      return;
    case "request.direct":
    case "change.announced":
      // Single facts with nothing to update: metrics read them from the ledger itself.
      return;
  }
}

async function insertIssue(trx: Trx, e: Extract<LedgerEvent, { type: "issue.reported" }>): Promise<void> {
  const { payload: r, actor } = e;
  await trx
    .insertInto("issues")
    .values({
      partnership_id: e.partnershipId,
      id: r.issueId,
      number: Number(r.key.split("-").pop()),
      key: r.key,
      title: r.title,
      detail: r.detail,
      priority: r.priority,
      category: r.category,
      status: "open",
      via: r.via,
      reporter_member_id: actor?.memberId ?? null,
      reporter_side: actor?.side ?? null,
      reporter_user_id: actor?.userId ?? null,
      reporter_name: actor?.displayName ?? null,
      started_at: r.startedAt,
      reported_at: e.occurredAt,
      message_platform: r.message?.platform ?? null,
      message_workspace_id: r.message?.workspaceId ?? null,
      message_channel_id: r.message?.channelId ?? null,
      message_id: r.message?.messageId ?? null,
      source_url: e.source.url ?? null,
      updated_at: e.recordedAt,
    })
    .execute();
}

type IssueUpdate = UpdateQueryBuilder<Database, "issues", "issues", UpdateResult>;

async function updateIssue(
  trx: Trx,
  e: LedgerEvent,
  issueId: string,
  change: (u: IssueUpdate) => IssueUpdate,
): Promise<void> {
  await change(trx.updateTable("issues"))
    .set({ updated_at: e.recordedAt })
    .where("partnership_id", "=", e.partnershipId)
    .where("id", "=", issueId)
    .execute();
}
