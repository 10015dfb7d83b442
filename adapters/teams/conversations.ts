import { TurnContext, type TurnContext as Context } from "botbuilder";
import type { Logger, Rapport } from "../../src/index.ts";
import { conversationIdOf, kindOf, placeOf } from "./people.ts";

/**
 * Remembers where rapport was installed or added (a team's channels, a group chat, a person's
 * chat) so digests and nudges can be posted there later without anyone writing first.
 */
export async function rememberConversation(
  rapport: Rapport,
  context: Context,
  logger: Logger,
): Promise<void> {
  const place = placeOf(context);
  const kind = kindOf(context);
  const from = context.activity.from;
  const targetId = kind === "personal" ? (from.aadObjectId ?? from.id) : place.channelId;
  const conversationId = conversationIdOf(context);
  if (!conversationId || !place.workspaceId) return;
  // A reference must address the conversation, not the message that happened to carry it.
  const reference = TurnContext.getConversationReference(context.activity);
  const cleaned = {
    ...reference,
    conversation: { ...reference.conversation, id: conversationId },
    activityId: undefined,
  };
  await rapport.rememberConversation({
    platform: "teams",
    conversationId,
    workspaceId: place.workspaceId,
    kind,
    targetId,
    reference: cleaned,
  });
  logger.debug({ kind, targetId }, "remembered a Teams conversation");
}

/** Forgets a conversation rapport was removed from, or that was deleted. */
export async function forgetConversation(rapport: Rapport, context: Context): Promise<void> {
  const conversationId = conversationIdOf(context);
  if (conversationId) await rapport.conversationGone("teams", conversationId);
}
