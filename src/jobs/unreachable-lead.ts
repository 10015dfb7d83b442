import { unreachableLeadDocument } from "../domain/card-nudges.ts";
import type { Destination } from "../ports.ts";
import type { Core } from "../services/core.ts";
import type { OutboxItem } from "../store/outbox.ts";
import type { JobName } from "./job-result.ts";
import type { JobDelivery } from "./outbox-sender.ts";

/** The outbox job of the admins' note about a lead rapport cannot reach. */
export const UNREACHABLE_JOB = "lead-unreachable";

/** The jobs whose rows are personal nudges to a partnership's leads. */
const NUDGE_JOBS: readonly JobName[] = ["sla-watch", "recommendation-expiry"];

/**
 * What happens when a personal nudge cannot be delivered for good: the partnership's admins are
 * told, once per lead (period `lead:<target>`), in the linked channels on the lead's platform
 * (or every linked channel when none is there), which lead misses nudges and what to do.
 */
export function nudgeDeliveries(core: Core): Record<string, JobDelivery> {
  const failed = (item: OutboxItem, reason: string) => tellAdmins(core, item, reason);
  return Object.fromEntries(NUDGE_JOBS.map((job) => [job, { failed }]));
}

async function tellAdmins(core: Core, item: OutboxItem, reason: string): Promise<void> {
  const to = item.destination;
  if (to.kind !== "person") return;
  const partnership = await core.partnerships.find(item.partnershipId);
  if (!partnership) return;
  const member = await core.partnerships.findMember(partnership.id, to.platform, to.workspaceId, to.userId);
  const links = await core.partnerships.channels(partnership.id);
  const samePlatform = links.filter((l) => l.platform === to.platform);
  const channels: Destination[] = (samePlatform.length > 0 ? samePlatform : links).map((l) => ({
    kind: "channel",
    platform: l.platform,
    workspaceId: l.workspaceId,
    channelId: l.channelId,
  }));
  const message = unreachableLeadDocument({
    name: member?.displayName ?? to.userId,
    platform: to.platform,
    side: member?.side ?? "provider",
    partnershipName: partnership.name,
    reason,
  });
  const now = core.clock.now();
  for (const destination of channels) {
    const entry = { job: UNREACHABLE_JOB, period: `lead:${item.target}`, destination, message };
    await core.outbox.enqueue({ ...entry, partnershipId: partnership.id }, now);
  }
}
