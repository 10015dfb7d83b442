import { calendarOf } from "./business-time.ts";
import { replayTimeline } from "./issue-timeline.ts";
import { clientMetrics } from "./metrics-client.ts";
import { inWeek, providerMetrics } from "./metrics-provider.ts";
import type { MetricsContext, SharedMetrics, WeekMetrics, WeekMetricsInput } from "./metrics-types.ts";

export type * from "./metrics-types.ts";
export { percentile, distributionOf } from "./metrics-percentile.ts";

const MS_PER_HOUR = 3_600_000;

function sharedMetrics(ctx: MetricsContext): SharedMetrics {
  const start = ctx.week.start.getTime();
  const end = Math.min(ctx.week.end.getTime(), ctx.cutoff.getTime());
  let ms = 0;
  let incidents = 0;
  for (const d of ctx.timeline.downtimes) {
    const s = Math.max(d.startedAt.getTime(), start);
    const e = Math.min((d.endedAt ?? ctx.cutoff).getTime(), end);
    if (e <= s) continue;
    ms += e - s;
    incidents++;
  }
  // Real elapsed hours: an outage does not pause outside working hours or jump with DST.
  const downtimeHours = ms / MS_PER_HOUR;
  return {
    downtimeHours,
    downtimeIncidents: incidents,
    downtimeCost: {
      amount: downtimeHours * ctx.partnership.downtimeCostPerHour,
      currency: ctx.partnership.currency,
    },
  };
}

/**
 * Every figure of "What is measured" for one week of one partnership. The ledger is replayed as
 * of min(now, week end), so a week still running shows breaches that have already happened.
 */
export function weekMetrics({ partnership, events, week, now }: WeekMetricsInput): WeekMetrics {
  const cutoff = now < week.end ? now : week.end;
  const ctx: MetricsContext = {
    partnership,
    calendar: calendarOf(partnership),
    week,
    cutoff,
    timeline: replayTimeline(events, cutoff),
  };
  const shared = sharedMetrics(ctx);
  const activity = ctx.timeline.events.filter((e) => inWeek(ctx, e.occurredAt)).length;
  return {
    week,
    cutoff,
    complete: now >= week.end,
    activity,
    quiet: activity === 0 && shared.downtimeHours === 0,
    provider: providerMetrics(ctx),
    client: clientMetrics(ctx),
    shared,
  };
}
