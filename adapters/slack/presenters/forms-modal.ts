// The smaller `/itpartner` forms: recommend, call and heads-up, rendered from the core's forms.
import type { ModalView } from "@slack/web-api";
import {
  callForm,
  headsUpForm,
  readCallForm,
  readHeadsUpForm,
  readRecommendForm,
  recommendForm,
  type FormClock,
} from "../../../src/index.ts";
import { VIEWS } from "../ids.ts";
import type { FormMetadata } from "./form-kit.ts";
import { formModal, readForm } from "./render-form.ts";

// The form's days are read on the calendar they were shown on (`zonedFormMetadataSchema`).
const zoned = (metadata: FormMetadata, { timezone }: Pick<FormClock, "timezone">) => ({
  ...metadata,
  timezone,
});

/** The recommendation form; the decide-by date starts 14 days from today in the partnership's timezone. */
export function recommendModal(metadata: FormMetadata, clock: FormClock): ModalView {
  return formModal(VIEWS.recommend, recommendForm(clock), zoned(metadata, clock));
}

/** Reads the recommendation form into what `recommend` takes. */
export function parseRecommendForm(values: unknown, clock: FormClock) {
  return readForm(values, recommendForm(clock), (v) => readRecommendForm(v, clock));
}

/** The call form: a call that was held or missed. */
export function callModal(metadata: FormMetadata): ModalView {
  return formModal(VIEWS.call, callForm(), metadata);
}

/** Reads the call form into what `logCall` takes. */
export function parseCallForm(values: unknown, clock: FormClock) {
  return readForm(values, callForm(), (v) => readCallForm(v, clock));
}

/** The heads-up form: a change the client announces, and the day it happens in the partnership's timezone. */
export function headsUpModal(metadata: FormMetadata, clock: Pick<FormClock, "timezone">): ModalView {
  return formModal(VIEWS.headsUp, headsUpForm(), zoned(metadata, clock));
}

/** Reads the heads-up form into what `announceChange` takes; the day starts in the partnership's timezone. */
export function parseHeadsUpForm(values: unknown, clock: FormClock) {
  return readForm(values, headsUpForm(), (v) => readHeadsUpForm(v, clock));
}
