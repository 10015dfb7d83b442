import { RapportError } from "../domain/errors.ts";
import type { Partnership } from "../domain/partnership.ts";
import type { Actor, ChannelPurpose, Place, Platform, PlatformUser } from "../domain/vocabulary.ts";
import type { ChannelLink } from "../store/partnerships.ts";
import { resolveActor } from "./actor.ts";
import type { Core } from "./core.ts";

// Who may act on a partnership, decided once for every use case and both platforms
// (docs/ACCESS.md is the rule in prose):
//
// 1. The place decides the partnership. A channel or conversation linked to a partnership is
//    that partnership's place; anyone who can post there acts in it, with the side their
//    membership gives them, else the provider side for a user of one of the provider's
//    workspaces or tenants and the client side for anyone else.
// 2. A partnership id carried by the action (a card button's value, a form's private metadata,
//    an Adaptive Card's data) is a claim. At a linked place it must name the place's own
//    partnership. At a place linked to nothing (a direct message, App Home, a form opened from a
//    shortcut) it is honoured only for someone with standing of their own in that partnership:
//    a member, or a user of one of the provider's workspaces or tenants. Nobody is "client side"
//    merely for not being the provider.
// 3. Anything else is refused with a sentence that says what to do, before anything is recorded.

/** How a person links a channel, in each platform's own words. */
export const HOW_TO_LINK: Record<Platform, string> = {
  slack:
    "An admin can link it with `/itpartner setup` in this channel (or `rapport partnership link` on the server).",
  teams:
    "An admin can link it by sending `setup` to rapport here (or with `rapport partnership link` on the server).",
};

/** What an action was found to be about: its partnership, the link of its place, and who acted. */
export interface Access {
  partnership: Partnership;
  /** The link of the place where the action happened; null at a place linked to nothing. */
  link: ChannelLink | null;
  actor: Actor;
}

/** What authorizing an action needs: where, by whom, and the partnership the action claims. */
export interface AccessRequest {
  place: Place;
  by: PlatformUser;
  /** A partnership id the action carries; a claim to check, never a fact. */
  partnershipId?: string | null;
  /** What the place must be linked for (an issue report needs a support channel). */
  purpose?: ChannelPurpose;
}

const OTHER_PARTNERSHIP =
  "That belongs to a partnership this channel is not linked to, so nothing was recorded. " +
  "Use the card or command in that partnership's own channel.";

const NO_STANDING =
  "You are not part of that partnership, so nothing was recorded. " +
  "Ask one of its admins to add you to it, or act in its linked channel.";

/**
 * Decides which partnership an action at `place` is about and with which side and role its person
 * acts, or refuses it (rules above).
 */
export async function authorize(core: Core, request: AccessRequest): Promise<Access> {
  const { place, by } = request;
  const claim = request.partnershipId ?? null;
  if (by.platform !== place.platform || by.userId === "" || place.workspaceId === "") {
    throw new RapportError(
      "forbidden",
      "rapport could not tell who did this or where; nothing was recorded.",
    );
  }
  const link = place.channelId
    ? await core.partnerships.findChannel(place.platform, place.workspaceId, place.channelId)
    : null;
  if (link) {
    if (claim !== null && claim !== link.partnershipId)
      throw new RapportError("forbidden", OTHER_PARTNERSHIP);
    if (request.purpose && !link.purposes.includes(request.purpose)) {
      throw new RapportError(
        "not_linked",
        `This channel is linked for ${link.purposes.join(" and ")} only. ${HOW_TO_LINK[place.platform]}`,
      );
    }
    const partnership = await core.partnerships.get(link.partnershipId);
    return { partnership, link, actor: await resolveActor(core, partnership, by) };
  }
  if (claim === null) {
    throw new RapportError(
      "not_linked",
      `This channel is not linked to a partnership yet. ${HOW_TO_LINK[place.platform]}`,
    );
  }
  const partnership = await core.partnerships.find(claim);
  if (!partnership) throw new RapportError("forbidden", NO_STANDING);
  return { partnership, link: null, actor: await standingActor(core, partnership, by) };
}

/**
 * The actor of someone acting on a partnership away from its linked places: a member, or a user
 * of one of the provider's workspaces; anyone else is refused.
 */
export async function standingActor(core: Core, partnership: Partnership, by: PlatformUser): Promise<Actor> {
  const actor = await resolveActor(core, partnership, by);
  const standing = actor.memberId !== null || partnership.providerWorkspaceIds.includes(by.workspaceId);
  if (!standing) throw new RapportError("forbidden", NO_STANDING);
  return actor;
}
