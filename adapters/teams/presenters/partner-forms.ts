// The smaller forms: recommend, call and heads-up, posted in the conversation as cards.
import {
  callForm,
  headsUpForm,
  readCallForm,
  readHeadsUpForm,
  readRecommendForm,
  recommendForm,
  type FormClock,
  type RecommendationRisk,
  type Side,
} from "../../../src/index.ts";
import type { AdaptiveCardJson } from "./card-kit.ts";
import { FORM_VERBS, type FormContext, type FormResult } from "./form-kit.ts";
import { formCard, readCardForm, type FormComeback } from "./render-form.ts";

type Again = { comeback?: FormComeback };

/** The recommendation form; the decide-by date starts 14 days from today in the partnership's timezone. */
export function recommendFormCard(
  ctx: FormContext & Again & { title?: string },
  clock: FormClock,
): AdaptiveCardJson {
  return formCard(recommendForm(clock, { title: ctx.title ?? null }), FORM_VERBS.recommend, ctx);
}

/** Reads the recommendation form into what `recommend` takes, or says what to fix. */
export function parseRecommendForm(
  data: unknown,
  clock: FormClock,
): FormResult<
  FormContext & { title: string; why: string | null; risk: RecommendationRisk; decideBy: string }
> {
  return readCardForm(recommendForm(clock), data, (values) => readRecommendForm(values, clock));
}

/** The call form: a scheduled call that was held or missed. */
export function callFormCard(ctx: FormContext & Again): AdaptiveCardJson {
  return formCard(callForm(), FORM_VERBS.call, ctx);
}

/** Reads the call form into what `logCall` takes; the time is in the partnership's timezone. */
export function parseCallForm(
  data: unknown,
  clock: FormClock,
): FormResult<FormContext & { scheduledAt: Date; title: string | null; missedBy: Side | null }> {
  return readCardForm(callForm(), data, (values) => readCallForm(values, clock));
}

/** The heads-up form: a change the client announces, and the day it happens. */
export function headsUpFormCard(ctx: FormContext & Again): AdaptiveCardJson {
  return formCard(headsUpForm(), FORM_VERBS.headsUp, ctx);
}

/** Reads the heads-up form into what `announceChange` takes; the day starts in the partnership's timezone. */
export function parseHeadsUpForm(
  data: unknown,
  clock: FormClock,
): FormResult<FormContext & { title: string; detail: string | null; effectiveAt: Date }> {
  return readCardForm(headsUpForm(), data, (values) => readHeadsUpForm(values, clock));
}
