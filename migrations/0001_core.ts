import { sql, type Kysely } from "kysely";

// Every table is keyed tenant-first (partnership_id leads), so rows of one partnership stay
// together and the schema can be distributed by partnership later.

/** Creates partnerships, members, channel links, the event ledger and its projections. */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("partnerships")
    .addColumn("id", "uuid", (c) => c.primaryKey())
    .addColumn("key", "text", (c) => c.notNull())
    .addColumn("name", "text", (c) => c.notNull().unique())
    .addColumn("provider_org", "text", (c) => c.notNull())
    .addColumn("client_org", "text", (c) => c.notNull())
    .addColumn("provider_workspace_ids", "jsonb", (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn("settings", "jsonb", (c) => c.notNull())
    .addColumn("next_issue_number", "integer", (c) => c.notNull().defaultTo(1))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable("members")
    .addColumn("partnership_id", "uuid", (c) => c.notNull().references("partnerships.id").onDelete("cascade"))
    .addColumn("id", "uuid", (c) => c.notNull())
    .addColumn("platform", "text", (c) => c.notNull())
    .addColumn("workspace_id", "text", (c) => c.notNull())
    .addColumn("user_id", "text", (c) => c.notNull())
    .addColumn("display_name", "text")
    .addColumn("side", "text", (c) => c.notNull().check(sql`side in ('provider', 'client')`))
    .addColumn("role", "text", (c) => c.notNull().check(sql`role in ('lead', 'tech', 'staff', 'admin')`))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint("members_pk", ["partnership_id", "id"])
    .addUniqueConstraint("members_user_uq", ["partnership_id", "platform", "workspace_id", "user_id"])
    .execute();
  await db.schema
    .createIndex("members_user_idx")
    .on("members")
    .columns(["platform", "workspace_id", "user_id"])
    .execute();

  await db.schema
    .createTable("channel_links")
    .addColumn("partnership_id", "uuid", (c) => c.notNull().references("partnerships.id").onDelete("cascade"))
    .addColumn("platform", "text", (c) => c.notNull())
    .addColumn("workspace_id", "text", (c) => c.notNull())
    .addColumn("channel_id", "text", (c) => c.notNull())
    .addColumn("support", "boolean", (c) => c.notNull())
    .addColumn("digest", "boolean", (c) => c.notNull())
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint("channel_links_pk", ["platform", "workspace_id", "channel_id"])
    .execute();
  await db.schema
    .createIndex("channel_links_partnership_idx")
    .on("channel_links")
    .column("partnership_id")
    .execute();

  await db.schema
    .createTable("events")
    .addColumn("partnership_id", "uuid", (c) => c.notNull().references("partnerships.id").onDelete("cascade"))
    .addColumn("id", "uuid", (c) => c.notNull())
    .addColumn("seq", "bigserial", (c) => c.notNull())
    .addColumn("type", "text", (c) => c.notNull())
    .addColumn("subject_id", "uuid")
    .addColumn("actor_member_id", "uuid")
    .addColumn("actor_side", "text", (c) => c.check(sql`actor_side in ('provider', 'client')`))
    .addColumn("actor_platform", "text")
    .addColumn("actor_user_id", "text")
    .addColumn("actor_name", "text")
    .addColumn("occurred_at", "timestamptz", (c) => c.notNull())
    .addColumn("recorded_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("source_platform", "text", (c) => c.notNull())
    .addColumn("source_id", "text", (c) => c.notNull())
    .addColumn("source_url", "text")
    .addColumn("payload", "jsonb", (c) => c.notNull())
    .addPrimaryKeyConstraint("events_pk", ["partnership_id", "id"])
    .addUniqueConstraint("events_source_uq", ["partnership_id", "source_platform", "source_id"])
    .execute();
  await db.schema
    .createIndex("events_occurred_idx")
    .on("events")
    .columns(["partnership_id", "occurred_at"])
    .execute();
  await db.schema
    .createIndex("events_subject_idx")
    .on("events")
    .columns(["partnership_id", "subject_id"])
    .execute();

  await db.schema
    .createTable("issues")
    .addColumn("partnership_id", "uuid", (c) => c.notNull().references("partnerships.id").onDelete("cascade"))
    .addColumn("id", "uuid", (c) => c.notNull())
    .addColumn("number", "integer", (c) => c.notNull())
    .addColumn("key", "text", (c) => c.notNull())
    .addColumn("title", "text", (c) => c.notNull())
    .addColumn("detail", "text")
    .addColumn("priority", "text", (c) => c.notNull())
    .addColumn("category", "text")
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("via", "text", (c) => c.notNull())
    .addColumn("reporter_member_id", "uuid")
    .addColumn("reporter_side", "text")
    .addColumn("reporter_user_id", "text")
    .addColumn("reporter_name", "text")
    .addColumn("started_at", "timestamptz")
    .addColumn("reported_at", "timestamptz", (c) => c.notNull())
    .addColumn("first_response_at", "timestamptz")
    .addColumn("waiting_since", "timestamptz")
    .addColumn("resolved_at", "timestamptz")
    .addColumn("message_platform", "text")
    .addColumn("message_workspace_id", "text")
    .addColumn("message_channel_id", "text")
    .addColumn("message_id", "text")
    .addColumn("source_url", "text")
    .addColumn("updated_at", "timestamptz", (c) => c.notNull())
    .addPrimaryKeyConstraint("issues_pk", ["partnership_id", "id"])
    .addUniqueConstraint("issues_number_uq", ["partnership_id", "number"])
    .execute();
  await db.schema
    .createIndex("issues_status_idx")
    .on("issues")
    .columns(["partnership_id", "status"])
    .execute();

  await db.schema
    .createTable("recommendations")
    .addColumn("partnership_id", "uuid", (c) => c.notNull().references("partnerships.id").onDelete("cascade"))
    .addColumn("id", "uuid", (c) => c.notNull())
    .addColumn("title", "text", (c) => c.notNull())
    .addColumn("why", "text")
    .addColumn("risk", "text", (c) => c.notNull())
    .addColumn("decide_by", "date", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("made_at", "timestamptz", (c) => c.notNull())
    .addColumn("made_by_member_id", "uuid")
    .addColumn("decided_at", "timestamptz")
    .addColumn("decided_by_member_id", "uuid")
    .addColumn("decision_note", "text")
    .addColumn("updated_at", "timestamptz", (c) => c.notNull())
    .addPrimaryKeyConstraint("recommendations_pk", ["partnership_id", "id"])
    .execute();

  await db.schema
    .createTable("calls")
    .addColumn("partnership_id", "uuid", (c) => c.notNull().references("partnerships.id").onDelete("cascade"))
    .addColumn("id", "uuid", (c) => c.notNull())
    .addColumn("title", "text")
    .addColumn("scheduled_at", "timestamptz", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull().check(sql`status in ('held', 'missed')`))
    .addColumn("missed_by", "text")
    .addColumn("logged_by_member_id", "uuid")
    .addColumn("logged_at", "timestamptz", (c) => c.notNull())
    .addPrimaryKeyConstraint("calls_pk", ["partnership_id", "id"])
    .execute();

  await db.schema
    .createTable("downtimes")
    .addColumn("partnership_id", "uuid", (c) => c.notNull().references("partnerships.id").onDelete("cascade"))
    .addColumn("id", "uuid", (c) => c.notNull())
    .addColumn("service", "text", (c) => c.notNull())
    .addColumn("issue_id", "uuid")
    .addColumn("started_at", "timestamptz", (c) => c.notNull())
    .addColumn("ended_at", "timestamptz")
    .addPrimaryKeyConstraint("downtimes_pk", ["partnership_id", "id"])
    .execute();
}

/** Drops everything `up` created. */
export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    "downtimes",
    "calls",
    "recommendations",
    "issues",
    "events",
    "channel_links",
    "members",
    "partnerships",
  ]) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
