import { CardFactory, type AdaptiveCardInvokeResponse, type TurnContext } from "botbuilder";
import {
  isRapportError,
  type EventSource,
  type Logger,
  type Partnership,
  type Rapport,
} from "../../../src/index.ts";
import { ADAPTIVE_CARD_CONTENT_TYPE, type AdaptiveCardJson } from "../presenters/card-kit.ts";
import { placeOf } from "../people.ts";

/** What every Teams listener works with. */
export interface TeamsDeps {
  rapport: Rapport;
  logger: Logger;
}

const FAILED =
  "Something went wrong on rapport's side; nothing already recorded was lost. Please try again in a minute.";

/** The sentence a person sees for a refusal (the core's own words) or a failure (logged with its cause). */
export function userMessage(e: unknown, logger: Logger): string {
  if (isRapportError(e)) {
    logger.info({ code: e.code }, "refused a Teams request");
    return e.message;
  }
  logger.error({ err: e }, "a Teams request failed");
  return FAILED;
}

/** Sends a card as a reply in the conversation; returns the id Teams gave the message. */
export async function sendCard(context: TurnContext, card: AdaptiveCardJson): Promise<string | null> {
  const sent = await context.sendActivity({ attachments: [CardFactory.adaptiveCard(card)] });
  return sent?.id ?? null;
}

/** The source of a typed message: the same message delivered twice records once. */
export const messageSource = (context: TurnContext): EventSource => ({
  platform: "teams",
  id: `msg:${context.activity.id}`,
});

/** The source of a card click or form submission: the invoke's own id. */
export const invokeSource = (context: TurnContext): EventSource => ({
  platform: "teams",
  id: `invoke:${context.activity.id}`,
});

/**
 * Remembers the card an issue or recommendation is shown on in this conversation, so a change made
 * elsewhere redraws it.
 */
export async function rememberCard(
  deps: TeamsDeps,
  context: TurnContext,
  messageId: string | null | undefined,
  subject: { partnership: Partnership; subjectId: string },
): Promise<void> {
  if (!messageId) return;
  await deps.rapport.rememberMessage({ place: placeOf(context), messageId }, { ...subject, kind: "card" });
}

/** An Action.Execute answer: the card Teams shows in place of the clicked one. */
export const cardReply = (card: AdaptiveCardJson): AdaptiveCardInvokeResponse => ({
  statusCode: 200,
  type: ADAPTIVE_CARD_CONTENT_TYPE,
  value: card as never,
});

/** An Action.Execute answer Teams shows to the clicker as a message. */
export const messageReply = (text: string): AdaptiveCardInvokeResponse => ({
  statusCode: 200,
  type: "application/vnd.microsoft.activity.message",
  value: text as never,
});
