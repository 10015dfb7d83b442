// The smaller forms: recommend, call and heads-up, posted in the conversation as cards.
import { z } from "zod";
import { DateTime } from "luxon";
import {
  DEFAULT_DECISION_DAYS,
  recommendationRiskSchema,
  type RecommendationRisk,
  type Side,
} from "../../../src/index.ts";
import {
  adaptiveCard,
  column,
  columnSet,
  inputChoiceSet,
  inputDate,
  inputText,
  inputTime,
  type AdaptiveCardJson,
} from "./card-kit.ts";
import { isoDay, readDateTime } from "./dates.ts";
import {
  checkText,
  formContext,
  FORM_VERBS,
  idSchema,
  inputValue,
  isUnreadable,
  readForm,
  submitAction,
  type FormContext,
  type FormResult,
} from "./form-kit.ts";
import { neutraliseMentions } from "./plain-text.ts";

/** Input ids of the recommendation form. */
export const RECOMMEND_FORM = {
  title: "rec_title",
  why: "rec_why",
  risk: "rec_risk",
  decideBy: "rec_decide_by",
} as const;
/** Input ids of the call form. */
export const CALL_FORM = {
  date: "call_date",
  time: "call_time",
  title: "call_title",
  outcome: "call_outcome",
} as const;
/** Input ids of the heads-up form. */
export const HEADS_UP_FORM = {
  what: "headsup_what",
  when: "headsup_when",
  detail: "headsup_detail",
} as const;

type Clock = { now: Date; timezone: string };

const RISKS: Record<RecommendationRisk, string> = {
  low: "Low",
  medium: "Medium",
  high: "High",
  critical: "Critical",
};
const OUTCOMES = {
  held: "Held",
  missed_by_provider: "Missed by the provider",
  missed_by_client: "Missed by the client",
} as const;
const MISSED_BY: Record<keyof typeof OUTCOMES, Side | null> = {
  held: null,
  missed_by_provider: "provider",
  missed_by_client: "client",
};
const contextSchema = z.object({ partnershipId: idSchema });
const submit = (title: string, verb: string, ctx: FormContext) =>
  submitAction("conversation", title, verb, formContext(ctx));

/** The recommendation form; the decide-by date starts 14 days from today in the partnership's timezone. */
export function recommendFormCard(
  ctx: FormContext & { title?: string },
  { now, timezone }: Clock,
): AdaptiveCardJson {
  return adaptiveCard(
    "Make a recommendation",
    [
      inputText(RECOMMEND_FORM.title, "Recommendation", {
        required: "Say what you recommend.",
        maxLength: 200,
        value: ctx.title ? neutraliseMentions(ctx.title) : null,
        placeholder: "Replace the unsupported firewall",
      }),
      inputText(RECOMMEND_FORM.why, "Why: what it protects against or improves, and what it costs", {
        maxLength: 3000,
        multiline: true,
      }),
      inputChoiceSet(RECOMMEND_FORM.risk, "Risk if not done", Object.entries(RISKS), { value: "medium" }),
      inputDate(RECOMMEND_FORM.decideBy, "Decide by", {
        required: "Choose the date the client should decide by.",
        value: isoDay(now, timezone, DEFAULT_DECISION_DAYS),
        min: isoDay(now, timezone),
      }),
    ],
    [submit("Record", FORM_VERBS.recommend, ctx)],
  );
}

const recommendSchema = contextSchema.extend({
  [RECOMMEND_FORM.title]: inputValue,
  [RECOMMEND_FORM.why]: inputValue,
  [RECOMMEND_FORM.risk]: inputValue,
  [RECOMMEND_FORM.decideBy]: inputValue,
});

/** Reads the recommendation form into what `recommend` takes, or says what to fix. */
export function parseRecommendForm(
  data: unknown,
  clock: Clock,
): FormResult<
  FormContext & { title: string; why: string | null; risk: RecommendationRisk; decideBy: string }
> {
  const form = readForm(recommendSchema, data);
  if (isUnreadable(form)) return { errors: form.unreadable };
  const errors: string[] = [];
  const title = checkText(form[RECOMMEND_FORM.title], 200, errors, {
    name: "the recommendation",
    empty: "Say what you recommend.",
  });
  const why = checkText(form[RECOMMEND_FORM.why], 3000, errors, { name: "the reasons" });
  const risk = recommendationRiskSchema.safeParse(form[RECOMMEND_FORM.risk] || "medium");
  if (!risk.success) errors.push("Choose a risk: low, medium, high or critical.");
  const decideBy = form[RECOMMEND_FORM.decideBy] ?? "";
  const day = DateTime.fromISO(decideBy, { zone: clock.timezone });
  if (!day.isValid || !/^\d{4}-\d{2}-\d{2}$/.test(decideBy))
    errors.push("Choose the date the client should decide by.");
  else if (decideBy < isoDay(clock.now, clock.timezone))
    errors.push("Choose a decide-by date from today on.");
  if (errors.length || !risk.success) return { errors };
  return {
    fields: { partnershipId: form.partnershipId, title, why: why || null, risk: risk.data, decideBy },
  };
}

/** The call form: a scheduled call that was held or missed. */
export function callFormCard(ctx: FormContext): AdaptiveCardJson {
  const required = "Choose when the call was scheduled.";
  return adaptiveCard(
    "Log a call",
    [
      columnSet([
        column([inputDate(CALL_FORM.date, "When was it scheduled?", { required })]),
        column([inputTime(CALL_FORM.time, "At", { required })]),
      ]),
      inputText(CALL_FORM.title, "What was it?", { maxLength: 200, placeholder: "Monthly review" }),
      inputChoiceSet(CALL_FORM.outcome, "What happened?", Object.entries(OUTCOMES), {
        required: "Say whether it was held or missed, and by whom.",
        expanded: true,
        value: "held",
      }),
    ],
    [submit("Log it", FORM_VERBS.call, ctx)],
  );
}

const callSchema = contextSchema.extend({
  [CALL_FORM.date]: inputValue,
  [CALL_FORM.time]: inputValue,
  [CALL_FORM.title]: inputValue,
  [CALL_FORM.outcome]: inputValue,
});
const outcomeSchema = z.enum(Object.keys(OUTCOMES) as [keyof typeof OUTCOMES, ...(keyof typeof OUTCOMES)[]]);

/** Reads the call form into what `logCall` takes; the time is in the partnership's timezone. */
export function parseCallForm(
  data: unknown,
  clock: Clock,
): FormResult<FormContext & { scheduledAt: Date; title: string | null; missedBy: Side | null }> {
  const form = readForm(callSchema, data);
  if (isUnreadable(form)) return { errors: form.unreadable };
  const errors: string[] = [];
  const at = readDateTime(form[CALL_FORM.date], form[CALL_FORM.time], clock);
  if (at === null || at === "no time" || at === "unreadable" || !form[CALL_FORM.date]) {
    errors.push("Choose the day and time the call was scheduled.");
  } else if (at.getTime() > clock.now.getTime()) {
    errors.push("That call is still to come; log it once it was held or missed.");
  }
  const title = checkText(form[CALL_FORM.title], 200, errors, { name: "the call's name" });
  const outcome = outcomeSchema.safeParse(form[CALL_FORM.outcome]);
  if (!outcome.success) errors.push("Say whether the call was held or missed, and by whom.");
  if (errors.length || !(at instanceof Date) || !outcome.success) return { errors };
  return {
    fields: {
      partnershipId: form.partnershipId,
      scheduledAt: at,
      title: title || null,
      missedBy: MISSED_BY[outcome.data],
    },
  };
}

/** The heads-up form: a change the client announces, and the day it happens. */
export function headsUpFormCard(ctx: FormContext): AdaptiveCardJson {
  return adaptiveCard(
    "Heads-up on a change",
    [
      inputText(HEADS_UP_FORM.what, "What is changing?", {
        required: "Say what is changing.",
        maxLength: 200,
        placeholder: "New copier on the 2nd floor",
      }),
      inputDate(HEADS_UP_FORM.when, "When? The earlier you say, the better the provider can prepare.", {
        required: "Choose the day of the change.",
      }),
      inputText(HEADS_UP_FORM.detail, "Details", { maxLength: 3000, multiline: true }),
    ],
    [submit("Send", FORM_VERBS.headsUp, ctx)],
  );
}

const headsUpSchema = contextSchema.extend({
  [HEADS_UP_FORM.what]: inputValue,
  [HEADS_UP_FORM.when]: inputValue,
  [HEADS_UP_FORM.detail]: inputValue,
});

/** Reads the heads-up form into what `announceChange` takes; the day starts in the partnership's timezone. */
export function parseHeadsUpForm(
  data: unknown,
  { timezone }: { timezone: string },
): FormResult<FormContext & { title: string; detail: string | null; effectiveAt: Date }> {
  const form = readForm(headsUpSchema, data);
  if (isUnreadable(form)) return { errors: form.unreadable };
  const errors: string[] = [];
  const title = checkText(form[HEADS_UP_FORM.what], 200, errors, {
    name: "the change",
    empty: "Say what is changing.",
  });
  const detail = checkText(form[HEADS_UP_FORM.detail], 3000, errors, { name: "the details" });
  const when = form[HEADS_UP_FORM.when] ?? "";
  const day = DateTime.fromISO(when, { zone: timezone });
  if (!day.isValid || !/^\d{4}-\d{2}-\d{2}$/.test(when)) errors.push("Choose the day of the change.");
  if (errors.length) return { errors };
  return {
    fields: { partnershipId: form.partnershipId, title, detail: detail || null, effectiveAt: day.toJSDate() },
  };
}
