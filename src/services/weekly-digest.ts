import { createHash } from "node:crypto";
import { buildDigest, type Digest } from "../domain/digest.ts";
import { trendMetrics, type WeekMetrics } from "../domain/metrics.ts";
import type { Partnership } from "../domain/partnership.ts";
import type { SettingsHistory } from "../domain/settings-history.ts";
import { lastCompleteWeek, previousWeeks, weekContaining, type Week } from "../domain/week.ts";
import { RapportError } from "../domain/errors.ts";
import type { Core } from "./core.ts";

/** How many weeks the trend covers, this week included. */
export const TREND_WEEKS = 8;

/**
 * The version of the rules the figures are computed with: raised whenever a change to the
 * metrics code changes what an ended week's figures are, so figures kept by older code are
 * computed again.
 */
export const FIGURES_VERSION = 1;

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
 *
 * It costs what its window holds: the figures of ended weeks computed before (and not changed by
 * an event since) are reused; the other weeks are computed from one read of the ledger from the
 * first of them to the last one's cut-off (with the items still open then) and one replay of it,
 * and kept once the digest is answered (`WeekFiguresStore.keepLater`).
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
  const [settingsHistory, first] = await Promise.all([
    core.partnerships.settingsHistory(partnership.id),
    core.figures.firstRecordedAt(partnership.id),
  ]);
  // Weeks before the partnership had any record would score a perfect, meaningless 100: the trend
  // starts with its first week (this week is always there).
  const since = first && first < partnership.createdAt ? first : partnership.createdAt;
  const weeks = previousWeeks(week, TREND_WEEKS, partnership.timezone).filter(
    (w) => w.end > since || w.label === week.label,
  );
  const fingerprint = figuresFingerprint(partnership, settingsHistory);
  const kept = await core.figures.kept(
    partnership.id,
    weeks.filter((w) => w.end <= now).map((w) => w.start),
    fingerprint,
    week.start,
  );
  const missing = weeks.filter((w) => !kept.has(w.start.getTime()));
  const last = missing[missing.length - 1];
  const window =
    missing[0] && last
      ? await core.figures.window(partnership.id, missing[0].start, last.end < now ? last.end : now)
      : null;
  const computed = window
    ? trendMetrics({ partnership, events: window.events, weeks: missing, now, settingsHistory })
    : [];
  if (window && computed.some((m) => m.complete)) {
    core.figures.keepLater(partnership.id, computed, fingerprint, window.watermark, week.start);
  }
  const byStart = new Map([...kept, ...computed.map((m) => [m.week.start.getTime(), m] as const)]);
  const trend = weeks.map((w) => byStart.get(w.start.getTime())!);
  const metrics = trend[trend.length - 1]!;
  return { digest: buildDigest(partnership, metrics, trend), metrics, week };
}

/** What an ended week's figures depend on besides the ledger: the rules, the timezone and every settings version. */
export function figuresFingerprint(partnership: Partnership, history: SettingsHistory): string {
  return createHash("sha256")
    .update(JSON.stringify([FIGURES_VERSION, partnership.timezone, partnership, history]))
    .digest("base64url");
}
