import { sql, type Kysely } from "kysely";

/**
 * A kept week remembers the last event recorded when its figures were read from the ledger, so a
 * reader can tell whether an event recorded since is about an instant up to the week's end: the
 * ledger drops such weeks as it records, but an event recorded while a digest was keeping its
 * figures can slip between the two. Weeks kept before (null) are trusted as they were.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table week_figures add column if not exists watermark bigint`.execute(db);
}

/** Drops the column. */
export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table week_figures drop column if exists watermark`.execute(db);
}
