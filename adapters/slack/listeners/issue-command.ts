import type { SlashCommand } from "@slack/bolt";
import type { SlackListeners } from "../listener-table.ts";
import type { WebClient } from "@slack/web-api";
import { COMMANDS } from "../ids.ts";
import { issueConfirmation } from "../presenters/issue-card.ts";
import { issueModal } from "../presenters/issue-modal.ts";
import { chatText, slackPlace, userMessage, type SlackDeps } from "../replies.ts";
import { slackUnavailable } from "../slack-errors.ts";

/** Said to a bot or workflow that sends /itissue: a report is a person's word, with their side. */
export const NOT_FROM_BOTS =
  "rapport takes IT issues from people only, so nothing was recorded: ask a person to type /itissue.";

/** Said when the issue form could not be opened because Slack did not answer in time. */
export const FORM_UNAVAILABLE = "Slack is busy; try again in a minute, or type the issue after /itissue.";

/**
 * `/itissue [text]`: with text, records the issue, confirms to the reporter and posts the card in
 * the support channel; alone, opens the issue form. The answer to Slack goes only after the issue
 * and its card's outbox row are committed (one write), so a crash before that leaves nothing
 * half-recorded and a crash after it still posts the card.
 */
export function registerIssueCommand(app: SlackListeners, deps: SlackDeps): void {
  app.command(COMMANDS.issue, async ({ command, ack, client }) => {
    if (sentByBot(deps, command)) {
      deps.logger.info({ component: "slack", user: command.user_id }, "refused /itissue from a bot");
      return void (await ack({ response_type: "ephemeral", text: NOT_FROM_BOTS }));
    }
    let acked = false;
    try {
      const text = chatText(deps, command.text ?? "");
      if (!text) {
        await openIssueForm(deps, client, command);
        acked = true;
        await ack();
        return;
      }
      const place = slackPlace(command.team_id, command.channel_id);
      const { issue } = await deps.rapport.report({
        place,
        by: reporter(deps, client, command),
        source: { platform: "slack", id: `cmd:${command.trigger_id}` },
        via: "command",
        text,
        // The card goes where the command was typed, written with the issue.
        card: { place: { ...place, channelId: command.channel_id } },
      });
      acked = true;
      await ack({ response_type: "ephemeral", text: issueConfirmation(issue) });
    } catch (e) {
      if (acked) return void deps.logger.error({ err: e }, "/itissue failed after it was answered");
      const text = userMessage(e, deps.logger);
      // Only opening the form asks Slack anything before the answer; a typed issue needs no form.
      await ack({ response_type: "ephemeral", text: slackUnavailable(e) ? FORM_UNAVAILABLE : text });
    }
  });
}

/**
 * Whether the command came from a bot rather than a person: the payload says so (`is_bot`, a
 * `bot_id`), it is Slackbot, or users.info said so before. Slack itself is never asked here.
 */
function sentByBot(deps: SlackDeps, command: SlashCommand): boolean {
  const c = command as SlashCommand & { is_bot?: unknown; bot_id?: unknown };
  const flagged =
    c.is_bot === true || c.is_bot === "true" || (typeof c.bot_id === "string" && c.bot_id !== "");
  return flagged || command.user_id === "USLACKBOT" || deps.people.isBot(command.user_id);
}

// `team_id` is the workspace the command came through, which for a Slack Connect guest of another
// organisation is not their own: it stands in only until their own team is known.
function reporter(deps: SlackDeps, client: WebClient, command: SlashCommand) {
  return deps.people.user(client, command.user_id, { name: command.user_name, place: command.team_id });
}

/** Opens the form; awaited, as it must open within the trigger's 3 seconds (the client gives up sooner). */
async function openIssueForm(deps: SlackDeps, client: WebClient, command: SlashCommand): Promise<void> {
  const place = slackPlace(command.team_id, command.channel_id);
  const by = reporter(deps, client, command);
  const { partnership } = await deps.rapport.locate({ place, by, purpose: "support" });
  const metadata = { partnershipId: partnership.id, channelId: command.channel_id };
  await client.views.open({ trigger_id: command.trigger_id, view: issueModal(metadata) });
}
