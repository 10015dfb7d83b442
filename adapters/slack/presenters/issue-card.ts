// The issue card posted in the support channel and updated in place on every change: the core's
// document, rendered (render-card.ts reads back what its buttons and menu send).
import { issueCardDocument, type Issue, type Partnership } from "../../../src/index.ts";
import { slackDate } from "./dates.ts";
import { escapeAndTruncate } from "./escape.ts";
import type { SlackMessage } from "./kit.ts";
import { renderCard } from "./render-card.ts";

/** The issue card: what, how urgent, where it stands, and the buttons that move it on. */
export function issueCard(issue: Issue, partnership: Partnership, { now }: { now: Date }): SlackMessage {
  return renderCard(issueCardDocument(issue, partnership, { now }));
}

/** The reporter's private confirmation: the key, and what rapport understood (priority, start). */
export function issueConfirmation(issue: Issue): string {
  const started = issue.startedAt ? `, started ${slackDate(issue.startedAt, "UTC")}` : "";
  return (
    `Recorded *${issue.key}*: ${escapeAndTruncate(issue.title, 200)} (${issue.priority}${started}). ` +
    `Its card in the support channel shows every update; reply in its thread to add detail.`
  );
}
