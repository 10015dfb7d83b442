import type { App, SlackViewAction } from "@slack/bolt";
import type { WebClient } from "@slack/web-api";
import {
  addMember,
  configurePartnership,
  createPartnership,
  linkChannel,
  type Partnership,
  type PlatformUser,
} from "../../../src/index.ts";
import { VIEWS } from "../ids.ts";
import { parseMetadata } from "../presenters/form-kit.ts";
import { parseSetupForm, type SetupFields } from "../presenters/setup-form.ts";
import { SETUP_FORM, setupMetadataSchema, type SetupMetadata } from "../presenters/setup-modal.ts";
import type { SlackDeps } from "../replies.ts";
import { formErrors } from "./form-errors.ts";

/**
 * The set-up form: creates the partnership (or changes its settings), links this channel, and gives
 * the chosen people their side and role. A new partnership's creator sets everything; afterwards the
 * core lets only its admins change it, each for their own side, and says so for anyone refused.
 */
export function registerSetupSubmission(app: App, deps: SlackDeps): void {
  app.view<SlackViewAction>(VIEWS.setup, async ({ ack, body, view, client }) => {
    try {
      const meta = parseMetadata(setupMetadataSchema, view.private_metadata);
      if (!meta)
        throw Object.assign(new Error("expired"), {
          formErrors: { [SETUP_FORM.name]: "This form has expired; start again." },
        });
      const parsed = parseSetupForm(view.state.values);
      if ("errors" in parsed) throw Object.assign(new Error("form errors"), { formErrors: parsed.errors });
      const by = await deps.people.user(client, body.user.id, { team: body.user.team_id ?? null });
      const { partnership, refused } = await applySetup(deps, client, meta, parsed.fields, by);
      await ack();
      const note = refused.length ? ` Not changed: ${refused.join("; ")}` : "";
      await client.chat.postEphemeral({
        channel: meta.channelId,
        user: body.user.id,
        text: `This channel is linked to ${partnership.name} for ${parsed.fields.purposes.join(" and ")}.${note}`,
      });
    } catch (e) {
      await ack({ response_action: "errors", errors: formErrors(e, SETUP_FORM.name, deps) });
    }
  });
}

async function applySetup(
  deps: SlackDeps,
  client: WebClient,
  meta: SetupMetadata,
  fields: SetupFields,
  by: PlatformUser,
): Promise<{ partnership: Partnership; refused: string[] }> {
  const people = new Map<string, PlatformUser>();
  for (const m of fields.members) people.set(m.userId, await deps.people.user(client, m.userId));
  const providerWorkspaceIds = [
    ...new Set(
      fields.members.filter((m) => m.side === "provider").map((m) => people.get(m.userId)!.workspaceId),
    ),
  ];
  const isNew = meta.partnershipId === null;
  // The creator of a new partnership has nobody to ask; later changes are checked by the core.
  const setter = isNew ? null : by;
  const before = isNew ? [] : await deps.core.partnerships.members(meta.partnershipId!);
  const same = (a: { platform: string; workspaceId: string; userId: string }, b: PlatformUser) =>
    a.platform === b.platform && a.workspaceId === b.workspaceId && a.userId === b.userId;
  // The provider's workspaces decide everyone's side under the Slack Connect rule, so only the
  // provider's own admins may change them; a client admin listing someone as provider must not.
  const setterIsProvider = before.some((m) => same(m, by) && m.side === "provider");
  const partnership = isNew
    ? await createPartnership(deps.core, {
        name: fields.name,
        providerOrg: fields.providerOrg,
        clientOrg: fields.clientOrg,
        providerWorkspaceIds,
        settings: fields.settings,
      })
    : await configurePartnership(
        deps.core,
        meta.partnershipId!,
        {
          ...fields.settings,
          holidaysShownFrom: meta.holidaysShownFrom ?? null,
          ...(setterIsProvider ? { providerWorkspaceIds } : {}),
        },
        by,
      );
  const where = { platform: "slack" as const, workspaceId: meta.workspaceId, channelId: meta.channelId };
  await linkChannel(
    deps.core,
    { partnershipId: partnership.id, ...where, purposes: fields.purposes },
    setter,
  );
  const refused: string[] = [];
  for (const m of fields.members) {
    const user = people.get(m.userId)!;
    // The form lists everyone already in; only who is new or changed is (re)recorded.
    if (before.some((b) => same(b, user) && b.side === m.side && b.role === m.role)) continue;
    try {
      await addMember(
        deps.core,
        { partnershipId: partnership.id, ...user, side: m.side, role: m.role },
        setter,
      );
    } catch (e) {
      refused.push(`<@${m.userId}>: ${(e as Error).message}`);
    }
  }
  return { partnership, refused };
}
