import type { Side } from "../domain/vocabulary.ts";
import type { CardDocument } from "../domain/card.ts";
import type { Destination } from "../ports.ts";
import type { Core } from "../services/core.ts";
import type { JobStores } from "../store/job-stores.ts";
import { targetKey } from "../store/outbox.ts";
import type { JobName, TargetResult } from "./job-result.ts";

/** How a job runs: for real, or as a dry run that says what it would queue and records nothing. */
export interface JobRunOptions {
  dryRun?: boolean;
}

/** The leads of one side of a partnership, as direct-message destinations, with their names by target. */
export async function leadsOf(
  core: Core,
  partnershipId: string,
  side: Side,
): Promise<{ destinations: Destination[]; names: Map<string, string> }> {
  const leads = await core.partnerships.members(partnershipId, { side, role: "lead" });
  const destinations: Destination[] = [];
  const names = new Map<string, string>();
  for (const m of leads) {
    const d: Destination = {
      kind: "person",
      platform: m.platform,
      workspaceId: m.workspaceId,
      userId: m.userId,
    };
    destinations.push(d);
    if (m.displayName) names.set(targetKey(d), m.displayName);
  }
  return { destinations, names };
}

/** What to queue: one message for some destinations, under one job, period and partnership. */
export interface Delivery {
  job: JobName;
  period: string;
  partnershipId: string;
  destinations: readonly Destination[];
  message: CardDocument;
  notBefore?: Date;
  /** Who each target is (by target key), for a dry run's listing. */
  names?: ReadonlyMap<string, string>;
}

/**
 * Queues one row per destination (a row already there is left alone); a result per destination.
 * A dry run only says which rows it would queue.
 */
export async function enqueueAll(
  stores: JobStores,
  d: Delivery,
  now: Date,
  options: JobRunOptions = {},
): Promise<TargetResult[]> {
  const base = { partnershipId: d.partnershipId, period: d.period };
  if (d.destinations.length === 0) {
    return [{ ...base, target: "*", outcome: "no_recipient", detail: "nobody to send it to" }];
  }
  const results: TargetResult[] = [];
  for (const destination of d.destinations) {
    const entry = {
      job: d.job,
      period: d.period,
      partnershipId: d.partnershipId,
      destination,
      message: d.message,
    };
    const target = targetKey(destination);
    if (options.dryRun) {
      const queued = await stores.outbox.isQueued(entry);
      const name = d.names?.get(target);
      results.push({
        ...base,
        target,
        job: d.job,
        outcome: queued ? "already_queued" : "would_queue",
        summary: d.message.summary,
        ...(name ? { detail: name } : {}),
      });
      continue;
    }
    const queued = await stores.outbox.enqueue(
      d.notBefore ? { ...entry, notBefore: d.notBefore } : entry,
      now,
    );
    results.push({ ...base, target, outcome: queued ? "queued" : "already_queued" });
  }
  return results;
}
