// Slack refuses a whole message or view when one limit is exceeded, and says little about which.
// This checker names each violation by its path, for tests and for presenters that must not fail.
import type { AnyBlock, View } from "@slack/web-api";
import { LIMITS } from "./kit.ts";

type Node = Record<string, unknown>;
type Rule = (node: Node, path: string, out: string[]) => void;

const isNode = (x: unknown): x is Node => typeof x === "object" && x !== null && !Array.isArray(x);
const textOf = (x: unknown): string | null => (isNode(x) && typeof x.text === "string" ? x.text : null);
const listOf = (x: unknown): unknown[] => (Array.isArray(x) ? x : []);
const stringOr = (x: unknown): string | null => (typeof x === "string" ? x : null);

function maxLength(out: string[], path: string, value: string | null, max: number): void {
  if (value !== null && value.length > max) out.push(`${path} is ${value.length} characters (limit ${max})`);
}

function maxItems(out: string[], path: string, value: unknown, max: number): void {
  const n = listOf(value).length;
  if (n > max) out.push(`${path} has ${n} items (limit ${max})`);
}

function checkOptions(node: Node, path: string, out: string[], max: number): void {
  maxItems(out, `${path}.options`, node.options, max);
  maxItems(out, `${path}.option_groups`, node.option_groups, max);
  listOf(node.options).forEach((o, i) => {
    maxLength(out, `${path}.options[${i}].text.text`, isNode(o) ? textOf(o.text) : null, LIMITS.optionText);
    maxLength(out, `${path}.options[${i}].value`, isNode(o) ? stringOr(o.value) : null, LIMITS.optionValue);
  });
}

/** Limits that depend on the kind of block or element, by its `type`. */
const RULES: Record<string, Rule> = {
  header: (n, p, o) => maxLength(o, `${p}.text.text`, textOf(n.text), LIMITS.header),
  section: (n, p, o) => {
    maxItems(o, `${p}.fields`, n.fields, LIMITS.fields);
    listOf(n.fields).forEach((f, i) => maxLength(o, `${p}.fields[${i}].text`, textOf(f), LIMITS.field));
  },
  context: (n, p, o) => maxItems(o, `${p}.elements`, n.elements, LIMITS.contextElements),
  actions: (n, p, o) => maxItems(o, `${p}.elements`, n.elements, 25),
  input: (n, p, o) => {
    maxLength(o, `${p}.label.text`, textOf(n.label), 2000);
    maxLength(o, `${p}.hint.text`, textOf(n.hint), 2000);
  },
  button: (n, p, o) => {
    maxLength(o, `${p}.text.text`, textOf(n.text), LIMITS.buttonText);
    maxLength(o, `${p}.value`, stringOr(n.value), LIMITS.buttonValue);
    maxLength(o, `${p}.url`, stringOr(n.url), 3000);
  },
  static_select: (n, p, o) => checkOptions(n, p, o, LIMITS.options),
  multi_static_select: (n, p, o) => checkOptions(n, p, o, LIMITS.options),
  checkboxes: (n, p, o) => checkOptions(n, p, o, 10),
  radio_buttons: (n, p, o) => checkOptions(n, p, o, 10),
  overflow: (n, p, o) => checkOptions(n, p, o, 5),
  plain_text_input: (n, p, o) => {
    const max = typeof n.max_length === "number" ? n.max_length : LIMITS.text;
    if (max > LIMITS.text) o.push(`${p}.max_length is ${max} (limit ${LIMITS.text})`);
    maxLength(o, `${p}.initial_value`, stringOr(n.initial_value), Math.min(max, LIMITS.text));
  },
};

/** Checks every object in the tree: text objects, ids and placeholders anywhere, then its type's rule. */
function walk(node: unknown, path: string, out: string[]): void {
  if (Array.isArray(node)) return node.forEach((child, i) => walk(child, `${path}[${i}]`, out));
  if (!isNode(node)) return;
  if ((node.type === "plain_text" || node.type === "mrkdwn") && typeof node.text === "string") {
    maxLength(out, `${path}.text`, node.text, LIMITS.text);
    if (node.text.length === 0) out.push(`${path}.text is empty`);
  }
  maxLength(out, `${path}.action_id`, stringOr(node.action_id), LIMITS.id);
  maxLength(out, `${path}.block_id`, stringOr(node.block_id), LIMITS.id);
  maxLength(out, `${path}.placeholder.text`, textOf(node.placeholder), LIMITS.placeholder);
  if (typeof node.type === "string") RULES[node.type]?.(node, path, out);
  for (const [key, child] of Object.entries(node)) {
    if (typeof child === "object" && child !== null) walk(child, `${path}.${key}`, out);
  }
}

function checkView(view: View, out: string[]): void {
  if (view.type === "modal") {
    for (const key of ["title", "submit", "close"] as const) {
      maxLength(out, `view.${key}.text`, textOf(view[key]), LIMITS.viewTitle);
    }
    const hasInput = view.blocks.some((b) => b.type === "input");
    if (hasInput && !view.submit) out.push("view.submit is required when the view has input blocks");
  }
  maxLength(out, "view.private_metadata", view.private_metadata ?? null, 3000);
  maxLength(out, "view.callback_id", view.callback_id ?? null, LIMITS.id);
}

function duplicateBlockIds(blocks: readonly AnyBlock[], out: string[]): void {
  const seen = new Set<string>();
  for (const b of blocks) {
    if (!b.block_id) continue;
    if (seen.has(b.block_id)) out.push(`block_id "${b.block_id}" is used twice`);
    seen.add(b.block_id);
  }
}

/**
 * Every way `input` (a message's blocks or a view) breaks Slack's Block Kit limits, as readable
 * strings; empty when Slack would accept it. `maxBlocks` defaults to 50 for blocks, 100 for a view.
 */
export function checkBlockKit(
  input: readonly AnyBlock[] | View,
  options: { maxBlocks?: number } = {},
): string[] {
  const out: string[] = [];
  const isView = !Array.isArray(input);
  const view = input as View;
  const blocks: readonly AnyBlock[] = isView ? view.blocks : (input as readonly AnyBlock[]);
  const maxBlocks = options.maxBlocks ?? (isView ? LIMITS.viewBlocks : LIMITS.messageBlocks);
  if (blocks.length > maxBlocks) out.push(`blocks has ${blocks.length} blocks (limit ${maxBlocks})`);
  if (isView) checkView(view, out);
  duplicateBlockIds(blocks, out);
  walk(blocks, "blocks", out);
  if (isView) {
    for (const key of ["title", "submit", "close"] as const)
      walk((view as unknown as Node)[key], `view.${key}`, out);
  }
  return out;
}
