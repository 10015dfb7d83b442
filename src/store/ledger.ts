import { randomUUID } from "node:crypto";
import { eventPayloadSchemas, subjectOf, type LedgerEvent, type NewEvent } from "../domain/events.ts";
import { RapportError } from "../domain/errors.ts";
import type { EventSource } from "../domain/vocabulary.ts";
import { worldTime } from "../domain/issue-timeline.ts";
import { eventFromRow, eventRowOf } from "./event-rows.ts";
import { recordBatch } from "./ledger-batch.ts";
import { project } from "./projections.ts";
import type { Store } from "./database.ts";
import type { Database } from "./tables.ts";
import type { Transaction } from "kysely";
import type { Issue } from "../domain/records.ts";
import { createIssueSequence } from "./issue-numbers.ts";
import type { MessageLink } from "./message-links.ts";
import type { OutboxEntry } from "./outbox.ts";
import { ReportWriter } from "./report-writer.ts";
import { issueFromRow } from "./records.ts";

/**
 * What an append did. `created` is false when the source had already been recorded (`event` is
 * then the first one) or when the event would change nothing any more (`event` is null: a second
 * Resolve click, a decision already taken).
 */
export type AppendResult = { event: LedgerEvent; created: boolean } | { event: null; created: false };

/** Called after each event that was really recorded (after commit), e.g. to count it. */
export type RecordedListener = (event: LedgerEvent) => void;

/** How far back of its subject's last event an event may be stamped and still be recorded (clock skew). */
export const ORDER_TOLERANCE_MS = 5 * 60_000;

class AlreadyRecorded extends Error {}
class ChangesNothing extends Error {}

/**
 * The append-only event ledger. Appending validates the payload, stores the event and updates
 * its projections in one transaction; a source (platform + platform id) already recorded for the
 * partnership records nothing and returns the first event.
 */
export class Ledger {
  private readonly reports: ReportWriter;

  constructor(
    private readonly store: Store,
    private readonly now: () => Date = () => new Date(),
    private readonly onRecorded: RecordedListener = () => {},
  ) {
    this.reports = new ReportWriter(store.db);
  }

  /** Records `input` once per source; for `issue.reported`, the ledger assigns the issue key. */
  async append(input: NewEvent): Promise<AppendResult> {
    if (input.type === "issue.reported") {
      const { event, created } = await this.report(input);
      return { event, created };
    }
    const existing = await this.findBySource(input.partnershipId, input.source);
    if (existing) return { event: existing, created: false };
    try {
      const event = await this.store.db.transaction().execute((trx) => this.insert(trx, input));
      this.onRecorded(event);
      return { event, created: true };
    } catch (e) {
      if (e instanceof ChangesNothing) return { event: null, created: false };
      if (!(e instanceof AlreadyRecorded)) throw e;
      const first = await this.findBySource(input.partnershipId, input.source);
      if (!first)
        throw new RapportError("conflict", "That was recorded and then vanished; try again.", { cause: e });
      return { event: first, created: false };
    }
  }

  /** Appends an event that starts something new (an issue, a call, …): it always changes something. */
  async appendNew(input: NewEvent): Promise<{ event: LedgerEvent; created: boolean }> {
    const result = await this.append(input);
    if (!result.event)
      throw new RapportError("conflict", "That was already recorded in another form; try again.");
    return result;
  }

  /**
   * Records a new issue, and queues its card and remembers its source message when given, in one statement (one round trip; see
   * `ReportWriter`, which writes reports that arrive together in one): the key's number from the
   * partnership's own sequence, the event, the issue's row and the card's outbox row. Nothing is
   * locked beyond the rows inserted and the report's own source (`take_issue_number`, migration
   * 0011: a redelivery arriving at the same instant waits for the first and takes no number), so
   * reports of one partnership are recorded side by side. A source already recorded costs a
   * second round trip, which returns the first event and no issue (its card was queued with it).
   */
  async report(
    input: Extract<NewEvent, { type: "issue.reported" }>,
    options: { card?: OutboxEntry | null; source?: MessageLink | null } = {},
  ): Promise<{ event: LedgerEvent; created: boolean; issue: Issue | null }> {
    const event = this.validated(input, input.payload, input.occurredAt) as Extract<
      LedgerEvent,
      { type: "issue.reported" }
    >;
    const report = { event, card: options.card ?? null, source: options.source ?? null };
    const row = await this.reports.write(report).catch(async (e: unknown) => {
      if (!isMissingSequence(e)) throw e;
      // A partnership written by other means than the store (a restored dump, say): number on.
      await createIssueSequence(
        this.store.db,
        input.partnershipId,
        await this.nextNumber(input.partnershipId),
      );
      return this.reports.write(report);
    });
    if (row) {
      const recorded = { ...event, payload: { ...event.payload, key: row.key } };
      this.onRecorded(recorded);
      return { event: recorded, created: true, issue: issueFromRow(row) };
    }
    const first = await this.findBySource(input.partnershipId, input.source);
    if (!first) throw new RapportError("not_found", `No partnership has the id ${input.partnershipId}.`);
    return { event: first, created: false, issue: null };
  }

  /** The number after the highest a partnership's issues carry. */
  private async nextNumber(partnershipId: string): Promise<number> {
    const row = await this.store.db
      .selectFrom("issues")
      .select((eb) => eb.fn.max("number").as("last"))
      .where("partnership_id", "=", partnershipId)
      .executeTakeFirst();
    return Number(row?.last ?? 0) + 1;
  }

  /**
   * Records many events of one partnership at once, in one transaction (see `recordBatch`: for a
   * history already in time order, such as a generated one). Returns how many were recorded.
   */
  async appendBatch(inputs: readonly NewEvent[]): Promise<number> {
    const recorded = await this.store.db.transaction().execute((trx) => recordBatch(trx, inputs, this.now()));
    for (const event of recorded) this.onRecorded(event);
    return recorded.length;
  }

  /** Every event of a partnership in the order they were recorded, optionally up to an instant. */
  async events(partnershipId: string, options: { occurredBefore?: Date } = {}): Promise<LedgerEvent[]> {
    let q = this.store.db.selectFrom("events").selectAll().where("partnership_id", "=", partnershipId);
    if (options.occurredBefore) q = q.where("occurred_at", "<", options.occurredBefore);
    const rows = await q.orderBy("seq").execute();
    return rows.map(eventFromRow);
  }

  /** When the partnership's earliest event happened, or null when it has none. */
  async firstOccurredAt(partnershipId: string): Promise<Date | null> {
    const row = await this.store.db
      .selectFrom("events")
      .select((eb) => eb.fn.min("occurred_at").as("first"))
      .where("partnership_id", "=", partnershipId)
      .executeTakeFirst();
    return row?.first ? new Date(row.first) : null;
  }

  /** How many events a partnership has. */
  async count(partnershipId: string): Promise<number> {
    const row = await this.store.db
      .selectFrom("events")
      .select((eb) => eb.fn.countAll<string>().as("n"))
      .where("partnership_id", "=", partnershipId)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /** The events about one issue, recommendation, call, change or downtime, in recorded order. */
  async eventsAbout(partnershipId: string, subjectId: string): Promise<LedgerEvent[]> {
    return (await this.eventsAboutEach(partnershipId, [subjectId])).get(subjectId) ?? [];
  }

  /**
   * The events about each of these subjects, in recorded order, by subject id, in one read (a
   * subject with no events is left out).
   */
  async eventsAboutEach(
    partnershipId: string,
    subjectIds: readonly string[],
  ): Promise<Map<string, LedgerEvent[]>> {
    const about = new Map<string, LedgerEvent[]>();
    const wanted = [...new Set(subjectIds)];
    if (wanted.length === 0) return about;
    const rows = await this.store.db
      .selectFrom("events")
      .selectAll()
      .where("partnership_id", "=", partnershipId)
      .where("subject_id", "in", wanted)
      .orderBy("seq")
      .execute();
    for (const row of rows) {
      const event = eventFromRow(row);
      const subjectId = row.subject_id;
      if (subjectId === null) continue;
      const list = about.get(subjectId);
      if (list) list.push(event);
      else about.set(subjectId, [event]);
    }
    return about;
  }

  /** The event already recorded from this source in the partnership, or null. */
  async findBySource(
    partnershipId: string,
    source: Pick<EventSource, "platform" | "id">,
  ): Promise<LedgerEvent | null> {
    const row = await this.store.db
      .selectFrom("events")
      .selectAll()
      .where("partnership_id", "=", partnershipId)
      .where("source_platform", "=", source.platform)
      .where("source_id", "=", source.id)
      .executeTakeFirst();
    return row ? eventFromRow(row) : null;
  }

  private async insert(trx: Transaction<Database>, input: NewEvent): Promise<LedgerEvent> {
    const event = await this.prepare(trx, input);
    const row = await trx
      .insertInto("events")
      .values(eventRowOf(event))
      .onConflict((oc) => oc.columns(["partnership_id", "source_platform", "source_id"]).doNothing())
      .returning("id")
      .executeTakeFirst();
    // Another process recorded the same source between our check and insert: undo the key too.
    if (!row) throw new AlreadyRecorded();
    if (!(await project(trx, event))) throw new ChangesNothing();
    await forgetWeeksFrom(trx, event);
    return event;
  }

  /** Validates the payload and keeps each subject's events in time order. */
  private async prepare(trx: Transaction<Database>, input: NewEvent): Promise<LedgerEvent> {
    const subjectId = subjectOf(input);
    const occurredAt = subjectId ? await notBeforeLast(trx, input, subjectId) : input.occurredAt;
    return this.validated(input, input.payload, occurredAt);
  }

  /** The event to store: its payload checked against its type's schema, with an id and a recording time. */
  private validated(input: NewEvent, payload: unknown, occurredAt: Date): LedgerEvent {
    const parsed = eventPayloadSchemas[input.type].safeParse(payload);
    if (!parsed.success) {
      // Services check what people type; reaching this is a bug, so the log gets the details.
      throw new RapportError(
        "invalid_input",
        `That could not be recorded: ${parsed.error.issues[0]?.message}.`,
        {
          cause: parsed.error,
        },
      );
    }
    return {
      ...input,
      occurredAt,
      payload: parsed.data,
      id: randomUUID(),
      recordedAt: this.now(),
      subjectId: subjectOf(input),
    } as LedgerEvent;
  }
}

/**
 * An event stamped a little before its subject's last event (clocks of two replicas differ) is
 * moved up to it; one stamped well before is refused, since metrics replay events in time order.
 */
async function notBeforeLast(trx: Transaction<Database>, input: NewEvent, subjectId: string): Promise<Date> {
  const row = await trx
    .selectFrom("events")
    .select((eb) => eb.fn.max("occurred_at").as("last"))
    .where("partnership_id", "=", input.partnershipId)
    .where("subject_id", "=", subjectId)
    .executeTakeFirst();
  const last = row?.last ? new Date(row.last) : null;
  if (!last || input.occurredAt >= last) return input.occurredAt;
  if (last.getTime() - input.occurredAt.getTime() <= ORDER_TOLERANCE_MS) return last;
  throw new RapportError(
    "invalid_input",
    `That time (${input.occurredAt.toISOString()}) is before the last change to this item (${last.toISOString()}); give a later time.`,
  );
}

/**
 * Drops the kept figures of every week the event changes: those ending at or after the instant it
 * is about (a late fact changes its own week and every later one, whose backlog it is part of).
 */
async function forgetWeeksFrom(trx: Transaction<Database>, event: LedgerEvent): Promise<void> {
  await trx
    .deleteFrom("week_figures")
    .where("partnership_id", "=", event.partnershipId)
    .where("week_end", ">=", worldTime(event))
    .execute();
}

/** True for PostgreSQL's "relation does not exist" (a partnership without its issue sequence). */
function isMissingSequence(e: unknown): boolean {
  return (e as { code?: string } | null)?.code === "42P01";
}
