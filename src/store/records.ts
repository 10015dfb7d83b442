import type { Issue, Recommendation, Call, Downtime } from "../domain/records.ts";
import type { IntakeVia } from "../domain/events.ts";
import type {
  IssueStatus,
  Platform,
  Priority,
  RecommendationRisk,
  RecommendationStatus,
  Side,
} from "../domain/vocabulary.ts";
import { isIssueKey, isUuid } from "../domain/ids.ts";
import { groupBy } from "../domain/group-by.ts";
import type { Store } from "./database.ts";
import type { CallRow, DowntimeRow, IssueRow, RecommendationRow } from "./tables.ts";

/** An issue or recommendation named by its partnership and id. */
export interface RecordRef {
  partnershipId: string;
  id: string;
}

/** Reads the projections: issues, recommendations, calls and downtimes. */
export class RecordStore {
  constructor(private readonly store: Store) {}

  /** An issue by id or by key (ACME-42, case-insensitive), or null. */
  async issue(partnershipId: string, idOrKey: string): Promise<Issue | null> {
    const isKey = isIssueKey(idOrKey);
    if (!isKey && !isUuid(idOrKey)) return null;
    const row = await this.store.db
      .selectFrom("issues")
      .selectAll()
      .where("partnership_id", "=", partnershipId)
      .where(isKey ? "key" : "id", "=", isKey ? idOrKey.toUpperCase() : idOrKey)
      .executeTakeFirst();
    return row ? issueFromRow(row) : null;
  }

  /** The issues with these partnerships and ids (in one read); refs that are not an issue are left out. */
  async issuesByRef(refs: readonly RecordRef[]): Promise<Issue[]> {
    const rows = (await this.rowsByRef("issues", refs)) as IssueRow[];
    return rows.map(issueFromRow);
  }

  /**
   * Issues of a partnership, oldest first; optionally only those not resolved, and only those
   * reported at or before an instant.
   */
  async issues(partnershipId: string, filter: { open?: boolean; reportedBy?: Date } = {}): Promise<Issue[]> {
    let q = this.store.db.selectFrom("issues").selectAll().where("partnership_id", "=", partnershipId);
    if (filter.open) q = q.where("status", "!=", "resolved");
    if (filter.reportedBy) q = q.where("reported_at", "<=", filter.reportedBy);
    const rows = await q.orderBy("number").execute();
    return rows.map(issueFromRow);
  }

  /** A recommendation by id, or null. */
  async recommendation(partnershipId: string, id: string): Promise<Recommendation | null> {
    return (await this.recommendationsByRef([{ partnershipId, id }]))[0] ?? null;
  }

  /** The recommendations with these partnerships and ids (in one read); others are left out. */
  async recommendationsByRef(refs: readonly RecordRef[]): Promise<Recommendation[]> {
    const rows = (await this.rowsByRef("recommendations", refs)) as RecommendationRow[];
    return rows.map(recommendationFromRow);
  }

  /** The rows of issues or recommendations with these partnerships and ids, in one read. */
  private async rowsByRef(
    table: "issues" | "recommendations",
    refs: readonly RecordRef[],
  ): Promise<unknown[]> {
    const wanted = new Map<string, RecordRef>();
    for (const ref of refs)
      if (isUuid(ref.id) && isUuid(ref.partnershipId)) wanted.set(`${ref.partnershipId}:${ref.id}`, ref);
    if (wanted.size === 0) return [];
    // Each partnership's ids as one list under its partnership: the primary key is read once for
    // the list, where a list of (partnership, id) pairs is planned as one index probe per pair.
    const byPartnership = groupBy([...wanted.values()], (r) => r.partnershipId);
    return this.store.db
      .selectFrom(table)
      .selectAll()
      .where((eb) =>
        eb.or(
          [...byPartnership].map(([partnershipId, refs]) =>
            eb.and([
              eb("partnership_id", "=", partnershipId),
              eb(
                "id",
                "in",
                refs.map((r) => r.id),
              ),
            ]),
          ),
        ),
      )
      .execute();
  }

  /** Recommendations of a partnership, oldest first, optionally of one status. */
  async recommendations(
    partnershipId: string,
    filter: { status?: RecommendationStatus } = {},
  ): Promise<Recommendation[]> {
    let q = this.store.db
      .selectFrom("recommendations")
      .selectAll()
      .where("partnership_id", "=", partnershipId);
    if (filter.status) q = q.where("status", "=", filter.status);
    const rows = await q.orderBy("made_at").execute();
    return rows.map(recommendationFromRow);
  }

  /** A call by id, or null. */
  async call(partnershipId: string, id: string): Promise<Call | null> {
    if (!isUuid(id)) return null;
    const row = await this.store.db
      .selectFrom("calls")
      .selectAll()
      .where("partnership_id", "=", partnershipId)
      .where("id", "=", id)
      .executeTakeFirst();
    return row ? callFromRow(row) : null;
  }

  /** A downtime by id, or null. */
  async downtime(partnershipId: string, id: string): Promise<Downtime | null> {
    if (!isUuid(id)) return null;
    const row = await this.store.db
      .selectFrom("downtimes")
      .selectAll()
      .where("partnership_id", "=", partnershipId)
      .where("id", "=", id)
      .executeTakeFirst();
    return row ? downtimeFromRow(row) : null;
  }

  /** Calls of a partnership, by scheduled time. */
  async calls(partnershipId: string): Promise<Call[]> {
    const rows = await this.store.db
      .selectFrom("calls")
      .selectAll()
      .where("partnership_id", "=", partnershipId)
      .orderBy("scheduled_at")
      .execute();
    return rows.map(callFromRow);
  }

  /** Downtimes of a partnership, by start; `open` keeps those not yet ended. */
  async downtimes(partnershipId: string, filter: { open?: boolean } = {}): Promise<Downtime[]> {
    let q = this.store.db.selectFrom("downtimes").selectAll().where("partnership_id", "=", partnershipId);
    if (filter.open) q = q.where("ended_at", "is", null);
    const rows = await q.orderBy("started_at").execute();
    return rows.map(downtimeFromRow);
  }
}

/** An issue as the issues table holds it. */
export function issueFromRow(r: IssueRow): Issue {
  return {
    id: r.id,
    partnershipId: r.partnership_id,
    number: r.number,
    key: r.key,
    title: r.title,
    detail: r.detail,
    priority: r.priority as Priority,
    category: r.category,
    status: r.status as IssueStatus,
    via: r.via as IntakeVia,
    reporter: {
      memberId: r.reporter_member_id,
      side: r.reporter_side as Side | null,
      userId: r.reporter_user_id,
      displayName: r.reporter_name,
    },
    startedAt: r.started_at,
    reportedAt: r.reported_at,
    firstResponseAt: r.first_response_at,
    waitingSince: r.waiting_since,
    resolvedAt: r.resolved_at,
    message:
      r.message_platform && r.message_workspace_id && r.message_channel_id
        ? {
            platform: r.message_platform as Platform,
            workspaceId: r.message_workspace_id,
            channelId: r.message_channel_id,
            ...(r.message_id ? { messageId: r.message_id } : {}),
          }
        : null,
    sourceUrl: r.source_url,
  };
}

function recommendationFromRow(r: RecommendationRow): Recommendation {
  return {
    id: r.id,
    partnershipId: r.partnership_id,
    title: r.title,
    why: r.why,
    risk: r.risk as RecommendationRisk,
    decideBy: r.decide_by,
    status: r.status as RecommendationStatus,
    madeAt: r.made_at,
    decidedAt: r.decided_at,
    decisionNote: r.decision_note,
  };
}

function callFromRow(r: CallRow): Call {
  return {
    id: r.id,
    partnershipId: r.partnership_id,
    title: r.title,
    scheduledAt: r.scheduled_at,
    status: r.status as Call["status"],
    missedBy: r.missed_by as Side | null,
  };
}

function downtimeFromRow(r: DowntimeRow): Downtime {
  return {
    id: r.id,
    partnershipId: r.partnership_id,
    service: r.service,
    issueId: r.issue_id,
    startedAt: r.started_at,
    endedAt: r.ended_at,
  };
}
