import { sql, type Kysely } from "kysely";

/**
 * `take_issue_number` looks up the report's source among the partnership's events. A function's
 * statement is planned once per connection and that plan kept (a generic plan, made without the
 * values): made while the table was nearly empty, it could pick the (partnership, seq) index over
 * the unique (partnership, platform, source) one, both costing the same then, and go on reading
 * every event of the partnership for each report long after the table had grown (3 to 6 ms a
 * report at a few thousand events, growing with each). Planned for each call instead, with the
 * values and the statistics of the moment, the lookup reads the one index entry it needs.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    alter function take_issue_number(uuid, text, text) set plan_cache_mode = force_custom_plan
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter function take_issue_number(uuid, text, text) reset plan_cache_mode`.execute(db);
}
