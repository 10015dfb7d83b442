import {
  clientSection,
  providerSection,
  quietSection,
  sharedSection,
  type DigestSection,
} from "./digest-sections.ts";
import { healthScores, topActions, trend } from "./health.ts";
import type { WeekMetrics } from "./metrics-types.ts";
import type { Partnership } from "./partnership.ts";

export type { DigestFact, DigestSection, FactStatus } from "./digest-sections.ts";

/**
 * The weekly digest as a platform-free document: every value already formatted, aggregates only
 * (no person is ever named), rendered by each adapter and by `renderDigestText`.
 */
export interface Digest {
  title: string;
  partnershipName: string;
  /** The week: start inclusive, end exclusive; label names its first and last day. */
  period: { start: Date; end: Date; label: string };
  sections: DigestSection[];
  scores: { provider: number; client: number };
  /** Scores over the trend weeks, oldest first, with one sparkline character per week. */
  trend: {
    labels: string[];
    provider: number[];
    client: number[];
    sparkline: { provider: string; client: string };
  };
  actions: string[];
  /** A week with no activity: the digest is short. */
  quiet: boolean;
}

const BARS = "▁▂▃▄▅▆▇█";

/** One bar per 0–100 score on a fixed scale (▁ below 12.5 … █ from 87.5), so weeks compare across digests. */
export function sparkline(scores: readonly number[]): string {
  return scores
    .map((s) => BARS[Math.min(BARS.length - 1, Math.max(0, Math.floor((s / 100) * BARS.length)))] ?? "▁")
    .join("");
}

function periodOf(m: WeekMetrics): Digest["period"] {
  // Monday's local date to Sunday's: calendar days, whatever the zone's clocks do that week.
  const sunday = new Date(Date.parse(`${m.week.label}T00:00:00Z`) + 6 * 86_400_000)
    .toISOString()
    .slice(0, 10);
  return { start: m.week.start, end: m.week.end, label: `${m.week.label} to ${sunday}` };
}

/**
 * The digest of `metrics`' week. `trendMetrics` are the trend weeks oldest first (normally eight,
 * ending with this week); this week is appended when they do not end with it.
 */
export function buildDigest(
  partnership: Partnership,
  metrics: WeekMetrics,
  trendMetrics: readonly WeekMetrics[],
): Digest {
  const weeks =
    trendMetrics[trendMetrics.length - 1]?.week.label === metrics.week.label
      ? trendMetrics
      : [...trendMetrics, metrics];
  const series = trend(weeks);
  const scores = healthScores(metrics);
  const sections = metrics.quiet
    ? [quietSection(metrics)]
    : [providerSection(metrics, partnership), clientSection(metrics, partnership), sharedSection(metrics)];
  return {
    // A week still running says so: its figures will change before it ends.
    title: `Weekly digest: ${partnership.name}, week of ${metrics.week.label}${metrics.complete ? "" : " (so far)"}`,
    partnershipName: partnership.name,
    period: periodOf(metrics),
    sections,
    scores: { provider: scores.provider.score, client: scores.client.score },
    trend: {
      ...series,
      sparkline: { provider: sparkline(series.provider), client: sparkline(series.client) },
    },
    actions: topActions(metrics).map((a) => a.text),
    quiet: metrics.quiet,
  };
}
