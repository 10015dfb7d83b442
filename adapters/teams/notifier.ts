import { CardFactory, TurnContext, type CloudAdapter, type ConversationReference } from "botbuilder";
import type {
  CardDocument,
  Conversation,
  DeliveryOutcome,
  Destination,
  LookOutcome,
  Notifier,
  Platform,
  PostedMessage,
} from "../../src/index.ts";
import { renderCard } from "./presenters/render-card.ts";

/** Where the notifier finds the conversation that reaches a person or channel. */
export interface ConversationDirectory {
  conversations: {
    reach(platform: Platform, workspaceId: string, targetId: string): Promise<Conversation | null>;
  };
}

/** Posts and redraws rapport's card documents in the Teams conversations it was added to, as Adaptive Cards. */
export class TeamsNotifier implements Notifier {
  readonly platform = "teams" as const;

  constructor(
    private readonly adapter: CloudAdapter,
    private readonly appId: string,
    private readonly directory: ConversationDirectory,
  ) {}

  /** Posts proactively; a conversation rapport was never added to, or was removed from, is permanent. */
  async send(to: Destination, message: CardDocument): Promise<DeliveryOutcome> {
    const target = to.kind === "channel" ? to.channelId : to.userId;
    const thread = to.kind === "channel" ? to.threadId : undefined;
    return this.inConversation(to.workspaceId, target, thread, async (context, reference) => {
      // A new message in the conversation: context.sendActivity would make it a reply to the
      // continuation event's made-up id.
      const activity = TurnContext.applyConversationReference({ ...activityOf(message) }, reference);
      delete activity.replyToId;
      const [sent] = await context.adapter.sendActivities(context, [activity]);
      return sent?.id || null;
    });
  }

  /**
   * Teams cannot say whether an earlier post arrived: the connector gives each activity its own id
   * (an id the bot sends along is not kept), and Teams does not offer the Bot Framework's "get
   * conversation activities" to bots, so a bot cannot read back what it posted. Reading a chat's
   * messages would take Microsoft Graph permissions rapport does not ask for. So the outbox does
   * not repeat a post whose outcome is unknown; it records it as failed, with this reason.
   */
  async findDelivered(): Promise<LookOutcome> {
    return {
      found: null,
      permanent: true,
      reason: "Teams keeps no conversation history a bot can read, and ignores an id the bot chooses",
    };
  }

  /** Redraws a card in place (updateActivity). */
  async redraw(at: PostedMessage, message: CardDocument): Promise<DeliveryOutcome> {
    return this.inConversation(at.workspaceId, at.channelId, undefined, async (context, reference) => {
      const activity = TurnContext.applyConversationReference({ ...activityOf(message) }, reference);
      await context.updateActivity({ ...activity, id: at.messageId });
      return at.messageId;
    });
  }

  private async inConversation(
    workspaceId: string,
    target: string,
    threadId: string | undefined,
    work: (context: TurnContext, reference: Partial<ConversationReference>) => Promise<string | null>,
  ): Promise<DeliveryOutcome> {
    const conversation = await this.directory.conversations.reach("teams", workspaceId, target);
    if (!conversation) {
      return {
        ok: false,
        permanent: true,
        reason: "rapport is not installed in that conversation (or was removed)",
      };
    }
    const stored = conversation.reference as ConversationReference;
    // A reply in a channel thread names the thread's first message in the conversation id.
    const reference = threadId
      ? {
          ...stored,
          conversation: {
            ...stored.conversation,
            id: `${stored.conversation.id.split(";")[0]};messageid=${threadId}`,
          },
        }
      : stored;
    let messageId: string | null = null;
    // The adapter hands a failure inside the callback to onTurnError, which only logs it: caught
    // here, or a post Teams refused would count as delivered.
    let failure: unknown = null;
    try {
      await this.adapter.continueConversationAsync(this.appId, reference, async (context) => {
        try {
          messageId = await work(context, reference);
        } catch (e) {
          failure = e;
        }
      });
    } catch (e) {
      failure = e;
    }
    return failure ? deliveryFailure(failure) : { ok: true, messageId };
  }
}

function activityOf(message: CardDocument) {
  const card = renderCard(message);
  // The summary is what a notification (and a client that cannot show the card) says.
  return { type: "message", summary: card.fallbackText, attachments: [CardFactory.adaptiveCard(card)] };
}

/**
 * Maps a connector failure: 429 and 5xx (and 412) are retried, after the connector's Retry-After
 * when it gives one (a 429 always waits, a second by default); 403/404 mean rapport cannot post there.
 */
export function deliveryFailure(e: unknown): DeliveryOutcome {
  const err = e as {
    statusCode?: number;
    message?: string;
    response?: { headers?: { get?: (h: string) => string | null } };
  };
  const status = err.statusCode ?? 0;
  const reason = `${status || "error"} ${err.message ?? String(e)}`.trim();
  if (status === 403 || status === 404) return { ok: false, permanent: true, reason };
  const retryAfter = err.response?.headers?.get?.("retry-after") ?? (status === 429 ? "1" : null);
  if (retryAfter === null) return { ok: false, permanent: false, reason };
  const after = Number(retryAfter);
  return { ok: false, permanent: false, reason, retryAfterMs: (Number.isFinite(after) ? after : 1) * 1000 };
}
