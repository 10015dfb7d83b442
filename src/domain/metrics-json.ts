import type { WeekMetrics } from "./metrics-types.ts";

/** A week's figures as JSON text, to keep: `weekMetricsFromJson` gives back an equal value. */
export function weekMetricsToJson(m: WeekMetrics): string {
  return JSON.stringify(m);
}

/** The figures `weekMetricsToJson` wrote, with their instants as dates again. */
export function weekMetricsFromJson(text: string): WeekMetrics {
  const m = JSON.parse(text) as WeekMetrics;
  m.week.start = new Date(m.week.start);
  m.week.end = new Date(m.week.end);
  m.cutoff = new Date(m.cutoff);
  for (const o of m.outcomes) o.decidedAt = new Date(o.decidedAt);
  return m;
}

/**
 * The figures a trend week needs, as JSON text: everything but the SLA outcomes and the items
 * behind each figure, except the two lists the scores are computed from (reporting and waiting).
 */
export function weekSummaryToJson(m: WeekMetrics): string {
  const { reporting, waiting } = m.trace;
  return JSON.stringify({
    ...m,
    outcomes: [],
    trace: { ...(reporting ? { reporting } : {}), ...(waiting ? { waiting } : {}) },
  });
}
