// Sending Teams activities to rapport and reading what comes back: fixtures with overrides, the
// HTTP post, activity builders for the fixtures' conversations, and Adaptive Card readers.
import { readFileSync } from "node:fs";
import type { ConnectorCall } from "./fake-connector.ts";
import type { TeamsHarness } from "./harness.ts";
import { IDS, PEOPLE, type TeamsPerson } from "./teams-ids.ts";

type JsonObject = Record<string, unknown>;

/** The content type of an Adaptive Card attachment, and of an invoke response carrying one. */
export const ADAPTIVE_CARD = "application/vnd.microsoft.card.adaptive";
/** The invoke response type Teams shows to the clicker as a message. */
export const INVOKE_MESSAGE = "application/vnd.microsoft.activity.message";

/**
 * Reads `tests/fixtures/teams/<name>.json` and deep-merges `overrides` into it: objects merge key
 * by key, anything else (arrays included) replaces, and an `undefined` value deletes the key.
 */
export function loadFixture(name: string, overrides: JsonObject = {}): JsonObject {
  const file = new URL(`../../../fixtures/teams/${name.replace(/\.json$/, "")}.json`, import.meta.url);
  return deepMerge(JSON.parse(readFileSync(file, "utf8")) as JsonObject, overrides);
}

/** `base` with `overrides` merged in (neither is changed). */
export function deepMerge(base: JsonObject, overrides: JsonObject): JsonObject {
  const out: JsonObject = { ...base };
  for (const [key, value] of Object.entries(overrides)) {
    if (value === undefined) delete out[key];
    else if (isObject(value) && isObject(out[key])) out[key] = deepMerge(out[key] as JsonObject, value);
    else out[key] = value;
  }
  return out;
}

const isObject = (x: unknown): x is JsonObject => typeof x === "object" && x !== null && !Array.isArray(x);

/** rapport's answer to one POST /api/messages. */
export interface TeamsResponse {
  status: number;
  /** The raw body. */
  text: string;
  /** The body parsed as JSON, or null when it is empty or not JSON. */
  body: unknown;
}

/** POSTs an activity (or any JSON) to /api/messages, as the Bot Framework connector does. */
export function post(h: Pick<TeamsHarness, "baseUrl">, activity: unknown): Promise<TeamsResponse> {
  return postRaw(h, JSON.stringify(activity));
}

/** POSTs a raw body to /api/messages. */
export async function postRaw(
  h: Pick<TeamsHarness, "baseUrl">,
  body: string,
  contentType = "application/json; charset=utf-8",
): Promise<TeamsResponse> {
  const res = await fetch(`${h.baseUrl}/api/messages`, {
    method: "POST",
    headers: { "content-type": contentType },
    body,
  });
  const text = await res.text();
  let parsed: unknown = null;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    parsed = null;
  }
  return { status: res.status, text, body: parsed };
}

let sequence = 0;
/** A Teams message id (milliseconds since the epoch, as Teams uses), unique in this run. */
export function newMessageId(): string {
  return String(1_717_500_000_000 + ++sequence * 1000 + Math.floor(Math.random() * 1000));
}
/** An invoke activity id ("f:" + a GUID-like string), unique in this run. */
export function newInvokeId(): string {
  const n = (++sequence).toString(16).padStart(12, "0");
  return `f:7e1a3c5b-9d2f-4b6a-8c0e-${n}`;
}

/** Where rapport's replies go: the fake connector whose address activities carry as serviceUrl. */
type ConnectorAt = { connector: { url: string } };

const fromOf = (p: TeamsPerson) => ({ id: p.id, name: p.name, aadObjectId: p.aad });

/** Where a channel message is posted: the linked support channel unless told otherwise. */
export interface ChannelOptions {
  from?: TeamsPerson;
  id?: string;
  /** Another channel of the team (an unlinked one). */
  channel?: { id: string; name: string };
}

/** `@rapport <text>` posted as a new thread in a team channel (by Sam, in the support channel by default). */
export function channelMessage(h: ConnectorAt, text: string, opts: ChannelOptions = {}): JsonObject {
  const id = opts.id ?? newMessageId();
  const from = opts.from ?? PEOPLE.staff;
  const channel = opts.channel ?? { id: IDS.supportChannel, name: IDS.supportChannelName };
  return loadFixture("message-channel-mention", {
    id,
    text: `<at>${IDS.botName}</at> ${text}`,
    attachments: undefined,
    serviceUrl: h.connector.url,
    from: fromOf(from),
    conversation: { id: `${channel.id};messageid=${id}`, tenantId: from.tenant },
    channelData: { teamsChannelId: channel.id, channel, tenant: { id: from.tenant } },
  });
}

/** A message in the bot's personal chat with `from` (Tess by default): no mention. */
export function personalMessage(h: TeamsHarness, text: string, from: TeamsPerson = PEOPLE.tech): JsonObject {
  return loadFixture("message-personal", {
    id: newMessageId(),
    text,
    serviceUrl: h.connector.url,
    from: fromOf(from),
    conversation: { tenantId: from.tenant },
    channelData: { tenant: { id: from.tenant } },
  });
}

/** `@rapport <text>` in the fixtures' group chat. */
export function groupMessage(h: TeamsHarness, text: string, from: TeamsPerson = PEOPLE.tech): JsonObject {
  return loadFixture("message-group-chat", {
    id: newMessageId(),
    text: `<at>${IDS.botName}</at> ${text}`,
    serviceUrl: h.connector.url,
    from: fromOf(from),
    channelData: { tenant: { id: from.tenant } },
  });
}

/** An Action.Execute click on a card in the support channel (by Tess unless told otherwise). */
export function cardAction(
  h: ConnectorAt,
  verb: string,
  data: JsonObject,
  opts: { from?: TeamsPerson; id?: string; replyToId?: string } = {},
): JsonObject {
  const from = opts.from ?? PEOPLE.tech;
  const activity = loadFixture("invoke-adaptive-card-action", {
    id: opts.id ?? newInvokeId(),
    serviceUrl: h.connector.url,
    from: fromOf(from),
    conversation: { tenantId: from.tenant },
    channelData: { tenant: { id: from.tenant } },
    ...(opts.replyToId ? { replyToId: opts.replyToId } : {}),
  });
  // Replaced, not merged: the fixture's placeholder data must not leak into the click's.
  activity.value = { action: { type: "Action.Execute", title: verb, verb, data }, trigger: "manual" };
  return activity;
}

/**
 * A message-action invoke fixture pointed at the fake connector, with a fresh id; `data` (the
 * dialog's submitted values) replaces the fixture's.
 */
export function messageAction(
  h: TeamsHarness,
  fixture: string,
  opts: { data?: JsonObject; overrides?: JsonObject } = {},
): JsonObject {
  const activity = loadFixture(fixture, {
    id: newInvokeId(),
    serviceUrl: h.connector.url,
    ...opts.overrides,
  });
  if (opts.data) activity.value = { ...(activity.value as JsonObject), data: opts.data };
  return activity;
}

/** The Adaptive Cards in an activity rapport sent. */
export function cardsOf(call: ConnectorCall): JsonObject[] {
  const attachments = (call.body.attachments ?? []) as { contentType?: string; content?: unknown }[];
  return attachments.filter((a) => a.contentType === ADAPTIVE_CARD).map((a) => a.content as JsonObject);
}

/** Every card in `calls`, in order. */
export function cardsIn(calls: ConnectorCall[]): JsonObject[] {
  return calls.flatMap(cardsOf);
}

/** The plain text messages in `calls`. */
export function textsIn(calls: ConnectorCall[]): string[] {
  return calls.map((c) => c.body.text).filter((t): t is string => typeof t === "string");
}

/** Every piece of text a card shows (TextBlocks, facts, input labels and values, button titles), joined by newlines. */
export function cardText(card: unknown): string {
  const out: string[] = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!isObject(node)) return;
    for (const key of ["text", "title", "value", "label", "fallbackText", "placeholder"]) {
      if (typeof node[key] === "string") out.push(node[key]);
    }
    for (const [key, value] of Object.entries(node)) if (key !== "data") walk(value);
  };
  walk(card);
  return out.join("\n");
}

/** The verbs of a card's Action.Execute buttons, in order. */
export function verbsOf(card: unknown): string[] {
  const out: string[] = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!isObject(node)) return;
    if (node.type === "Action.Execute" && typeof node.verb === "string") out.push(node.verb);
    for (const [key, value] of Object.entries(node)) if (key !== "data") walk(value);
  };
  walk(card);
  return out;
}

/** The ids of a card's inputs, in order. */
export function inputIdsOf(card: unknown): string[] {
  const out: string[] = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!isObject(node)) return;
    if (typeof node.type === "string" && node.type.startsWith("Input.") && typeof node.id === "string") {
      out.push(node.id);
    }
    for (const value of Object.values(node)) walk(value);
  };
  walk(card);
  return out;
}

/** The `data` of the first action with `verb` (Action.Execute) on a card. */
export function actionData(card: unknown, verb: string): JsonObject {
  let found: JsonObject | undefined;
  const walk = (node: unknown) => {
    if (found) return;
    if (Array.isArray(node)) return node.forEach(walk);
    if (!isObject(node)) return;
    if (node.type === "Action.Execute" && node.verb === verb) found = (node.data ?? {}) as JsonObject;
    for (const value of Object.values(node)) walk(value);
  };
  walk(card);
  if (!found) throw new Error(`the card has no Action.Execute with verb ${verb}`);
  return found;
}

/** An adaptiveCard/action answer: the refreshed card (fails otherwise). */
export function invokeCard(res: TeamsResponse): JsonObject {
  const body = res.body as { statusCode?: number; type?: string; value?: unknown } | null;
  if (res.status !== 200 || body?.statusCode !== 200 || body.type !== ADAPTIVE_CARD) {
    throw new Error(`expected a card invoke response, got HTTP ${res.status}: ${res.text.slice(0, 500)}`);
  }
  return body.value as JsonObject;
}

/** An adaptiveCard/action answer: the message shown to the clicker (fails otherwise). */
export function invokeMessage(res: TeamsResponse): string {
  const body = res.body as { statusCode?: number; type?: string; value?: unknown } | null;
  if (res.status !== 200 || body?.statusCode !== 200 || body.type !== INVOKE_MESSAGE) {
    throw new Error(`expected a message invoke response, got HTTP ${res.status}: ${res.text.slice(0, 500)}`);
  }
  return String(body.value);
}

/** The inputs of a card, in order. */
export function inputsOf(card: unknown): JsonObject[] {
  const out: JsonObject[] = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!isObject(node)) return;
    if (typeof node.type === "string" && node.type.startsWith("Input.") && typeof node.id === "string") {
      out.push(node);
    }
    for (const value of Object.values(node)) walk(value);
  };
  walk(card);
  return out;
}

/** The value the input labelled `label` shows (undefined when it shows none). */
export function valueOf(card: unknown, label: string): unknown {
  const input = inputsOf(card).find((i) => i.label === label);
  if (!input) throw new Error(`the card has no input labelled ${label}`);
  return input.value;
}
