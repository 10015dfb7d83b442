import type { BlockAction, ButtonAction, StaticSelectAction } from "@slack/bolt";
import type { SlackListeners } from "../listener-table.ts";
import { RapportError } from "../../../src/index.ts";
import { CARD_ACTIONS, readCardAction } from "../presenters/render-card.ts";
import { acting, slackPlace, type SlackDeps } from "../replies.ts";

/**
 * Every button and menu on issue and recommendation cards: read back into the core's neutral
 * action and the ids it claims, handed to one use case (which records and redraws every card of
 * the subject), and a sentence for the clicker where there is one. The click's team and channel
 * are the place; the ids the card carries are claims the core checks.
 */
export function registerCardActions(app: SlackListeners, deps: SlackDeps): void {
  for (const actionId of CARD_ACTIONS.keys()) {
    app.action<BlockAction<ButtonAction | StaticSelectAction>>(
      actionId,
      async ({ body, action, ack, client, respond }) => {
        await acting(deps, ack, respond, async () => {
          const value = "selected_option" in action ? action.selected_option?.value : action.value;
          const read = readCardAction(actionId, value);
          if (!read) {
            throw new RapportError(
              "invalid_input",
              "rapport could not read that button, so nothing was recorded.",
            );
          }
          const { text } = await deps.rapport.cardAction({
            place: slackPlace(body.team?.id, body.channel?.id),
            by: deps.people.user(client, body.user.id, { team: body.user.team_id, place: body.team?.id }),
            source: { platform: "slack", id: `act:${body.trigger_id}` },
            ...read,
          });
          return text;
        });
      },
    );
  }
}
