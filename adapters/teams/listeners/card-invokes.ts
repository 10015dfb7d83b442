import type { AdaptiveCardInvokeResponse, AdaptiveCardInvokeValue, TurnContext } from "botbuilder";
import { readCardAction, renderCard } from "../presenters/render-card.ts";
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

/** One button or menu on an issue or recommendation card; null when the verb and data are not rapport's. */
async function onCardAction(
  deps: TeamsDeps,
  context: TurnContext,
  verb: string,
  data: unknown,
): Promise<AdaptiveCardInvokeResponse | null> {
  const read = readCardAction(verb, data);
  if (!read) return null;
  // Teams redraws the clicked card from this answer; the core redraws every other copy.
  const clicked = context.activity.replyToId;
  const { card, text } = await deps.rapport.cardAction({
    place: placeOf(context),
    by: senderOf(context),
    source: invokeSource(context),
    ...read,
    ...(clicked ? { redrawnByPlatform: { platform: "teams" as const, messageId: clicked } } : {}),
  });
  return card ? cardReply(renderCard(card)) : messageReply(text);
}
