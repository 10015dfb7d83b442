import type { Store } from "./database.ts";

/**
 * Which scheduled pieces of work are done (a partnership's digest for a week), so a job that had
 * nothing to queue (no digest channel) is not redone every minute. Queueing is the outbox's job;
 * this only saves the work of finding out again.
 */
export class JobRunStore {
  constructor(private readonly store: Store) {}

  /** True when `job` has completed `period` for the partnership. */
  async isDone(job: string, period: string, partnershipId: string): Promise<boolean> {
    const row = await this.store.db
      .selectFrom("job_runs")
      .select("targets")
      .where("partnership_id", "=", partnershipId)
      .where("job", "=", job)
      .where("period", "=", period)
      .executeTakeFirst();
    return row !== undefined;
  }

  /**
   * Of `pieces` (a partnership and a period each), those `job` has completed, as
   * `partnershipId period` keys: one query for a whole run of the job.
   */
  async doneAmong(
    job: string,
    pieces: readonly { partnershipId: string; period: string }[],
  ): Promise<Set<string>> {
    if (pieces.length === 0) return new Set();
    const rows = await this.store.db
      .selectFrom("job_runs")
      .select(["partnership_id", "period"])
      .where("job", "=", job)
      .where("partnership_id", "in", [...new Set(pieces.map((x) => x.partnershipId))])
      .where("period", "in", [...new Set(pieces.map((x) => x.period))])
      .execute();
    return new Set(rows.map((r) => `${r.partnership_id} ${r.period}`));
  }

  /** Records `period` of `job` done for the partnership with its number of targets (once). */
  async markDone(
    job: string,
    period: string,
    partnershipId: string,
    targets: number,
    now: Date,
  ): Promise<void> {
    await this.store.db
      .insertInto("job_runs")
      .values({ job, period, partnership_id: partnershipId, targets, completed_at: now })
      .onConflict((oc) => oc.columns(["partnership_id", "job", "period"]).doNothing())
      .execute();
  }
}
