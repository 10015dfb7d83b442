// The smaller `/itpartner` forms: recommend, call and heads-up.
import type { KnownBlock, ModalView, PlainTextOption } from "@slack/web-api";
import { DateTime } from "luxon";
import { DEFAULT_DECISION_DAYS, type RecommendationRisk, type Side } from "../../../src/index.ts";
import { VIEWS } from "../ids.ts";
import {
  element,
  input,
  isUnreadable,
  modal,
  readState,
  selectedValue,
  textInput,
  textValue,
  type FormMetadata,
  type FormResult,
  type StateValues,
} from "./form-kit.ts";
import { option } from "./kit.ts";

/** Block ids (and action ids: each equals its block id) of the recommendation form. */
export const RECOMMEND_FORM = {
  title: "rec_title",
  why: "rec_why",
  risk: "rec_risk",
  decideBy: "rec_decide_by",
} as const;
/** Block ids of the call form. */
export const CALL_FORM = { when: "call_when", title: "call_title", outcome: "call_outcome" } as const;
/** Block ids of the heads-up form. */
export const HEADS_UP_FORM = {
  what: "headsup_what",
  when: "headsup_when",
  detail: "headsup_detail",
} as const;

type Errors = Record<string, string>;
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

function requiredText(
  state: StateValues,
  blockId: string,
  max: number,
  errors: Errors,
  empty: string,
): string {
  const value = textValue(state, blockId);
  if (!value) errors[blockId] = empty;
  else if (value.length > max) errors[blockId] = `Keep it under ${max.toLocaleString("en-GB")} characters.`;
  return value;
}

function optionalText(state: StateValues, blockId: string, max: number, errors: Errors): string | null {
  const value = textValue(state, blockId);
  if (value.length > max) errors[blockId] = `Keep it under ${max.toLocaleString("en-GB")} characters.`;
  return value || null;
}

// The form's days are read on the calendar they were shown on (`zonedFormMetadataSchema`).
const zoned = (metadata: FormMetadata, { timezone }: Pick<Clock, "timezone">) => ({ ...metadata, timezone });

const today = ({ now, timezone }: Clock) => DateTime.fromJSDate(now, { zone: timezone }).startOf("day");

/** The recommendation form; the decide-by date starts 14 days from today in the partnership's timezone. */
export function recommendModal(metadata: FormMetadata, clock: Clock): ModalView {
  const risks: PlainTextOption[] = Object.entries(RISKS).map(([value, text]) => option(text, value));
  const decideBy = today(clock).plus({ days: DEFAULT_DECISION_DAYS }).toISODate() ?? undefined;
  const blocks: KnownBlock[] = [
    input(
      RECOMMEND_FORM.title,
      "Recommendation",
      textInput({ maxLength: 200, placeholder: "Replace the unsupported firewall" }),
    ),
    input(RECOMMEND_FORM.why, "Why", textInput({ maxLength: 3000, multiline: true }), {
      optional: true,
      hint: "What it protects against or improves, and what it costs.",
    }),
    input(RECOMMEND_FORM.risk, "Risk if not done", {
      type: "static_select",
      options: risks,
      initial_option: risks[1],
    }),
    input(RECOMMEND_FORM.decideBy, "Decide by", { type: "datepicker", initial_date: decideBy }),
  ];
  return modal(VIEWS.recommend, "Make a recommendation", blocks, zoned(metadata, clock), "Record");
}

/** Reads the recommendation form into what `recommend` takes. */
export function parseRecommendForm(
  values: unknown,
  clock: Clock,
): FormResult<{ title: string; why: string | null; risk: RecommendationRisk; decideBy: string }> {
  const state = readState(values, RECOMMEND_FORM.title);
  if (isUnreadable(state)) return { errors: state };
  const errors: Errors = {};
  const title = requiredText(state, RECOMMEND_FORM.title, 200, errors, "Say what you recommend.");
  const why = optionalText(state, RECOMMEND_FORM.why, 3000, errors);
  const risk = selectedValue(state, RECOMMEND_FORM.risk) ?? "medium";
  if (!Object.hasOwn(RISKS, risk)) errors[RECOMMEND_FORM.risk] = "Choose low, medium, high or critical.";
  const decideBy = element(state, RECOMMEND_FORM.decideBy)?.selected_date ?? "";
  const day = DateTime.fromISO(decideBy, { zone: clock.timezone });
  if (!day.isValid) errors[RECOMMEND_FORM.decideBy] = "Choose the date the client should decide by.";
  else if (day < today(clock)) errors[RECOMMEND_FORM.decideBy] = "Choose a date from today on.";
  return Object.keys(errors).length
    ? { errors }
    : { fields: { title, why, risk: risk as RecommendationRisk, decideBy } };
}

/** The call form: a call that was held or missed. */
export function callModal(metadata: FormMetadata): ModalView {
  const outcomes = Object.entries(OUTCOMES).map(([value, text]) => option(text, value));
  const blocks: KnownBlock[] = [
    input(CALL_FORM.when, "When was it scheduled?", { type: "datetimepicker" }),
    input(CALL_FORM.title, "What was it?", textInput({ maxLength: 200, placeholder: "Monthly review" }), {
      optional: true,
    }),
    input(CALL_FORM.outcome, "What happened?", {
      type: "radio_buttons",
      options: outcomes,
      initial_option: outcomes[0],
    }),
  ];
  return modal(VIEWS.call, "Log a call", blocks, metadata, "Log it");
}

/** Reads the call form into what `logCall` takes. */
export function parseCallForm(
  values: unknown,
  { now }: { now: Date },
): FormResult<{ scheduledAt: Date; title: string | null; missedBy: Side | null }> {
  const state = readState(values, CALL_FORM.when);
  if (isUnreadable(state)) return { errors: state };
  const errors: Errors = {};
  const unix = element(state, CALL_FORM.when)?.selected_date_time;
  if (unix == null) errors[CALL_FORM.when] = "Choose when the call was scheduled.";
  else if (unix * 1000 > now.getTime())
    errors[CALL_FORM.when] = "That call is still to come; log it once it was held or missed.";
  const title = optionalText(state, CALL_FORM.title, 200, errors);
  const outcome = selectedValue(state, CALL_FORM.outcome);
  if (outcome === null || !Object.hasOwn(OUTCOMES, outcome))
    errors[CALL_FORM.outcome] = "Say whether it was held or missed, and by whom.";
  if (Object.keys(errors).length || unix == null || outcome === null) return { errors };
  return {
    fields: {
      scheduledAt: new Date(unix * 1000),
      title,
      missedBy: MISSED_BY[outcome as keyof typeof OUTCOMES],
    },
  };
}

/** The heads-up form: a change the client announces, and the day it happens in the partnership's timezone. */
export function headsUpModal(metadata: FormMetadata, clock: Pick<Clock, "timezone">): ModalView {
  const blocks: KnownBlock[] = [
    input(
      HEADS_UP_FORM.what,
      "What is changing?",
      textInput({ maxLength: 200, placeholder: "New copier on the 2nd floor" }),
    ),
    input(
      HEADS_UP_FORM.when,
      "When?",
      { type: "datepicker" },
      { hint: "The earlier you say, the better the provider can prepare." },
    ),
    input(HEADS_UP_FORM.detail, "Details", textInput({ maxLength: 3000, multiline: true }), {
      optional: true,
    }),
  ];
  return modal(VIEWS.headsUp, "Heads-up on a change", blocks, zoned(metadata, clock), "Send");
}

/** Reads the heads-up form into what `announceChange` takes; the day starts in the partnership's timezone. */
export function parseHeadsUpForm(
  values: unknown,
  { timezone }: { timezone: string },
): FormResult<{ title: string; detail: string | null; effectiveAt: Date }> {
  const state = readState(values, HEADS_UP_FORM.what);
  if (isUnreadable(state)) return { errors: state };
  const errors: Errors = {};
  const title = requiredText(state, HEADS_UP_FORM.what, 200, errors, "Say what is changing.");
  const detail = optionalText(state, HEADS_UP_FORM.detail, 3000, errors);
  const day = DateTime.fromISO(element(state, HEADS_UP_FORM.when)?.selected_date ?? "", { zone: timezone });
  if (!day.isValid) errors[HEADS_UP_FORM.when] = "Choose the day of the change.";
  return Object.keys(errors).length ? { errors } : { fields: { title, detail, effectiveAt: day.toJSDate() } };
}
