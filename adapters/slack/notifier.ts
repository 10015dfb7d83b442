import type {
  CardDocument,
  DeliveryMark,
  DeliveryOutcome,
  Destination,
  LookOutcome,
  Notifier,
  PostedMessage,
} from "../../src/index.ts";
import type { OutboxCalls } from "./outbox-web-api.ts";
import { renderCard } from "./presenters/render-card.ts";

/** Slack errors that retrying cannot fix: the channel or person is gone, or rapport was removed. */
const PERMANENT = new Set([
  "channel_not_found",
  "not_in_channel",
  "is_archived",
  "account_inactive",
  "user_not_found",
  "invalid_auth",
  "token_revoked",
  "not_authed",
  "missing_scope",
  "msg_too_long",
  "invalid_blocks",
]);

/** The message metadata event type that marks rapport's posts (see `findDelivered`). */
export const DELIVERY_EVENT = "rapport_delivery";

/** Pages of 200 messages `findDelivered` reads at most. */
const LOOK_PAGES = 3;

/** Posts and redraws rapport's card documents in Slack channels and direct messages, as Block Kit. */
export class SlackNotifier implements Notifier {
  readonly platform = "slack" as const;

  /** `clientFor` gives a Web API client authorized for a workspace (its bot token). */
  constructor(private readonly clientFor: (workspaceId: string) => Promise<OutboxCalls>) {}

  /**
   * Posts one message; Slack's own retries are the caller's business, so errors become outcomes.
   * A `mark` goes along as message metadata, which `findDelivered` reads back.
   */
  async send(to: Destination, message: CardDocument, mark?: DeliveryMark): Promise<DeliveryOutcome> {
    try {
      const client = await this.clientFor(to.workspaceId);
      const channel = to.kind === "channel" ? to.channelId : await this.directChannel(client, to.userId);
      const thread = to.kind === "channel" && to.threadId ? { thread_ts: to.threadId } : {};
      const metadata = mark
        ? { metadata: { event_type: DELIVERY_EVENT, event_payload: { delivery_id: mark.deliveryId } } }
        : {};
      const posted = await client.chat.postMessage({
        channel,
        ...renderCard(message),
        ...thread,
        ...metadata,
      });
      return { ok: true, messageId: posted.ts ?? null };
    } catch (e) {
      return deliveryFailure(e);
    }
  }

  /**
   * Looks for the post carrying `mark` among the conversation's latest messages (or the thread's
   * replies), newest first, up to LOOK_PAGES pages. Not found there means not posted: an unsure
   * delivery is looked for within minutes of its attempt, long before that many messages follow.
   */
  async findDelivered(to: Destination, mark: DeliveryMark): Promise<LookOutcome> {
    try {
      const client = await this.clientFor(to.workspaceId);
      const channel = to.kind === "channel" ? to.channelId : await this.directChannel(client, to.userId);
      const threadTs = to.kind === "channel" ? to.threadId : undefined;
      let cursor: string | undefined;
      for (let page = 0; page < LOOK_PAGES; page++) {
        const common = { channel, limit: 200, include_all_metadata: true, ...(cursor ? { cursor } : {}) };
        const answer = threadTs
          ? await client.conversations.replies({ ...common, ts: threadTs })
          : await client.conversations.history(common);
        const found = (answer.messages ?? []).find(
          (m) =>
            m.metadata?.event_type === DELIVERY_EVENT &&
            (m.metadata.event_payload as { delivery_id?: unknown } | undefined)?.delivery_id ===
              mark.deliveryId,
        );
        if (found) return { found: true, messageId: found.ts ?? null };
        cursor = answer.response_metadata?.next_cursor || undefined;
        if (!answer.has_more || !cursor) return { found: false };
      }
      return { found: null, permanent: false, reason: `not among the latest ${LOOK_PAGES * 200} messages` };
    } catch (e) {
      const failure = deliveryFailure(e);
      return failure.ok
        ? { found: null, permanent: false, reason: "unexpected answer" }
        : { found: null, permanent: failure.permanent, reason: failure.reason };
    }
  }

  /** Redraws a card in place (chat.update). */
  async redraw(at: PostedMessage, message: CardDocument): Promise<DeliveryOutcome> {
    try {
      const client = await this.clientFor(at.workspaceId);
      await client.chat.update({ channel: at.channelId, ts: at.messageId, ...renderCard(message) });
      return { ok: true, messageId: at.messageId };
    } catch (e) {
      return deliveryFailure(e);
    }
  }

  private async directChannel(client: OutboxCalls, userId: string): Promise<string> {
    const opened = await client.conversations.open({ users: userId });
    if (!opened.channel?.id) throw new Error("Slack opened no direct message channel");
    return opened.channel.id;
  }
}

/** Maps a Web API failure to what a sender should do: retry later, or record it and give up. */
export function deliveryFailure(e: unknown): DeliveryOutcome {
  // The shapes of @slack/web-api's errors (OutboxWebApi throws the same): a rate limit carries
  // retryAfter, a platform error data.error.
  const err = e as { code?: string; message?: string; data?: { error?: string }; retryAfter?: number };
  if (err.code === "slack_webapi_rate_limited_error") {
    return {
      ok: false,
      permanent: false,
      reason: "rate_limited",
      retryAfterMs: (err.retryAfter ?? 1) * 1000,
    };
  }
  const platformError = err.data?.error;
  if (platformError) return { ok: false, permanent: PERMANENT.has(platformError), reason: platformError };
  return { ok: false, permanent: false, reason: err.message ?? String(e) };
}
