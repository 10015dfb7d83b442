import { sql, type Kysely } from "kysely";

/**
 * Keeps a conversation's reference per tenant: a conversation is a place only within its tenant
 * (or workspace), as a linked channel is. Keyed by the conversation id alone, an activity from
 * another tenant naming a conversation (its id is no secret) replaced the reference rapport reaches
 * that conversation by, and a removal from another tenant marked it gone.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("conversations").dropConstraint("conversations_pk").execute();
  await db.schema
    .alterTable("conversations")
    .addPrimaryKeyConstraint("conversations_pk", ["platform", "workspace_id", "conversation_id"])
    .execute();
}

/** Keys conversations by their id alone again, keeping the reference refreshed last of each. */
export async function down(db: Kysely<any>): Promise<void> {
  await sql`delete from conversations c using conversations d
    where c.platform = d.platform and c.conversation_id = d.conversation_id
      and (c.updated_at, c.workspace_id) < (d.updated_at, d.workspace_id)`.execute(db);
  await db.schema.alterTable("conversations").dropConstraint("conversations_pk").execute();
  await db.schema
    .alterTable("conversations")
    .addPrimaryKeyConstraint("conversations_pk", ["platform", "conversation_id"])
    .execute();
}
