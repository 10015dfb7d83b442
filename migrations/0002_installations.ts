import { sql, type Kysely } from "kysely";

/** Creates the store of chat-platform installations (tokens, encrypted at rest). */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("installations")
    .addColumn("platform", "text", (c) => c.notNull())
    // The platform's own key: a Slack team id, or "E…" for an Enterprise Grid org install.
    .addColumn("install_key", "text", (c) => c.notNull())
    .addColumn("sealed", "text", (c) => c.notNull())
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint("installations_pk", ["platform", "install_key"])
    .execute();
}

/** Drops the installations table. */
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("installations").ifExists().execute();
}
