import { sql, type Kysely } from "kysely";
import { createIssueSequence, issueSequenceName } from "../src/store/issue-numbers.ts";

/**
 * Issue numbers come from a sequence of each partnership's own instead of a counter in its row:
 * taking a number then locks nothing, so fifty people reporting an outage at once are not recorded
 * one after another. A number is never handed out twice; one is skipped only when the report that
 * took it was not recorded. Each existing partnership's sequence starts where its counter stood.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const rows = await sql<{ id: string; next: number }>`
    select id, next_issue_number as next from partnerships
  `.execute(db);
  for (const { id, next } of rows.rows) {
    await createIssueSequence(db, id, next);
  }
}

/** Drops the sequences, after writing where each stood back into the counters. */
export async function down(db: Kysely<any>): Promise<void> {
  const rows = await sql<{ id: string }>`select id from partnerships`.execute(db);
  for (const { id } of rows.rows) {
    const name = issueSequenceName(id);
    await sql`
      update partnerships set next_issue_number = coalesce(
        (select case when is_called then last_value + 1 else last_value end from ${sql.id(name)}),
        next_issue_number)
      where id = ${id}
    `.execute(db);
    await sql`drop sequence if exists ${sql.id(name)}`.execute(db);
  }
}
