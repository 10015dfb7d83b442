import type { AdaptiveCardInvokeResponse, TurnContext } from "botbuilder";
import { z } from "zod";
import { isRapportError } from "../../../src/index.ts";
import { adaptiveCard, textBlock, type AdaptiveCardJson } from "../presenters/card-kit.ts";
import {
  callFormCard,
  FORM_VERBS,
  formWithErrors,
  headsUpFormCard,
  issueFormCard,
  parseCallForm,
  parseHeadsUpForm,
  parseIssueForm,
  parseRecommendForm,
  recommendFormCard,
  setupFormAgain,
  type FormComeback,
} from "../presenters/forms.ts";
import { isUnreadable, readForm, timedFormContextSchema } from "../presenters/form-kit.ts";
import { issueCard } from "../presenters/issue-card.ts";
import { recommendationCard } from "../presenters/recommendation-card.ts";
import { placeOf, senderOf } from "../people.ts";
import {
  cardReply,
  invokeSource,
  messageReply,
  rememberCard,
  userMessage,
  type TeamsDeps,
} from "./context.ts";
import { fieldsOf, FormErrors } from "./form-errors.ts";
import { submitSetup } from "./setup-submission.ts";

const contextSchema = timedFormContextSchema;
type Context = z.infer<typeof contextSchema>;

/** The context of a submitted form, or FormErrors when the data is not a form rapport posted. */
function contextOf(data: unknown): Context {
  const read = readForm(contextSchema, data);
  if (isUnreadable(read)) throw new FormErrors(read.unreadable);
  return read;
}

interface Form {
  /** Records what the form says; returns the card that takes the form's place. */
  submit(deps: TeamsDeps, context: TurnContext, data: unknown): Promise<AdaptiveCardJson>;
  /**
   * The form as posted, rebuilt from its data to be shown again with what to fix and what was
   * typed; null when it cannot be.
   */
  again(comeback: FormComeback, now: Date): AdaptiveCardJson | null;
}

const request = (context: TurnContext) => ({
  place: placeOf(context),
  by: senderOf(context),
  source: invokeSource(context),
});
const done = (text: string) => adaptiveCard(text, [textBlock(text)]);
const withContext = (comeback: FormComeback, card: (ctx: Context) => AdaptiveCardJson) => {
  const ctx = contextSchema.safeParse(comeback.submitted);
  return ctx.success ? card(ctx.data) : null;
};

const FORMS: Record<string, Form> = {
  [FORM_VERBS.issue]: {
    async submit(deps, context, data) {
      const now = deps.rapport.now();
      const { partnershipId, ...fields } = fieldsOf(parseIssueForm(data, { now, ...contextOf(data) }));
      const { issue, partnership, created } = await deps.rapport.report({
        ...request(context),
        partnershipId,
        via: "form",
        fields,
      });
      // The issue card takes the form's place: changes made elsewhere redraw it there.
      if (created)
        await rememberCard(deps, context, context.activity.replyToId, { partnership, subjectId: issue.id });
      return issueCard(issue, partnership, { now });
    },
    again: (comeback) => withContext(comeback, (ctx) => issueFormCard({ ...ctx, comeback })),
  },
  [FORM_VERBS.recommend]: {
    async submit(deps, context, data) {
      const clock = { now: deps.rapport.now(), ...contextOf(data) };
      const { partnershipId, ...fields } = fieldsOf(parseRecommendForm(data, clock));
      const { recommendation, partnership, created } = await deps.rapport.recommend({
        ...request(context),
        partnershipId,
        ...fields,
      });
      if (created) {
        await rememberCard(deps, context, context.activity.replyToId, {
          partnership,
          subjectId: recommendation.id,
        });
      }
      return recommendationCard(recommendation, partnership);
    },
    again: (comeback, now) =>
      withContext(comeback, (ctx) =>
        recommendFormCard({ ...ctx, comeback }, { now, timezone: ctx.timezone }),
      ),
  },
  [FORM_VERBS.call]: {
    async submit(deps, context, data) {
      const clock = { now: deps.rapport.now(), ...contextOf(data) };
      const { partnershipId, ...fields } = fieldsOf(parseCallForm(data, clock));
      const { call } = await deps.rapport.logCall({ ...request(context), partnershipId, ...fields });
      return done(
        call.status === "held"
          ? "Logged the call as held."
          : `Logged the call as missed by the ${call.missedBy} side.`,
      );
    },
    again: (comeback) => withContext(comeback, (ctx) => callFormCard({ ...ctx, comeback })),
  },
  [FORM_VERBS.headsUp]: {
    async submit(deps, context, data) {
      const clock = { now: deps.rapport.now(), ...contextOf(data) };
      const { partnershipId, ...fields } = fieldsOf(parseHeadsUpForm(data, clock));
      const { leadDays } = await deps.rapport.announceChange({
        ...request(context),
        partnershipId,
        ...fields,
      });
      return done(`Thanks for the heads-up: ${Math.round(leadDays)} days ahead.`);
    },
    again: (comeback) => withContext(comeback, (ctx) => headsUpFormCard({ ...ctx, comeback })),
  },
  [FORM_VERBS.setup]: {
    submit: async (deps, context, data) => done(await submitSetup(deps, context, data)),
    again: ({ submitted, errors }) => {
      const form = setupFormAgain(submitted);
      return form && formWithErrors(form, errors, submitted);
    },
  },
};

/** True for the verbs of rapport's card forms. */
export const isFormVerb = (verb: string): boolean => Object.hasOwn(FORMS, verb);

/**
 * A form submitted from a card in the conversation. A refusal or a field to fix answers with the
 * form again, showing why on top and keeping what was typed; nothing is recorded then.
 */
export async function onFormSubmission(
  deps: TeamsDeps,
  context: TurnContext,
  verb: string,
  data: unknown,
): Promise<AdaptiveCardInvokeResponse> {
  const form = FORMS[verb]!;
  try {
    return cardReply(await form.submit(deps, context, data));
  } catch (e) {
    const errors =
      e instanceof FormErrors ? e.errors : isRapportError(e) ? [userMessage(e, deps.logger)] : null;
    if (!errors) return messageReply(userMessage(e, deps.logger));
    const again = form.again({ submitted: data, errors }, deps.rapport.now());
    return again ? cardReply(again) : messageReply(errors.join(" "));
  }
}
