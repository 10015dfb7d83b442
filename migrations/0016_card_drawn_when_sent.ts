import { sql, type Kysely } from "kysely";

/**
 * An outbox row may hold no message: a card queued in the same write as the issue it shows (an
 * issue's key is only known once that write took its number) is drawn when it is sent, as every
 * card is, and has nothing stored to fall back on.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table outbox alter column message drop not null`.execute(db);
}

/** Forgets the rows queued without a message (their subjects' cards can be posted again). */
export async function down(db: Kysely<any>): Promise<void> {
  await sql`delete from outbox where message is null`.execute(db);
  await sql`alter table outbox alter column message set not null`.execute(db);
}
