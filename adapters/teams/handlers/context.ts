import { CardFactory, type TurnContext } from "botbuilder";
import type { Core, Logger } from "../../../src/index.ts";
import { isRapportError } from "../../../src/index.ts";
import type { AdaptiveCardJson } from "../presenters/card-kit.ts";

/** What every Teams handler works with. */
export interface TeamsDeps {
  core: Core;
  logger: Logger;
}

/** How a Teams user links a conversation to a partnership. */
export const HOW_TO_LINK =
  "An admin can link it by sending `setup` here (with @rapport in a channel), or with `rapport partnership link` on the server.";

/** The sentence a person sees for a refusal (the core's own words) or a failure (logged with its cause). */
export function userMessage(e: unknown, logger: Logger): string {
  if (isRapportError(e)) {
    logger.info({ code: e.code }, "refused a Teams request");
    return e.message;
  }
  logger.error({ err: e }, "a Teams request failed");
  return "Something went wrong on rapport's side; nothing already recorded was lost. Please try again in a minute.";
}

/** Sends a card as a reply in the conversation; returns the id Teams gave the message. */
export async function sendCard(context: TurnContext, card: AdaptiveCardJson): Promise<string | null> {
  const sent = await context.sendActivity({ attachments: [CardFactory.adaptiveCard(card)] });
  return sent?.id ?? null;
}
