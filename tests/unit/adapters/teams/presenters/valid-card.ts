// Checks a card the way Teams' renderer would see it, for the presenter tests and the adapter's
// contract tests: the Adaptive Cards SDK parses and validates it, and a few things the SDK lets
// through but Teams does not are checked here too.
import { createRequire } from "node:module";
import type * as AdaptiveCards from "adaptivecards";
import { expect } from "vitest";

// The package's ESM entry does not load in Node; its UMD bundle does, without a DOM.
const AC = createRequire(import.meta.url)("adaptivecards/dist/adaptivecards.js") as typeof AdaptiveCards;

const TEAMS_MESSAGE_BYTES = 28 * 1024;
/** Root properties Teams reads that the SDK does not model. */
const HOST_PROPERTIES = new Set(["msteams"]);

type Json = Record<string, unknown>;
const isObject = (x: unknown): x is Json => typeof x === "object" && x !== null && !Array.isArray(x);

/** Paths of properties the SDK dropped on its round trip: unknown, misspelled, or of the wrong kind. */
function droppedProperties(sent: unknown, kept: unknown, path: string, out: string[]): string[] {
  if (Array.isArray(sent)) {
    sent.forEach((item, i) =>
      droppedProperties(item, Array.isArray(kept) ? kept[i] : undefined, `${path}[${i}]`, out),
    );
  } else if (isObject(sent)) {
    for (const [key, value] of Object.entries(sent)) {
      if (path === "card" && HOST_PROPERTIES.has(key)) continue;
      // The SDK leaves out empty lists, which say nothing anyway.
      if (Array.isArray(value) && value.length === 0) continue;
      if (!isObject(kept) || !(key in kept))
        out.push(`${path}.${key} is not a property the SDK knows (or a default)`);
      // Action data is the bot's own payload, not card schema.
      else if (key !== "data") droppedProperties(value, kept[key], `${path}.${key}`, out);
    }
  }
  return out;
}

/** Action.Execute without a verb: the SDK accepts it, but the bot could not tell what was clicked. */
function executeWithoutVerb(node: unknown, path: string, out: string[]): string[] {
  if (Array.isArray(node)) node.forEach((n, i) => executeWithoutVerb(n, `${path}[${i}]`, out));
  else if (isObject(node)) {
    if (node.type === "Action.Execute" && (typeof node.verb !== "string" || node.verb === "")) {
      out.push(`${path} is an Action.Execute without a verb`);
    }
    for (const [key, value] of Object.entries(node)) executeWithoutVerb(value, `${path}.${key}`, out);
  }
  return out;
}

/** Every reason Teams would refuse or misrender `json`, as readable strings; empty when there is none. */
export function cardProblems(json: unknown): string[] {
  const card = new AC.AdaptiveCard();
  const context = new AC.SerializationContext();
  card.parse(json, context);
  const problems: string[] = [];
  for (let i = 0; i < context.eventCount; i++) problems.push(`parse: ${context.getEventAt(i).message}`);
  for (const e of card.validateProperties().validationEvents) problems.push(`validate: ${e.message}`);
  problems.push(...droppedProperties(json, card.toJSON(), "card", []));
  problems.push(...executeWithoutVerb(json, "card", []));
  if (!isObject(json) || json.version !== "1.5") problems.push("card.version is not 1.5");
  const bytes = Buffer.byteLength(JSON.stringify(json), "utf8");
  if (bytes > TEAMS_MESSAGE_BYTES)
    problems.push(`card is ${bytes} bytes (Teams' limit ${TEAMS_MESSAGE_BYTES})`);
  return problems;
}

/** Fails, listing every problem, unless the Adaptive Cards SDK and Teams' rules accept `json`. */
export function expectValidCard(json: unknown): void {
  const problems = cardProblems(json);
  expect(problems, `Invalid Adaptive Card:\n${problems.join("\n")}`).toEqual([]);
}
