import type { App, SlackViewAction } from "@slack/bolt";
import { VIEWS } from "../ids.ts";
import { parseSetupForm } from "../presenters/setup-form.ts";
import { SETUP_FORM, setupMetadataSchema } from "../presenters/setup-modal.ts";
import { slackPlace, type SlackDeps } from "../replies.ts";
import { fieldsOf, formErrors, metadataOf } from "./form-errors.ts";

/**
 * The set-up form: one `setUp` creates the partnership (or changes it), links the channel and
 * records the people listed, all or nothing. Who may change what is the core's to decide; a
 * refusal comes back as the form's error and nothing is changed.
 */
export function registerSetupSubmission(app: App, deps: SlackDeps): void {
  app.view<SlackViewAction>(VIEWS.setup, async ({ ack, body, view, client }) => {
    try {
      const meta = metadataOf(setupMetadataSchema, view.private_metadata, SETUP_FORM.name);
      const { members, ...fields } = fieldsOf(parseSetupForm(view.state.values));
      const by = await deps.people.user(client, body.user.id, { team: body.user.team_id ?? null });
      const people = [];
      for (const m of members)
        people.push({ user: await deps.people.user(client, m.userId), side: m.side, role: m.role });
      const { partnership, link } = await deps.rapport.setUp({
        place: slackPlace(view.team_id, meta.channelId),
        by,
        partnershipId: meta.partnershipId,
        command: { ...fields, holidaysShownFrom: meta.holidaysShownFrom ?? null, people },
      });
      await ack();
      await client.chat.postEphemeral({
        channel: meta.channelId,
        user: body.user.id,
        text: `This channel is linked to ${partnership.name} for ${link.purposes.join(" and ")}.`,
      });
    } catch (e) {
      await ack({ response_action: "errors", errors: formErrors(e, SETUP_FORM.name, deps.logger) });
    }
  });
}
