import type { App, SlackViewAction, ViewOutput } from "@slack/bolt";
import type { WebClient } from "@slack/web-api";
import {
  announceChange,
  logCall,
  logDirectRequest,
  recommend,
  reportIssue,
  type PlatformUser,
} from "../../../src/index.ts";
import { postIssueCard, postRecommendationCard } from "../cards.ts";
import { VIEWS } from "../ids.ts";
import {
  DIRECT_REQUEST_FORM,
  directRequestMetadataSchema,
  parseDirectRequestForm,
} from "../presenters/direct-request-modal.ts";
import { formMetadataSchema, parseMetadata } from "../presenters/form-kit.ts";
import {
  CALL_FORM,
  HEADS_UP_FORM,
  RECOMMEND_FORM,
  parseCallForm,
  parseHeadsUpForm,
  parseRecommendForm,
} from "../presenters/forms-modal.ts";
import { issueConfirmation } from "../presenters/issue-card.ts";
import { ISSUE_FORM, parseIssueForm } from "../presenters/issue-modal.ts";
import type { SlackDeps } from "../replies.ts";
import { registerSetupSubmission } from "./setup-submission.ts";
import { FieldError, fieldsOf, formErrors } from "./form-errors.ts";

/** What a submitted form tells the person: a confirmation in the channel, visible to them only. */
type Submitted = { channelId: string; text: string } | null;
type Handler = (deps: SlackDeps, client: WebClient, view: ViewOutput, by: PlatformUser) => Promise<Submitted>;

function metadataOf(view: ViewOutput, firstBlock: string) {
  const metadata = parseMetadata(formMetadataSchema, view.private_metadata);
  if (!metadata) throw new FieldError(firstBlock, "This form has expired; close it and start again.");
  return metadata;
}

const source = (view: ViewOutput) => ({ platform: "slack" as const, id: `view:${view.id}` });

const HANDLERS: Record<string, { firstBlock: string; handle: Handler }> = {
  [VIEWS.issueForm]: {
    firstBlock: ISSUE_FORM.title,
    handle: async (deps, client, view, by) => {
      const meta = metadataOf(view, ISSUE_FORM.title);
      const fields = fieldsOf(parseIssueForm(view.state.values, { now: deps.core.clock.now() }));
      const { issue, created } = await reportIssue(deps.core, {
        partnershipId: meta.partnershipId,
        by,
        source: source(view),
        via: "form",
        fields,
      });
      if (created) {
        const partnership = await deps.core.partnerships.get(meta.partnershipId);
        await postIssueCard(deps, client, partnership, issue, {
          workspaceId: view.team_id,
          channelId: meta.channelId,
        });
      }
      return { channelId: meta.channelId, text: issueConfirmation(issue) };
    },
  },
  [VIEWS.recommend]: {
    firstBlock: RECOMMEND_FORM.title,
    handle: async (deps, client, view, by) => {
      const meta = metadataOf(view, RECOMMEND_FORM.title);
      const partnership = await deps.core.partnerships.get(meta.partnershipId);
      const clock = { now: deps.core.clock.now(), timezone: partnership.timezone };
      const fields = fieldsOf(parseRecommendForm(view.state.values, clock));
      const { recommendation, created } = await recommend(deps.core, {
        partnershipId: partnership.id,
        by,
        source: source(view),
        ...fields,
      });
      if (created)
        await postRecommendationCard(deps, client, partnership, recommendation, {
          workspaceId: view.team_id,
          channelId: meta.channelId,
        });
      return null;
    },
  },
  [VIEWS.call]: {
    firstBlock: CALL_FORM.when,
    handle: async (deps, _client, view, by) => {
      const meta = metadataOf(view, CALL_FORM.when);
      const fields = fieldsOf(parseCallForm(view.state.values, { now: deps.core.clock.now() }));
      const { call } = await logCall(deps.core, {
        partnershipId: meta.partnershipId,
        by,
        source: source(view),
        ...fields,
      });
      const what = call.status === "held" ? "held" : `missed by the ${call.missedBy} side`;
      return { channelId: meta.channelId, text: `Logged the call as ${what}.` };
    },
  },
  [VIEWS.headsUp]: {
    firstBlock: HEADS_UP_FORM.what,
    handle: async (deps, _client, view, by) => {
      const meta = metadataOf(view, HEADS_UP_FORM.what);
      const partnership = await deps.core.partnerships.get(meta.partnershipId);
      const fields = fieldsOf(parseHeadsUpForm(view.state.values, { timezone: partnership.timezone }));
      const { leadDays } = await announceChange(deps.core, {
        partnershipId: partnership.id,
        by,
        source: source(view),
        ...fields,
      });
      return {
        channelId: meta.channelId,
        text: `Thanks for the heads-up: ${Math.round(leadDays)} days ahead.`,
      };
    },
  },
  [VIEWS.directRequestForm]: {
    firstBlock: DIRECT_REQUEST_FORM.text,
    handle: async (deps, client, view, by) => {
      const meta = parseMetadata(directRequestMetadataSchema, view.private_metadata);
      if (!meta)
        throw new FieldError(DIRECT_REQUEST_FORM.text, "This form has expired; close it and start again.");
      const fields = fieldsOf(parseDirectRequestForm(view.state.values, meta));
      const requester = await deps.people.user(client, fields.requesterUserId);
      const { issue, created } = await logDirectRequest(deps.core, {
        partnershipId: fields.partnershipId,
        by,
        requester,
        text: fields.text,
        source: { platform: "slack", id: `direct:${meta.channelId}:${meta.messageTs}` },
        occurredAt: new Date(Math.round(Number(meta.messageTs) * 1000)),
      });
      const partnership = await deps.core.partnerships.get(fields.partnershipId);
      const support = (await deps.core.partnerships.channels(partnership.id)).find(
        (c) => c.platform === "slack" && c.purposes.includes("support"),
      );
      if (created && support) {
        await postIssueCard(deps, client, partnership, issue, {
          workspaceId: support.workspaceId,
          channelId: support.channelId,
        });
      }
      return null;
    },
  },
};

/**
 * Modal submissions: the form is parsed by its presenter's schema (mistakes go back under their
 * field and the form stays open), one service records it, and only then is Slack answered.
 */
export function registerFormSubmissions(app: App, deps: SlackDeps): void {
  for (const [callbackId, { firstBlock, handle }] of Object.entries(HANDLERS)) {
    app.view<SlackViewAction>(callbackId, async ({ ack, body, view, client }) => {
      try {
        const by = await deps.people.user(client, body.user.id, { team: body.user.team_id ?? null });
        const done = await handle(deps, client, view, by);
        await ack();
        if (done)
          await client.chat.postEphemeral({ channel: done.channelId, user: body.user.id, text: done.text });
      } catch (e) {
        await ack({ response_action: "errors", errors: formErrors(e, firstBlock, deps) });
      }
    });
  }
  registerSetupSubmission(app, deps);
}
