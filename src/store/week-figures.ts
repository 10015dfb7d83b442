import { sql } from "kysely";
import type { ReplayedEvent } from "../domain/events.ts";
import type { Side } from "../domain/vocabulary.ts";
import { weekMetricsFromJson, weekMetricsToJson, weekSummaryToJson } from "../domain/metrics-json.ts";
import type { WeekMetrics } from "../domain/metrics-types.ts";
import { KEEP_PLAN, type Store } from "./database.ts";
import { storedEventType } from "./event-rows.ts";

/**
 * One event of a window as the database sends it (`window`'s `json_build_array`, in its order):
 * only what the figures read, so the least to build, send and parse.
 */
type WindowRow = [
  id: string,
  type: string,
  subjectId: string | null,
  actorSide: string | null,
  payload: unknown,
  occurredMs: number,
  recordedMs: number,
];

function windowEvent(r: WindowRow): ReplayedEvent {
  const [id, type, subjectId, side, payload, occurredMs, recordedMs] = r;
  return {
    id,
    type: storedEventType(type),
    subjectId,
    actor: side ? { side: side as Side } : null,
    occurredAt: new Date(occurredMs),
    recordedAt: new Date(recordedMs),
    payload,
  } as ReplayedEvent;
}

/**
 * Events per row of a window: a server sends each row as soon as it is built, so the driver
 * parses one while the server builds the next (a few hundred kilobytes each). The embedded
 * database answers whole, as before.
 */
const WINDOW_BATCH = 1000;

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

  constructor(private readonly store: Store) {}

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
    const [head, ...batches] = rows.sort((a, b) => Number(a.batch) - Number(b.batch));
    const events: ReplayedEvent[] = [];
    for (const { events: batch } of batches) {
      const list = typeof batch === "string" ? (JSON.parse(batch) as WindowRow[]) : (batch ?? []);
      for (const r of list) events.push(windowEvent(r));
    }
    return { events, watermark: String(head?.watermark ?? 0) };
  }

  /** The window's rows: the watermark (batch -1), then the events in batches of `WINDOW_BATCH`. */
  private windowRows(p: string, from: Date, until: Date) {
    return sql<{
      batch: string | number;
      events: WindowRow[] | string | null;
      watermark: string | number | null;
    }>`
        ${sql.raw(KEEP_PLAN)}
        with recent as (
          select * from events where partnership_id = ${p} and occurred_at >= ${from} and occurred_at <= ${until}
          union all
          select e.* from calls c join events e on e.partnership_id = c.partnership_id and e.subject_id = c.id
          where c.partnership_id = ${p} and c.scheduled_at <= ${until} and c.logged_at > ${until}
            and e.occurred_at > ${until}
        ), earlier as (
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
          (
            select r.subject_id from recent r where r.subject_id is not null and r.type not like 'call.%'
            except
            select r.subject_id from recent r
            where r.type in ('issue.reported', 'recommendation.made', 'downtime.started')
          )
        ), chosen as (
          select * from recent
          union all
          -- Item by item: a few index lookups, never a pass over the earlier history ("offset 0"
          -- keeps the planner from turning the lookups back into a join over every earlier event).
          select e.* from earlier s cross join lateral (
            select * from events e
            where e.partnership_id = ${p} and e.subject_id = s.id and e.occurred_at < ${from}
            offset 0
          ) e
        ), numbered as (
          select chosen.*, (row_number() over (order by seq) - 1) / ${sql.raw(String(WINDOW_BATCH))} as batch
          from chosen
        )
        -- The watermark (batch -1), in the same statement, so of the same snapshot as the events.
        select -1 as batch, null as events, (select max(seq) from events where partnership_id = ${p}) as watermark
        union all
        -- Then the events in batches of compact JSON rows, in order: thousands of rows of seven
        -- columns each cost the driver far more one by one, and one array of them all would be
        -- sent only once the server had built all of it. Instants as epoch milliseconds.
        (
          select batch, json_agg(json_build_array(id, type, subject_id, actor_side, payload,
              (extract(epoch from occurred_at) * 1000)::float8,
              (extract(epoch from recorded_at) * 1000)::float8) order by seq), null
          from numbered group by batch order by batch
        )
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
