// The digest benchmark's baseline: raw SQL computing the same weekly figures that SQL can compute
// on its own (see bench/README.md, "Digest at scale").
import { sql } from "kysely";
import type { Store } from "../src/store/database.ts";
import { TREND_WEEKS } from "../src/services/weekly-digest.ts";
import { lastCompleteWeek, previousWeeks } from "../src/domain/week.ts";

/**
 * The baseline: one SQL statement computing the trend weeks' figures that SQL can compute on its
 * own, on the wall clock (no working hours, holidays or priority changes), from the same window:
 * per week the issues received, first responses and resolutions (count, median, p90 minutes), the
 * open backlog and its oldest issue, requests unanswered past 120 minutes, recommendations made,
 * decided and pending, calls held and missed, direct requests and downtime hours.
 */
export async function rawSqlFigures(
  store: Store,
  partnershipId: string,
  now: Date,
  weekOf?: Date,
): Promise<unknown[]> {
  const p = await store.db
    .selectFrom("partnerships")
    .select("settings")
    .where("id", "=", partnershipId)
    .executeTakeFirstOrThrow();
  const tz = (p.settings as { timezone: string }).timezone;
  const last = weekOf
    ? lastCompleteWeek(new Date(weekOf.getTime() + 7 * 86_400_000), tz)
    : lastCompleteWeek(now, tz);
  const weeks = previousWeeks(last, TREND_WEEKS, tz);
  const from = weeks[0]!.start;
  const starts = weeks.map((w) => w.start.toISOString());
  const ends = weeks.map((w) => w.end.toISOString());
  const { rows } = await sql`
    with w as (
      select * from unnest(${starts}::timestamptz[], ${ends}::timestamptz[]) as w(ws, we)
    ), subjects as (
      select subject_id from events where partnership_id = ${partnershipId} and occurred_at >= ${from}
      union
      select id from issues where partnership_id = ${partnershipId} and status <> 'resolved'
      union
      select id from recommendations where partnership_id = ${partnershipId} and status = 'pending'
    ), ev as (
      select e.type, e.subject_id, e.occurred_at, e.actor_side, e.payload
      from events e join subjects s on s.subject_id = e.subject_id
      where e.partnership_id = ${partnershipId}
      union all
      select type, subject_id, occurred_at, actor_side, payload from events
      where partnership_id = ${partnershipId} and occurred_at >= ${from} and subject_id is null
    ), iss as (
      select subject_id,
        min(occurred_at) filter (where type = 'issue.reported') as reported,
        bool_or(type = 'issue.reported' and actor_side is distinct from 'provider') as by_client,
        min(occurred_at) filter (where type in ('issue.responded', 'issue.waiting_on_client', 'issue.resolved')
          and actor_side is distinct from 'client') as answered,
        max(occurred_at) filter (where type = 'issue.resolved') as resolved
      from ev where type like 'issue.%' group by subject_id
    ), recs as (
      select subject_id,
        min(occurred_at) filter (where type = 'recommendation.made') as made,
        max(occurred_at) filter (where type <> 'recommendation.made') as decided,
        (array_agg(type order by occurred_at desc))[1] as last_type
      from ev where type like 'recommendation.%' group by subject_id
    )
    select w.ws,
      (select count(*) from iss where reported >= ws and reported < we and by_client) as received,
      (select array[count(*), percentile_disc(0.5) within group (order by m), percentile_disc(0.9) within group (order by m)]
         from (select extract(epoch from answered - reported) / 60 as m from iss where answered >= ws and answered < we) a) as first_response,
      (select array[count(*), percentile_disc(0.5) within group (order by m), percentile_disc(0.9) within group (order by m)]
         from (select extract(epoch from resolved - reported) / 60 as m from iss where resolved >= ws and resolved < we) r) as resolution,
      (select array[count(*), max(extract(epoch from we - reported) / 60)] from iss
         where reported < we and (resolved is null or resolved >= we)) as backlog,
      (select count(*) from iss where reported < we and (answered is null or answered >= we)
         and (resolved is null or resolved >= we) and we - reported > interval '120 minutes') as unanswered,
      (select count(*) from recs where made >= ws and made < we) as recommended,
      (select count(*) from recs where decided >= ws and decided < we) as decided,
      (select count(*) from recs where made < we and (decided is null or decided >= we)) as pending,
      (select count(*) filter (where type = 'call.held') from ev
         where type like 'call.%' and (payload->>'scheduledAt')::timestamptz >= ws and (payload->>'scheduledAt')::timestamptz < we) as held,
      (select count(*) filter (where type = 'call.missed') from ev
         where type like 'call.%' and (payload->>'scheduledAt')::timestamptz >= ws and (payload->>'scheduledAt')::timestamptz < we) as missed,
      (select count(*) from ev where type = 'request.direct' and occurred_at >= ws and occurred_at < we) as direct,
      (select sum(extract(epoch from least(coalesce(d.ended_at, we), we) - greatest(d.started_at, ws))) / 3600
         from downtimes d where d.partnership_id = ${partnershipId} and d.started_at < we and coalesce(d.ended_at, we) > ws) as downtime_hours
    from w order by w.ws
  `.execute(store.db);
  return rows;
}
