import { sql, type Kysely } from "kysely";

/**
 * Keeps every version of a partnership's settings, each in force from its effective_from until the
 * next one, so an SLA outcome is computed with the settings that stood while each minute passed: a
 * holiday added today does not rewrite last month's outcomes. Each existing partnership gets one
 * version from 1970 holding its current settings: the settings its figures were computed with so far
 * keep applying to all of its history.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("partnership_settings")
    .addColumn("partnership_id", "uuid", (c) => c.notNull().references("partnerships.id").onDelete("cascade"))
    .addColumn("effective_from", "timestamptz", (c) => c.notNull())
    .addColumn("settings", "jsonb", (c) => c.notNull())
    .addColumn("recorded_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint("partnership_settings_pk", ["partnership_id", "effective_from"])
    .execute();

  await sql`
    insert into partnership_settings (partnership_id, effective_from, settings)
    select id, timestamptz '1970-01-01T00:00:00Z', settings from partnerships
  `.execute(db);
}

/** Drops the settings history; partnerships.settings still holds the current settings. */
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("partnership_settings").ifExists().execute();
}
