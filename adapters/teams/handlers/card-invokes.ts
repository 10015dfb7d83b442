import type { AdaptiveCardInvokeResponse, AdaptiveCardInvokeValue, TurnContext } from "botbuilder";
import { z } from "zod";
import {
  announceChange,
  changePriority,
  decideRecommendation,
  logCall,
  recommend,
  reopenIssue,
  reportIssue,
  resolveIssue,
  respond,
  waitOnClient,
  type IssueActionResult,
  type PlatformUser,
} from "../../../src/index.ts";
import { VERBS } from "../ids.ts";
import {
  ADAPTIVE_CARD_CONTENT_TYPE,
  adaptiveCard,
  textBlock,
  type AdaptiveCardJson,
} from "../presenters/card-kit.ts";
import {
  FORM_VERBS,
  parseCallForm,
  parseHeadsUpForm,
  parseIssueForm,
  parseRecommendForm,
} from "../presenters/forms.ts";
import { idSchema, isUnreadable, readForm } from "../presenters/form-kit.ts";
import { issueCard, parseIssueAction, type IssueAction } from "../presenters/issue-card.ts";
import { parseRecommendationAction, recommendationCard } from "../presenters/recommendation-card.ts";
import { senderOf } from "../people.ts";
import { userMessage, type TeamsDeps } from "./context.ts";
import { fieldsOf, FormErrors } from "./form-errors.ts";
import { submitSetup } from "./setup-submission.ts";

/** A refreshed card, or a sentence Teams shows to the clicker. */
const cardReply = (card: AdaptiveCardJson): AdaptiveCardInvokeResponse => ({
  statusCode: 200,
  type: ADAPTIVE_CARD_CONTENT_TYPE,
  value: card as never,
});
const messageReply = (text: string): AdaptiveCardInvokeResponse => ({
  statusCode: 200,
  type: "application/vnd.microsoft.activity.message",
  value: text as never,
});

/** The partnership a form names; data without one is a form that cannot be read, not a failure. */
function partnershipOf(data: unknown): string {
  const read = readForm(z.object({ partnershipId: idSchema }), data);
  if (isUnreadable(read)) throw new FormErrors(read.unreadable);
  return read.partnershipId;
}

type Invoke = (
  deps: TeamsDeps,
  context: TurnContext,
  data: unknown,
  by: PlatformUser,
) => Promise<AdaptiveCardJson>;

/**
 * Action.Execute from rapport's cards: issue and recommendation buttons answer with the card
 * redrawn in place; forms answer with what they created. The invoke's own id is the source, so a
 * redelivered invoke records nothing twice; a second click finds the state already changed.
 */
export async function onCardInvoke(
  deps: TeamsDeps,
  context: TurnContext,
  value: AdaptiveCardInvokeValue,
): Promise<AdaptiveCardInvokeResponse> {
  const verb = value.action?.verb ?? "";
  const data = value.action?.data ?? {};
  try {
    const handler = invokeFor(verb, data);
    if (!handler)
      return messageReply(
        "That button is from an older version of rapport; send `help` for the current commands.",
      );
    return cardReply(await handler(deps, context, data, senderOf(context)));
  } catch (e) {
    if (e instanceof FormErrors) return messageReply(e.errors.join(" "));
    return messageReply(userMessage(e, deps.logger));
  }
}

function invokeFor(verb: string, data: unknown): Invoke | null {
  const issueAction = parseIssueAction(verb, data);
  if (issueAction) return (deps, context, _data, by) => onIssueAction(deps, context, issueAction, by);
  const recAction = parseRecommendationAction(verb, data);
  if (recAction) {
    return async (deps, context, _data, by) => {
      const decision =
        recAction.verb === VERBS.accept
          ? "accepted"
          : recAction.verb === VERBS.decline
            ? "declined"
            : "risk_accepted";
      const { recommendation } = await decideRecommendation(deps.core, {
        partnershipId: recAction.partnershipId,
        by,
        source: invokeSource(context),
        recommendationId: recAction.recommendationId,
        decision,
      });
      return recommendationCard(recommendation, await deps.core.partnerships.get(recAction.partnershipId));
    };
  }
  return FORMS[verb] ?? null;
}

const invokeSource = (context: TurnContext) => ({
  platform: "teams" as const,
  id: `invoke:${context.activity.id}`,
});

async function onIssueAction(
  deps: TeamsDeps,
  context: TurnContext,
  action: IssueAction,
  by: PlatformUser,
): Promise<AdaptiveCardJson> {
  const input = {
    partnershipId: action.partnershipId,
    by,
    source: invokeSource(context),
    issue: action.issueId,
  };
  let result: IssueActionResult;
  if (action.verb === VERBS.priority)
    result = await changePriority(deps.core, { ...input, priority: action.priority });
  else if (action.verb === VERBS.acknowledge) result = await respond(deps.core, { ...input, via: "button" });
  else if (action.verb === VERBS.waitOnClient) result = await waitOnClient(deps.core, input);
  else if (action.verb === VERBS.resolve) result = await resolveIssue(deps.core, input);
  else result = await reopenIssue(deps.core, input);
  return issueCard(result.issue, await deps.core.partnerships.get(action.partnershipId), {
    now: deps.core.clock.now(),
  });
}

const done = (text: string) => adaptiveCard(text, [textBlock(text)]);

const FORMS: Record<string, Invoke> = {
  [FORM_VERBS.issue]: async (deps, context, data, by) => {
    const partnership = await deps.core.partnerships.get(partnershipOf(data));
    const fields = fieldsOf(
      parseIssueForm(data, { now: deps.core.clock.now(), timezone: partnership.timezone }),
    );
    const { issue } = await reportIssue(deps.core, {
      partnershipId: partnership.id,
      by,
      source: invokeSource(context),
      via: "form",
      fields,
    });
    return issueCard(issue, partnership, { now: deps.core.clock.now() });
  },
  [FORM_VERBS.recommend]: async (deps, context, data, by) => {
    const partnership = await deps.core.partnerships.get(partnershipOf(data));
    const { partnershipId: _p, ...fields } = fieldsOf(
      parseRecommendForm(data, { now: deps.core.clock.now(), timezone: partnership.timezone }),
    );
    const { recommendation } = await recommend(deps.core, {
      partnershipId: partnership.id,
      by,
      source: invokeSource(context),
      ...fields,
    });
    return recommendationCard(recommendation, partnership);
  },
  [FORM_VERBS.call]: async (deps, context, data, by) => {
    const partnership = await deps.core.partnerships.get(partnershipOf(data));
    const { partnershipId: _p, ...fields } = fieldsOf(
      parseCallForm(data, { now: deps.core.clock.now(), timezone: partnership.timezone }),
    );
    const { call } = await logCall(deps.core, {
      partnershipId: partnership.id,
      by,
      source: invokeSource(context),
      ...fields,
    });
    return done(
      call.status === "held"
        ? "Logged the call as held."
        : `Logged the call as missed by the ${call.missedBy} side.`,
    );
  },
  [FORM_VERBS.headsUp]: async (deps, context, data, by) => {
    const partnership = await deps.core.partnerships.get(partnershipOf(data));
    const { partnershipId: _p, ...fields } = fieldsOf(
      parseHeadsUpForm(data, { timezone: partnership.timezone }),
    );
    const { leadDays } = await announceChange(deps.core, {
      partnershipId: partnership.id,
      by,
      source: invokeSource(context),
      ...fields,
    });
    return done(`Thanks for the heads-up: ${Math.round(leadDays)} days ahead.`);
  },
  [FORM_VERBS.setup]: async (deps, context, data, by) => done(await submitSetup(deps, context, data, by)),
};
