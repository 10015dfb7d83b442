// Shared pieces of the modals: input blocks, the zod schema of `view.state.values`, and the shape
// parsers return, which a listener hands to Slack as `{ response_action: "errors", errors }`.
import type { InputBlock, InputBlockElement, ModalView, PlainTextInput } from "@slack/web-api";
import { z } from "zod";
import { truncate } from "../../../src/index.ts";
import { LIMITS, plain } from "./kit.ts";

/** What a modal parser returns: the typed fields, or a message per block_id for `response_action: "errors"`. */
export type FormResult<T> =
  { fields: T; errors?: undefined } | { errors: Record<string, string>; fields?: undefined };

const optionSchema = z.object({ value: z.string() }).loose();

/** One input element's state as Slack sends it in `view.state.values[block_id][action_id]`. */
const elementStateSchema = z
  .object({
    type: z.string(),
    value: z.string().nullish(),
    selected_option: optionSchema.nullish(),
    selected_options: z.array(optionSchema).nullish(),
    selected_date: z.string().nullish(),
    selected_time: z.string().nullish(),
    selected_date_time: z.number().nullish(),
    selected_user: z.string().nullish(),
    selected_users: z.array(z.string()).nullish(),
  })
  .loose();

/** `view.state.values`: block_id → action_id → element state. */
export const stateValuesSchema = z.record(z.string(), z.record(z.string(), elementStateSchema));
/** The parsed `view.state.values`. */
export type StateValues = z.infer<typeof stateValuesSchema>;
type ElementState = z.infer<typeof elementStateSchema>;

/** Reads the form's state; a payload that is not one is reported on `firstBlock`. */
export function readState(values: unknown, firstBlock: string): StateValues | Record<string, string> {
  const parsed = stateValuesSchema.safeParse(values);
  return parsed.success ? parsed.data : { [firstBlock]: "This form could not be read. Please try again." };
}

/** True when `readState` gave back errors instead of the state. */
export function isUnreadable(state: StateValues | Record<string, string>): state is Record<string, string> {
  return Object.values(state).some((v) => typeof v === "string");
}

/** The state of the element in `blockId` (whose action_id is the block_id, as every form here builds it). */
export function element(state: StateValues, blockId: string): ElementState | undefined {
  return state[blockId]?.[blockId];
}

/** A trimmed text input, or "" when empty. */
export function textValue(state: StateValues, blockId: string): string {
  return element(state, blockId)?.value?.trim() ?? "";
}

/** The selected option's value of a select or radio group, or null. */
export function selectedValue(state: StateValues, blockId: string): string | null {
  return element(state, blockId)?.selected_option?.value ?? null;
}

/** The selected values of a checkbox group. */
export function checkedValues(state: StateValues, blockId: string): string[] {
  return (element(state, blockId)?.selected_options ?? []).map((o) => o.value);
}

/** The selected users of a multi_users_select. */
export function selectedUsers(state: StateValues, blockId: string): string[] {
  return element(state, blockId)?.selected_users ?? [];
}

/** An input block whose element's action_id equals its block_id. */
export function input(
  blockId: string,
  label: string,
  el: InputBlockElement,
  opts: { optional?: boolean; hint?: string } = {},
): InputBlock {
  const block: InputBlock = {
    type: "input",
    block_id: blockId,
    label: plain(label, 2000),
    element: { ...el, action_id: blockId } as InputBlockElement,
  };
  if (opts.optional) block.optional = true;
  if (opts.hint) block.hint = plain(opts.hint, 2000);
  return block;
}

/** A plain_text_input element (single or multi-line) with an optional initial value cut to fit. */
export function textInput(opts: {
  maxLength: number;
  initial?: string | null;
  multiline?: boolean;
  placeholder?: string;
}): PlainTextInput {
  const el: PlainTextInput = { type: "plain_text_input", max_length: opts.maxLength };
  if (opts.multiline) el.multiline = true;
  if (opts.initial) el.initial_value = truncate(opts.initial, opts.maxLength);
  if (opts.placeholder) el.placeholder = plain(opts.placeholder, LIMITS.placeholder);
  return el;
}

/** A modal with rapport's title, submit and close texts (each ≤ 24 characters). */
export function modal(
  callbackId: string,
  title: string,
  blocks: ModalView["blocks"],
  metadata: unknown,
  submit = "Save",
): ModalView {
  return {
    type: "modal",
    callback_id: callbackId,
    title: plain(title, LIMITS.viewTitle),
    submit: plain(submit, LIMITS.viewTitle),
    close: plain("Cancel", LIMITS.viewTitle),
    private_metadata: JSON.stringify(metadata),
    blocks,
  };
}

/** Parses a view's `private_metadata` JSON with `schema`; null when it does not match. */
export function parseMetadata<T>(schema: z.ZodType<T>, metadata: string | undefined): T | null {
  try {
    const parsed = schema.safeParse(JSON.parse(metadata ?? ""));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/**
 * The form metadata of issue, recommendation, call and heads-up modals: the channel they were opened
 * in (with the view's workspace, where they are submitted from) and its partnership, a claim.
 */
export const formMetadataSchema = z.object({
  partnershipId: z.string().min(1),
  channelId: z.string().min(1),
});
/** Where an issue, recommendation, call or heads-up form was opened. */
export type FormMetadata = z.infer<typeof formMetadataSchema>;

/**
 * The metadata of forms that read a date as a day of the partnership's calendar (recommendation,
 * heads-up): its timezone too, so the form is read as it was shown.
 */
export const zonedFormMetadataSchema = formMetadataSchema.extend({ timezone: z.string().min(1) });
