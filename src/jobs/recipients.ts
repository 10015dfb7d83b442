import type { Side } from "../domain/vocabulary.ts";
import type { CardDocument } from "../domain/card.ts";
import type { Destination } from "../ports.ts";
import type { Core } from "../services/core.ts";
import type { JobStores } from "../store/job-stores.ts";
import { targetKey } from "../store/outbox.ts";
import type { JobName, TargetResult } from "./job-result.ts";

/** The leads of one side of a partnership, as direct-message destinations. */
export async function leadsOf(core: Core, partnershipId: string, side: Side): Promise<Destination[]> {
  const leads = await core.partnerships.members(partnershipId, { side, role: "lead" });
  return leads.map((m) => ({
    kind: "person",
    platform: m.platform,
    workspaceId: m.workspaceId,
    userId: m.userId,
  }));
}

/** What to queue: one message for some destinations, under one job, period and partnership. */
export interface Delivery {
  job: JobName;
  period: string;
  partnershipId: string;
  destinations: readonly Destination[];
  message: CardDocument;
  notBefore?: Date;
}

/** Queues one row per destination (a row already there is left alone); a result per destination. */
export async function enqueueAll(stores: JobStores, d: Delivery, now: Date): Promise<TargetResult[]> {
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
    const queued = await stores.outbox.enqueue(
      d.notBefore ? { ...entry, notBefore: d.notBefore } : entry,
      now,
    );
    results.push({ ...base, target: targetKey(destination), outcome: queued ? "queued" : "already_queued" });
  }
  return results;
}
