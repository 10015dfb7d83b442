import type { App } from "@slack/bolt";
import type { GenericMessageEvent } from "@slack/types";
import type { WebClient } from "@slack/web-api";
import {
  clientReplied,
  findLinkedChannel,
  reportIssue,
  resolveActor,
  respond,
  type LinkedChannel,
  type PlatformUser,
} from "../../../src/index.ts";
import { postIssueCard, refreshCards } from "../cards.ts";
import { unescapeText } from "../presenters/escape.ts";
import { messageUrl, tsToDate, type SlackDeps } from "../replies.ts";

/**
 * Messages in support channels: a client's top-level message becomes a request when the
 * partnership has auto-intake on; a provider reply in an issue's thread is its response, and a
 * client reply in the thread of an issue waiting on the client restarts the provider's clock.
 * Bot messages, edits, joins and every other subtype are ignored.
 */
export function registerMessageEvents(app: App, deps: SlackDeps): void {
  app.event("message", async ({ event, body, client }) => {
    const message = event as GenericMessageEvent;
    if (message.subtype !== undefined || message.bot_id || !message.user || !message.text) return;
    const linked = await findLinkedChannel(deps.core, "slack", body.team_id, message.channel);
    if (!linked || !linked.link.purposes.includes("support")) return;
    // In a Slack Connect channel `user_team` is the author's own workspace (not always typed by Slack).
    const team = (message as { user_team?: string }).user_team ?? message.team ?? null;
    const by = await deps.people.user(client, message.user, { team });
    if (message.thread_ts && message.thread_ts !== message.ts) {
      await onThreadReply(deps, client, linked, message, by, body.team_id);
    } else if (linked.partnership.autoIntake) {
      await onTopLevel(deps, client, linked, message, by, body.team_id);
    }
  });
}

async function onThreadReply(
  deps: SlackDeps,
  client: WebClient,
  { partnership }: LinkedChannel,
  message: GenericMessageEvent,
  by: PlatformUser,
  workspaceId: string,
): Promise<void> {
  const link = await deps.core.messages.find("slack", workspaceId, message.channel, message.thread_ts!);
  if (!link) return;
  const issue = await deps.core.records.issue(partnership.id, link.subjectId);
  if (!issue) return;
  const input = {
    partnershipId: partnership.id,
    by,
    source: {
      platform: "slack" as const,
      id: `msg:${message.channel}:${message.ts}`,
      url: messageUrl(message.channel, message.ts),
    },
    occurredAt: tsToDate(message.ts),
    issue: issue.id,
  };
  const { side } = await resolveActor(deps.core, partnership, by);
  const result =
    side === "provider"
      ? await respond(deps.core, { ...input, via: "reply" })
      : await clientReplied(deps.core, input);
  if (result.created) await refreshCards(deps, client, partnership, { kind: "issue", issue: result.issue });
}

async function onTopLevel(
  deps: SlackDeps,
  client: WebClient,
  { partnership }: LinkedChannel,
  message: GenericMessageEvent,
  by: PlatformUser,
  workspaceId: string,
): Promise<void> {
  if ((await resolveActor(deps.core, partnership, by)).side !== "client") return;
  const where = {
    platform: "slack" as const,
    workspaceId,
    channelId: message.channel,
    messageId: message.ts,
  };
  const { issue, created } = await reportIssue(deps.core, {
    partnershipId: partnership.id,
    by,
    source: {
      platform: "slack",
      id: `msg:${message.channel}:${message.ts}`,
      url: messageUrl(message.channel, message.ts),
    },
    occurredAt: tsToDate(message.ts),
    via: "auto_intake",
    message: where,
    text: unescapeText(message.text ?? ""),
  });
  if (!created) return;
  await deps.core.messages.remember({
    ...where,
    partnershipId: partnership.id,
    subjectId: issue.id,
    kind: "source",
  });
  await postIssueCard(deps, client, partnership, issue, {
    workspaceId,
    channelId: message.channel,
    threadTs: message.ts,
  });
}
