import type { WebClient } from "@slack/web-api";
import { DateTime } from "luxon";
import type { SlackDeps } from "../replies.ts";
import { escapeText } from "../presenters/escape.ts";

/** How long "Remind me" waits before the reminder arrives. */
export const REMIND_AFTER_DAYS = 3;

/**
 * "Remind me" on a recommendation: Slack itself delivers a direct message in three days at 09:00
 * in the partnership's timezone (chat.scheduleMessage), so no job has to remember it.
 */
export async function scheduleReminder(
  deps: SlackDeps,
  client: WebClient,
  userId: string,
  value: { partnershipId: string; recommendationId: string },
): Promise<string> {
  const partnership = await deps.core.partnerships.get(value.partnershipId);
  const rec = await deps.core.records.recommendation(partnership.id, value.recommendationId);
  if (!rec) return "That recommendation no longer exists.";
  const when = DateTime.fromJSDate(deps.core.clock.now(), { zone: partnership.timezone })
    .plus({ days: REMIND_AFTER_DAYS })
    .set({ hour: 9, minute: 0, second: 0, millisecond: 0 });
  const dm = await client.conversations.open({ users: userId });
  const channel = dm.channel?.id;
  if (!channel) throw new Error("Slack did not open a direct message for the reminder");
  await client.chat.scheduleMessage({
    channel,
    post_at: Math.floor(when.toSeconds()),
    text: `Reminder: ${partnership.providerOrg} recommended "${escapeText(rec.title)}" (decide by ${rec.decideBy}). Open the card in the partnership's channel to decide.`,
  });
  return `I'll remind you on ${when.toFormat("cccc d LLLL")} at 09:00.`;
}
