import type { WebClient } from "@slack/web-api";
import type { Issue, Partnership, Recommendation } from "../../src/index.ts";
import { issueCard } from "./presenters/issue-card.ts";
import { recommendationCard } from "./presenters/recommendation-card.ts";
import type { SlackDeps } from "./replies.ts";

/** Where a card goes: a channel of the workspace, optionally in the thread of a message. */
export interface CardPlace {
  workspaceId: string;
  channelId: string;
  threadTs?: string | undefined;
}

/** Posts an issue's card and remembers it, so replies in its thread and later changes find it. */
export async function postIssueCard(
  deps: SlackDeps,
  client: WebClient,
  p: Partnership,
  issue: Issue,
  at: CardPlace,
): Promise<void> {
  const card = issueCard(issue, p, { now: deps.core.clock.now() });
  const posted = await client.chat.postMessage({
    channel: at.channelId,
    ...card,
    ...(at.threadTs ? { thread_ts: at.threadTs } : {}),
  });
  if (posted.ts) {
    await deps.core.messages.remember({
      platform: "slack",
      workspaceId: at.workspaceId,
      channelId: at.channelId,
      messageId: posted.ts,
      partnershipId: p.id,
      subjectId: issue.id,
      kind: "card",
    });
  }
}

/** Posts a recommendation's card in a channel and remembers it. */
export async function postRecommendationCard(
  deps: SlackDeps,
  client: WebClient,
  p: Partnership,
  rec: Recommendation,
  at: CardPlace,
): Promise<void> {
  const posted = await client.chat.postMessage({ channel: at.channelId, ...recommendationCard(rec, p) });
  if (posted.ts) {
    await deps.core.messages.remember({
      platform: "slack",
      workspaceId: at.workspaceId,
      channelId: at.channelId,
      messageId: posted.ts,
      partnershipId: p.id,
      subjectId: rec.id,
      kind: "card",
    });
  }
}

/** Redraws every card of an issue or recommendation after it changed. */
export async function refreshCards(
  deps: SlackDeps,
  client: WebClient,
  p: Partnership,
  subject: { kind: "issue"; issue: Issue } | { kind: "recommendation"; recommendation: Recommendation },
): Promise<void> {
  const id = subject.kind === "issue" ? subject.issue.id : subject.recommendation.id;
  const card =
    subject.kind === "issue"
      ? issueCard(subject.issue, p, { now: deps.core.clock.now() })
      : recommendationCard(subject.recommendation, p);
  const links = await deps.core.messages.ofSubject(p.id, id);
  for (const link of links.filter((l) => l.platform === "slack" && l.kind === "card")) {
    try {
      await client.chat.update({ channel: link.channelId, ts: link.messageId, ...card });
    } catch (err) {
      // A card deleted by someone, or in a channel the bot left: the others still get redrawn.
      deps.logger.warn({ err, channel: link.channelId }, "could not update a Slack card");
    }
  }
}
