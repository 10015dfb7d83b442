import { sql, type Kysely } from "kysely";

/**
 * Creates the outbox (every digest and nudge, unique per job, period, partnership and target, so
 * replicas, restarts and crashes deliver each one once) and job_runs (which scheduled piece of work
 * is done, so a job that had nothing to send is not redone every minute).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("outbox")
    .addColumn("id", "bigserial", (c) => c.primaryKey())
    .addColumn("job", "text", (c) => c.notNull())
    .addColumn("period", "text", (c) => c.notNull())
    .addColumn("partnership_id", "uuid", (c) => c.notNull().references("partnerships.id").onDelete("cascade"))
    .addColumn("platform", "text", (c) => c.notNull())
    // The destination as a stable text key ("slack:person:T1:U1"): what the uniqueness is on.
    .addColumn("target", "text", (c) => c.notNull())
    .addColumn("destination", "jsonb", (c) => c.notNull())
    .addColumn("message", "jsonb", (c) => c.notNull())
    .addColumn("status", "text", (c) =>
      c
        .notNull()
        .defaultTo("pending")
        .check(sql`status in ('pending', 'sending', 'sent', 'failed')`),
    )
    .addColumn("attempts", "integer", (c) => c.notNull().defaultTo(0))
    // For a pending row, when it may be sent; for a sending row, when its claim lapses.
    .addColumn("next_attempt_at", "timestamptz", (c) => c.notNull())
    .addColumn("last_error", "text")
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("sent_at", "timestamptz")
    .addColumn("message_id", "text")
    .addUniqueConstraint("outbox_once_uq", ["job", "period", "partnership_id", "target"])
    .execute();
  // The sender's query: due rows still to deliver, oldest due first.
  await db.schema
    .createIndex("outbox_due_idx")
    .on("outbox")
    .columns(["next_attempt_at"])
    .where(sql<boolean>`status in ('pending', 'sending')`)
    .execute();

  await db.schema
    .createTable("job_runs")
    .addColumn("job", "text", (c) => c.notNull())
    .addColumn("period", "text", (c) => c.notNull())
    .addColumn("partnership_id", "uuid", (c) => c.notNull().references("partnerships.id").onDelete("cascade"))
    .addColumn("targets", "integer", (c) => c.notNull())
    .addColumn("completed_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint("job_runs_pk", ["partnership_id", "job", "period"])
    .execute();
}

/** Drops the outbox and the job bookkeeping. */
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("job_runs").ifExists().execute();
  await db.schema.dropTable("outbox").ifExists().execute();
}
