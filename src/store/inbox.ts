import type { Store } from "./database.ts";
import type { InboxTable } from "./tables.ts";
import { sql, type Selectable } from "kysely";
import { Batches } from "./batches.ts";

/** An event to store, as `receive` is given it. */
interface Received {
  platform: string;
  deliveryId: string;
  payload: unknown;
  now: Date;
}

/** The most events one write stores. */
const MOST_PER_WRITE = 100;

/** Where an event taken in stands. `processing` rows carry a lease: once it lapses they are due again. */
export type InboxStatus = "pending" | "processing" | "done" | "failed";

/** An event taken in, as stored. */
export interface InboxItem {
  id: string;
  platform: string;
  deliveryId: string;
  payload: unknown;
  status: InboxStatus;
  /** Claims so far: a claim is an attempt, since a process may die while it processes the event. */
  attempts: number;
  nextAttemptAt: Date;
  lastError: string | null;
  receivedAt: Date;
  doneAt: Date | null;
}

/** What settles a claimed row: its id and the attempt that claimed it. */
export type InboxClaim = Pick<InboxItem, "id" | "attempts">;

/**
 * The inbox: every platform event acknowledged before it is processed is first a row here. Taking
 * the same event in twice stores it once, and pumps on several replicas claim rows with FOR UPDATE
 * SKIP LOCKED, so each row is processed by one of them at a time.
 */
export class InboxStore {
  private readonly received: Batches<Received, boolean>;

  constructor(private readonly store: Store) {
    this.received = new Batches({
      writeAll: (events) => this.receiveAll(events),
      keyOf: (e) => `${e.platform} ${e.deliveryId}`,
      most: MOST_PER_WRITE,
    });
  }

  /**
   * Stores an event; false when the platform's id for it was already taken in. Events that arrive
   * together are stored together (`Batches`): one statement and one commit for all of them.
   */
  async receive(platform: string, deliveryId: string, payload: unknown, now: Date): Promise<boolean> {
    return this.received.write({ platform, deliveryId, payload, now });
  }

  /** Stores the events in one statement; each one's `receive` answer, in the order given. */
  private async receiveAll(events: readonly Received[]): Promise<boolean[]> {
    const rows = await this.store.db
      .insertInto("inbox")
      .values(
        events.map(({ platform, deliveryId, payload, now }) => ({
          platform,
          delivery_id: deliveryId,
          payload: JSON.stringify(payload),
          next_attempt_at: now,
          received_at: now,
        })),
      )
      .onConflict((oc) => oc.columns(["platform", "delivery_id"]).doNothing())
      .returning(["platform", "delivery_id"])
      .execute();
    const stored = new Set(rows.map((r) => `${r.platform} ${r.delivery_id}`));
    return events.map((e) => stored.has(`${e.platform} ${e.deliveryId}`));
  }

  /**
   * Claims up to `limit` rows of `platforms` due at `now` (pending, or processing with a lapsed
   * lease), oldest first: marks them processing until `now + leaseMs` and counts an attempt.
   */
  async claimDue(
    limit: number,
    now: Date,
    leaseMs: number,
    platforms: readonly string[],
  ): Promise<InboxItem[]> {
    if (platforms.length === 0 || limit <= 0) return [];
    const rows = await this.store.db
      .with("due", (db) =>
        db
          .selectFrom("inbox")
          .select("id")
          .where("status", "in", ["pending", "processing"])
          .where("next_attempt_at", "<=", now)
          .where("platform", "in", [...platforms])
          .orderBy("received_at")
          .orderBy("id")
          .limit(limit)
          .forUpdate()
          .skipLocked(),
      )
      .updateTable("inbox")
      .from("due")
      .set((eb) => ({
        status: "processing",
        attempts: eb("attempts", "+", 1),
        next_attempt_at: new Date(now.getTime() + leaseMs),
      }))
      .whereRef("inbox.id", "=", "due.id")
      .returningAll("inbox")
      .execute();
    return rows.map(itemFromRow).sort((a, b) => a.receivedAt.getTime() - b.receivedAt.getTime());
  }

  /**
   * Makes every row being processed due at `now`. Only for a database one process holds (the
   * embedded one, behind its folder lock): whoever held those leases is gone, so waiting for them
   * to lapse would only delay events already acknowledged.
   */
  async releaseLeases(now: Date): Promise<number> {
    const result = await this.store.db
      .updateTable("inbox")
      .set({ next_attempt_at: now })
      .where("status", "=", "processing")
      .where("next_attempt_at", ">", now)
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  /** When the next row of `platforms` falls due (pending or leased), or null when none waits. */
  async nextDue(platforms: readonly string[]): Promise<Date | null> {
    if (platforms.length === 0) return null;
    const row = await this.store.db
      .selectFrom("inbox")
      .select((eb) => eb.fn.min("next_attempt_at").as("next"))
      .where("status", "in", ["pending", "processing"])
      .where("platform", "in", [...platforms])
      .executeTakeFirst();
    return row?.next ? new Date(row.next) : null;
  }

  /** Marks claimed rows processed in one statement, each only where its claim still holds; returns how many. */
  async markAllDone(claims: readonly InboxClaim[], now: Date): Promise<number> {
    if (claims.length === 0) return 0;
    // Without waiting for the disk, as `settle`.
    const result = await sql`
      update inbox set status = 'done', done_at = ${now}, last_error = null
      from json_to_recordset(${JSON.stringify(claims.map(({ id, attempts }) => ({ id, attempts })))}::json)
        as v(id bigint, attempts integer)
      where inbox.id = v.id and inbox.status = 'processing' and inbox.attempts = v.attempts
    `.execute(this.store.relaxed);
    return Number(result.numAffectedRows ?? 0);
  }

  /** Puts a claimed row back to pending, due again at `nextAt`, with the error that stopped it. */
  markRetry(claim: InboxClaim, error: string, nextAt: Date): Promise<boolean> {
    return this.settle(claim, { status: "pending", last_error: error, next_attempt_at: nextAt });
  }

  /** Gives a claimed row up after its last attempt, keeping the event and the reason. */
  markFailed(claim: InboxClaim, error: string, now: Date): Promise<boolean> {
    return this.settle(claim, { status: "failed", last_error: error, done_at: now });
  }

  /** Deletes rows done (or given up) before `before`: a redelivery that late is not expected. */
  async purge(before: Date): Promise<number> {
    const result = await this.store.db
      .deleteFrom("inbox")
      .where("status", "in", ["done", "failed"])
      .where("done_at", "<", before)
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  /** Every row of `platform`, oldest first (for tests and operators). */
  async list(platform: string): Promise<InboxItem[]> {
    const rows = await this.store.db
      .selectFrom("inbox")
      .selectAll()
      .where("platform", "=", platform)
      .orderBy("received_at")
      .orderBy("id")
      .execute();
    return rows.map(itemFromRow);
  }

  private async settle(
    claim: InboxClaim,
    change: { status: InboxStatus; last_error: string | null; done_at?: Date; next_attempt_at?: Date },
  ): Promise<boolean> {
    // Without waiting for the disk (Store.relaxed): a settlement lost in a database crash leaves
    // the row to be processed again, which records nothing twice (the ledger knows its sources).
    const result = await this.store.relaxed
      .updateTable("inbox")
      .set(change)
      .where("id", "=", claim.id)
      .where("status", "=", "processing")
      .where("attempts", "=", claim.attempts)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }
}

function itemFromRow(row: Selectable<InboxTable>): InboxItem {
  return {
    id: String(row.id),
    platform: row.platform,
    deliveryId: row.delivery_id,
    payload: row.payload,
    status: row.status as InboxStatus,
    attempts: row.attempts,
    nextAttemptAt: new Date(row.next_attempt_at),
    lastError: row.last_error,
    receivedAt: new Date(row.received_at),
    doneAt: row.done_at ? new Date(row.done_at) : null,
  };
}
