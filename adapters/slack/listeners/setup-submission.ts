import type { SlackViewAction } from "@slack/bolt";
import type { SlackListeners } from "../listener-table.ts";
import { VIEWS } from "../ids.ts";
import { parseSetupForm } from "../presenters/setup-form.ts";
import { SETUP_FORM, setupMetadataSchema } from "../presenters/setup-modal.ts";
import { inBackground, slackPlace, type SlackDeps } from "../replies.ts";
import type { Side } from "../../../src/index.ts";
import { FormErrors, fieldsOf, formErrors, metadataOf, STILL_ASKING } from "./form-errors.ts";

/**
 * The set-up form: one `setUp` creates the partnership (or changes it), links the channel and
 * records the people listed, all or nothing. Who may change what is the core's to decide; a
 * refusal comes back as the form's error and nothing is changed.
 */
export function registerSetupSubmission(app: SlackListeners, deps: SlackDeps): void {
  app.view<SlackViewAction>(VIEWS.setup, async ({ ack, body, view, client }) => {
    try {
      const meta = metadataOf(setupMetadataSchema, view.private_metadata, SETUP_FORM.name);
      const { members, ...fields } = fieldsOf(parseSetupForm(view.state.values));
      const by = deps.people.user(client, body.user.id, { team: body.user.team_id, place: view.team_id });
      // The form names people by id alone: their teams come from the cache (filled when the form
      // opened). A membership is kept, so none is recorded under a guessed team: while users.info
      // (asked now) has not answered, the form stays open and asks to save again.
      const placed = members.map((m) => ({
        ...m,
        ...deps.people.person(client, m.userId, { place: view.team_id }),
      }));
      const unplaced = placed.filter((p) => p.tentative);
      if (unplaced.length) throw new FormErrors(stillAsking(unplaced));
      const people = placed.map(({ user, side, role }) => ({ user, side, role }));
      const { partnership, link } = await deps.rapport.setUp({
        place: slackPlace(view.team_id, meta.channelId),
        by,
        partnershipId: meta.partnershipId,
        command: { ...fields, holidaysShownFrom: meta.holidaysShownFrom ?? null, people },
      });
      await ack();
      const note = {
        channel: meta.channelId,
        user: body.user.id,
        text: `This channel is linked to ${partnership.name} for ${link.purposes.join(" and ")}.`,
      };
      inBackground(deps.logger, "could not confirm the set-up to a Slack user", () =>
        client.chat.postEphemeral(note),
      );
    } catch (e) {
      await ack({ response_action: "errors", errors: formErrors(e, SETUP_FORM.name, deps.logger) });
    }
  });
}

/** The sentence under each team's field that names someone Slack has not placed yet. */
function stillAsking(people: { side: Side }[]): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const { side } of people)
    errors[side === "provider" ? SETUP_FORM.providerMembers : SETUP_FORM.clientMembers] = STILL_ASKING;
  return errors;
}
