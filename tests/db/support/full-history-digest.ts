import { buildDigest } from "../../../src/domain/digest.ts";
import { weekMetrics } from "../../../src/domain/metrics.ts";
import { lastCompleteWeek, previousWeeks, weekContaining } from "../../../src/domain/week.ts";
import type { Core } from "../../../src/services/core.ts";
import { TREND_WEEKS, type WeeklyDigest } from "../../../src/services/weekly-digest.ts";

/**
 * The digest computed the plain way, as `weeklyDigest` did before it read windows and kept weeks:
 * every event of the partnership read, and the whole ledger replayed for each trend week. What
 * the windowed, kept digest must always equal.
 */
export async function fullHistoryDigest(
  core: Core,
  partnershipId: string,
  weekOf?: Date,
): Promise<WeeklyDigest> {
  const partnership = await core.partnerships.get(partnershipId);
  const now = core.clock.now();
  const week = weekOf
    ? weekContaining(weekOf, partnership.timezone)
    : lastCompleteWeek(now, partnership.timezone);
  const events = await core.ledger.events(partnership.id);
  const settingsHistory = await core.partnerships.settingsHistory(partnership.id);
  const since =
    events[0] && events[0].occurredAt < partnership.createdAt ? events[0].occurredAt : partnership.createdAt;
  const trend = previousWeeks(week, TREND_WEEKS, partnership.timezone)
    .filter((w) => w.end > since || w.label === week.label)
    .map((w) => weekMetrics({ partnership, events, week: w, now, settingsHistory }));
  const metrics = trend[trend.length - 1]!;
  return { digest: buildDigest(partnership, metrics, trend), metrics, week };
}
