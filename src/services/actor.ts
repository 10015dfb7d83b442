import { RapportError } from "../domain/errors.ts";
import type { Partnership } from "../domain/partnership.ts";
import type { Actor, PlatformUser, Side } from "../domain/vocabulary.ts";
import type { Core } from "./core.ts";

/**
 * Decides a person's side: an explicit membership wins; otherwise a user of one of the
 * provider's workspaces or tenants is provider side and anyone else in a linked channel client side.
 */
export async function resolveActor(core: Core, partnership: Partnership, by: PlatformUser): Promise<Actor> {
  const member = await core.partnerships.findMember(partnership.id, by.platform, by.workspaceId, by.userId);
  if (member) {
    return {
      memberId: member.id,
      side: member.side,
      role: member.role,
      platform: by.platform,
      userId: by.userId,
      displayName: member.displayName ?? by.displayName ?? null,
    };
  }
  const side: Side = partnership.providerWorkspaceIds.includes(by.workspaceId) ? "provider" : "client";
  return {
    memberId: null,
    side,
    role: null,
    platform: by.platform,
    userId: by.userId,
    displayName: by.displayName ?? null,
  };
}

const sideName = (p: Partnership, side: Side) => (side === "provider" ? p.providerOrg : p.clientOrg);

/** Refuses the action unless the actor is on `side`, with a sentence that says who can do it. */
export function requireSide(p: Partnership, actor: Actor, side: Side, action: string): void {
  if (actor.side === side) return;
  throw new RapportError(
    "forbidden",
    `Only ${sideName(p, side)} (the ${side} side) can ${action}. ` +
      `If you are on that side, ask an admin of this partnership to add you to it.`,
  );
}
