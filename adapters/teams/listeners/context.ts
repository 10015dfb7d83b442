import { CardFactory, type AdaptiveCardInvokeResponse, type TurnContext } from "botbuilder";
import {
  fitText,
  isRapportError,
  type EventSource,
  type Logger,
  type Partnership,
  type Rapport,
} from "../../../src/index.ts";
import { ADAPTIVE_CARD_CONTENT_TYPE, type AdaptiveCardJson } from "../presenters/card-kit.ts";
import { renderCard } from "../presenters/render-card.ts";
import { kindOf, placeOf, threadOf } from "../people.ts";

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

/** What a new card shows: an issue or a recommendation, as `Rapport.postCard` takes it. */
export type CardSubject = Parameters<Rapport["postCard"]>[1];
/** Where a card goes, as `Rapport.postCard` takes it. */
type CardSpot = Parameters<Rapport["postCard"]>[2];

/**
 * Posts a new issue or recommendation card where the activity happened, in its channel thread:
 * queued in the core's outbox, so the turn answers without waiting on the connector and the card
 * is posted (once) even if this process stops first. A personal chat is the exception: the
 * notifier reaches it by its person, not by the chat the place names, so the card is sent in the
 * turn there.
 */
export async function postCard(
  deps: TeamsDeps,
  context: TurnContext,
  partnership: Partnership,
  subject: CardSubject,
): Promise<void> {
  const spot = queuedCardSpot(context);
  if (!spot) {
    const cardId = await sendCard(context, renderCard(deps.rapport.cardOf(partnership, subject)));
    const subjectId = subject.kind === "issue" ? subject.issue.id : subject.recommendation.id;
    await rememberCard(deps, context, cardId, { partnership, subjectId });
    return;
  }
  await deps.rapport.postCard(partnership, subject, spot);
}

/**
 * Where a new issue's card is queued with the issue itself (`Rapport.report`'s `card`): the
 * activity's channel thread or chat. None in a personal chat, whose card `postCard` sends in the turn.
 */
export function queuedCardSpot(context: TurnContext): CardSpot | undefined {
  if (kindOf(context) === "personal") return undefined;
  const threadId = threadOf(context);
  return { place: placeOf(context), ...(threadId ? { threadId } : {}) };
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
  value: replyText(text) as never,
});

/**
 * Teams refuses an activity over 28 KB; a text rapport sends is kept well under it (UTF-8 bytes),
 * leaving room for the activity's envelope.
 */
export const TEAMS_TEXT_LIMIT = { bytes: 24 * 1024 } as const;

/** Any text rapport sends a person in Teams, within Teams' limit. */
export function replyText(text: string): string {
  return fitText(text, TEAMS_TEXT_LIMIT);
}
