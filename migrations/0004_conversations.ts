import { sql, type Kysely } from "kysely";

/**
 * Creates the store of conversations rapport can post into on its own (Teams needs a stored
 * conversation reference for every proactive message: digests to channels, nudges to people).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("conversations")
    .addColumn("platform", "text", (c) => c.notNull())
    .addColumn("conversation_id", "text", (c) => c.notNull())
    .addColumn("workspace_id", "text", (c) => c.notNull())
    .addColumn("kind", "text", (c) => c.notNull().check(sql`kind in ('personal', 'channel', 'groupChat')`))
    // For a personal chat, the person; for a channel, the channel's own id (without ;messageid=).
    .addColumn("target_id", "text", (c) => c.notNull())
    .addColumn("reference", "jsonb", (c) => c.notNull())
    .addColumn("gone_at", "timestamptz")
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint("conversations_pk", ["platform", "conversation_id"])
    .execute();
  await db.schema
    .createIndex("conversations_target_idx")
    .on("conversations")
    .columns(["platform", "workspace_id", "target_id"])
    .execute();
}

/** Drops the conversation store. */
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("conversations").ifExists().execute();
}
