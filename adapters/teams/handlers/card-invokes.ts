import type { AdaptiveCardInvokeResponse, AdaptiveCardInvokeValue, TurnContext } from "botbuilder";
import type { Decision, IssueChange } from "../../../src/index.ts";
import { VERBS } from "../ids.ts";
import { issueCard, parseIssueAction, type IssueAction } from "../presenters/issue-card.ts";
import {
  parseRecommendationAction,
  recommendationActionDataSchema,
  recommendationCard,
} from "../presenters/recommendation-card.ts";
import { placeOf, senderOf } from "../people.ts";
import { cardReply, invokeSource, messageReply, userMessage, type TeamsDeps } from "./context.ts";
import { isFormVerb, onFormSubmission } from "./form-submissions.ts";

const OLDER_CARD = "That button is from an older version of rapport; send `help` for the current commands.";

/**
 * Action.Execute from rapport's cards: issue and recommendation buttons answer with the card
 * redrawn in place; forms answer with what they recorded, or with the form again and what to fix.
 * The invoke's own id is the source, so a redelivered invoke records nothing twice; the ids in the
 * card's data are claims the core checks against the conversation and the person.
 */
export async function onCardInvoke(
  deps: TeamsDeps,
  context: TurnContext,
  value: AdaptiveCardInvokeValue,
): Promise<AdaptiveCardInvokeResponse> {
  const verb = value.action?.verb ?? "";
  const data: unknown = value.action?.data ?? {};
  if (isFormVerb(verb)) return onFormSubmission(deps, context, verb, data);
  try {
    return (await onCardAction(deps, context, verb, data)) ?? messageReply(OLDER_CARD);
  } catch (e) {
    return messageReply(userMessage(e, deps.logger));
  }
}

const CHANGES: Record<Exclude<IssueAction["verb"], typeof VERBS.priority>, IssueChange> = {
  [VERBS.acknowledge]: { kind: "acknowledge" },
  [VERBS.waitOnClient]: { kind: "waitOnClient" },
  [VERBS.resolve]: { kind: "resolve" },
  [VERBS.reopen]: { kind: "reopen" },
};

const DECISIONS: Record<string, Decision> = {
  [VERBS.accept]: "accepted",
  [VERBS.decline]: "declined",
  [VERBS.acceptRisk]: "risk_accepted",
};

/** One button on an issue or recommendation card; null when the verb and data are not rapport's. */
async function onCardAction(
  deps: TeamsDeps,
  context: TurnContext,
  verb: string,
  data: unknown,
): Promise<AdaptiveCardInvokeResponse | null> {
  const visit = { place: placeOf(context), by: senderOf(context) };
  const request = { ...visit, source: invokeSource(context) };
  if (verb === VERBS.remind) {
    const claim = recommendationActionDataSchema.safeParse(data);
    if (!claim.success) return null;
    const { text } = await deps.rapport.remindMe({ ...visit, ...claim.data });
    return messageReply(text);
  }
  const issueAction = parseIssueAction(verb, data);
  if (issueAction) {
    const { issue, partnership } = await deps.rapport.changeIssue({
      ...request,
      partnershipId: issueAction.partnershipId,
      issue: issueAction.issueId,
      change:
        issueAction.verb === VERBS.priority
          ? { kind: "priority", priority: issueAction.priority }
          : CHANGES[issueAction.verb],
    });
    return cardReply(issueCard(issue, partnership, { now: deps.rapport.now() }));
  }
  const decision = parseRecommendationAction(verb, data);
  if (decision && DECISIONS[decision.verb]) {
    const { recommendation, partnership } = await deps.rapport.decide({
      ...request,
      partnershipId: decision.partnershipId,
      recommendationId: decision.recommendationId,
      decision: DECISIONS[decision.verb]!,
    });
    return cardReply(recommendationCard(recommendation, partnership));
  }
  return null;
}
