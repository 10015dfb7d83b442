import { sql, type Kysely } from "kysely";

/**
 * Adds the outbox status `unconfigured`: a row for a platform this install does not run (Slack
 * members on a Teams-only install) is set aside at once instead of waiting for ever and counting
 * as the oldest undelivered message.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table outbox drop constraint if exists outbox_status_check`.execute(db);
  await sql`
    alter table outbox add constraint outbox_status_check
      check (status in ('pending', 'sending', 'sent', 'failed', 'unconfigured'))
  `.execute(db);
}

/** Back to four statuses; rows set aside wait again. */
export async function down(db: Kysely<any>): Promise<void> {
  await sql`update outbox set status = 'pending' where status = 'unconfigured'`.execute(db);
  await sql`alter table outbox drop constraint if exists outbox_status_check`.execute(db);
  await sql`
    alter table outbox add constraint outbox_status_check
      check (status in ('pending', 'sending', 'sent', 'failed'))
  `.execute(db);
}
