// The core's form documents as Adaptive Card inputs, and a submitted card's data as the core's
// form values. The fields, their labels, limits and options, and every rule of what is acceptable
// come from the core; this file only knows how Teams shows an input and what it sends back.
import { z } from "zod";
import type { FormDocument, FormField, FormReading, FormValues } from "../../../src/index.ts";
import {
  adaptiveCard,
  column,
  columnSet,
  container,
  inputChoiceSet,
  inputDate,
  inputText,
  inputTime,
  textBlock,
  type AdaptiveCardJson,
  type CardElement,
} from "./card-kit.ts";
import {
  formContext,
  idSchema,
  inputValue,
  isUnreadable,
  readForm,
  submitAction,
  type FormContext,
  type FormResult,
  type FormSurface,
} from "./form-kit.ts";
import { neutraliseMentions } from "./plain-text.ts";

/** The Input.Date of a datetime field. */
export const dateInputId = (fieldId: string): string => `${fieldId}_date`;
/** The Input.Time of a datetime field, beside its date. */
export const timeInputId = (fieldId: string): string => `${fieldId}_time`;

/** The input ids a field is entered in: its own id, or a date and a time for a datetime. */
function inputIdsOf(field: FormField): string[] {
  return field.kind === "datetime" ? [dateInputId(field.id), timeInputId(field.id)] : [field.id];
}

/** A form coming back: what was submitted (the action's data) and the sentences saying what to fix. */
export interface FormComeback {
  submitted: unknown;
  errors: readonly string[];
}

const recordOf = (data: unknown): Record<string, unknown> =>
  typeof data === "object" && data !== null ? (data as Record<string, unknown>) : {};

/**
 * The form's inputs in a card body. A form that comes back keeps what was typed (an input the
 * person emptied stays empty rather than showing the form's default again) and shows the
 * sentences saying what to fix on top.
 */
export function renderForm(form: FormDocument, comeback?: FormComeback): CardElement[] {
  const submitted = recordOf(comeback?.submitted);
  const valueOf = (inputId: string, initial?: string | null): string | null => {
    const value = submitted[inputId];
    if (typeof value === "string") return value;
    return initial ? neutraliseMentions(initial) : null;
  };
  const body = form.fields.flatMap((field) => renderField(field, valueOf));
  if (!comeback?.errors.length) return body;
  const notice = container(
    comeback.errors.map((e) => textBlock(`⚠️ ${e}`, { color: "Attention" })),
    { style: "attention" },
  );
  return [notice, ...body];
}

function renderField(
  field: FormField,
  valueOf: (inputId: string, initial?: string | null) => string | null,
): CardElement[] {
  const { id, label, required } = field;
  const value = valueOf(id, field.initial);
  const choices = (field.options ?? []).map((o) => [o.value, o.label] as const);
  const input: CardElement = (() => {
    switch (field.kind) {
      case "text":
      case "multiline":
        return inputText(id, label, {
          required,
          value,
          maxLength: field.maxLength ?? TEAMS_TEXT_LIMIT,
          multiline: field.kind === "multiline",
          placeholder: field.placeholder,
        });
      case "select":
      case "radio":
        return inputChoiceSet(id, label, choices, { required, value, expanded: field.kind === "radio" });
      case "date":
        return inputDate(id, label, { required, value, min: field.min });
      case "datetime":
        return columnSet([
          column([inputDate(dateInputId(id), label, { required, value: valueOf(dateInputId(id)) })]),
          column([inputTime(timeInputId(id), "At", { required, value: valueOf(timeInputId(id)) })]),
        ]);
    }
  })();
  const hint = field.hint ? [textBlock(field.hint, { isSubtle: true, size: "Small", spacing: "None" })] : [];
  return [input, ...hint];
}

/** The most an Input.Text takes when the core names no limit. */
const TEAMS_TEXT_LIMIT = 3000;

/** The form as a card: its inputs, and a submit button carrying the form's context. */
export function formCard(
  form: FormDocument,
  verb: string,
  ctx: FormContext & { surface?: FormSurface; comeback?: FormComeback },
): AdaptiveCardJson {
  return adaptiveCard(form.title, renderForm(form, ctx.comeback), [
    submitAction(ctx.surface ?? "conversation", form.submit, verb, formContext(ctx)),
  ]);
}

/**
 * What a submitted card says, as the core reads forms: a datetime's date and time joined into a
 * local "YYYY-MM-DDTHH:mm" (read in the partnership's timezone). A date or a time alone is passed
 * on as it is, for the core to say what is missing.
 */
export function formValues(data: unknown, form: FormDocument): FormValues {
  const submitted = recordOf(data);
  const text = (inputId: string): string => {
    const value = submitted[inputId];
    return typeof value === "string" ? value.trim() : "";
  };
  return Object.fromEntries(
    form.fields.map((field) => {
      if (field.kind !== "datetime") return [field.id, text(field.id) || null];
      const date = text(dateInputId(field.id));
      const time = text(timeInputId(field.id)).slice(0, 5);
      return [field.id, date && time ? `${date}T${time}` : date || time || null];
    }),
  );
}

/**
 * Reads a submitted form: the context the bot put in its data (the partnership), and the inputs
 * through the core's reader. What to fix comes back as the core's sentences, in the form's order.
 */
export function readCardForm<T>(
  form: FormDocument,
  data: unknown,
  read: (values: FormValues) => FormReading<T>,
): FormResult<T & { partnershipId: string }> {
  const schema = z.object({
    partnershipId: idSchema,
    ...Object.fromEntries(form.fields.flatMap(inputIdsOf).map((id) => [id, inputValue])),
  });
  const ctx = readForm(schema, data);
  if (isUnreadable(ctx)) return { errors: ctx.unreadable };
  const reading = read(formValues(data, form));
  if ("errors" in reading) {
    const ids = form.fields.map((f) => f.id);
    const order = (id: string) => (ids.includes(id) ? ids.indexOf(id) : ids.length);
    const errors = Object.entries(reading.errors).sort(([a], [b]) => order(a) - order(b));
    return { errors: errors.map(([, sentence]) => sentence) };
  }
  return { fields: { ...reading.fields, partnershipId: ctx.partnershipId } };
}
