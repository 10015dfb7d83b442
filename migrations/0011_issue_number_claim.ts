import { sql, type Kysely } from "kysely";

/**
 * Takes an issue number only for a report whose source is not recorded yet. Two deliveries of the
 * same report arriving at the same instant both passed the statement's own "not recorded yet"
 * check (each statement sees the database as it was when it began) and both took a number, so the
 * one that lost the insert left a gap in the partnership's keys. Here the second waits on a lock
 * of that one source (nothing partnership-wide: other reports go on side by side) and then looks
 * again with a fresh view, which shows the first one's committed event, and takes no number.
 * The lock is held to the end of the caller's transaction. Null: the source is recorded already.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create or replace function take_issue_number(partnership uuid, platform text, source text)
    returns bigint language plpgsql volatile as $$
    begin
      perform pg_advisory_xact_lock(
        hashtextextended(partnership::text || ' ' || platform || ' ' || source, 0));
      if exists (
        select 1 from events
        where partnership_id = partnership and source_platform = platform and source_id = source
      ) then
        return null;
      end if;
      return nextval(format('issue_numbers_%s', replace(partnership::text, '-', ''))::regclass);
    end $$
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop function if exists take_issue_number(uuid, text, text)`.execute(db);
}
