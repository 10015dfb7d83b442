import { sql } from "kysely";
import { cardDocumentSchema, noticeDocument, type CardDocument } from "../domain/card.ts";
import { digestDocument } from "../domain/card-digest.ts";
import type { Digest } from "../domain/digest.ts";
import type { Platform } from "../domain/vocabulary.ts";
import type { Destination } from "../ports.ts";
import type { Store } from "./database.ts";
import type { OutboxRow } from "./tables.ts";

/** How recent a row set aside for an unconfigured platform must be to go out once it is configured. */
const REVIVE_WITHIN_MS = 7 * 24 * 3_600_000;
/**
 * Where an outgoing message stands. `sending` rows carry a lease: once it lapses they are due again.
 * `unconfigured` rows are for a platform this install does not run: set aside, never sent.
 */
export type OutboxStatus = "pending" | "sending" | "sent" | "failed" | "unconfigured";

/** Every status, for reports that list each one (zeros included). */
export const OUTBOX_STATUSES: readonly OutboxStatus[] = [
  "pending",
  "sending",
  "sent",
  "failed",
  "unconfigured",
];

/** What a sender's claim leaves out: rows it tried already in this run, and targets that failed in it. */
export interface ClaimFilter {
  exceptIds?: readonly string[];
  exceptTargets?: readonly string[];
}

/** A message to queue: unique on (job, period, partnership, target). */
export interface OutboxEntry {
  job: string;
  period: string;
  partnershipId: string;
  destination: Destination;
  /** Null: drawn when sent, by a job that draws its own (a card queued with the issue it shows). */
  message: CardDocument | null;
  /** Not to be sent before this instant (e.g. the next working minute); default: at once. */
  notBefore?: Date;
  /**
   * When the same row was queued before and is no longer waiting (sent, failed, or being sent
   * with what may already be out of date), queue it again: a card to redraw after each change.
   */
  again?: boolean;
}

/** A queued message as stored. */
export interface OutboxItem {
  id: string;
  job: string;
  period: string;
  partnershipId: string;
  target: string;
  destination: Destination;
  /** Null: nothing stored, the row's job draws it when it is sent. */
  message: CardDocument | null;
  status: OutboxStatus;
  /** Claims so far: a claim is an attempt, since a sender may die after the platform got it. */
  attempts: number;
  nextAttemptAt: Date;
  lastError: string | null;
  createdAt: Date;
  sentAt: Date | null;
  messageId: string | null;
  /**
   * Set on a claim that took over a lapsed lease: the earlier attempt may have delivered the
   * message before its sender died or failed to record it, so its outcome is unknown.
   */
  unsure?: boolean;
}

/** The row an entry is queued as (its status, attempts and id left to their defaults). */
export function outboxValues(entry: OutboxEntry, now: Date) {
  return {
    job: entry.job,
    period: entry.period,
    partnership_id: entry.partnershipId,
    platform: entry.destination.platform,
    target: targetKey(entry.destination),
    destination: JSON.stringify(entry.destination),
    message: entry.message === null ? null : JSON.stringify(entry.message),
    next_attempt_at: entry.notBefore && entry.notBefore > now ? entry.notBefore : now,
    // The app's clock, not the database's: ages are measured against the same clock.
    created_at: now,
  };
}

/** The text key of a destination: what the outbox's uniqueness is on. */
export function targetKey(d: Destination): string {
  const who = d.kind === "channel" ? d.channelId : d.userId;
  return `${d.platform}:${d.kind}:${d.workspaceId}:${who}`;
}

/**
 * The outbox: every digest and nudge is first a row here. Enqueueing twice queues once, and
 * senders on several replicas claim rows with FOR UPDATE SKIP LOCKED, so each row has one sender.
 */
export class OutboxStore {
  constructor(private readonly store: Store) {}

  /** Queues a message; false when that job, period, partnership and target was already queued. */
  async enqueue(entry: OutboxEntry, now: Date): Promise<boolean> {
    const values = outboxValues(entry, now);
    const row = await this.store.db
      .insertInto("outbox")
      .values(values)
      .onConflict((oc) => {
        const key = oc.columns(["job", "period", "partnership_id", "target"]);
        if (!entry.again) return key.doNothing();
        // A sender holding the row finds its claim gone (attempts changed) and leaves it pending.
        return key
          .doUpdateSet({
            status: "pending",
            attempts: 0,
            next_attempt_at: values.next_attempt_at,
            destination: values.destination,
            message: values.message,
            last_error: null,
            // Waiting starts again: the outbox's age figure is about this change, not the first.
            ...({ created_at: now } as object),
          })
          .where("outbox.status", "!=", "pending");
      })
      .returning("id")
      .executeTakeFirst();
    return row !== undefined;
  }

  /**
   * Claims up to `limit` rows due at `now` on `platforms` (pending, or sending with a lapsed
   * lease): marks them sending until `now + leaseMs` and counts an attempt. Rows another sender
   * holds locked are skipped, not waited for.
   */
  async claimDue(
    limit: number,
    now: Date,
    leaseMs: number,
    platforms: readonly Platform[],
    filter: ClaimFilter = {},
  ): Promise<OutboxItem[]> {
    if (platforms.length === 0 || limit <= 0) return [];
    const leaseEnd = new Date(now.getTime() + leaseMs);
    const exceptIds = [...(filter.exceptIds ?? [])];
    const exceptTargets = [...(filter.exceptTargets ?? [])];
    const rows = await this.store.db
      .with("due", (db) => {
        let q = db
          .selectFrom("outbox")
          .select(["id", "status as was"])
          .where("status", "in", ["pending", "sending"])
          .where("next_attempt_at", "<=", now)
          .where("platform", "in", [...platforms]);
        if (exceptIds.length > 0) q = q.where("id", "not in", exceptIds);
        if (exceptTargets.length > 0) q = q.where("target", "not in", exceptTargets);
        // Rows never tried first: a digest is not queued behind nudges that keep failing.
        return q
          .orderBy(sql`attempts > 0`)
          .orderBy("next_attempt_at")
          .orderBy("id")
          .limit(limit)
          .forUpdate()
          .skipLocked();
      })
      .updateTable("outbox")
      .from("due")
      .set((eb) => ({ status: "sending", attempts: eb("attempts", "+", 1), next_attempt_at: leaseEnd }))
      .whereRef("outbox.id", "=", "due.id")
      .returningAll("outbox")
      .returning("due.was")
      .execute();
    return rows
      .map((r) => ({ ...itemFromRow(r), unsure: r.was === "sending" }))
      .sort((a, b) => a.nextAttemptAt.getTime() - b.nextAttemptAt.getTime());
  }

  /** When the next row on `platforms` falls due (pending or leased), or null when none waits. */
  async nextDue(platforms: readonly Platform[]): Promise<Date | null> {
    if (platforms.length === 0) return null;
    const row = await this.store.db
      .selectFrom("outbox")
      .select((eb) => eb.fn.min("next_attempt_at").as("next"))
      .where("status", "in", ["pending", "sending"])
      .where("platform", "in", [...platforms])
      .executeTakeFirst();
    return row?.next ? new Date(row.next) : null;
  }

  /** Records a delivery, if `claim` still holds the row (its lease was not taken over). */
  async markSent(claim: Claim, messageId: string | null, now: Date): Promise<boolean> {
    return (await this.markAllSent([{ claim, messageId, sentAt: now }])) > 0;
  }

  /**
   * Records many deliveries in one statement, each only if its claim still holds; returns how
   * many were recorded. Written without waiting for the disk, as `markSent`.
   */
  async markAllSent(
    sent: readonly { claim: Claim; messageId: string | null; sentAt: Date }[],
  ): Promise<number> {
    if (sent.length === 0) return 0;
    const rows = sent.map((s) => ({
      id: s.claim.id,
      attempts: s.claim.attempts,
      message_id: s.messageId,
      sent_at: s.sentAt.toISOString(),
    }));
    const result = await sql`
      update outbox set status = 'sent', sent_at = v.sent_at, message_id = v.message_id, last_error = null
      from json_to_recordset(${JSON.stringify(rows)}::json)
        as v(id bigint, attempts integer, message_id text, sent_at timestamptz)
      where outbox.id = v.id and outbox.status = 'sending' and outbox.attempts = v.attempts
    `.execute(this.store.relaxed);
    return Number(result.numAffectedRows ?? 0);
  }

  /** Puts a claimed row back to pending, due again at `nextAt`, with the error that stopped it. */
  async markRetry(claim: Claim, error: string, nextAt: Date): Promise<boolean> {
    return this.settle(claim, { status: "pending", last_error: error, next_attempt_at: nextAt });
  }

  /**
   * Gives a claimed row back untried (its target failed just before it): pending again at
   * `nextAt`, its attempt not counted.
   */
  async release(claim: Claim, nextAt: Date): Promise<boolean> {
    const result = await this.store.relaxed
      .updateTable("outbox")
      .set((eb) => ({ status: "pending", attempts: eb("attempts", "-", 1), next_attempt_at: nextAt }))
      .where("id", "=", claim.id)
      .where("status", "=", "sending")
      .where("attempts", "=", claim.attempts)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  /**
   * Sets aside the waiting rows of every platform but `configured` (status `unconfigured`, with the
   * reason), and returns them: nothing here could ever send them. Rows of a configured platform
   * set aside in the last week are pending again.
   */
  async setAsideUnconfigured(configured: readonly Platform[], now: Date): Promise<OutboxItem[]> {
    // Rows set aside while their platform was off go out once it is configured again, unless they
    // have grown too old to be news (a week).
    if (configured.length > 0) {
      await this.store.db
        .updateTable("outbox")
        .set({ status: "pending", last_error: null })
        .where("status", "=", "unconfigured")
        .where("platform", "in", [...configured])
        .where("created_at", ">=", new Date(now.getTime() - REVIVE_WITHIN_MS))
        .execute();
    }
    let q = this.store.db
      .updateTable("outbox")
      .set((eb) => ({
        status: "unconfigured",
        last_error: sql<string>`${eb.ref("platform")} || ' is not configured on this install'`,
      }))
      .where("status", "=", "pending");
    if (configured.length > 0) q = q.where("platform", "not in", [...configured]);
    const rows = await q.returningAll().execute();
    return rows.map(itemFromRow);
  }

  /** Whether a row for this job, period, partnership and destination is queued already (in any status). */
  async isQueued(
    entry: Pick<OutboxEntry, "job" | "period" | "partnershipId" | "destination">,
  ): Promise<boolean> {
    const row = await this.store.db
      .selectFrom("outbox")
      .select("id")
      .where("job", "=", entry.job)
      .where("period", "=", entry.period)
      .where("partnership_id", "=", entry.partnershipId)
      .where("target", "=", targetKey(entry.destination))
      .executeTakeFirst();
    return row !== undefined;
  }

  /** The rows a sender would claim at `now` on `platforms`, oldest due first, without claiming them. */
  async due(now: Date, platforms: readonly Platform[], limit = 500): Promise<OutboxItem[]> {
    if (platforms.length === 0) return [];
    const rows = await this.store.db
      .selectFrom("outbox")
      .selectAll()
      .where("status", "in", ["pending", "sending"])
      .where("next_attempt_at", "<=", now)
      .where("platform", "in", [...platforms])
      .orderBy("next_attempt_at")
      .orderBy("id")
      .limit(limit)
      .execute();
    return rows.map(itemFromRow);
  }

  /**
   * Keeps a claimed row whose earlier delivery is still unknown `sending`, due again at `nextAt`
   * with the error that stopped the look: its next claim looks again before anything is sent.
   */
  async markUnsure(claim: Claim, error: string, nextAt: Date): Promise<boolean> {
    return this.settle(claim, { status: "sending", last_error: error, next_attempt_at: nextAt });
  }

  /** Records a failure that retrying cannot fix (channel gone, bot removed), with its reason. */
  async markFailed(claim: Claim, reason: string): Promise<boolean> {
    return this.settle(claim, { status: "failed", last_error: reason });
  }

  private async settle(
    claim: Claim,
    change: {
      status: OutboxStatus;
      last_error: string | null;
      next_attempt_at?: Date;
    },
  ): Promise<boolean> {
    // Without waiting for the disk (Store.relaxed): a settlement lost in a server crash leaves the
    // row leased, and a leased row is looked for on the platform before it is sent again.
    const result = await this.store.relaxed
      .updateTable("outbox")
      .set(change)
      .where("id", "=", claim.id)
      .where("status", "=", "sending")
      .where("attempts", "=", claim.attempts)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  /**
   * Milliseconds the oldest undelivered row has been waiting at `now`, or null when none is.
   * Rows deferred on purpose (to the next working minute) and never tried yet do not count.
   */
  async oldestPendingAge(now: Date): Promise<number | null> {
    const row = await this.store.db
      .selectFrom("outbox")
      .select((eb) => eb.fn.min("created_at").as("oldest"))
      .where("status", "in", ["pending", "sending"])
      .where((eb) => eb.or([eb("attempts", ">", 0), eb("next_attempt_at", "<=", now)]))
      .executeTakeFirst();
    return row?.oldest ? Math.max(0, now.getTime() - new Date(row.oldest).getTime()) : null;
  }

  /** How many rows have each status. */
  async countByStatus(): Promise<Record<OutboxStatus, number>> {
    const rows = await this.store.db
      .selectFrom("outbox")
      .select(["status", (eb) => eb.fn.countAll<string>().as("n")])
      .groupBy("status")
      .execute();
    const counts = Object.fromEntries(OUTBOX_STATUSES.map((s) => [s, 0])) as Record<OutboxStatus, number>;
    for (const r of rows) counts[r.status as OutboxStatus] = Number(r.n);
    return counts;
  }

  /** Queued rows, oldest first, optionally of one partnership and job. */
  async list(filter: { partnershipId?: string; job?: string } = {}): Promise<OutboxItem[]> {
    let q = this.store.db.selectFrom("outbox").selectAll();
    if (filter.partnershipId) q = q.where("partnership_id", "=", filter.partnershipId);
    if (filter.job) q = q.where("job", "=", filter.job);
    const rows = await q.orderBy("id").execute();
    return rows.map(itemFromRow);
  }

  /** Forgets delivered and failed rows older than `before` (keeps the table small); returns how many. */
  async prune(before: Date): Promise<number> {
    const result = await this.store.db
      .deleteFrom("outbox")
      .where("status", "in", ["sent", "failed"])
      .where(sql<boolean>`coalesce(sent_at, next_attempt_at) < ${before}`)
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}

/** What identifies one claim of a row: its id and the attempt number the claim made. */
export type Claim = Pick<OutboxItem, "id" | "attempts">;

function itemFromRow(r: OutboxRow): OutboxItem {
  return {
    id: String(r.id),
    job: r.job,
    period: r.period,
    partnershipId: r.partnership_id,
    target: r.target,
    destination: r.destination as Destination,
    message: messageFromJson(r.message),
    status: r.status as OutboxStatus,
    attempts: r.attempts,
    nextAttemptAt: r.next_attempt_at,
    lastError: r.last_error,
    createdAt: r.created_at,
    sentAt: r.sent_at,
    messageId: r.message_id,
  };
}

/** A message as rows queued before card documents hold it: a digest, or a title, text and facts. */
interface StoredMessage {
  title?: unknown;
  text?: unknown;
  facts?: { label: string; value: string }[];
  digest?: Digest & { period: { start: unknown; end: unknown } };
}

/** The card document of a row; a row of the earlier shape becomes the document it stood for. */
function messageFromJson(json: unknown): CardDocument | null {
  if (json === null) return null;
  const document = cardDocumentSchema.safeParse(json);
  if (document.success) return document.data;
  const old = (json ?? {}) as StoredMessage;
  if (old.digest) {
    // JSON has no dates: the digest's period comes back as strings.
    const { period } = old.digest;
    const start = new Date(String(period.start));
    const end = new Date(String(period.end));
    return digestDocument({ ...old.digest, period: { ...period, start, end } });
  }
  return noticeDocument(String(old.title ?? ""), String(old.text ?? ""), old.facts ?? []);
}
