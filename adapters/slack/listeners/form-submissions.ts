import type { SlackViewAction, ViewOutput } from "@slack/bolt";
import type { SlackListeners } from "../listener-table.ts";
import type { WebClient } from "@slack/web-api";
import type { z } from "zod";
import {
  CALL_FORM,
  HEADS_UP_FORM,
  ISSUE_FORM,
  RECOMMEND_FORM,
  type FormClock,
  type PlatformUser,
  type Request,
} from "../../../src/index.ts";
import { postCard } from "../cards.ts";
import { VIEWS } from "../ids.ts";
import {
  DIRECT_REQUEST_FORM,
  directRequestMetadataSchema,
  parseDirectRequestForm,
} from "../presenters/direct-request-modal.ts";
import { formMetadataSchema, zonedFormMetadataSchema } from "../presenters/form-kit.ts";
import { parseCallForm, parseHeadsUpForm, parseRecommendForm } from "../presenters/forms-modal.ts";
import { issueConfirmation } from "../presenters/issue-card.ts";
import { parseIssueForm } from "../presenters/issue-modal.ts";
import { inBackground, queueing, slackPlace, tsToDate, type SlackDeps } from "../replies.ts";
import { FormErrors, fieldsOf, formErrors, metadataOf, STILL_ASKING } from "./form-errors.ts";
import { registerSetupSubmission } from "./setup-submission.ts";

/** A submitted form: the view, the person, and its metadata as read by a schema. */
interface Submission {
  deps: SlackDeps;
  client: WebClient;
  view: ViewOutput;
  by: PlatformUser;
  metadata<T>(schema: z.ZodType<T>): T;
  /**
   * The clock the form is read on: now, on the calendar of its metadata (days of the partnership's
   * timezone). Forms without one read only Slack's pickers' instants, which need no calendar.
   */
  clock(metadata?: { timezone?: string }): FormClock;
  /** Queues a card before Slack is answered (a crash after the answer still posts it); a failure is logged. */
  afterwards(work: () => Promise<void>): void;
}

/** What a submitted form tells the person: a confirmation in its channel, visible to them only. */
type Submitted = { channelId: string; text: string } | null;

interface Form {
  firstBlock: string;
  handle(s: Submission): Promise<Submitted>;
}

/** The use case's request: the view's workspace and the form's channel are the place; its partnership a claim. */
function requestOf(
  { view, by }: Submission,
  meta: { channelId: string; partnershipId: string | null },
): Request {
  return {
    place: slackPlace(view.team_id, meta.channelId),
    by,
    source: { platform: "slack", id: `view:${view.id}` },
    partnershipId: meta.partnershipId,
  };
}

const FORMS: Record<string, Form> = {
  [VIEWS.issueForm]: {
    firstBlock: ISSUE_FORM.title,
    handle: async (s) => {
      const meta = s.metadata(formMetadataSchema);
      const fields = fieldsOf(parseIssueForm(s.view.state.values, s.clock()));
      const request = requestOf(s, meta);
      // The card goes to the channel the form was opened from, written with the issue.
      const card = { place: { ...request.place, channelId: meta.channelId } };
      const { issue } = await s.deps.rapport.report({ ...request, via: "form", fields, card });
      return { channelId: meta.channelId, text: issueConfirmation(issue) };
    },
  },
  [VIEWS.recommend]: {
    firstBlock: RECOMMEND_FORM.title,
    handle: async (s) => {
      const meta = s.metadata(zonedFormMetadataSchema);
      const fields = fieldsOf(parseRecommendForm(s.view.state.values, s.clock(meta)));
      const made = await s.deps.rapport.recommend({ ...requestOf(s, meta), ...fields });
      if (made.created) {
        const at = { workspaceId: s.view.team_id, channelId: meta.channelId };
        const subject = { kind: "recommendation" as const, recommendation: made.recommendation };
        s.afterwards(() => postCard(s.deps, made.partnership, subject, at));
      }
      return null;
    },
  },
  [VIEWS.call]: {
    firstBlock: CALL_FORM.when,
    handle: async (s) => {
      const meta = s.metadata(formMetadataSchema);
      const fields = fieldsOf(parseCallForm(s.view.state.values, s.clock()));
      const { call } = await s.deps.rapport.logCall({ ...requestOf(s, meta), ...fields });
      const what = call.status === "held" ? "held" : `missed by the ${call.missedBy} side`;
      return { channelId: meta.channelId, text: `Logged the call as ${what}.` };
    },
  },
  [VIEWS.headsUp]: {
    firstBlock: HEADS_UP_FORM.what,
    handle: async (s) => {
      const meta = s.metadata(zonedFormMetadataSchema);
      const fields = fieldsOf(parseHeadsUpForm(s.view.state.values, s.clock(meta)));
      const { leadDays } = await s.deps.rapport.announceChange({ ...requestOf(s, meta), ...fields });
      return {
        channelId: meta.channelId,
        text: `Thanks for the heads-up: ${Math.round(leadDays)} days ahead.`,
      };
    },
  },
  [VIEWS.directRequestForm]: {
    firstBlock: DIRECT_REQUEST_FORM.text,
    handle: async (s) => {
      const meta = s.metadata(directRequestMetadataSchema);
      const fields = fieldsOf(parseDirectRequestForm(s.view.state.values, meta));
      // The form names the requester by id alone (their team was learnt when it opened, if the
      // message told it); their side is recorded, so it is never a guess.
      const { user: requester, tentative } = s.deps.people.person(s.client, fields.requesterUserId, {
        place: s.view.team_id,
      });
      if (tentative) throw new FormErrors({ [DIRECT_REQUEST_FORM.requester]: STILL_ASKING });
      const logged = await s.deps.rapport.logDirectRequest({
        ...requestOf(s, { channelId: meta.channelId, partnershipId: fields.partnershipId }),
        source: { platform: "slack", id: `direct:${meta.channelId}:${meta.messageTs}` },
        occurredAt: tsToDate(meta.messageTs),
        requester,
        text: fields.text,
      });
      const [support] = await s.deps.rapport.supportChannels(logged.partnership, "slack");
      if (logged.created && support?.channelId) {
        const at = { workspaceId: support.workspaceId, channelId: support.channelId };
        s.afterwards(() => postCard(s.deps, logged.partnership, { kind: "issue", issue: logged.issue }, at));
      }
      return null;
    },
  },
};

/**
 * Modal submissions: the form is parsed by its presenter's schema (mistakes go back under their
 * field and the form stays open), one use case records it, and only then is Slack answered. A
 * refusal goes back under the form's first field, and nothing is recorded.
 */
export function registerFormSubmissions(app: SlackListeners, deps: SlackDeps): void {
  for (const [callbackId, { firstBlock, handle }] of Object.entries(FORMS)) {
    app.view<SlackViewAction>(callbackId, async ({ ack, body, view, client }) => {
      try {
        const by = deps.people.user(client, body.user.id, { team: body.user.team_id, place: view.team_id });
        const metadata = <T>(schema: z.ZodType<T>) => metadataOf(schema, view.private_metadata, firstBlock);
        const clock = (meta?: { timezone?: string }) => ({
          now: deps.rapport.now(),
          timezone: meta?.timezone ?? "UTC",
        });
        const cards: Promise<void>[] = [];
        const afterwards = (work: () => Promise<void>) =>
          void cards.push(queueing(deps.logger, "could not queue a card", work));
        const done = await handle({ deps, client, view, by, metadata, clock, afterwards });
        await Promise.all(cards);
        await ack();
        if (!done) return;
        const note = { channel: done.channelId, user: body.user.id, text: done.text };
        inBackground(deps.logger, "could not confirm a form to a Slack user", () =>
          client.chat.postEphemeral(note),
        );
      } catch (e) {
        await ack({ response_action: "errors", errors: formErrors(e, firstBlock, deps.logger) });
      }
    });
  }
  registerSetupSubmission(app, deps);
}
