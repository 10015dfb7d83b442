import type { WebClient } from "@slack/web-api";
import type { DeliveryOutcome, Destination, NeutralMessage, Notifier } from "../../src/index.ts";
import { digestBlocks } from "./presenters/digest-blocks.ts";
import { escapeText } from "./presenters/escape.ts";

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

/** Sends rapport's neutral messages (digests, nudges) to Slack channels and people. */
export class SlackNotifier implements Notifier {
  readonly platform = "slack" as const;

  /** `clientFor` gives a Web API client authorized for a workspace (its bot token). */
  constructor(private readonly clientFor: (workspaceId: string) => Promise<WebClient>) {}

  /** Posts one message; Slack's own retries are the caller's business, so errors become outcomes. */
  async send(to: Destination, message: NeutralMessage): Promise<DeliveryOutcome> {
    try {
      const client = await this.clientFor(to.workspaceId);
      const channel = to.kind === "channel" ? to.channelId : await this.directChannel(client, to.userId);
      const body = message.digest ? digestBlocks(message.digest) : plainMessage(message);
      const posted = await client.chat.postMessage({ channel, ...body });
      return { ok: true, messageId: posted.ts ?? null };
    } catch (e) {
      return deliveryFailure(e);
    }
  }

  private async directChannel(client: WebClient, userId: string): Promise<string> {
    const opened = await client.conversations.open({ users: userId });
    if (!opened.channel?.id) throw new Error("Slack opened no direct message channel");
    return opened.channel.id;
  }
}

function plainMessage(m: NeutralMessage) {
  const facts = (m.facts ?? []).map((f) => `*${escapeText(f.label)}:* ${escapeText(f.value)}`).join("\n");
  const text = `*${escapeText(m.title)}*\n${escapeText(m.text)}${facts ? `\n${facts}` : ""}`;
  return {
    text: `${m.title}: ${m.text}`,
    blocks: [{ type: "section" as const, text: { type: "mrkdwn" as const, text: text.slice(0, 3000) } }],
  };
}

/** Maps a Web API failure to what a sender should do: retry later, or record it and give up. */
export function deliveryFailure(e: unknown): DeliveryOutcome {
  // The shapes of @slack/web-api's errors: a rate limit carries retryAfter, a platform error data.error.
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
