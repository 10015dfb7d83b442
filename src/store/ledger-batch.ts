import { randomUUID } from "node:crypto";
import { sql, type Transaction } from "kysely";
import { eventPayloadSchemas, subjectOf, type LedgerEvent, type NewEvent } from "../domain/events.ts";
import { RapportError } from "../domain/errors.ts";
import { worldTime } from "../domain/issue-timeline.ts";
import { issueSequenceName } from "./issue-numbers.ts";
import { issueRowOf } from "./issue-projection.ts";
import { eventRowOf } from "./event-rows.ts";
import { project } from "./projections.ts";
import type { Database } from "./tables.ts";

/** Rows per INSERT statement: well under PostgreSQL's 65,535 parameters at 15 columns a row. */
const ROWS_PER_INSERT = 1000;

/**
 * Records a run of one partnership's events in one transaction: every payload validated, the
 * reports numbered from the partnership's sequence, the events written many rows a statement, and
 * each projection updated in order. A source already recorded is skipped (a re-run records
 * nothing twice); an event that changes nothing (a second resolution) is not kept. Unlike a
 * single append it does not move an event up to its subject's last one: the run must already be
 * in time order, as a generated or imported history is. Returns the events recorded.
 */
export async function recordBatch(
  trx: Transaction<Database>,
  inputs: readonly NewEvent[],
  recordedAt: Date,
): Promise<LedgerEvent[]> {
  const partnershipId = inputs[0]?.partnershipId;
  if (!partnershipId) return [];
  if (inputs.some((e) => e.partnershipId !== partnershipId)) {
    throw new RapportError("invalid_input", "A batch of events belongs to one partnership.");
  }
  const keys = await issueKeys(trx, partnershipId, inputs.filter((e) => e.type === "issue.reported").length);
  const events = inputs.map((input) => {
    const parsed = eventPayloadSchemas[input.type].safeParse(input.payload);
    if (!parsed.success) {
      throw new RapportError(
        "invalid_input",
        `That could not be recorded: ${parsed.error.issues[0]?.message}.`,
        {
          cause: parsed.error,
        },
      );
    }
    const payload = input.type === "issue.reported" ? { ...parsed.data, key: keys.shift()! } : parsed.data;
    return { ...input, payload, id: randomUUID(), recordedAt, subjectId: subjectOf(input) } as LedgerEvent;
  });
  const inserted = new Set<string>();
  for (let i = 0; i < events.length; i += ROWS_PER_INSERT) {
    const rows = await trx
      .insertInto("events")
      .values(events.slice(i, i + ROWS_PER_INSERT).map(eventRowOf))
      .onConflict((oc) => oc.columns(["partnership_id", "source_platform", "source_id"]).doNothing())
      .returning("id")
      .execute();
    for (const r of rows) inserted.add(r.id);
  }
  const recorded = events.filter((e) => inserted.has(e.id));
  const reports = recorded.filter((e) => e.type === "issue.reported");
  for (let i = 0; i < reports.length; i += ROWS_PER_INSERT) {
    await trx
      .insertInto("issues")
      .values(reports.slice(i, i + ROWS_PER_INSERT).map(issueRowOf))
      .execute();
  }
  const unchanged: string[] = [];
  for (const e of recorded) {
    if (e.type !== "issue.reported" && !(await project(trx, e))) unchanged.push(e.id);
  }
  if (unchanged.length > 0) {
    await trx
      .deleteFrom("events")
      .where("partnership_id", "=", partnershipId)
      .where("id", "in", unchanged)
      .execute();
  }
  const kept = recorded.filter((e) => !unchanged.includes(e.id));
  const earliest = Math.min(...kept.map((e) => worldTime(e).getTime()));
  if (Number.isFinite(earliest)) {
    // The weeks these events are about are computed again when next asked.
    await trx
      .deleteFrom("week_figures")
      .where("partnership_id", "=", partnershipId)
      .where("week_end", ">=", new Date(earliest))
      .execute();
  }
  return kept;
}

/** `n` issue keys from the partnership's own sequence, taken in one statement. */
async function issueKeys(trx: Transaction<Database>, partnershipId: string, n: number): Promise<string[]> {
  if (n === 0) return [];
  const { rows } = await sql<{ key: string }>`
    select pa.key || '-' || nextval(${issueSequenceName(partnershipId)}::regclass) as key
    from partnerships pa, generate_series(1, ${n}) g
    where pa.id = ${partnershipId}
    order by g
  `.execute(trx);
  if (rows.length !== n) throw new RapportError("not_found", `No partnership has the id ${partnershipId}.`);
  return rows.map((r) => r.key);
}
