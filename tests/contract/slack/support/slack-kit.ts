// Small helpers the contract suites share: unique Slack ids, sending the fixtures with the
// harness's secret, and reading the cards rapport posted to the fake Slack.
import { randomBytes } from "node:crypto";
import type { RecordedCall } from "./fake-slack.ts";
import type { SlackHarness } from "./harness.ts";
import {
  loadFixture,
  sendCommand,
  sendEvent,
  sendInteraction,
  type Json,
  type JsonObject,
  type Overrides,
  type RetryOptions,
  type SendOptions,
  type SlackResponse,
} from "./signed-request.ts";

/**
 * The bound for an answer given "at once": under Slack's 3 s and Bolt's 3-second timer for requests
 * nobody acknowledged. What the suites tell apart is an answer that waited on Slack's Web API (a
 * Retry-After of 5 s, a retry a second or more later) or on Bolt's timer from one that did not; an
 * answer slowed by other test suites sharing two cores is neither, and took up to 1.6 s here.
 */
export const AT_ONCE_MS = 2_500;

let serial = 0;

/** A trigger_id shaped like Slack's, never used before in this process. */
export function newTriggerId(): string {
  serial += 1;
  return `${8_164_300_000_000 + serial}.8164200031200.${randomBytes(16).toString("hex")}`;
}

/** A message timestamp no fixture uses, increasing: "1794830001.000100", … */
export function newTs(): string {
  serial += 1;
  return `${1_794_830_000 + serial}.000100`;
}

/** An Events API event_id never used before. */
export function newEventId(): string {
  serial += 1;
  return `Ev0T${String(serial).padStart(8, "0")}`;
}

/** Waits `ms`: used only to give a wrongly detached Slack call the time to show up. */
export function settle(ms = 400): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Sends a slash command built from the `/itissue` fixture (with a fresh trigger_id unless given). */
export function command(h: SlackHarness, overrides: Overrides): Promise<SlackResponse> {
  const fields = loadFixture<Record<string, Json>>("slash-command-itissue", {
    trigger_id: newTriggerId(),
    response_url: h.fake.responseUrl(),
    ...overrides,
  });
  return sendCommand(h.baseUrl, h.signingSecret, fields);
}

/** rapport's answer to `/itpartner` from someone whose organisation it has not learnt yet. */
export const STILL_LOOKING =
  "rapport is still finding out from Slack which organisation you are in. Try the command again in a few seconds.";

/**
 * Has rapport learn the organisation of each of `userIds` the way it does in use: the first
 * `/itpartner` from someone it does not know yet is answered "still finding out" while users.info
 * is asked in the background. Sends `/itpartner status` (read-only) from an unlinked channel until
 * the answer is something else.
 */
export async function introduce(h: SlackHarness, ...userIds: string[]): Promise<void> {
  for (const userId of userIds) {
    for (let attempt = 0; ; attempt++) {
      const res = await command(h, {
        command: "/itpartner",
        text: "status",
        user_id: userId,
        channel_id: "C0INTRODUCE",
      });
      if ((res.json() as { text?: string }).text !== STILL_LOOKING) break;
      if (attempt === 20) throw new Error(`rapport never learnt the organisation of ${userId}`);
      await h.fake.waitFor("users.info", (c) => c.params.user === userId);
      await settle(50);
    }
  }
}

/** Sends an interaction payload signed with the harness's secret. */
export function interact(h: SlackHarness, payload: object, options?: SendOptions): Promise<SlackResponse> {
  return sendInteraction(h.baseUrl, h.signingSecret, payload, options);
}

/** Sends an Events API envelope built from `fixture`, with a fresh event_id unless one is given. */
export function event(
  h: SlackHarness,
  fixture: string,
  overrides: Overrides = {},
  options?: RetryOptions,
): Promise<SlackResponse> {
  return sendEvent(
    h.baseUrl,
    h.signingSecret,
    loadFixture(fixture, { event_id: newEventId(), ...overrides }),
    options,
  );
}

/** The `chat.postMessage` calls that posted the card of issue `key` ("CLIENT-3 [P2] …"). */
export function issueCardPosts(h: SlackHarness, key: string): RecordedCall[] {
  return h.fake.calls("chat.postMessage").filter((c) => String(c.params.text).startsWith(`${key} [`));
}

/** Waits for the card of issue `key` to be posted. */
export function waitForCard(h: SlackHarness, key: string, timeoutMs = 3_000): Promise<RecordedCall> {
  return h.fake.waitFor("chat.postMessage", (c) => String(c.params.text).startsWith(`${key} [`), timeoutMs);
}

/** Every issue card posted so far, by key. */
export function postedIssueKeys(h: SlackHarness): string[] {
  return h.fake
    .calls("chat.postMessage")
    .map((c) => /^([A-Z0-9]+-\d+) \[/.exec(String(c.params.text))?.[1])
    .filter((k): k is string => k !== undefined);
}

/** The ts Slack gave a posted message (from the fake's answer). */
export function postedTs(call: RecordedCall): string {
  return String((call.response as { ts: string }).ts);
}

/** Every element of every actions block of a message or view. */
export function actionElements(blocks: unknown): JsonObject[] {
  if (!Array.isArray(blocks)) return [];
  return (blocks as JsonObject[])
    .filter((b) => b.type === "actions")
    .flatMap((b) => (Array.isArray(b.elements) ? (b.elements as JsonObject[]) : []));
}

/** The action ids a card offers, in order. */
export function actionIds(call: RecordedCall): string[] {
  return actionElements(call.params.blocks).map((e) => String(e.action_id));
}

/** The `value` of the card's button `actionId`; throws when the card has no such button. */
export function buttonValue(call: RecordedCall, actionId: string): string {
  const el = actionElements(call.params.blocks).find((e) => e.action_id === actionId);
  if (!el || typeof el.value !== "string") throw new Error(`the card has no ${actionId} button`);
  return el.value;
}

/** The value of the priority menu's option `priority` on an issue card. */
export function priorityOptionValue(call: RecordedCall, priority: string): string {
  const menu = actionElements(call.params.blocks).find((e) => e.action_id === "issue_priority");
  const options = (menu?.options ?? []) as { value: string }[];
  const found = options.find((o) => (JSON.parse(o.value) as { v: string }).v === priority);
  if (!found) throw new Error(`the card has no priority option ${priority}`);
  return found.value;
}

/** Everything a Slack user can read in a message or view: its text and its blocks, as one string. */
export function visibleText(params: Record<string, unknown>): string {
  return JSON.stringify([params.text ?? null, params.blocks ?? null, params.view ?? null]);
}

/** A click on a card button by `user`, built from the block-actions fixture. */
export function buttonClick(
  h: SlackHarness,
  opts: {
    user: { id: string; team_id: string; name: string };
    actionId: string;
    value: string;
    card?: RecordedCall;
    triggerId?: string;
    responseUrl?: string;
  },
): JsonObject {
  const ts = opts.card ? postedTs(opts.card) : "1794819605.000150";
  return loadFixture("block-actions-button", {
    user: { ...opts.user, username: opts.user.name },
    trigger_id: opts.triggerId ?? newTriggerId(),
    response_url: opts.responseUrl ?? h.fake.responseUrl(),
    container: { message_ts: ts },
    message: { ts, blocks: (opts.card?.params.blocks as Json) ?? [] },
    actions: [
      {
        action_id: opts.actionId,
        block_id: "issue_actions",
        text: { type: "plain_text", text: opts.actionId, emoji: true },
        value: opts.value,
        type: "button",
        action_ts: "1794819720.412345",
      },
    ],
  });
}

/**
 * The `view.state.values` Slack would send for a view submitted untouched: each input's initial
 * value, by block_id and action_id. `change` then edits what the person changed.
 */
export function stateFromView(
  view: JsonObject,
  change: Record<string, JsonObject> = {},
): Record<string, Record<string, JsonObject>> {
  const values: Record<string, Record<string, JsonObject>> = {};
  for (const block of (view.blocks ?? []) as JsonObject[]) {
    if (block.type !== "input") continue;
    const el = block.element as JsonObject;
    const id = String(el.action_id);
    values[String(block.block_id)] = { [id]: { ...initialState(el), ...change[String(block.block_id)] } };
  }
  return values;
}

function initialState(el: JsonObject): JsonObject {
  switch (el.type) {
    case "plain_text_input":
      return { type: "plain_text_input", value: el.initial_value ?? null };
    case "checkboxes":
      return { type: "checkboxes", selected_options: el.initial_options ?? [] };
    case "static_select":
    case "radio_buttons":
      return { type: String(el.type), selected_option: el.initial_option ?? null };
    case "multi_users_select":
      return { type: "multi_users_select", selected_users: el.initial_users ?? [] };
    case "users_select":
      return { type: "users_select", selected_user: el.initial_user ?? null };
    case "timepicker":
      return { type: "timepicker", selected_time: el.initial_time ?? null };
    case "datepicker":
      return { type: "datepicker", selected_date: el.initial_date ?? null };
    default:
      return { type: String(el.type) };
  }
}

/** A view_submission of `view` (as rapport opened it) by `user` with `values`, from the fixture. */
export function viewSubmission(
  opened: JsonObject,
  user: { id: string; team_id: string; name: string },
  values: Record<string, Record<string, JsonObject>>,
  viewId = `V0${randomBytes(4).toString("hex").toUpperCase()}`,
): JsonObject {
  const base = loadFixture("view-submission");
  const view = { ...(base.view as JsonObject), ...opened, id: viewId, state: { values } } as JsonObject;
  return {
    ...base,
    user: { ...user, username: user.name },
    trigger_id: newTriggerId(),
    view,
  };
}

/** The `view` rapport passed to a recorded views.open / views.publish call. */
export function openedView(call: RecordedCall): JsonObject {
  return call.params.view as JsonObject;
}

/** People of the fixtures' partnership, as interaction payloads name them. */
export const PEOPLE = {
  tech: { id: "U0TECH", team_id: "T0PROVIDER", name: "tess.tech" },
  lead: { id: "U0LEAD", team_id: "T0PROVIDER", name: "lee.lead" },
  staff: { id: "U0STAFF", team_id: "T0CLIENT", name: "sam.staff" },
  owner: { id: "U0OWNER", team_id: "T0CLIENT", name: "olive.owner" },
} as const;
