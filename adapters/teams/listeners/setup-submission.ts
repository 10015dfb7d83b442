import type { TurnContext } from "botbuilder";
import { parseSetupForm } from "../presenters/forms.ts";
import { placeOf, senderOf } from "../people.ts";
import type { TeamsDeps } from "./context.ts";
import { fieldsOf, FormErrors } from "./form-errors.ts";

/**
 * The set-up card: creates the partnership (or changes it), links this conversation and records the
 * people listed, in one step the core takes or refuses as a whole. Who may change what is the
 * core's rule: the creator becomes an admin of the side they chose (the provider's by default);
 * afterwards each admin changes the people of their own side.
 */
export async function submitSetup(deps: TeamsDeps, context: TurnContext, data: unknown): Promise<string> {
  const { partnershipId, conversationId, holidaysShownFrom, ...command } = fieldsOf(parseSetupForm(data));
  const place = placeOf(context);
  if (conversationId !== place.channelId)
    throw new FormErrors([
      "This set-up card belongs to another conversation; send `setup` here for this one.",
    ]);
  const { partnership, created } = await deps.rapport.setUp({
    place,
    by: senderOf(context),
    partnershipId,
    command: { ...command, holidaysShownFrom },
  });
  const purposes = command.purposes.join(" and ");
  return created
    ? `This conversation is linked to ${partnership.name}, a new partnership, for ${purposes}. You are one of its admins.`
    : `This conversation is linked to ${partnership.name} for ${purposes}.`;
}
