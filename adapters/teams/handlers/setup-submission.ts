import type { TurnContext } from "botbuilder";
import {
  addMember,
  configurePartnership,
  createPartnership,
  linkChannel,
  type PlatformUser,
} from "../../../src/index.ts";
import { parseSetupForm } from "../presenters/forms.ts";
import { placeOf } from "../people.ts";
import type { TeamsDeps } from "./context.ts";
import { fieldsOf, FormErrors } from "./form-errors.ts";

/**
 * The set-up card: creates the partnership (or changes its settings) and links this conversation.
 * In Teams the tenant decides sides, so whoever sets up a new partnership is taken as the
 * provider's admin and their tenant as the provider's; later changes are checked by the core.
 */
export async function submitSetup(
  deps: TeamsDeps,
  context: TurnContext,
  data: unknown,
  by: PlatformUser,
): Promise<string> {
  const fields = fieldsOf(parseSetupForm(data));
  const place = placeOf(context);
  if (fields.conversationId !== place.channelId)
    throw new FormErrors(["This set-up card belongs to another conversation."]);
  const isNew = fields.partnershipId === null;
  const partnership = isNew
    ? await createPartnership(deps.core, {
        name: fields.name,
        providerOrg: fields.providerOrg,
        clientOrg: fields.clientOrg,
        providerWorkspaceIds: [by.workspaceId],
        settings: fields.settings,
      })
    : await configurePartnership(
        deps.core,
        fields.partnershipId!,
        { ...fields.settings, holidaysShownFrom: fields.holidaysShownFrom ?? null },
        by,
      );
  if (isNew)
    await addMember(
      deps.core,
      { partnershipId: partnership.id, ...by, side: "provider", role: "admin" },
      null,
    );
  await linkChannel(
    deps.core,
    {
      partnershipId: partnership.id,
      platform: "teams",
      workspaceId: place.workspaceId,
      channelId: place.channelId,
      purposes: fields.purposes,
    },
    isNew ? null : by,
  );
  return `This conversation is linked to ${partnership.name} for ${fields.purposes.join(" and ")}.`;
}
