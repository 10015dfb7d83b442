import { RapportError } from "../domain/errors.ts";
import type { Partnership } from "../domain/partnership.ts";
import type { ChannelPurpose, Platform, PlatformUser } from "../domain/vocabulary.ts";
import type { ChannelLink } from "../store/partnerships.ts";
import { resolveActor } from "./actor.ts";
import type { Core } from "./core.ts";

/** A linked channel with its partnership. */
export interface LinkedChannel {
  partnership: Partnership;
  link: ChannelLink;
}

/** The partnership a chat channel is linked to, or null when it is linked to none. */
export async function findLinkedChannel(
  core: Core,
  platform: Platform,
  workspaceId: string,
  channelId: string,
): Promise<LinkedChannel | null> {
  const link = await core.partnerships.findChannel(platform, workspaceId, channelId);
  if (!link) return null;
  return { partnership: await core.partnerships.get(link.partnershipId), link };
}

/**
 * Like findLinkedChannel, but a channel linked to no partnership (or not for `purpose`) is an
 * error that says how to link it; `howToLink` is the platform's own words for that.
 */
export async function requireLinkedChannel(
  core: Core,
  where: { platform: Platform; workspaceId: string; channelId: string },
  howToLink: string,
  purpose?: ChannelPurpose,
): Promise<LinkedChannel> {
  const found = await findLinkedChannel(core, where.platform, where.workspaceId, where.channelId);
  if (!found) {
    throw new RapportError("not_linked", `This channel is not linked to a partnership yet. ${howToLink}`);
  }
  if (purpose && !found.link.purposes.includes(purpose)) {
    throw new RapportError(
      "not_linked",
      `This channel is linked for ${found.link.purposes.join(" and ")} only. ${howToLink}`,
    );
  }
  return found;
}

/**
 * The partnerships a person takes part in: those with an explicit membership, and those whose
 * provider workspace (or tenant) is theirs.
 */
export function partnershipsOf(core: Core, user: PlatformUser): Promise<Partnership[]> {
  return core.partnerships.listFor(user.platform, user.workspaceId, user.userId);
}

/** The partnerships in which a person acts for the provider (where a technician can log a direct request). */
export async function providerPartnershipsOf(core: Core, user: PlatformUser): Promise<Partnership[]> {
  const mine: Partnership[] = [];
  for (const p of await partnershipsOf(core, user)) {
    if ((await resolveActor(core, p, user)).side === "provider") mine.push(p);
  }
  return mine;
}
