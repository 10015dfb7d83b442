import { sql, type Kysely } from "kysely";

/**
 * Keeps the figures of weeks that have ended, so a digest computes only the weeks nobody has
 * computed since the ledger last changed them. A row is dropped by the ledger when an event is
 * recorded about an instant at or before the week's end (a late fact changes the week), and is
 * ignored when the settings it was computed with are no longer those in force (its fingerprint).
 * An index on (partnership_id, seq) finds a partnership's first and last recorded events without
 * reading its ledger.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("week_figures")
    .addColumn("partnership_id", "uuid", (c) => c.notNull().references("partnerships.id").onDelete("cascade"))
    .addColumn("week_start", "timestamptz", (c) => c.notNull())
    .addColumn("week_end", "timestamptz", (c) => c.notNull())
    .addColumn("fingerprint", "text", (c) => c.notNull())
    // Text, not jsonb: the figures come back with their keys in the order they were computed.
    .addColumn("metrics", "text", (c) => c.notNull())
    // The same without the items behind each figure: all a trend week needs for its scores.
    .addColumn("summary", "text", (c) => c.notNull())
    .addColumn("computed_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint("week_figures_pk", ["partnership_id", "week_start"])
    .execute();
  await db.schema
    .createIndex("week_figures_end_idx")
    .on("week_figures")
    .columns(["partnership_id", "week_end"])
    .execute();
  await db.schema.createIndex("events_seq_idx").on("events").columns(["partnership_id", "seq"]).execute();
}

/** Drops the kept figures and the index. */
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex("events_seq_idx").ifExists().execute();
  await db.schema.dropTable("week_figures").ifExists().execute();
}
