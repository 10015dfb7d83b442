import { sql, type Kysely } from "kysely";

/**
 * Creates the inbox: every platform event rapport acknowledges before it has processed it is first
 * a row here, unique per platform and the platform's own id for the event, so a redelivery is
 * taken in once and a listener that fails (the database down, the platform busy) is retried
 * rather than lost.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("inbox")
    .addColumn("id", "bigserial", (c) => c.primaryKey())
    .addColumn("platform", "text", (c) => c.notNull())
    // The platform's id for the event (Slack's event_id): what the uniqueness is on.
    .addColumn("delivery_id", "text", (c) => c.notNull())
    .addColumn("payload", "jsonb", (c) => c.notNull())
    .addColumn("status", "text", (c) =>
      c
        .notNull()
        .defaultTo("pending")
        .check(sql`status in ('pending', 'processing', 'done', 'failed')`),
    )
    .addColumn("attempts", "integer", (c) => c.notNull().defaultTo(0))
    // For a pending row, when it may be processed; for a processing row, when its claim lapses.
    .addColumn("next_attempt_at", "timestamptz", (c) => c.notNull())
    .addColumn("last_error", "text")
    .addColumn("received_at", "timestamptz", (c) => c.notNull())
    .addColumn("done_at", "timestamptz")
    .addUniqueConstraint("inbox_once_uq", ["platform", "delivery_id"])
    .execute();
  // The pump's query: rows still to process, oldest due first.
  await db.schema
    .createIndex("inbox_due_idx")
    .on("inbox")
    .columns(["next_attempt_at"])
    .where(sql<boolean>`status in ('pending', 'processing')`)
    .execute();
}

/** Drops the inbox. */
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("inbox").ifExists().execute();
}
