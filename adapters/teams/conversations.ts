import { TurnContext, type TurnContext as Context } from "botbuilder";
import type { Core, Logger } from "../../src/index.ts";
import { placeOf } from "./people.ts";

/**
 * Remembers where rapport was installed or added (a team's channels, a group chat, a person's
 * chat) so digests and nudges can be posted there later without anyone writing first.
 */
export async function rememberConversation(core: Core, context: Context, logger: Logger): Promise<void> {
  const place = placeOf(context);
  const reference = TurnContext.getConversationReference(context.activity);
  const from = context.activity.from;
  const targetId = place.kind === "personal" ? (from.aadObjectId ?? from.id) : place.channelId;
  const conversationId = (reference.conversation?.id ?? "").split(";messageid=")[0] ?? "";
  if (!conversationId || !place.workspaceId) return;
  // A personal reference must address the chat, not the message that happened to carry it.
  const cleaned = {
    ...reference,
    conversation: { ...reference.conversation, id: conversationId },
    activityId: undefined,
  };
  await core.conversations.remember({
    platform: "teams",
    conversationId,
    workspaceId: place.workspaceId,
    kind: place.kind,
    targetId,
    reference: cleaned,
  });
  logger.debug({ kind: place.kind, targetId }, "remembered a Teams conversation");
}

/** Forgets a conversation rapport was removed from, or that was deleted. */
export async function forgetConversation(core: Core, context: Context): Promise<void> {
  const conversationId = (context.activity.conversation?.id ?? "").split(";messageid=")[0] ?? "";
  if (conversationId) await core.conversations.markGone("teams", conversationId, core.clock.now());
}
