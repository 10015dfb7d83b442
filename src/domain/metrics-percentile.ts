import type { Distribution } from "./metrics-types.ts";

/**
 * The p-th percentile (0 < p ≤ 100) by nearest rank: the smallest value with at least p % of the
 * values at or below it, always one of the values (no interpolation); null for no values.
 * The median is the 50th percentile, so of two values it is the lower one.
 */
export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1] ?? null;
}

/** Count, median and p90 of `values` by nearest rank. */
export function distributionOf(values: readonly number[]): Distribution {
  return { count: values.length, median: percentile(values, 50), p90: percentile(values, 90) };
}

/** a ÷ b, or null when b is 0 (no data rather than a made-up 0 % or 100 %). */
export function ratio(a: number, b: number): number | null {
  return b === 0 ? null : a / b;
}
