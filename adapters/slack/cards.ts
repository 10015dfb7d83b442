import type { Partnership } from "../../src/index.ts";
import type { SlackDeps } from "./replies.ts";

// Posting a card, remembering where it is and redrawing it are the core's (Rapport.postCard,
// redrawCards): each is queued in the outbox before Slack hears back and sent through the Slack
// notifier; these only say where in Slack.

/** Where a card goes: a channel of the workspace. */
interface CardPlace {
  workspaceId: string;
  channelId: string;
}

/** What a card shows. */
export type CardSubject = Parameters<SlackDeps["rapport"]["postCard"]>[1];

/** Queues a card; the core posts it and remembers where, so replies in its thread and later changes find it. */
export async function postCard(
  deps: SlackDeps,
  p: Partnership,
  subject: CardSubject,
  at: CardPlace,
): Promise<void> {
  await deps.rapport.postCard(p, subject, {
    place: { platform: "slack", workspaceId: at.workspaceId, channelId: at.channelId },
  });
}

/**
 * What a report made from a message adds to its request: the message is remembered as the issue's
 * source (so replies in its thread reach the issue), and the card goes in that thread (the thread
 * it is in, for a reply: Slack asks for the parent's ts there, not the reply's). Both are written
 * with the issue, in one write; a redelivery finds them written.
 */
export function underMessage(at: {
  workspaceId: string;
  channelId: string;
  ts: string;
  threadTs?: string | undefined;
}) {
  const place = { platform: "slack" as const, workspaceId: at.workspaceId, channelId: at.channelId };
  return { card: { place, threadId: at.threadTs ?? at.ts }, linkMessage: true };
}

/** Queues a redraw of every card of an issue or recommendation after it changed, on both platforms. */
export async function refreshCards(deps: SlackDeps, p: Partnership, subject: CardSubject): Promise<void> {
  await deps.rapport.redrawCards(p, subject);
}
