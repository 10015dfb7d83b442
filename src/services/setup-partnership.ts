import { RapportError } from "../domain/errors.ts";
import { keepUnshownHolidays } from "../domain/settings-text.ts";
import type { Partnership, PartnershipSettings } from "../domain/partnership.ts";
import type { ChannelPurpose, Platform, PlatformUser, Role, Side } from "../domain/vocabulary.ts";
import type { ChannelLink, Member, NewPartnership } from "../store/partnerships.ts";
import { resolveActor } from "./actor.ts";
import type { Core } from "./core.ts";

/**
 * Who is changing the set-up: a chat user (checked: an admin of the partnership, or anyone while
 * it has none yet) or the operator at the `rapport` command line (`null`, trusted).
 */
export type SetupBy = PlatformUser | null;

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
  by: SetupBy,
): Promise<Partnership> {
  await requireAdmin(core, partnershipId, by);
  const { holidaysShownFrom, ...settingsChange } = change;
  if (holidaysShownFrom && settingsChange.holidays) {
    const current = await core.partnerships.get(partnershipId);
    settingsChange.holidays = keepUnshownHolidays(
      current.holidays,
      holidaysShownFrom,
      settingsChange.holidays,
    );
  }
  if (by && settingsChange.providerWorkspaceIds) {
    // Which workspaces are the provider's decides everyone's default side: only the provider says.
    const partnership = await core.partnerships.get(partnershipId);
    const current = [...partnership.providerWorkspaceIds].sort().join(",");
    const changed = [...settingsChange.providerWorkspaceIds].sort().join(",") !== current;
    if (changed && (await resolveActor(core, partnership, by)).side !== "provider") {
      throw new RapportError(
        "forbidden",
        "Only a provider-side admin can change which workspaces belong to the provider.",
      );
    }
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
  by: SetupBy,
): Promise<ChannelLink> {
  await requireAdmin(core, link.partnershipId, by);
  if (link.purposes.length === 0) {
    throw new RapportError("invalid_input", "Say what the channel is for: support, digest, or both.");
  }
  return core.partnerships.linkChannel(link);
}

/**
 * Adds a person to a partnership with a side and role, or changes theirs. In chat an admin
 * manages the members of their own side only, so nobody can move a person (or themselves)
 * across sides; the command line may do anything.
 */
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
  by: SetupBy,
): Promise<Member> {
  await requireAdmin(core, member.partnershipId, by);
  if (by) {
    const partnership = await core.partnerships.get(member.partnershipId);
    const admin = await resolveActor(core, partnership, by);
    const target = await resolveActor(core, partnership, {
      ...member,
      displayName: member.displayName ?? undefined,
    });
    if (member.side !== admin.side || target.side !== admin.side) {
      throw new RapportError(
        "forbidden",
        `You can add and change members of the ${admin.side} side only; ask an admin of the other side to manage theirs.`,
      );
    }
  }
  return core.partnerships.upsertMember({ ...member, displayName: member.displayName ?? null });
}

/** Who may change the set-up from chat: its admins, or anyone while it has none (the first set-up). */
async function requireAdmin(core: Core, partnershipId: string, by: SetupBy): Promise<void> {
  await core.partnerships.get(partnershipId);
  if (!by) return;
  const admins = await core.partnerships.members(partnershipId, { role: "admin" });
  if (admins.length === 0) return;
  const isAdmin = admins.some(
    (m) => m.platform === by.platform && m.workspaceId === by.workspaceId && m.userId === by.userId,
  );
  if (!isAdmin) {
    throw new RapportError(
      "forbidden",
      "Only an admin of this partnership can change its set-up. Ask one of its admins to do it, or to make you an admin.",
    );
  }
}
