import type { App } from "@slack/bolt";
import { postCard } from "../cards.ts";
import { COMMANDS } from "../ids.ts";
import { unescapeText } from "../presenters/escape.ts";
import { issueConfirmation } from "../presenters/issue-card.ts";
import { issueModal } from "../presenters/issue-modal.ts";
import { slackPlace, userMessage, type SlackDeps } from "../replies.ts";

/**
 * `/itissue [text]`: with text, records the issue, confirms to the reporter and posts the card in
 * the support channel; alone, opens the issue form. The answer to Slack goes only after the issue
 * is committed, so a crash before that leaves nothing half-recorded.
 */
export function registerIssueCommand(app: App, deps: SlackDeps): void {
  app.command(COMMANDS.issue, async ({ command, ack, client }) => {
    let acked = false;
    try {
      const place = slackPlace(command.team_id, command.channel_id);
      const by = await deps.people.user(client, command.user_id, { name: command.user_name });
      const text = unescapeText(command.text ?? "").trim();
      if (!text) {
        const { partnership } = await deps.rapport.locate({ place, by, purpose: "support" });
        const metadata = { partnershipId: partnership.id, channelId: command.channel_id };
        await client.views.open({ trigger_id: command.trigger_id, view: issueModal(metadata) });
        acked = true;
        await ack();
        return;
      }
      const { issue, partnership, created } = await deps.rapport.report({
        place,
        by,
        source: { platform: "slack", id: `cmd:${command.trigger_id}` },
        via: "command",
        text,
      });
      acked = true;
      await ack({ response_type: "ephemeral", text: issueConfirmation(issue) });
      if (!created) return;
      const where = { workspaceId: command.team_id, channelId: command.channel_id };
      postCard(deps, partnership, { kind: "issue", issue }, where).catch((err: unknown) =>
        deps.logger.error({ err, issue: issue.key }, "could not post an issue card"),
      );
    } catch (e) {
      if (!acked) await ack({ response_type: "ephemeral", text: userMessage(e, deps.logger) });
      else deps.logger.error({ err: e }, "/itissue failed after it was answered");
    }
  });
}
