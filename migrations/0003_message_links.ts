import { sql, type Kysely } from "kysely";

/**
 * Creates the map from chat messages to what they are about: the message an issue came from, the
 * card rapport posted for it, so a thread reply or a reaction finds its issue and a card can be
 * updated when its issue changes.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("message_links")
    .addColumn("platform", "text", (c) => c.notNull())
    .addColumn("workspace_id", "text", (c) => c.notNull())
    .addColumn("channel_id", "text", (c) => c.notNull())
    .addColumn("message_id", "text", (c) => c.notNull())
    .addColumn("partnership_id", "uuid", (c) => c.notNull().references("partnerships.id").onDelete("cascade"))
    .addColumn("subject_id", "uuid", (c) => c.notNull())
    .addColumn("kind", "text", (c) => c.notNull().check(sql`kind in ('source', 'card')`))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint("message_links_pk", ["platform", "workspace_id", "channel_id", "message_id"])
    .execute();
  await db.schema
    .createIndex("message_links_subject_idx")
    .on("message_links")
    .columns(["partnership_id", "subject_id"])
    .execute();
}

/** Drops the message map. */
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("message_links").ifExists().execute();
}
