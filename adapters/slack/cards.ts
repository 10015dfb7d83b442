import type { Issue, Partnership } from "../../src/index.ts";
import type { SlackDeps } from "./replies.ts";

// Posting a card, remembering where it is and redrawing it are the core's (Rapport.postCard,
// redrawCards): each is queued in the outbox before Slack hears back and sent through the Slack
// notifier; these only say where in Slack.

/** Where a card goes: a channel of the workspace, optionally in the thread of a message. */
interface CardPlace {
  workspaceId: string;
  channelId: string;
  threadTs?: string | undefined;
}

/** What a card shows. */
export type CardSubject = Parameters<SlackDeps["rapport"]["postCard"]>[1];

/** An issue just reported (or found already reported) and its partnership. */
interface Reported {
  issue: Issue;
  partnership: Partnership;
  created: boolean;
}

/** Queues a card; the core posts it and remembers where, so replies in its thread and later changes find it. */
export async function postCard(
  deps: SlackDeps,
  p: Partnership,
  subject: CardSubject,
  at: CardPlace,
): Promise<void> {
  await deps.rapport.postCard(p, subject, {
    place: { platform: "slack", workspaceId: at.workspaceId, channelId: at.channelId },
    ...(at.threadTs ? { threadId: at.threadTs } : {}),
  });
}

/**
 * An issue that came from a message: remembers the message (so replies in its thread reach the
 * issue) and queues the card in that thread (the thread it is in, for a reply). For a message already reported both were done before,
 * and doing them again changes nothing (unless the first delivery stopped before it could).
 */
export async function postCardUnderMessage(
  deps: SlackDeps,
  { issue, partnership }: Reported,
  at: { workspaceId: string; channelId: string; ts: string; threadTs?: string | undefined },
): Promise<void> {
  await deps.rapport.rememberMessage(
    { place: { platform: "slack", workspaceId: at.workspaceId, channelId: at.channelId }, messageId: at.ts },
    { partnership, subjectId: issue.id, kind: "source" },
  );
  // A thread reply's card goes in its thread: Slack asks for the parent's ts there, not the reply's.
  await postCard(deps, partnership, { kind: "issue", issue }, { ...at, threadTs: at.threadTs ?? at.ts });
}

/** Queues a redraw of every card of an issue or recommendation after it changed, on both platforms. */
export async function refreshCards(deps: SlackDeps, p: Partnership, subject: CardSubject): Promise<void> {
  await deps.rapport.redrawCards(p, subject);
}
