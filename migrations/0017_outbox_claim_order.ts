import { sql, type Kysely } from "kysely";

/**
 * The sender claims due rows never tried before those tried already, each group oldest due first
 * (`attempts > 0, next_attempt_at, id`). No index had that order, so every claim read and sorted
 * every row still to send: when an office reports an outage at once and thousands of cards wait,
 * each claim of 25 read them all (8 ms at 15,000 waiting), and the claims together grew with the
 * square of the backlog. With the index in that order a claim reads the rows it takes.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex("outbox_claim_idx")
    .on("outbox")
    .expression(sql`(attempts > 0), next_attempt_at, id`)
    .where(sql<boolean>`status in ('pending', 'sending')`)
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex("outbox_claim_idx").execute();
}
