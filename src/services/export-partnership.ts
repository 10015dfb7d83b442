import type { LedgerEvent } from "../domain/events.ts";
import type { Partnership } from "../domain/partnership.ts";
import type { Call, Downtime, Issue, Recommendation } from "../domain/records.ts";
import type { ChannelLink, Member } from "../store/partnerships.ts";
import { RapportError } from "../domain/errors.ts";
import type { PlatformUser } from "../domain/vocabulary.ts";
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

/**
 * The export for a person in chat: admins and leads of either side may take the record (the
 * client needs it most when it changes providers); others are told whom to ask.
 */
export async function exportPartnershipFor(
  core: Core,
  partnershipId: string,
  by: PlatformUser,
): Promise<PartnershipExport> {
  const member = await core.partnerships.findMember(partnershipId, by.platform, by.workspaceId, by.userId);
  if (!member || (member.role !== "admin" && member.role !== "lead")) {
    throw new RapportError(
      "forbidden",
      "Only an admin or lead of this partnership can export its record. Ask one of them.",
    );
  }
  return exportPartnership(core, partnershipId);
}
