import type { App, MessageShortcut } from "@slack/bolt";
import { providerPartnershipsOf, reportIssue, requireLinkedChannel } from "../../../src/index.ts";
import { postIssueCard } from "../cards.ts";
import { SHORTCUTS } from "../ids.ts";
import { directRequestModal } from "../presenters/direct-request-modal.ts";
import { unescapeText } from "../presenters/escape.ts";
import { issueConfirmation } from "../presenters/issue-card.ts";
import { HOW_TO_LINK, messageUrl, tsToDate, userMessage, type SlackDeps } from "../replies.ts";

/**
 * "Report as IT issue" turns a message in a support channel into an issue reported by its author
 * (the same message by reaction or shortcut is one issue); "Log direct request" opens a form, so the
 * technician confirms what was asked, by whom, and in which partnership.
 */
export function registerShortcuts(app: App, deps: SlackDeps): void {
  app.shortcut<MessageShortcut>(SHORTCUTS.reportIssue, async ({ shortcut, ack, client, respond }) => {
    try {
      await reportFromMessage(deps, client, shortcut, respond);
      await ack();
    } catch (e) {
      await ack();
      await respond({ response_type: "ephemeral", text: userMessage(e, deps.logger) });
    }
  });
  app.shortcut<MessageShortcut>(SHORTCUTS.logDirectRequest, async ({ shortcut, ack, client, respond }) => {
    try {
      const tech = await deps.people.user(client, shortcut.user.id, { team: shortcut.user.team_id ?? null });
      const mine = (await providerPartnershipsOf(deps.core, tech)).map((p) => ({ id: p.id, name: p.name }));
      if (mine.length === 0) throw new Error("not a provider member");
      const metadata = {
        partnershipId: mine.length === 1 ? mine[0]!.id : null,
        workspaceId: shortcut.team?.id ?? tech.workspaceId,
        channelId: shortcut.channel.id,
        messageTs: shortcut.message.ts,
      };
      const view = directRequestModal({
        metadata,
        messageText: shortcut.message.text ?? "",
        authorUserId: shortcut.message.user ?? null,
        partnerships: mine,
      });
      await client.views.open({ trigger_id: shortcut.trigger_id, view });
      await ack();
    } catch (e) {
      await ack();
      const text =
        e instanceof Error && e.message === "not a provider member"
          ? "Only a technician of a partnership's provider can log a direct request. Ask an admin to add you with /itpartner setup."
          : userMessage(e, deps.logger);
      await respond({ response_type: "ephemeral", text });
    }
  });
}

async function reportFromMessage(
  deps: SlackDeps,
  client: Parameters<Parameters<App["shortcut"]>[1]>[0]["client"],
  shortcut: MessageShortcut,
  respond: (msg: { response_type: "ephemeral"; text: string }) => Promise<unknown>,
): Promise<void> {
  const workspaceId = shortcut.team?.id ?? shortcut.user.team_id ?? "";
  const channelId = shortcut.channel.id;
  const { partnership } = await requireLinkedChannel(
    deps.core,
    { platform: "slack", workspaceId, channelId },
    HOW_TO_LINK,
    "support",
  );
  const { message } = shortcut;
  const author = message.user ?? shortcut.user.id;
  const by = await deps.people.user(client, author, {
    team: (message as { user_team?: string }).user_team ?? null,
  });
  const where = { platform: "slack" as const, workspaceId, channelId, messageId: message.ts };
  const { issue, created } = await reportIssue(deps.core, {
    partnershipId: partnership.id,
    by,
    source: {
      platform: "slack",
      id: `msg:${channelId}:${message.ts}`,
      url: messageUrl(channelId, message.ts),
    },
    occurredAt: tsToDate(message.ts),
    via: "shortcut",
    message: where,
    text: unescapeText(message.text ?? ""),
  });
  if (created) {
    await deps.core.messages.remember({
      ...where,
      partnershipId: partnership.id,
      subjectId: issue.id,
      kind: "source",
    });
    await postIssueCard(deps, client, partnership, issue, { workspaceId, channelId, threadTs: message.ts });
  }
  await respond({
    response_type: "ephemeral",
    text: created ? issueConfirmation(issue) : `That message is already ${issue.key}.`,
  });
}
