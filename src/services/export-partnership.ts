import type { LedgerEvent } from "../domain/events.ts";
import type { Partnership } from "../domain/partnership.ts";
import type { Call, Downtime, Issue, Recommendation } from "../domain/records.ts";
import type { ChannelLink, Member } from "../store/partnerships.ts";
import type { Core } from "./core.ts";

/** A partnership's whole record: the evidence pack a client takes along when it changes providers. */
export interface PartnershipExport {
  exportedAt: Date;
  partnership: Partnership;
  members: Member[];
  channels: ChannelLink[];
  events: LedgerEvent[];
  issues: Issue[];
  recommendations: Recommendation[];
  calls: Call[];
  downtimes: Downtime[];
}

/** Reads everything rapport holds about one partnership. */
export async function exportPartnership(core: Core, partnershipId: string): Promise<PartnershipExport> {
  const partnership = await core.partnerships.get(partnershipId);
  const [members, channels, events, issues, recommendations, calls, downtimes] = await Promise.all([
    core.partnerships.members(partnershipId),
    core.partnerships.channels(partnershipId),
    core.ledger.events(partnershipId),
    core.records.issues(partnershipId),
    core.records.recommendations(partnershipId),
    core.records.calls(partnershipId),
    core.records.downtimes(partnershipId),
  ]);
  return {
    exportedAt: core.clock.now(),
    partnership,
    members,
    channels,
    events,
    issues,
    recommendations,
    calls,
    downtimes,
  };
}
