import type { MessageShortcut } from "@slack/bolt";
import type { SlackListeners } from "../listener-table.ts";
import type { WebClient } from "@slack/web-api";
import { RapportError } from "../../../src/index.ts";
import { underMessage } from "../cards.ts";
import { SHORTCUTS } from "../ids.ts";
import { directRequestModal } from "../presenters/direct-request-modal.ts";
import { escapeText } from "../presenters/escape.ts";
import { issueConfirmation } from "../presenters/issue-card.ts";
import { acting, chatText, fromMessage, slackPlace, type SlackDeps } from "../replies.ts";

/**
 * "Report as IT issue" turns a message in a support channel into an issue reported by its author
 * (the same message by reaction or shortcut is one issue); "Log direct request" opens a form, so the
 * technician confirms what was asked, by whom, and in which of their partnerships.
 */
export function registerShortcuts(app: SlackListeners, deps: SlackDeps): void {
  app.shortcut<MessageShortcut>(SHORTCUTS.reportIssue, async ({ shortcut, ack, client, respond }) => {
    await acting(deps, ack, respond, () => reportFromMessage(deps, client, shortcut));
  });
  app.shortcut<MessageShortcut>(SHORTCUTS.logDirectRequest, async ({ shortcut, ack, client, respond }) => {
    await acting(deps, ack, respond, () => openDirectRequest(deps, client, shortcut));
  });
}

async function reportFromMessage(
  deps: SlackDeps,
  client: WebClient,
  shortcut: MessageShortcut,
): Promise<string> {
  const { message } = shortcut;
  const at = { workspaceId: shortcut.team?.id ?? "", channelId: shortcut.channel.id, ts: message.ts };
  // The author's own team is on the message; the one who used the shortcut only reports for them.
  const author = message as { user?: string; user_team?: string; team?: string };
  const by = author.user
    ? deps.people.user(client, author.user, { team: author.user_team ?? author.team, place: at.workspaceId })
    : deps.people.user(client, shortcut.user.id, { team: shortcut.user.team_id, place: at.workspaceId });
  const reported = await deps.rapport.report({
    place: slackPlace(at.workspaceId, at.channelId),
    by,
    ...fromMessage(at),
    via: "shortcut",
    text: chatText(deps, message.text ?? ""),
    ...underMessage(at),
  });
  const { issue, created } = reported;
  return created ? issueConfirmation(issue) : `That message is already ${issue.key}.`;
}

async function openDirectRequest(
  deps: SlackDeps,
  client: WebClient,
  shortcut: MessageShortcut,
): Promise<void> {
  const tech = deps.people.user(client, shortcut.user.id, {
    team: shortcut.user.team_id,
    place: shortcut.team?.id,
  });
  const mine = await deps.rapport.partnershipsOf(tech, { side: "provider" });
  // The form will name the author as who asked: their team, learnt now, is what it will need.
  const author = shortcut.message as { user?: string; user_team?: string; team?: string };
  if (author.user) {
    const hint = { team: author.user_team ?? author.team, place: shortcut.team?.id };
    deps.people.prepare(client, author.user, hint);
  }
  if (mine.length === 0) {
    throw new RapportError(
      "forbidden",
      "Only a technician of a partnership's provider can log a direct request. Ask an admin to add you with /itpartner setup.",
    );
  }
  const view = directRequestModal({
    metadata: {
      partnershipId: mine.length === 1 ? mine[0]!.id : null,
      channelId: shortcut.channel.id,
      messageTs: shortcut.message.ts,
    },
    // The modal takes Slack-escaped text, as a message carries it: the words as rapport reads them.
    messageText: escapeText(chatText(deps, shortcut.message.text ?? "")),
    authorUserId: shortcut.message.user ?? null,
    partnerships: mine.map((p) => ({ id: p.id, name: p.name })),
  });
  await client.views.open({ trigger_id: shortcut.trigger_id, view });
}
