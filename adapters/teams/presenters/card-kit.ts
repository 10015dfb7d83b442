// Small Adaptive Card builders shared by the presenters. Cards use schema 1.5, which Teams renders
// on desktop, web and mobile. Builders never write a property's default value: the card-validity
// test compares a card with the SDK's round trip of it, and a default would read as "dropped".
import { truncate } from "../../../src/index.ts";

/** The Adaptive Card schema version rapport writes. */
export const CARD_VERSION = "1.5";

/** Teams' limits that the presenters design for. */
export const TEAMS_LIMITS = {
  /** A message (activity) may be at most 28 KB; the card must leave room for the envelope. */
  messageBytes: 28 * 1024,
  /** Teams shows at most six actions in a card's action bar. */
  cardActions: 6,
} as const;

type Spacing = "None" | "Small" | "Medium" | "Large" | "ExtraLarge";

/** Placement shared by every element. */
export interface Layout {
  spacing?: Spacing;
  separator?: true;
}

/** A TextBlock; `text` takes Teams' markdown subset, so person-typed text goes through `plainText`. */
export interface TextBlock extends Layout {
  type: "TextBlock";
  text: string;
  wrap: true;
  size?: "Small" | "Medium" | "Large" | "ExtraLarge";
  weight?: "Bolder" | "Lighter";
  color?: "Good" | "Warning" | "Attention" | "Accent";
  isSubtle?: true;
  fontType?: "Monospace";
  style?: "heading";
}

/** Label/value pairs shown as a two-column table. */
export interface FactSet extends Layout {
  type: "FactSet";
  facts: { title: string; value: string }[];
}

/** A column of a ColumnSet. */
export interface Column {
  type: "Column";
  width: "auto" | "stretch";
  items: CardElement[];
  verticalContentAlignment?: "Center" | "Bottom";
}

/** Columns side by side. */
export interface ColumnSet extends Layout {
  type: "ColumnSet";
  columns: Column[];
}

/** A group of elements, optionally on a coloured background. */
export interface Container extends Layout {
  type: "Container";
  items: CardElement[];
  style?: "emphasis" | "attention" | "good" | "warning" | "accent";
}

/** Actions placed in the card's body rather than its action bar. */
export interface ActionSet extends Layout {
  type: "ActionSet";
  actions: CardAction[];
}

interface InputBase extends Layout {
  id: string;
  label: string;
  isRequired?: true;
  errorMessage?: string;
  value?: string;
}

/** A text field. */
export interface InputText extends InputBase {
  type: "Input.Text";
  maxLength: number;
  isMultiline?: true;
  placeholder?: string;
}

/** A menu, or radio buttons / checkboxes when expanded; a multi-select submits "a,b". */
export interface InputChoiceSet extends InputBase {
  type: "Input.ChoiceSet";
  choices: { title: string; value: string }[];
  style?: "expanded";
  isMultiSelect?: true;
}

/** A date picker; submits YYYY-MM-DD. */
export interface InputDate extends InputBase {
  type: "Input.Date";
  min?: string;
}

/** A time picker; submits HH:mm. */
export interface InputTime extends InputBase {
  type: "Input.Time";
}

/** A checkbox; submits "true" or "false". */
export interface InputToggle extends InputBase {
  type: "Input.Toggle";
  title: string;
}

/** Any input element. */
export type CardInput = InputText | InputChoiceSet | InputDate | InputTime | InputToggle;

/** Any element rapport puts in a card's body. */
export type CardElement = TextBlock | FactSet | ColumnSet | Container | ActionSet | CardInput;

/** A Universal Action: Teams sends an `adaptiveCard/action` invoke and shows the card the bot returns. */
export interface ActionExecute {
  type: "Action.Execute";
  title: string;
  verb: string;
  data: Record<string, unknown>;
  style?: "positive" | "destructive";
  associatedInputs?: "none";
}

/** A submit: a message activity in a conversation, or `task/submit` / `submitAction` in a dialog. */
export interface ActionSubmit {
  type: "Action.Submit";
  title: string;
  data: Record<string, unknown>;
  style?: "positive" | "destructive";
}

/** A link button. */
export interface ActionOpenUrl {
  type: "Action.OpenUrl";
  title: string;
  url: string;
}

/** Any action rapport puts on a card. */
export type CardAction = ActionExecute | ActionSubmit | ActionOpenUrl;

/** An Adaptive Card as sent in an attachment of contentType application/vnd.microsoft.card.adaptive. */
export interface AdaptiveCardJson {
  type: "AdaptiveCard";
  $schema: "http://adaptivecards.io/schemas/adaptive-card.json";
  version: typeof CARD_VERSION;
  /** Plain text for hosts that cannot render the card, and for the activity's notification summary. */
  fallbackText: string;
  body: CardElement[];
  actions?: CardAction[];
}

/** The card's attachment content type. */
export const ADAPTIVE_CARD_CONTENT_TYPE = "application/vnd.microsoft.card.adaptive";

/** A card of `body` and (at most six) bar `actions`, with `fallbackText` for notifications. */
export function adaptiveCard(
  fallbackText: string,
  body: CardElement[],
  actions: CardAction[] = [],
): AdaptiveCardJson {
  const card: AdaptiveCardJson = {
    type: "AdaptiveCard",
    $schema: "http://adaptivecards.io/schemas/adaptive-card.json",
    version: CARD_VERSION,
    fallbackText,
    body,
  };
  if (actions.length) card.actions = actions.slice(0, TEAMS_LIMITS.cardActions);
  return card;
}

/** A wrapping TextBlock. */
export function textBlock(text: string, opts: Omit<TextBlock, "type" | "text" | "wrap"> = {}): TextBlock {
  return { type: "TextBlock", text, wrap: true, ...opts };
}

/** A bold heading TextBlock, announced as a heading by screen readers. */
export function heading(text: string, size: TextBlock["size"] = "Medium"): TextBlock {
  return textBlock(text, { size, weight: "Bolder", style: "heading" });
}

/** A FactSet of [title, value] pairs. */
export function factSet(facts: readonly (readonly [string, string])[], layout: Layout = {}): FactSet {
  return { type: "FactSet", facts: facts.map(([title, value]) => ({ title, value })), ...layout };
}

/** A column; `auto` fits its content, `stretch` takes the rest. */
export function column(items: CardElement[], width: Column["width"] = "stretch"): Column {
  return { type: "Column", width, items };
}

/** Columns side by side. */
export function columnSet(columns: Column[], layout: Layout = {}): ColumnSet {
  return { type: "ColumnSet", columns, ...layout };
}

/** A group of elements. */
export function container(items: CardElement[], opts: Omit<Container, "type" | "items"> = {}): Container {
  return { type: "Container", items, ...opts };
}

/** Actions inside the body. */
export function actionSet(actions: CardAction[], layout: Layout = {}): ActionSet {
  return { type: "ActionSet", actions, ...layout };
}

/** An Action.Execute button: `verb` names what to do, `data` what on (inputs are merged into it). */
export function actionExecute(
  title: string,
  verb: string,
  data: Record<string, unknown>,
  opts: Pick<ActionExecute, "style" | "associatedInputs"> = {},
): ActionExecute {
  return { type: "Action.Execute", title, verb, data, ...opts };
}

/** An Action.Submit button; the card's inputs are merged into `data`. */
export function actionSubmit(
  title: string,
  data: Record<string, unknown>,
  style?: ActionSubmit["style"],
): ActionSubmit {
  return style ? { type: "Action.Submit", title, data, style } : { type: "Action.Submit", title, data };
}

/** A link button. */
export function actionOpenUrl(title: string, url: string): ActionOpenUrl {
  return { type: "Action.OpenUrl", title, url };
}

/** The size Teams counts: the card's JSON in UTF-8 bytes. */
export function cardBytes(card: AdaptiveCardJson): number {
  return Buffer.byteLength(JSON.stringify(card), "utf8");
}

/** What every input builder takes besides its id and label. */
export interface InputOptions {
  /** Makes the input required; this sentence shows under it when left empty. */
  required?: string;
  value?: string | null;
}

function inputBase(id: string, label: string, opts: InputOptions): InputBase {
  const base: InputBase = { id, label };
  if (opts.required) Object.assign(base, { isRequired: true, errorMessage: opts.required });
  if (opts.value) base.value = opts.value;
  return base;
}

/** A text field; `value` is cut to fit `maxLength`. */
export function inputText(
  id: string,
  label: string,
  opts: InputOptions & { maxLength: number; multiline?: boolean; placeholder?: string },
): InputText {
  const value = opts.value ? truncate(opts.value, opts.maxLength) : null;
  const base = inputBase(id, label, { ...opts, value });
  const input: InputText = { type: "Input.Text", ...base, maxLength: opts.maxLength };
  if (opts.multiline) input.isMultiline = true;
  if (opts.placeholder) input.placeholder = opts.placeholder;
  return input;
}

/** A menu of choices; `expanded` shows radio buttons (or checkboxes when `multiSelect`). */
export function inputChoiceSet(
  id: string,
  label: string,
  choices: readonly (readonly [value: string, title: string])[],
  opts: InputOptions & { expanded?: boolean; multiSelect?: boolean } = {},
): InputChoiceSet {
  const input: InputChoiceSet = {
    type: "Input.ChoiceSet",
    ...inputBase(id, label, opts),
    choices: choices.map(([value, title]) => ({ title, value })),
  };
  if (opts.expanded) input.style = "expanded";
  if (opts.multiSelect) input.isMultiSelect = true;
  return input;
}

/** A date picker (values YYYY-MM-DD). */
export function inputDate(id: string, label: string, opts: InputOptions & { min?: string } = {}): InputDate {
  const input: InputDate = { type: "Input.Date", ...inputBase(id, label, opts) };
  if (opts.min) input.min = opts.min;
  return input;
}

/** A time picker (values HH:mm). */
export function inputTime(id: string, label: string, opts: InputOptions = {}): InputTime {
  return { type: "Input.Time", ...inputBase(id, label, opts) };
}

/** A checkbox labelled `title`, submitting "true" or "false". */
export function inputToggle(id: string, label: string, title: string, checked: boolean): InputToggle {
  return { type: "Input.Toggle", ...inputBase(id, label, { value: checked ? "true" : null }), title };
}
