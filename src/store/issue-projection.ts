import type { Transaction, UpdateQueryBuilder, UpdateResult } from "kysely";
import type { LedgerEvent } from "../domain/events.ts";
import type { Database } from "./tables.ts";

type Trx = Transaction<Database>;
type IssueEvent = Extract<LedgerEvent, { type: `issue.${string}` }>;
type IssueUpdate = UpdateQueryBuilder<Database, "issues", "issues", UpdateResult>;

/**
 * Applies an issue event to the issues table. Each change carries the state it starts from in its
 * WHERE clause, so of two concurrent Resolve clicks the second finds nothing to update (PostgreSQL
 * re-checks the row after the first commits) and the ledger drops it: returns false then.
 */
export async function projectIssue(trx: Trx, e: IssueEvent): Promise<boolean> {
  const at = e.occurredAt;
  switch (e.type) {
    case "issue.reported":
      await insertIssue(trx, e);
      return true;
    case "issue.responded":
      return updateIssue(trx, e, (u) =>
        u.set({ first_response_at: at }).where("first_response_at", "is", null),
      );
    case "issue.waiting_on_client":
      return updateIssue(trx, e, (u) =>
        u
          .set((eb) => ({
            status: "waiting_on_client",
            waiting_since: at,
            first_response_at: eb.fn.coalesce("first_response_at", eb.val(at)),
          }))
          .where("status", "=", "open"),
      );
    case "issue.client_replied":
      return updateIssue(trx, e, (u) =>
        u.set({ status: "open", waiting_since: null }).where("status", "=", "waiting_on_client"),
      );
    case "issue.resolved":
      return updateIssue(trx, e, (u) =>
        u.set({ status: "resolved", resolved_at: at, waiting_since: null }).where("status", "!=", "resolved"),
      );
    case "issue.reopened":
      return updateIssue(trx, e, (u) =>
        u.set({ status: "open", resolved_at: null }).where("status", "=", "resolved"),
      );
    case "issue.priority_changed":
      return updateIssue(trx, e, (u) =>
        u.set({ priority: e.payload.to }).where("priority", "=", e.payload.from),
      );
  }
}

async function updateIssue(
  trx: Trx,
  e: IssueEvent,
  change: (u: IssueUpdate) => IssueUpdate,
): Promise<boolean> {
  const result = await change(trx.updateTable("issues"))
    .set({ updated_at: e.recordedAt })
    .where("partnership_id", "=", e.partnershipId)
    .where("id", "=", e.payload.issueId)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

async function insertIssue(trx: Trx, e: Extract<LedgerEvent, { type: "issue.reported" }>): Promise<void> {
  await trx.insertInto("issues").values(issueRowOf(e)).execute();
}

/** The issues row a report starts: its number is the one its key ends with. */
export function issueRowOf(e: Extract<LedgerEvent, { type: "issue.reported" }>) {
  const { payload: r, actor } = e;
  return {
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
  };
}
