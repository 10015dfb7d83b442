import type { WebClient } from "@slack/web-api";
import type { Issue, Partnership, Recommendation } from "../../src/index.ts";
import { issueCard } from "./presenters/issue-card.ts";
import type { SlackMessage } from "./presenters/kit.ts";
import { recommendationCard } from "./presenters/recommendation-card.ts";
import type { SlackDeps } from "./replies.ts";

/** Where a card goes: a channel of the workspace, optionally in the thread of a message. */
interface CardPlace {
  workspaceId: string;
  channelId: string;
  threadTs?: string | undefined;
}

/** What a card shows. */
export type CardSubject =
  { kind: "issue"; issue: Issue } | { kind: "recommendation"; recommendation: Recommendation };

/** An issue just reported (or found already reported) and its partnership. */
interface Reported {
  issue: Issue;
  partnership: Partnership;
  created: boolean;
}

const subjectId = (s: CardSubject): string => (s.kind === "issue" ? s.issue.id : s.recommendation.id);

function render(deps: SlackDeps, p: Partnership, s: CardSubject): SlackMessage {
  return s.kind === "issue"
    ? issueCard(s.issue, p, { now: deps.rapport.now() })
    : recommendationCard(s.recommendation, p);
}

/** Posts a card and remembers where, so replies in its thread and later changes find it. */
export async function postCard(
  deps: SlackDeps,
  client: WebClient,
  p: Partnership,
  subject: CardSubject,
  at: CardPlace,
): Promise<void> {
  const posted = await client.chat.postMessage({
    channel: at.channelId,
    ...render(deps, p, subject),
    ...(at.threadTs ? { thread_ts: at.threadTs } : {}),
  });
  if (!posted.ts) return;
  await deps.rapport.rememberMessage(
    {
      place: { platform: "slack", workspaceId: at.workspaceId, channelId: at.channelId },
      messageId: posted.ts,
    },
    { partnership: p, subjectId: subjectId(subject), kind: "card" },
  );
}

/**
 * A new issue that came from a message: remembers the message (so replies in its thread reach the
 * issue) and posts the card in that thread. Nothing happens for a message already reported.
 */
export async function postCardUnderMessage(
  deps: SlackDeps,
  client: WebClient,
  { issue, partnership, created }: Reported,
  at: { workspaceId: string; channelId: string; ts: string },
): Promise<void> {
  if (!created) return;
  await deps.rapport.rememberMessage(
    { place: { platform: "slack", workspaceId: at.workspaceId, channelId: at.channelId }, messageId: at.ts },
    { partnership, subjectId: issue.id, kind: "source" },
  );
  await postCard(deps, client, partnership, { kind: "issue", issue }, { ...at, threadTs: at.ts });
}

/** Redraws every Slack card of an issue or recommendation after it changed. */
export async function refreshCards(
  deps: SlackDeps,
  client: WebClient,
  p: Partnership,
  subject: CardSubject,
): Promise<void> {
  const card = render(deps, p, subject);
  for (const link of await deps.rapport.cardsOf(p, subjectId(subject), "slack")) {
    try {
      await client.chat.update({ channel: link.channelId, ts: link.messageId, ...card });
    } catch (err) {
      // A card deleted by someone, or in a channel the bot left: the others still get redrawn.
      deps.logger.warn({ err, channel: link.channelId }, "could not update a Slack card");
    }
  }
}
