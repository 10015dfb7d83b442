import { sql } from "kysely";
import type { LedgerEvent } from "../domain/events.ts";
import { weekMetricsFromJson, weekMetricsToJson } from "../domain/metrics-json.ts";
import type { WeekMetrics } from "../domain/metrics-types.ts";
import type { Store } from "./database.ts";
import { storedEventFromRow } from "./event-rows.ts";
import type { EventRow } from "./tables.ts";

/** What a digest reads of the ledger for the weeks from `from` on. */
export interface LedgerWindow {
  /** Every event from `from` on, and every event of the items still open (or touched again) then. */
  events: LedgerEvent[];
  /** The last event recorded when the window was read: figures are kept only if nothing came since. */
  watermark: string;
}

/**
 * The figures of ended weeks, kept so that a digest computes only what nobody computed since the
 * ledger last changed it, and the ledger reads a digest's window needs. The ledger drops a week's
 * row when it records an event about an instant up to the week's end.
 */
export class WeekFiguresStore {
  constructor(private readonly store: Store) {}

  /**
   * The events that decide the figures of the weeks from `from` on: those that happened from
   * `from`, and all events of each issue, recommendation, downtime and change that was still open
   * at `from` or has an event since (so its state at `from` is replayed whole). Items closed
   * before `from` and untouched since change no figure of those weeks, and are not read.
   */
  async window(partnershipId: string, from: Date): Promise<LedgerWindow> {
    const p = partnershipId;
    const [rows, marks] = await Promise.all([
      sql<EventRow>`
        with recent as (
          select * from events where partnership_id = ${p} and occurred_at >= ${from}
        ), earlier as (
          select i.id from issues i
          where i.partnership_id = ${p} and i.reported_at < ${from} and i.status <> 'resolved'
          union
          select i.id from issues i join recent r on r.subject_id = i.id
          where i.partnership_id = ${p} and i.reported_at < ${from}
          union
          select x.id from recommendations x
          where x.partnership_id = ${p} and x.made_at < ${from} and x.status = 'pending'
          union
          select x.id from recommendations x join recent r on r.subject_id = x.id
          where x.partnership_id = ${p} and x.made_at < ${from}
          union
          select d.id from downtimes d
          where d.partnership_id = ${p} and d.started_at < ${from} and (d.ended_at is null or d.ended_at >= ${from})
          union
          select r.subject_id from recent r where r.type = 'change.announced'
        )
        select * from (
          select * from recent
          union all
          select e.* from events e join earlier s on e.subject_id = s.id
          where e.partnership_id = ${p} and e.occurred_at < ${from}
        ) w
        order by seq
      `.execute(this.store.db),
      sql<{ last: string | number | null }>`
        select max(seq) as last from events where partnership_id = ${p}
      `.execute(this.store.db),
    ]);
    return {
      events: rows.rows.map(storedEventFromRow),
      watermark: String(marks.rows[0]?.last ?? 0),
    };
  }

  /** When the partnership's first recorded event happened, or null when it has none. */
  async firstRecordedAt(partnershipId: string): Promise<Date | null> {
    const row = await this.store.db
      .selectFrom("events")
      .select("occurred_at")
      .where("partnership_id", "=", partnershipId)
      .orderBy("seq")
      .limit(1)
      .executeTakeFirst();
    return row ? new Date(row.occurred_at) : null;
  }

  /** The kept figures of the weeks starting at `starts` computed with `fingerprint`, by week start (ms). */
  async kept(
    partnershipId: string,
    starts: readonly Date[],
    fingerprint: string,
  ): Promise<Map<number, WeekMetrics>> {
    if (starts.length === 0) return new Map();
    const rows = await this.store.db
      .selectFrom("week_figures")
      .select(["week_start", "metrics"])
      .where("partnership_id", "=", partnershipId)
      .where("week_start", "in", [...starts])
      .where("fingerprint", "=", fingerprint)
      .execute();
    return new Map(rows.map((r) => [new Date(r.week_start).getTime(), weekMetricsFromJson(r.metrics)]));
  }

  /**
   * Keeps the figures of ended weeks, unless an event was recorded after `watermark` (the figures
   * may not know it: the next digest computes them again).
   */
  async keep(
    partnershipId: string,
    weeks: readonly WeekMetrics[],
    fingerprint: string,
    watermark: string,
  ): Promise<void> {
    const ended = weeks.filter((m) => m.complete);
    if (ended.length === 0) return;
    const values = sql.join(
      ended.map(
        (m) => sql`(${m.week.start}::timestamptz, ${m.week.end}::timestamptz, ${weekMetricsToJson(m)})`,
      ),
    );
    await sql`
      insert into week_figures (partnership_id, week_start, week_end, fingerprint, metrics)
      select ${partnershipId}::uuid, v.week_start, v.week_end, ${fingerprint}, v.metrics
      from (values ${values}) as v(week_start, week_end, metrics)
      where not exists (select 1 from events where partnership_id = ${partnershipId} and seq > ${watermark}::bigint)
      on conflict (partnership_id, week_start) do update
        set week_end = excluded.week_end, fingerprint = excluded.fingerprint,
            metrics = excluded.metrics, computed_at = now()
    `.execute(this.store.db);
  }
}
