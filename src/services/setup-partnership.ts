import { RapportError } from "../domain/errors.ts";
import { keepUnshownHolidays } from "../domain/settings-text.ts";
import type { Partnership, PartnershipSettings } from "../domain/partnership.ts";
import type { ChannelPurpose, Platform, Role, Side } from "../domain/vocabulary.ts";
import type { ChannelLink, Member, NewPartnership } from "../store/partnerships.ts";
import type { Core } from "./core.ts";

// The operator's set-up, at the `rapport` command line (and for demo data and tests): trusted, one
// step at a time. People in chat set up through `setUp` (set-up.ts), which checks who may do what.

/** Creates a partnership. */
export async function createPartnership(core: Core, input: NewPartnership): Promise<Partnership> {
  for (const [field, value] of [
    ["name", input.name],
    ["provider", input.providerOrg],
    ["client", input.clientOrg],
  ] as const) {
    if (!value.trim())
      throw new RapportError("invalid_input", `The partnership's ${field} name must not be empty.`);
  }
  return core.partnerships.create({
    ...input,
    name: input.name.trim(),
    providerOrg: input.providerOrg.trim(),
    clientOrg: input.clientOrg.trim(),
  });
}

/** Changes settings (timezone, hours, SLA targets, digest schedule, …) of a partnership. */
export async function configurePartnership(
  core: Core,
  partnershipId: string,
  change: Partial<PartnershipSettings> & {
    providerWorkspaceIds?: string[];
    /**
     * A form short of room showed only the holidays from this date on: the older ones it left
     * out are kept, not deleted.
     */
    holidaysShownFrom?: string | null;
  },
): Promise<Partnership> {
  const { holidaysShownFrom, ...settingsChange } = change;
  if (holidaysShownFrom && settingsChange.holidays) {
    const current = await core.partnerships.get(partnershipId);
    settingsChange.holidays = keepUnshownHolidays(
      current.holidays,
      holidaysShownFrom,
      settingsChange.holidays,
    );
  }
  // Effective from the moment it is made, on the core's clock: outcomes already decided keep theirs.
  return core.partnerships.update(partnershipId, settingsChange, { at: core.clock.now() });
}

/** Links a channel to a partnership for support requests and/or the digest. */
export async function linkChannel(
  core: Core,
  link: {
    partnershipId: string;
    platform: Platform;
    workspaceId: string;
    channelId: string;
    purposes: ChannelPurpose[];
  },
): Promise<ChannelLink> {
  await core.partnerships.get(link.partnershipId);
  if (link.purposes.length === 0) {
    throw new RapportError("invalid_input", "Say what the channel is for: support, digest, or both.");
  }
  return core.partnerships.linkChannel(link);
}

/** Adds a person to a partnership with a side and role, or changes theirs. */
export async function addMember(
  core: Core,
  member: {
    partnershipId: string;
    platform: Platform;
    workspaceId: string;
    userId: string;
    displayName?: string | null;
    side: Side;
    role: Role;
  },
): Promise<Member> {
  await core.partnerships.get(member.partnershipId);
  return core.partnerships.upsertMember({ ...member, displayName: member.displayName ?? null });
}
