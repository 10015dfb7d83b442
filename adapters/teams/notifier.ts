import {
  CardFactory,
  TurnContext,
  type CloudAdapter,
  type ConversationParameters,
  type ConversationReference,
} from "botbuilder";
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

/** Where the notifier finds, remembers and forgets the conversations that reach people and channels. */
export interface ConversationDirectory {
  conversations: {
    reach(platform: Platform, workspaceId: string, targetId: string): Promise<Conversation | null>;
    /** The channels and group chats rapport is in, in a tenant: where it may open a personal chat. */
    sharedIn(platform: Platform, workspaceId: string): Promise<Conversation[]>;
    remember(conversation: Omit<Conversation, "gone">): Promise<void>;
    gone(platform: Platform, workspaceId: string, conversationId: string): Promise<void>;
  };
}

/** A delivery's outcome, with the connector's status when it answered with an error. */
type Attempt = { outcome: DeliveryOutcome; status: number };

/**
 * Posts and redraws rapport's card documents in the Teams conversations it was added to, as
 * Adaptive Cards. A person is reached in their personal chat with rapport: the one they opened, or
 * one rapport opens itself (the connector's create-conversation, with their Entra object id and
 * tenant), which Teams allows for anyone who shares a team or chat with rapport.
 */
export class TeamsNotifier implements Notifier {
  readonly platform = "teams" as const;

  constructor(
    private readonly adapter: CloudAdapter,
    private readonly appId: string,
    private readonly directory: ConversationDirectory,
  ) {}

  /** Posts proactively; a conversation rapport was never added to, or was removed from, is permanent. */
  async send(to: Destination, message: CardDocument): Promise<DeliveryOutcome> {
    if (to.kind === "person") return this.sendToPerson(to.workspaceId, to.userId, message);
    const conversation = await this.directory.conversations.reach("teams", to.workspaceId, to.channelId);
    if (!conversation) return notInstalled();
    return (await this.post(conversation.reference as ConversationReference, to.threadId, message)).outcome;
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
    const conversation = await this.directory.conversations.reach("teams", at.workspaceId, at.channelId);
    if (!conversation) return notInstalled();
    const reference = conversation.reference as ConversationReference;
    const attempt = await this.inConversation(reference, async (context) => {
      const activity = TurnContext.applyConversationReference({ ...activityOf(message) }, reference);
      await context.updateActivity({ ...activity, id: at.messageId });
      return at.messageId;
    });
    return attempt.outcome;
  }

  /**
   * Into the person's known personal chat; when none is known, or Teams answers that it no longer
   * exists (404), into a new one rapport opens.
   */
  private async sendToPerson(
    tenantId: string,
    userId: string,
    message: CardDocument,
  ): Promise<DeliveryOutcome> {
    const known = await this.directory.conversations.reach("teams", tenantId, userId);
    if (known) {
      const sent = await this.post(known.reference as ConversationReference, undefined, message);
      if (sent.status !== 404) return sent.outcome;
      await this.directory.conversations.gone("teams", known.workspaceId, known.conversationId);
    }
    const opened = await this.openPersonalChat(tenantId, userId);
    if ("failure" in opened) return opened.failure;
    return (await this.post(opened.reference, undefined, message)).outcome;
  }

  /**
   * Opens a personal chat with a person through the connector of a team or chat rapport is in, in
   * their tenant, and remembers it. Teams refuses (403) for someone who shares none with rapport.
   */
  private async openPersonalChat(
    tenantId: string,
    userId: string,
  ): Promise<{ reference: ConversationReference } | { failure: DeliveryOutcome }> {
    const shared = await this.directory.conversations.sharedIn("teams", tenantId);
    const anchors = new Map<string, ConversationReference>();
    for (const c of shared) {
      const ref = c.reference as ConversationReference;
      if (ref.serviceUrl && !anchors.has(ref.serviceUrl)) anchors.set(ref.serviceUrl, ref);
    }
    if (anchors.size === 0) {
      return unreachable(
        `rapport is in no team or chat of tenant ${tenantId}, and this person never opened a chat with it`,
      );
    }
    let refused = "";
    for (const anchor of anchors.values()) {
      const parameters = {
        isGroup: false,
        bot: anchor.bot,
        members: [{ id: userId, name: "" }],
        tenantId,
        channelData: { tenant: { id: tenantId } },
      } as ConversationParameters;
      try {
        const reference = await this.createConversation(anchor, parameters);
        await this.directory.conversations.remember({
          platform: "teams",
          conversationId: reference.conversation.id,
          workspaceId: tenantId,
          kind: "personal",
          targetId: userId,
          reference,
        });
        return { reference };
      } catch (e) {
        const failure = deliveryFailure(e);
        if (failure.ok || !failure.permanent) return { failure };
        refused = failure.reason;
      }
    }
    return unreachable(
      `Teams would not open a chat with this person (${refused}): they share no team or chat with rapport`,
    );
  }

  private async createConversation(
    anchor: ConversationReference,
    parameters: ConversationParameters,
  ): Promise<ConversationReference> {
    let created: Partial<ConversationReference> | null = null;
    await this.adapter.createConversationAsync(
      this.appId,
      anchor.channelId || "msteams",
      anchor.serviceUrl,
      // No audience: the connector factory uses the bot's default (as continueConversationAsync does).
      undefined as unknown as string,
      parameters,
      async (context) => {
        created = TurnContext.getConversationReference(context.activity);
      },
    );
    const ref = created as Partial<ConversationReference> | null;
    if (!ref?.conversation?.id) throw new Error("the connector opened no conversation");
    const member = parameters.members?.[0];
    return {
      ...ref,
      channelId: anchor.channelId,
      serviceUrl: anchor.serviceUrl,
      bot: anchor.bot,
      ...(member ? { user: { id: member.id, name: "", aadObjectId: member.id } } : {}),
      conversation: {
        ...ref.conversation,
        conversationType: "personal",
        isGroup: false,
        tenantId: parameters.tenantId,
      },
      activityId: undefined,
    } as ConversationReference;
  }

  /** Posts a new message in a conversation, or in a channel thread when `threadId` is given. */
  private post(stored: ConversationReference, threadId: string | undefined, message: CardDocument) {
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
    return this.inConversation(reference, async (context) => {
      // A new message in the conversation: context.sendActivity would make it a reply to the
      // continuation event's made-up id.
      const activity = TurnContext.applyConversationReference({ ...activityOf(message) }, reference);
      delete activity.replyToId;
      const [sent] = await context.adapter.sendActivities(context, [activity]);
      return sent?.id || null;
    });
  }

  private async inConversation(
    reference: Partial<ConversationReference>,
    work: (context: TurnContext) => Promise<string | null>,
  ): Promise<Attempt> {
    let messageId: string | null = null;
    // The adapter hands a failure inside the callback to onTurnError, which only logs it: caught
    // here, or a post Teams refused would count as delivered.
    let failure: unknown = null;
    try {
      await this.adapter.continueConversationAsync(this.appId, reference, async (context) => {
        try {
          messageId = await work(context);
        } catch (e) {
          failure = e;
        }
      });
    } catch (e) {
      failure = e;
    }
    if (!failure) return { outcome: { ok: true, messageId }, status: 0 };
    return {
      outcome: deliveryFailure(failure),
      status: (failure as { statusCode?: number }).statusCode ?? 0,
    };
  }
}

function notInstalled(): DeliveryOutcome {
  return {
    ok: false,
    permanent: true,
    reason: "rapport is not installed in that conversation (or was removed)",
  };
}

function unreachable(reason: string): { failure: DeliveryOutcome } {
  return { failure: { ok: false, permanent: true, reason } };
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
