import type { Store } from "./database.ts";

/** A logged call, with when it was to take place and when rapport recorded it: what the missed-call nudge reads. */
export interface LoggedCall {
  callId: string;
  title: string | null;
  scheduledAt: Date;
  status: "held" | "missed";
  missedBy: string | null;
  loggedAt: Date;
  /** When it was to take place: when it was missed, in the world. */
  happenedAt: Date;
}

/** Reads calls by when they were to take place (the calls projection's `scheduled_at`). */
export class CallLogStore {
  constructor(private readonly store: Store) {}

  /** Calls of a partnership missed at or after `since` (by their scheduled time), oldest first. */
  async missedSince(partnershipId: string, since: Date): Promise<LoggedCall[]> {
    const rows = await this.store.db
      .selectFrom("calls")
      .selectAll()
      .where("partnership_id", "=", partnershipId)
      .where("status", "=", "missed")
      .where("scheduled_at", ">=", since)
      .orderBy("scheduled_at")
      .execute();
    return rows.map((r) => ({
      callId: r.id,
      title: r.title,
      scheduledAt: r.scheduled_at,
      status: r.status as LoggedCall["status"],
      missedBy: r.missed_by,
      loggedAt: r.logged_at,
      happenedAt: r.scheduled_at,
    }));
  }
}
