import { sql, type Kysely } from "kysely";

// Each partnership numbers its issues with a sequence of its own (migration 0007). Taking a number
// locks nothing and is never undone, so concurrent reports are not recorded one after another; a
// number is skipped only where the report that took it was not recorded.

/**
 * The name of the sequence that numbers a partnership's issues. The database function
 * `take_issue_number` (migration 0011) builds the same name; change both or neither.
 */
export function issueSequenceName(partnershipId: string): string {
  return `issue_numbers_${partnershipId.replaceAll("-", "")}`;
}

/** Creates a partnership's sequence (inside the transaction that creates the partnership), from `start`. */
export async function createIssueSequence(
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- any table types: the sequence is no table
  db: Kysely<any>,
  partnershipId: string,
  start = 1,
): Promise<void> {
  const name = sql.id(issueSequenceName(partnershipId));
  await sql`create sequence if not exists ${name} start with ${sql.lit(start)}`.execute(db);
}
