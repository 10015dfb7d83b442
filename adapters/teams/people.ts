import type { TurnContext } from "botbuilder";
import type { PlatformUser } from "../../src/index.ts";

/** The tenant an activity comes from: it decides sides under the tenant rule. */
export function tenantOf(context: TurnContext): string {
  const a = context.activity;
  const data = a.channelData as { tenant?: { id?: string } } | undefined;
  return data?.tenant?.id ?? a.conversation?.tenantId ?? "";
}

/** The person who sent an activity, as the core knows people: their Entra id when Teams gives it. */
export function senderOf(context: TurnContext): PlatformUser {
  const from = context.activity.from;
  return {
    platform: "teams",
    workspaceId: tenantOf(context),
    userId: from.aadObjectId ?? from.id,
    ...(from.name ? { displayName: from.name } : {}),
  };
}

/**
 * Where an activity happened, for linking: a team channel is named by the channel's id (the same
 * for every thread in it); a group or personal chat by its conversation id.
 */
export function placeOf(context: TurnContext): {
  workspaceId: string;
  channelId: string;
  kind: "channel" | "groupChat" | "personal";
} {
  const a = context.activity;
  const data = a.channelData as { channel?: { id?: string } } | undefined;
  const type = a.conversation?.conversationType;
  const kind = type === "channel" ? "channel" : type === "groupChat" ? "groupChat" : "personal";
  const conversation = (a.conversation?.id ?? "").split(";messageid=")[0] ?? "";
  return {
    workspaceId: tenantOf(context),
    channelId: kind === "channel" ? (data?.channel?.id ?? conversation) : conversation,
    kind,
  };
}
