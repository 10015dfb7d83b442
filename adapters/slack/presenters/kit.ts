// Small Block Kit builders shared by the presenters. They take text that is already safe
// (escaped where it came from a person) and enforce Slack's length limits by truncating.
import type {
  Button,
  ContextBlock,
  KnownBlock,
  DividerBlock,
  HeaderBlock,
  MrkdwnElement,
  PlainTextElement,
  PlainTextOption,
  SectionBlock,
} from "@slack/web-api";
import { truncate } from "../../../src/index.ts";

/** A message for chat.postMessage / chat.update: notification text and blocks. */
export interface SlackMessage {
  text: string;
  blocks: KnownBlock[];
}

/** Slack's limits that the presenters design for (characters, or items). */
export const LIMITS = {
  messageBlocks: 50,
  viewBlocks: 100,
  text: 3000,
  field: 2000,
  fields: 10,
  header: 150,
  buttonText: 75,
  buttonValue: 2000,
  id: 255,
  viewTitle: 24,
  optionText: 75,
  optionValue: 150,
  options: 100,
  contextElements: 10,
  placeholder: 150,
} as const;

/** A plain_text object (emoji shortcodes on), cut to `max` characters. */
export function plain(text: string, max: number = LIMITS.text): PlainTextElement {
  return { type: "plain_text", text: truncate(text, max), emoji: true };
}

/** A mrkdwn text object, cut to `max` characters. */
export function mrkdwn(text: string, max: number = LIMITS.text): MrkdwnElement {
  return { type: "mrkdwn", text: truncate(text, max) };
}

/** A header block. */
export function header(text: string): HeaderBlock {
  return { type: "header", text: plain(text, LIMITS.header) };
}

/** A section block of mrkdwn text. */
export function section(text: string): SectionBlock {
  return { type: "section", text: mrkdwn(text) };
}

/** A section of up to ten mrkdwn fields, shown in two columns. */
export function fieldsSection(fields: readonly string[]): SectionBlock {
  return { type: "section", fields: fields.slice(0, LIMITS.fields).map((f) => mrkdwn(f, LIMITS.field)) };
}

/** A context block of up to ten mrkdwn elements. */
export function context(...texts: string[]): ContextBlock {
  return { type: "context", elements: texts.slice(0, LIMITS.contextElements).map((t) => mrkdwn(t)) };
}

/** A divider. */
export function divider(): DividerBlock {
  return { type: "divider" };
}

/** A button; `value` is the listener's input and must fit Slack's 2,000 characters on its own. */
export function button(actionId: string, text: string, value: string, style?: "primary" | "danger"): Button {
  const b: Button = { type: "button", action_id: actionId, text: plain(text, LIMITS.buttonText), value };
  return style ? { ...b, style } : b;
}

/** An option of a select, radio or checkbox group. */
export function option(text: string, value: string): PlainTextOption {
  return { text: plain(text, LIMITS.optionText), value };
}
