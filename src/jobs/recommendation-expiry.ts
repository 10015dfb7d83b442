import { expiredRecommendations } from "../domain/nudges.ts";
import { calendarOf, nextWorkingInstant } from "../domain/business-time.ts";
import type { Partnership } from "../domain/partnership.ts";
import type { Recommendation } from "../domain/records.ts";
import { noticeDocument, RISK_LABELS, type CardDocument } from "../domain/card.ts";
import { formatDay } from "../domain/figure-format.ts";
import type { Core } from "../services/core.ts";
import type { JobStores } from "../store/job-stores.ts";
import {
  describeError,
  jobResult,
  perPartnership,
  unusablePartnerships,
  type JobResult,
  type TargetResult,
} from "./job-result.ts";
import { recommendationNudgeDocument } from "../domain/card-nudges.ts";
import { enqueueAll, leadsOf, type JobRunOptions } from "./recipients.ts";

/** The source id of the `recommendation.ignored` the expiry writes: one per recommendation, ever. */
export function expirySourceId(recommendationId: string): string {
  return `expiry:${recommendationId}`;
}

/**
 * Recommendation expiry: a pending recommendation whose decide-by day is over is recorded as
 * `recommendation.ignored` (rapport's own event, actor null, at the end of that day), and the
 * client lead(s) are told, at the partnership's next working minute, with the decision buttons,
 * when that day ended within the nudge window (older ones are recorded without a nudge).
 * Period `rec:<id>`.
 */
export async function recommendationExpiry(
  core: Core,
  stores: JobStores,
  now = core.clock.now(),
  options: JobRunOptions = {},
): Promise<JobResult> {
  const targets: TargetResult[] = [];
  try {
    for (const p of await core.partnerships.list()) {
      targets.push(
        ...(await perPartnership(p.id, "*", () => expirePartnership(core, stores, p, now, options))),
      );
    }
    targets.push(...(await unusablePartnerships(core.partnerships)));
  } catch (e) {
    targets.push({
      partnershipId: "*",
      period: "*",
      target: "*",
      outcome: "error",
      detail: describeError(e),
    });
  }
  return jobResult("recommendation-expiry", targets);
}

async function expirePartnership(
  core: Core,
  stores: JobStores,
  p: Partnership,
  now: Date,
  options: JobRunOptions,
): Promise<TargetResult[]> {
  const candidates = [
    ...(await core.records.recommendations(p.id, { status: "pending" })),
    ...(await core.records.recommendations(p.id, { status: "ignored" })),
  ];
  const results: TargetResult[] = [];
  for (const { recommendation: r, ignoredAt, news } of expiredRecommendations(p.timezone, candidates, now)) {
    const period = `rec:${r.id}`;
    const base = { partnershipId: p.id, period, target: "ledger" };
    if (r.status === "pending" && options.dryRun) {
      results.push({ ...base, outcome: "would_record", summary: `"${r.title}" counts as ignored` });
    } else if (r.status === "pending" && (await recordIgnored(core, p, r, ignoredAt))) {
      results.push({ ...base, outcome: "recorded" });
    }
    if (!news) continue;
    // Nudged only when the ignored event is ours: a decision that won the race is no news.
    const ours =
      (options.dryRun && r.status === "pending") ||
      (await core.ledger.findBySource(p.id, { platform: "system", id: expirySourceId(r.id) }));
    if (!ours) continue;
    const delivery = {
      job: "recommendation-expiry" as const,
      period,
      partnershipId: p.id,
      ...(await leadsOf(core, p.id, "client")),
      message: recommendationNudgeDocument(expiryMessage(p, r), r),
      notBefore: nextWorkingInstant(calendarOf(p), now),
    };
    results.push(...(await enqueueAll(stores, delivery, now, options)));
  }
  return results;
}

/** Appends rapport's own `recommendation.ignored`; true when this call recorded it. */
async function recordIgnored(core: Core, p: Partnership, r: Recommendation, at: Date): Promise<boolean> {
  const { created } = await core.ledger.append({
    type: "recommendation.ignored",
    partnershipId: p.id,
    actor: null,
    occurredAt: at,
    // One source per recommendation: two replicas (or a rerun) record it once.
    source: { platform: "system", id: expirySourceId(r.id) },
    payload: { recommendationId: r.id, decideBy: r.decideBy },
  });
  return created;
}

/** The client lead's note: which recommendation, its risk, and that it is now on record as ignored. */
export function expiryMessage(p: Partnership, r: Recommendation): CardDocument {
  return noticeDocument(
    `A recommendation passed its decide-by date: ${r.title}`,
    `${p.providerOrg} recommended "${r.title}" (${r.risk} risk) and asked for a decision by ${formatDay(r.decideBy)}. ` +
      "No decision was recorded, so it now counts as ignored. You can still accept it, decline it or accept the risk.",
    [
      { label: "Recommendation", value: r.title },
      { label: "Risk if not done", value: RISK_LABELS[r.risk] },
      { label: "Decide by", value: formatDay(r.decideBy) },
    ],
  );
}
