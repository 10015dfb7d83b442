import { TurnContext, type TurnContext as Context } from "botbuilder";
import type { Logger, Rapport } from "../../src/index.ts";
import { conversationIdOf, kindOf, placeOf, tenantOf } from "./people.ts";

/** Conversations one process remembers having stored. */
const MAX_KNOWN = 10_000;

/**
 * The conversations rapport may post into on its own (a team's channels, a group chat, a person's
 * chat): remembered when it is installed or added and when it first hears from one, so that cards,
 * digests and nudges reach them later without anyone writing first. Each conversation costs one
 * write per process; install and add events always write, to refresh the reference.
 */
export class ConversationBook {
  private readonly known = new Set<string>();

  constructor(
    private readonly rapport: Rapport,
    private readonly logger: Logger,
  ) {}

  /**
   * Remembers the conversation of a message or invoke unless this process already has. An invoke
   * in a personal conversation may come from a person's chat with someone else (a message action),
   * where rapport is not: only their own messages say rapport is there. A failure is logged, not
   * thrown: the turn itself goes on.
   */
  async heard(context: Context): Promise<void> {
    const { type } = context.activity;
    if (type !== "message" && !(type === "invoke" && kindOf(context) !== "personal")) return;
    if (this.known.has(keyOf(context))) return;
    try {
      await this.remember(context);
    } catch (err) {
      this.logger.error({ err }, "could not remember a Teams conversation");
    }
  }

  /** Remembers (or refreshes) the conversation of an install or add event. */
  async remember(context: Context): Promise<void> {
    const conversationId = await rememberConversation(this.rapport, context);
    if (!conversationId) return;
    // Bounded, like every per-process memory of what platforms sent: past the bound it starts again,
    // which costs one write per conversation heard from, not a process that only grows.
    if (this.known.size >= MAX_KNOWN) this.known.clear();
    this.known.add(keyOf(context));
    this.logger.debug({ kind: kindOf(context) }, "remembered a Teams conversation");
  }

  /** Forgets a conversation rapport was removed from, or that was deleted. */
  async forget(context: Context): Promise<void> {
    const conversationId = conversationIdOf(context);
    if (!conversationId) return;
    this.known.delete(keyOf(context));
    await this.rapport.conversationGone("teams", tenantOf(context), conversationId);
  }
}

/** A conversation as the core keeps it: within its tenant (another tenant naming it is another place). */
const keyOf = (context: Context): string => `${tenantOf(context)}\n${conversationIdOf(context)}`;

/** Stores the reference of an activity's conversation; returns its id, or null when it has none to store. */
async function rememberConversation(rapport: Rapport, context: Context): Promise<string | null> {
  const place = placeOf(context);
  const kind = kindOf(context);
  const from = context.activity.from;
  const targetId = kind === "personal" ? (from.aadObjectId ?? from.id) : place.channelId;
  const conversationId = conversationIdOf(context);
  if (!conversationId || !place.workspaceId) return null;
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
  return conversationId;
}
