// The issue card posted in the support conversation: the core's document, rendered. Its buttons are
// Universal Actions: Teams sends the verb and data to the bot, which records the change and
// answers with this card refreshed.
import { formatDateTime, issueCardDocument, type Issue, type Partnership } from "../../../src/index.ts";
import type { AdaptiveCardJson } from "./card-kit.ts";
import { plainText } from "./plain-text.ts";
import { renderCard } from "./render-card.ts";

/** The issue card: what, how urgent, where it stands, and the buttons that move it on. */
export function issueCard(issue: Issue, partnership: Partnership, { now }: { now: Date }): AdaptiveCardJson {
  return renderCard(issueCardDocument(issue, partnership, { now }));
}

/** The reporter's confirmation (TextBlock markdown): the key, and what rapport understood. */
export function issueConfirmation(issue: Issue, partnership: Partnership): string {
  const started = issue.startedAt ? `, started ${formatDateTime(issue.startedAt, partnership.timezone)}` : "";
  return (
    `Recorded **${issue.key}**: ${plainText(issue.title, 200)} (${issue.priority}${started}). ` +
    "Its card in the support channel shows every update; reply to it to add detail."
  );
}
