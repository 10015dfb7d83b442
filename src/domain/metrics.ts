import { calendarOf, dayMillisBetween } from "./business-time.ts";
import { TimelineReplay, worldTime, type IssueFacts, type Timeline } from "./issue-timeline.ts";
import { clientMetrics } from "./metrics-client.ts";
import { inWeek, providerMetrics, slaOutcomes } from "./metrics-provider.ts";
import type {
  MetricsContext,
  SharedMetrics,
  TraceItem,
  WeekMetrics,
  WeekMetricsInput,
} from "./metrics-types.ts";
import type { Partnership } from "./partnership.ts";
import { constantHistory, settingsAt, type SettingsHistory } from "./settings-history.ts";
import type { Week } from "./week.ts";

export type * from "./metrics-types.ts";
export { percentile, distributionOf } from "./metrics-percentile.ts";

const MS_PER_HOUR = 3_600_000;

function sharedMetrics(ctx: MetricsContext): { metrics: SharedMetrics; trace: Record<string, TraceItem[]> } {
  const start = ctx.week.start.getTime();
  const end = Math.min(ctx.week.end.getTime(), ctx.cutoff.getTime());
  let ms = 0;
  const items: TraceItem[] = [];
  for (const d of ctx.timeline.downtimes) {
    const s = Math.max(d.startedAt.getTime(), start);
    const e = Math.min((d.endedAt ?? ctx.cutoff).getTime(), end);
    if (e <= s) continue;
    // Every local day counts 24 h: an outage neither pauses outside working hours nor jumps with DST.
    const part = dayMillisBetween(ctx.partnership.timezone, new Date(s), new Date(e));
    ms += part;
    items.push({ kind: "downtime", ref: d.downtimeId, minutes: part / 60_000, detail: d.service });
  }
  const downtimeHours = ms / MS_PER_HOUR;
  return {
    metrics: {
      downtimeHours,
      downtimeIncidents: items.length,
      downtimeCost: {
        amount: downtimeHours * ctx.partnership.downtimeCostPerHour,
        currency: ctx.partnership.currency,
      },
    },
    trace: { downtime: items },
  };
}

/**
 * Every figure of "What is measured" for one week of one partnership (docs/METRICS.md). The
 * ledger is replayed as of min(now, week end), so a week still running shows breaches that have
 * already happened; each minute is measured under the settings in force while it passed, and the
 * thresholds and cost are those in force at the cut-off.
 */
export function weekMetrics({
  partnership,
  events,
  week,
  now,
  settingsHistory,
}: WeekMetricsInput): WeekMetrics {
  return trendMetrics({ partnership, events, weeks: [week], now, settingsHistory })[0]!;
}

/**
 * `weekMetrics` of each of `weeks` (oldest first), from one replay of `events`: the replay stops
 * at each week's cut-off in turn, so the events are applied once whatever the number of weeks.
 * The same figures as `weekMetrics` week by week.
 */
export function trendMetrics({
  partnership,
  events,
  weeks,
  now,
  settingsHistory,
}: Omit<WeekMetricsInput, "week"> & { weeks: readonly Week[] }): WeekMetrics[] {
  const history = settingsHistory?.length ? settingsHistory : constantHistory(partnership);
  const replay = new TimelineReplay(events);
  return weeks.map((week) => {
    const cutoff = now < week.end ? now : week.end;
    return metricsAt(partnership, history, week, now, replay.advanceTo(cutoff));
  });
}

/**
 * An issue reported, answered and resolved before `start` (and not reopened since): it counts in
 * no figure of the week from `start` (no outcome, response, resolution, wait, backlog or report
 * falls in it), so the week's passes over the issues skip it. Its key stays known (`issueKey`).
 */
function settledBefore(i: IssueFacts, start: Date): boolean {
  const t = start.getTime();
  return (
    i.status === "resolved" &&
    i.resolvedAt !== null &&
    i.resolvedAt.getTime() < t &&
    i.firstResponseAt !== null &&
    i.firstResponseAt.getTime() < t &&
    i.reportedAt.getTime() < t &&
    i.waiting.every((w) => w.end !== null && w.end.getTime() < t)
  );
}

function metricsAt(
  partnership: Partnership,
  history: SettingsHistory,
  week: Week,
  now: Date,
  timeline: Timeline,
): WeekMetrics {
  const cutoff = timeline.cutoff;
  // The week's own boundaries stay in the partnership's current timezone: weeks never overlap.
  const current = { ...partnership, ...settingsAt(history, cutoff), timezone: partnership.timezone };
  let keys: Map<string, string> | null = null;
  const ctx: MetricsContext = {
    partnership: current,
    history,
    calendar: calendarOf(current),
    week,
    cutoff,
    timeline: { ...timeline, issues: timeline.issues.filter((i) => !settledBefore(i, week.start)) },
    issueKey: (id) => (keys ??= new Map(timeline.issues.map((i) => [i.issueId, i.key]))).get(id),
  };
  const shared = sharedMetrics(ctx);
  const outcomes = slaOutcomes(ctx);
  const provider = providerMetrics(ctx, outcomes);
  const client = clientMetrics(ctx);
  // The events replayed are in order of occurrence: the week's are the last ones, up to its start.
  let activity = 0;
  const replayed = ctx.timeline.events;
  for (let k = replayed.length - 1; k >= 0; k--) {
    const at = worldTime(replayed[k]!);
    if (at < week.start) break;
    if (inWeek(ctx, at)) activity++;
  }
  return {
    week,
    cutoff,
    complete: now >= week.end,
    activity,
    quiet: activity === 0 && shared.metrics.downtimeHours === 0,
    provider: provider.metrics,
    client: client.metrics,
    shared: shared.metrics,
    outcomes,
    trace: { ...provider.trace, ...client.trace, ...shared.trace },
    settings: {
      nudge: current.nudge,
      downtimeCostPerHour: current.downtimeCostPerHour,
      currency: current.currency,
    },
  };
}
