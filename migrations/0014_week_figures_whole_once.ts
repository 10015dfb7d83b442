import { sql, type Kysely } from "kysely";

/**
 * A kept week's whole figures (with every item behind each figure, about a megabyte for a week of
 * a thousand issues) become optional: a digest keeps them only for the week it reports, and for the
 * other weeks of its trend only their summary, which is all their scores need. A week whose whole
 * figures are asked for later (its own digest, an explanation) is computed again then, and kept.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table week_figures alter column metrics drop not null`.execute(db);
}

/** Forgets the weeks kept without their whole figures (they are computed again when asked). */
export async function down(db: Kysely<any>): Promise<void> {
  await sql`delete from week_figures where metrics is null`.execute(db);
  await sql`alter table week_figures alter column metrics set not null`.execute(db);
}
