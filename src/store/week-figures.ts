import { sql } from "kysely";
import type { ReplayedEvent } from "../domain/events.ts";
import type { Side } from "../domain/vocabulary.ts";
import { weekMetricsFromJson, weekMetricsToJson, weekSummaryToJson } from "../domain/metrics-json.ts";
import type { WeekMetrics } from "../domain/metrics-types.ts";
import { JSON_TEXT, KEEP_PLAN, parseJsonText, type Store } from "./database.ts";
import { storedEventType } from "./event-rows.ts";

/**
 * One event of a window as the database sends it (`EVENT_JSON`, in its order): only what the
 * figures read, so the least to build, send and parse. Its own id only for a direct request (the
 * one event the figures name by it); what it is about is in its payload.
 */
type WindowRow = [
  id: string | null,
  type: string,
  actorSide: string | null,
  payload: unknown,
  occurredMs: number,
  recordedMs: number,
  seq: number,
];

// A replayed event's side, one object per side: the replay reads nothing else of who acted.
const ACTORS: Record<string, { side: Side }> = { provider: { side: "provider" }, client: { side: "client" } };

/**
 * An event of a window. When it was recorded is read only to order events that happened at the
 * same instant, so it is kept as a number and made a date when asked: a window holds tens of
 * thousands of events, and a date weighs as much as the rest of an event's own fields.
 */
class WindowEvent {
  readonly type: ReplayedEvent["type"];
  readonly actor: { side: Side } | null;
  readonly occurredAt: Date;
  // Declared, not a field of every event: set only on a direct request's.
  declare readonly id?: string;

  constructor(
    id: string | null,
    type: string,
    side: string | null,
    readonly payload: unknown,
    occurredMs: number,
    private readonly recordedMs: number,
  ) {
    this.type = storedEventType(type);
    if (id !== null) this.id = id;
    this.actor = side ? (ACTORS[side] ?? { side: side as Side }) : null;
    this.occurredAt = new Date(occurredMs);
  }

  get recordedAt(): Date {
    return new Date(this.recordedMs);
  }
}

function windowEvent(r: WindowRow): ReplayedEvent {
  return new WindowEvent(r[0], r[1], r[2], r[3], r[4], r[5]) as unknown as ReplayedEvent;
}

/** The batch of a window's rows that holds the events from outside its span (after every day's). */
const LATE_BATCH = 1_000_000;

/**
 * One event as a JSON array (`WindowRow`), written out by hand: a third of the server's time for
 * json_build_array. Every part is JSON already (ids, the sides the table allows, the payload as
 * jsonb writes it, numbers: instants as epoch milliseconds, then `seq`) but the type, which only
 * the ledger writes, from its own list of identifiers (`storedEventType` rejects any other).
 */
const EVENT_JSON = `concat('[', case when e.type = 'request.direct' then '"' || e.id || '"' else 'null' end, ',"', e.type, '",',
  coalesce('"' || e.actor_side || '"', 'null'), ',', e.payload::text, ',',
  (extract(epoch from e.occurred_at) * 1000)::float8, ',', (extract(epoch from e.recorded_at) * 1000)::float8, ',',
  e.seq, ']')`;

/** Partnerships whose first event is kept in memory (a few bytes each). */
const FIRSTS_KEPT = 100_000;

/** What a digest reads of the ledger for the weeks from `from` on. */
export interface LedgerWindow {
  /** Every event from `from` on, and every event of the items still open (or touched again) then. */
  events: ReplayedEvent[];
  /** The last event recorded when the window was read: figures are kept only if nothing came since. */
  watermark: string;
}

/**
 * The figures of ended weeks, kept so that a digest computes only what nobody computed since the
 * ledger last changed it, and the ledger reads a digest's window needs. The ledger drops a week's
 * row when it records an event about an instant up to the week's end.
 */
export class WeekFiguresStore {
  private readonly firsts = new Map<string, number>();

  /** `onKeepFailed` hears of figures that could not be kept (the next digest computes them again). */
  constructor(
    private readonly store: Store,
    private readonly onKeepFailed: (err: unknown) => void = () => {},
  ) {}

  /**
   * The events that decide the figures of the weeks from `from` to `until` (the last one's
   * cut-off): those that happened in that span (and the calls logged later about a time in it),
   * and all earlier events of each issue, recommendation, downtime and change still open at
   * `from` or touched in the span, so its state at `from` is replayed whole. Items closed before
   * `from` and untouched in the span change no figure of those weeks, and are not read; what
   * happened after `until` is not known to them.
   */
  async window(partnershipId: string, from: Date, until: Date): Promise<LedgerWindow> {
    const p = partnershipId;
    const { rows } = await this.windowRows(p, from, until);
    const head = rows.find((r) => Number(r.batch) === -1);
    const all: WindowRow[] = [];
    for (const { events: batch } of rows) for (const r of parseJsonText(batch) ?? []) all.push(r);
    // In the order recorded, as the whole ledger is read: the replay keeps that order among events
    // of the same instant recorded at the same moment.
    all.sort((a, b) => a[6] - b[6]);
    return { events: all.map(windowEvent), watermark: String(head?.watermark ?? 0) };
  }

  /**
   * The window's rows: the watermark (batch -1); then the span day by day (batches 0, 1, …),
   * each day's events read from the `(partnership_id, occurred_at)` index, so the first days are
   * on their way (and being parsed) while the server still reads the later ones; then, last, the
   * calls logged after the span about a time in it and the earlier events of the items open at
   * its start or touched in it (`LATE_BATCH`).
   */
  private windowRows(p: string, from: Date, until: Date) {
    return sql<{
      batch: string | number;
      events: WindowRow[] | string | null;
      watermark: string | number | null;
    }>`
        ${sql.raw(KEEP_PLAN)} ${sql.raw(JSON_TEXT)}
        with earlier as (
          -- Open or settled since: each half on an index of its own, not the whole history.
          select i.id from issues i
          where i.partnership_id = ${p} and i.reported_at < ${from} and i.status <> 'resolved'
          union
          select i.id from issues i
          where i.partnership_id = ${p} and i.resolved_at >= ${from} and i.reported_at < ${from}
          union
          select x.id from recommendations x
          where x.partnership_id = ${p} and x.made_at < ${from} and x.status = 'pending'
          union
          select x.id from recommendations x
          where x.partnership_id = ${p} and x.decided_at >= ${from} and x.made_at < ${from}
          union
          select d.id from downtimes d
          where d.partnership_id = ${p} and d.started_at < ${from} and (d.ended_at is null or d.ended_at >= ${from})
          union
          -- Items touched in the span that began before it (a reopening, a late decision, a
          -- heads-up announced again, a direct request about an old issue).
          -- One pass over the span's events: the items among them that did not begin in it.
          (
            select r.subject_id from events r
            where r.partnership_id = ${p} and r.occurred_at >= ${from} and r.occurred_at <= ${until}
              and r.subject_id is not null and r.type not like 'call.%'
            group by r.subject_id
            having not bool_or(r.type in ('issue.reported', 'recommendation.made', 'downtime.started'))
          )
        )
        -- The watermark, in the same statement, so of the same snapshot as the events.
        select -1 as batch, null as events, (select max(seq) from events where partnership_id = ${p}) as watermark
        union all
        select day.n, (
          select '[' || string_agg(${sql.raw(EVENT_JSON)}, ',') || ']'
          from events e
          where e.partnership_id = ${p}
            and e.occurred_at >= ${from}::timestamptz + day.n * interval '24 hours'
            and e.occurred_at < ${from}::timestamptz + (day.n + 1) * interval '24 hours'
            and e.occurred_at <= ${until}
        ), null
        from generate_series(0, floor(extract(epoch from ${until}::timestamptz - ${from}::timestamptz) / 86400)::int) as day(n)
        union all
        select ${sql.raw(String(LATE_BATCH))}, (
          select '[' || string_agg(${sql.raw(EVENT_JSON)}, ',') || ']'
          from (
            select e.* from calls c join events e on e.partnership_id = c.partnership_id and e.subject_id = c.id
            where c.partnership_id = ${p} and c.scheduled_at <= ${until} and c.logged_at > ${until}
              and e.occurred_at > ${until}
            union all
            -- Item by item: a few index lookups, never a pass over the earlier history ("offset 0"
            -- keeps the planner from turning the lookups back into a join over every earlier event).
            select e.* from earlier s cross join lateral (
              select * from events e
              where e.partnership_id = ${p} and e.subject_id = s.id and e.occurred_at < ${from}
              offset 0
            ) e
          ) e
        ), null
      `.execute(this.store.db);
  }

  /**
   * When the partnership's first recorded event happened, or null when it has none. Kept once
   * known: the ledger only appends, so the first event stays the first.
   */
  async firstRecordedAt(partnershipId: string): Promise<Date | null> {
    const known = this.firsts.get(partnershipId);
    if (known) return new Date(known);
    const row = await this.store.db
      .selectFrom("events")
      .select("occurred_at")
      .where("partnership_id", "=", partnershipId)
      .orderBy("seq")
      .limit(1)
      .executeTakeFirst();
    if (!row) return null;
    const first = new Date(row.occurred_at);
    if (this.firsts.size >= FIRSTS_KEPT) this.firsts.clear();
    this.firsts.set(partnershipId, first.getTime());
    return first;
  }

  /**
   * The kept figures of the weeks starting at `starts` computed with `fingerprint`, by week start
   * (ms): whole for the week starting at `whole` (left out when only its summary was kept), and
   * for the others what their scores need (`weekSummaryToJson`).
   */
  async kept(
    partnershipId: string,
    starts: readonly Date[],
    fingerprint: string,
    whole: Date,
  ): Promise<Map<number, WeekMetrics>> {
    if (starts.length === 0) return new Map();
    const rows = await this.store.db
      .selectFrom("week_figures")
      .select((eb) => [
        "week_start",
        eb
          .case()
          .when("week_start", "=", whole)
          .then(eb.ref("metrics"))
          .else(eb.ref("summary"))
          .end()
          .as("figures"),
      ])
      .where("partnership_id", "=", partnershipId)
      .where("week_start", "in", [...starts])
      .where("fingerprint", "=", fingerprint)
      .execute();
    return new Map(
      rows.flatMap((r) =>
        r.figures === null
          ? []
          : [[new Date(r.week_start).getTime(), weekMetricsFromJson(r.figures)] as const],
      ),
    );
  }

  /**
   * `keep`, once the caller has gone on with the figures it computed (`Store.later`): a digest
   * computed from the ledger is answered without waiting for the megabyte or two kept of it.
   */
  keepLater(
    partnershipId: string,
    weeks: readonly WeekMetrics[],
    fingerprint: string,
    watermark: string,
    whole: Date,
  ): void {
    this.store.later(() => this.keep(partnershipId, weeks, fingerprint, watermark, whole), this.onKeepFailed);
  }

  /**
   * Keeps the figures of ended weeks, unless an event was recorded after `watermark` (the figures
   * may not know it: the next digest computes them again). Whole for the week starting at `whole`
   * (the digest's own week), and for the others only their summary: the items behind a week of a
   * thousand issues weigh about a megabyte, and a trend week's scores need none of them. Whole
   * figures kept before with the same fingerprint stay.
   */
  async keep(
    partnershipId: string,
    weeks: readonly WeekMetrics[],
    fingerprint: string,
    watermark: string,
    whole: Date,
  ): Promise<void> {
    const ended = weeks.filter((m) => m.complete);
    if (ended.length === 0) return;
    const values = sql.join(
      ended.map((m) => {
        const metrics = m.week.start.getTime() === whole.getTime() ? weekMetricsToJson(m) : null;
        return sql`(${m.week.start}::timestamptz, ${m.week.end}::timestamptz, ${metrics}::text, ${weekSummaryToJson(m)})`;
      }),
    );
    await sql`
      insert into week_figures (partnership_id, week_start, week_end, fingerprint, metrics, summary)
      select ${partnershipId}::uuid, v.week_start, v.week_end, ${fingerprint}, v.metrics, v.summary
      from (values ${values}) as v(week_start, week_end, metrics, summary)
      where not exists (select 1 from events where partnership_id = ${partnershipId} and seq > ${watermark}::bigint)
      on conflict (partnership_id, week_start) do update
        set week_end = excluded.week_end, fingerprint = excluded.fingerprint,
            metrics = coalesce(excluded.metrics,
              case when week_figures.fingerprint = excluded.fingerprint then week_figures.metrics end),
            summary = excluded.summary, computed_at = now()
    `.execute(this.store.db);
  }
}
