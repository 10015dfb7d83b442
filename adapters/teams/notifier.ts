import { CardFactory, type CloudAdapter, type ConversationReference } from "botbuilder";
import type { Core, DeliveryOutcome, Destination, NeutralMessage, Notifier } from "../../src/index.ts";
import { digestCard } from "./presenters/digest-card.ts";

/** Sends rapport's neutral messages (digests, nudges) into Teams conversations it was added to. */
export class TeamsNotifier implements Notifier {
  readonly platform = "teams" as const;

  constructor(
    private readonly adapter: CloudAdapter,
    private readonly appId: string,
    private readonly core: Core,
  ) {}

  /** Posts proactively; a conversation rapport was never added to, or was removed from, is permanent. */
  async send(to: Destination, message: NeutralMessage): Promise<DeliveryOutcome> {
    const target = to.kind === "channel" ? to.channelId : to.userId;
    const conversation = await this.core.conversations.reach("teams", to.workspaceId, target);
    if (!conversation) {
      return {
        ok: false,
        permanent: true,
        reason: "rapport is not installed in that conversation (or was removed)",
      };
    }
    let messageId: string | null = null;
    try {
      await this.adapter.continueConversationAsync(
        this.appId,
        conversation.reference as ConversationReference,
        async (context) => {
          const sent = await context.sendActivity(activityOf(message));
          messageId = sent?.id ?? null;
        },
      );
      return { ok: true, messageId };
    } catch (e) {
      return deliveryFailure(e);
    }
  }
}

function activityOf(message: NeutralMessage) {
  if (message.digest)
    return { type: "message", attachments: [CardFactory.adaptiveCard(digestCard(message.digest))] };
  const facts = (message.facts ?? []).map((f) => `- **${f.label}:** ${f.value}`).join("\n");
  return {
    type: "message",
    textFormat: "markdown",
    text: `**${message.title}**\n\n${message.text}${facts ? `\n\n${facts}` : ""}`,
  };
}

/** Maps a connector failure: 429 and 5xx (and 412) are retried, 403/404 mean rapport cannot post there. */
export function deliveryFailure(e: unknown): DeliveryOutcome {
  const err = e as {
    statusCode?: number;
    message?: string;
    response?: { headers?: { get?: (h: string) => string | null } };
  };
  const status = err.statusCode ?? 0;
  const reason = `${status || "error"} ${err.message ?? String(e)}`.trim();
  if (status === 403 || status === 404) return { ok: false, permanent: true, reason };
  if (status === 429) {
    const after = Number(err.response?.headers?.get?.("retry-after") ?? "1");
    return { ok: false, permanent: false, reason, retryAfterMs: (Number.isFinite(after) ? after : 1) * 1000 };
  }
  return { ok: false, permanent: false, reason };
}
