// Shared pieces of the card forms. A form posted in a conversation submits with Action.Execute
// (the bot answers with a card: the result, or the form again with its errors); a form shown in a
// dialog (a message action's task module) submits with Action.Submit, since dialogs do not run
// Universal Actions. Either way Teams merges the inputs' values (strings) into the action's data,
// and that object is what the parsers read.
import { z } from "zod";
import { partnershipSettingsSchema } from "../../../src/index.ts";
import { VERBS } from "../ids.ts";
import {
  actionExecute,
  actionSubmit,
  container,
  textBlock,
  type AdaptiveCardJson,
  type CardAction,
  type CardElement,
} from "./card-kit.ts";

/** What a form parser returns: the typed fields, or sentences saying what to fix. */
export type FormResult<T> = { fields: T; errors?: undefined } | { errors: string[]; fields?: undefined };

/** The name each form submits under: the Action.Execute verb, or `form` in an Action.Submit's data. */
export const FORM_VERBS = {
  issue: VERBS.submitIssue,
  setup: VERBS.submitSetup,
  recommend: VERBS.submitRecommend,
  call: VERBS.submitCall,
  headsUp: VERBS.submitHeadsUp,
  directRequest: VERBS.submitDirectRequest,
} as const;

/**
 * Where a form records: the partnership it was opened for (a claim the core checks) and, on forms
 * that read a date or time, the partnership's timezone, which the typed times are read in.
 */
export interface FormContext {
  partnershipId: string;
  timezone?: string;
}

/** The context a form carries back when it reads times: the partnership and its timezone, both required. */
export const timedFormContextSchema = z.object({
  partnershipId: z.string().min(1).max(200),
  timezone: partnershipSettingsSchema.shape.timezone,
});

/** The context a form carries in its submit action's data. */
export function formContext(ctx: FormContext): Record<string, string> {
  return ctx.timezone
    ? { partnershipId: ctx.partnershipId, timezone: ctx.timezone }
    : { partnershipId: ctx.partnershipId };
}

/** Where a form is shown: in a conversation (Action.Execute) or in a dialog (Action.Submit). */
export type FormSurface = "conversation" | "dialog";

/** The data key naming the form in an Action.Submit's data. */
export const FORM_KEY = "form";

/** The form's submit button, carrying `context` (ids the inputs do not hold). */
export function submitAction(
  surface: FormSurface,
  title: string,
  verb: string,
  context: Record<string, unknown>,
): CardAction {
  return surface === "conversation"
    ? actionExecute(title, verb, context, { style: "positive" })
    : actionSubmit(title, { ...context, [FORM_KEY]: verb }, "positive");
}

/** An id the bot put in the form's data. */
export const idSchema = z.string().min(1).max(200);

/** An optional input value, as Teams submits it (a string; absent when the input was left empty). */
export const inputValue = z.string().optional();

const UNREADABLE = "This form could not be read. Please open it again.";

/** Parses submitted data with `schema`; a payload that does not match is one error sentence. */
export function readForm<T>(schema: z.ZodType<T>, data: unknown): T | { unreadable: string[] } {
  const parsed = schema.safeParse(data);
  return parsed.success ? parsed.data : { unreadable: [UNREADABLE] };
}

/** True when `readForm` could not read the data. */
export function isUnreadable<T>(read: T | { unreadable: string[] }): read is { unreadable: string[] } {
  return typeof read === "object" && read !== null && "unreadable" in read;
}

/** A trimmed text value; an error sentence is pushed when it is empty and `empty` is given, or too long. */
export function checkText(
  value: string | undefined,
  max: number,
  errors: string[],
  what: { name: string; empty?: string },
): string {
  const text = value?.trim() ?? "";
  if (!text && what.empty) errors.push(what.empty);
  else if (text.length > max)
    errors.push(`Keep ${what.name} under ${max.toLocaleString("en-GB")} characters.`);
  return text;
}

function refill(elements: CardElement[], values: Record<string, unknown>): CardElement[] {
  return elements.map((el) => {
    if (el.type === "Container") return { ...el, items: refill(el.items, values) };
    if (el.type === "ColumnSet") {
      return { ...el, columns: el.columns.map((c) => ({ ...c, items: refill(c.items, values) })) };
    }
    if (!el.type.startsWith("Input.") || !("id" in el)) return el;
    const value = values[el.id];
    if (typeof value !== "string") return el;
    // An input the person emptied stays empty, rather than showing the form's default again.
    const { value: _default, ...rest } = el;
    return value ? { ...rest, value } : rest;
  });
}

/** The form again, with the errors on top and what the person entered kept in its inputs. */
export function formWithErrors(
  card: AdaptiveCardJson,
  errors: readonly string[],
  submitted: unknown,
): AdaptiveCardJson {
  const values =
    typeof submitted === "object" && submitted !== null ? (submitted as Record<string, unknown>) : {};
  const notice = container(
    errors.map((e) => textBlock(`⚠️ ${e}`, { color: "Attention" })),
    { style: "attention" },
  );
  return { ...card, body: [notice, ...refill(card.body, values)] };
}
