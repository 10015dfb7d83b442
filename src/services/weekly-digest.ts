import { buildDigest, type Digest } from "../domain/digest.ts";
import { weekMetrics, type WeekMetrics } from "../domain/metrics.ts";
import { lastCompleteWeek, previousWeeks, weekContaining, type Week } from "../domain/week.ts";
import { RapportError } from "../domain/errors.ts";
import type { Core } from "./core.ts";

/** How many weeks the trend covers, this week included. */
export const TREND_WEEKS = 8;

/** A week's digest with the metrics it was built from. */
export interface WeeklyDigest {
  digest: Digest;
  metrics: WeekMetrics;
  week: Week;
}

/**
 * Builds the two-sided digest of the week holding `weekOf` (default: the last complete week in
 * the partnership's timezone), with its 8-week trend. The posted digest and `rapport digest`
 * both come from here.
 */
export async function weeklyDigest(core: Core, partnershipId: string, weekOf?: Date): Promise<WeeklyDigest> {
  const partnership = await core.partnerships.get(partnershipId);
  const now = core.clock.now();
  const week = weekOf
    ? weekContaining(weekOf, partnership.timezone)
    : lastCompleteWeek(now, partnership.timezone);
  if (week.start > now) {
    throw new RapportError(
      "invalid_input",
      `The week of ${week.label} has not started yet; pick this week or an earlier one.`,
    );
  }
  // One read of the ledger serves all eight weeks: each computation cuts it off at its own week.
  // Not cut at the week's end: a call logged on Monday about Friday's call belongs to Friday's week.
  const [events, settingsHistory] = await Promise.all([
    core.ledger.events(partnership.id),
    core.partnerships.settingsHistory(partnership.id),
  ]);
  // Weeks before the partnership had any record would score a perfect, meaningless 100: the trend
  // starts with its first week (this week is always there).
  const since =
    events[0] && events[0].occurredAt < partnership.createdAt ? events[0].occurredAt : partnership.createdAt;
  const trend = previousWeeks(week, TREND_WEEKS, partnership.timezone)
    .filter((w) => w.end > since || w.label === week.label)
    .map((w) => weekMetrics({ partnership, events, week: w, now, settingsHistory }));
  const metrics = trend[trend.length - 1]!;
  return { digest: buildDigest(partnership, metrics, trend), metrics, week };
}
