import { TeamsInfo, type TurnContext } from "botbuilder";
import type { Place, PlatformUser } from "../../src/index.ts";

/** The tenant an activity comes from. */
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

/** What kind of conversation an activity happened in. */
export type ConversationKind = "channel" | "groupChat" | "personal";

/** The kind of conversation of an activity. */
export function kindOf(context: TurnContext): ConversationKind {
  const type = context.activity.conversation?.conversationType;
  return type === "channel" ? "channel" : type === "groupChat" ? "groupChat" : "personal";
}

/** The conversation of an activity without the thread Teams appends to a channel's (";messageid=…"). */
export function conversationIdOf(context: TurnContext): string {
  return (context.activity.conversation?.id ?? "").split(";messageid=")[0] ?? "";
}

/**
 * The channel thread an activity belongs to: the id of the thread's first message, which Teams
 * appends to a channel's conversation id (";messageid=…"); a channel message without it starts
 * its own thread. Undefined outside channels.
 */
export function threadOf(context: TurnContext): string | undefined {
  if (kindOf(context) !== "channel") return undefined;
  const a = context.activity;
  const root = (a.conversation?.id ?? "").split(";messageid=")[1];
  return root || (a.type === "message" ? a.id : undefined) || undefined;
}

/**
 * Where an activity happened, as the core decides partnerships by: the tenant, and a team channel
 * by the channel's id (the same for every thread in it) or a group or personal chat by its
 * conversation id.
 */
export function placeOf(context: TurnContext): Place & { channelId: string } {
  const data = context.activity.channelData as { channel?: { id?: string } } | undefined;
  const conversation = conversationIdOf(context);
  return {
    platform: "teams",
    workspaceId: tenantOf(context),
    channelId: kindOf(context) === "channel" ? (data?.channel?.id ?? conversation) : conversation,
  };
}

/** Beyond this many, the conversation's people are not listed: only those @mentioned are. */
const MAX_ROSTER = 20;

/**
 * The people a set-up form can list: those @mentioned in the message, and everyone in the
 * conversation when it is small enough to list. Teams names people by their Entra id and tenant;
 * a conversation whose members the bot cannot read (the Emulator) gives only the mentioned.
 */
export async function peopleNamedIn(context: TurnContext): Promise<PlatformUser[]> {
  const a = context.activity;
  const tenant = tenantOf(context);
  const roster: PlatformUser[] = [];
  const aadOf = new Map<string, string>();
  try {
    const page = await TeamsInfo.getPagedMembers(context, MAX_ROSTER + 1);
    for (const m of page.members ?? []) if (m.aadObjectId) aadOf.set(m.id, m.aadObjectId);
    if (!page.continuationToken && (page.members ?? []).length <= MAX_ROSTER) {
      for (const m of page.members ?? []) {
        if (!m.aadObjectId || m.id === a.recipient?.id) continue;
        roster.push({
          platform: "teams",
          workspaceId: m.tenantId ?? tenant,
          userId: m.aadObjectId,
          ...(m.name ? { displayName: m.name } : {}),
        });
      }
    }
  } catch {
    // Not every conversation lets the bot read its members; the mentions still name people.
  }
  const mentioned: PlatformUser[] = [];
  for (const e of a.entities ?? []) {
    const who = (e as { mentioned?: { id?: string; name?: string; aadObjectId?: string } }).mentioned;
    if (e.type !== "mention" || !who?.id || who.id === a.recipient?.id) continue;
    const userId = who.aadObjectId ?? aadOf.get(who.id) ?? (await entraIdOf(context, who.id));
    mentioned.push({
      platform: "teams",
      workspaceId: tenant,
      userId,
      ...(who.name ? { displayName: who.name } : {}),
    });
  }
  return [...mentioned, ...roster];
}

/** A member's Entra id, asked of Teams; their Teams id where Teams does not say (as `senderOf` does). */
async function entraIdOf(context: TurnContext, teamsId: string): Promise<string> {
  try {
    return (await TeamsInfo.getMember(context, teamsId)).aadObjectId ?? teamsId;
  } catch {
    return teamsId;
  }
}
