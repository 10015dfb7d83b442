import { sql, type Kysely } from "kysely";

/**
 * Lets a digest find the items still open when its window starts without reading the
 * partnership's whole history: the issues and recommendations not yet settled (partial indexes,
 * small whatever the history), and those settled since a given instant (by when).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create index if not exists issues_unresolved_idx on issues (partnership_id, reported_at)
    where status <> 'resolved'`.execute(db);
  await db.schema
    .createIndex("issues_resolved_idx")
    .ifNotExists()
    .on("issues")
    .columns(["partnership_id", "resolved_at"])
    .execute();
  await sql`create index if not exists recommendations_pending_idx on recommendations (partnership_id, made_at)
    where status = 'pending'`.execute(db);
  await db.schema
    .createIndex("recommendations_decided_idx")
    .ifNotExists()
    .on("recommendations")
    .columns(["partnership_id", "decided_at"])
    .execute();
}

/** Drops the four indexes. */
export async function down(db: Kysely<any>): Promise<void> {
  for (const name of [
    "recommendations_decided_idx",
    "recommendations_pending_idx",
    "issues_resolved_idx",
    "issues_unresolved_idx",
  ]) {
    await db.schema.dropIndex(name).ifExists().execute();
  }
}
