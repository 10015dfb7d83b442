import type { Store } from "./database.ts";

/** A logged call with when rapport recorded it: what the missed-call nudge reads. */
export interface LoggedCall {
  callId: string;
  title: string | null;
  scheduledAt: Date;
  status: "held" | "missed";
  missedBy: string | null;
  loggedAt: Date;
}

/** Reads calls by when they were logged (the calls projection's `logged_at`). */
export class CallLogStore {
  constructor(private readonly store: Store) {}

  /** Calls of a partnership logged as missed at or after `since`, oldest first. */
  async missedSince(partnershipId: string, since: Date): Promise<LoggedCall[]> {
    const rows = await this.store.db
      .selectFrom("calls")
      .selectAll()
      .where("partnership_id", "=", partnershipId)
      .where("status", "=", "missed")
      .where("logged_at", ">=", since)
      .orderBy("logged_at")
      .execute();
    return rows.map((r) => ({
      callId: r.id,
      title: r.title,
      scheduledAt: r.scheduled_at,
      status: r.status as LoggedCall["status"],
      missedBy: r.missed_by,
      loggedAt: r.logged_at,
    }));
  }
}
