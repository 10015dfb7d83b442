import { randomBytes } from "node:crypto";
import { sql } from "kysely";
import { ACTIONS, COMMANDS } from "../../../adapters/slack/ids.ts";
import type { Store } from "../../../src/store/database.ts";
import type { FakeSlack, RecordedCall } from "../../contract/slack/support/fake-slack.ts";
import {
  loadFixture,
  sendCommand,
  sendEvent,
  sendInteraction,
  type JsonObject,
  type Overrides,
  type SlackResponse,
} from "../../contract/slack/support/signed-request.ts";
import { stateFromView, viewSubmission } from "../../contract/slack/support/slack-kit.ts";
import { waitUntil } from "../../db/support/wait.ts";
import { asText, type Answer } from "./isolation-sweep.ts";
import { recentTs, SLACK, type Person, type World } from "./isolation-world.ts";
import { SIGNING_SECRET } from "./traffic.ts";

// Slack requests as Slack sends them, signed, to `rapport serve`, from any place and by anyone:
// a slash command, a click on a card, a modal submitted, a message shortcut, an Events API
// delivery. Each comes back as what its sender could see of rapport's answer.

/** Where a Slack request comes from: the workspace (team) it came through and the channel. */
export interface SlackOrigin {
  name: string;
  team: string;
  channel: string;
}

/** The places the sweep sends from. */
export const SLACK_ORIGINS = {
  aChannel: { name: "A's support channel", team: SLACK.aProvider, channel: SLACK.aChannel },
  bChannel: { name: "B's support channel", team: SLACK.bProvider, channel: SLACK.bChannel },
  bNamingA: { name: "B's workspace naming A's channel", team: SLACK.bProvider, channel: SLACK.aChannel },
  bUnlinked: { name: "a channel linked to nothing", team: SLACK.bProvider, channel: SLACK.unlinked },
  xNamingA: {
    name: "an unknown workspace naming A's channel",
    team: SLACK.stranger,
    channel: SLACK.aChannel,
  },
  xChannel: { name: "an unknown workspace's channel", team: SLACK.stranger, channel: SLACK.strangerChannel },
} as const satisfies Record<string, SlackOrigin>;

/** Which partnership a button or form claims: A's, or B's own around A's issue or recommendation. */
export type Claim = "A" | "own";

/** What the Slack entry points need: the server, the fake Slack, the database, and A's forms. */
export interface SlackContext {
  port: number;
  fake: FakeSlack;
  store: Store;
  world: World;
  /** A's forms as rapport opened them for A's people, by callback id. */
  views: Record<string, JsonObject>;
}

const base = (c: SlackContext) => `http://127.0.0.1:${c.port}`;
const handle = (p: Person) => p.id.toLowerCase();

/** Sends `request`, waits for what rapport does because of it (`settle`), and collects what it showed. */
async function exchange(
  c: SlackContext,
  sent: unknown,
  send: () => Promise<SlackResponse>,
  settle: (from: number, res: SlackResponse) => Promise<unknown> = async () => {},
): Promise<Answer> {
  const from = c.fake.calls().length;
  const started = Date.now();
  const res = await send();
  const ms = Date.now() - started;
  // The ceiling only bounds a wait for something that should come; what never comes fails the check.
  await settle(from, res).catch(() => {});
  const calls = c.fake.calls().slice(from);
  keepForms(c, calls);
  const seen = [res.body, ...calls.map((call) => `${call.method} ${asText(call.params)}`)].join("\n");
  return { status: res.status, ms, seen, sent: asText(sent) };
}

/** Keeps the forms rapport opened for A's people, for the forged submissions. */
function keepForms(c: SlackContext, calls: RecordedCall[]): void {
  for (const call of calls) {
    if (call.method !== "views.open") continue;
    const view = call.params.view as JsonObject;
    const meta = JSON.parse(String(view.private_metadata || "{}")) as { partnershipId?: unknown };
    if (meta.partnershipId === c.world.a.id) c.views[String(view.callback_id)] = view;
  }
}

/** Waits until rapport has called Slack as `match` says since call number `from`. */
export const calledAfter = (
  c: SlackContext,
  from: number,
  match: (method: string, p: Record<string, unknown>) => boolean,
) =>
  waitUntil(
    () =>
      c.fake
        .calls()
        .slice(from)
        .some((call) => match(call.method, call.params)),
    5_000,
    "rapport's answer through Slack",
  );

/** A slash command typed by `who` in `at`'s channel. */
export function command(c: SlackContext, who: Person, at: SlackOrigin, name: string, text: string) {
  const fields = loadFixture<Record<string, string>>("slash-command-itissue", {
    team_id: at.team,
    team_domain: at.team.toLowerCase(),
    channel_id: at.channel,
    channel_name: "somewhere",
    user_id: who.id,
    user_name: handle(who),
    command: name,
    text,
    trigger_id: triggerId(),
    response_url: c.fake.responseUrl(),
  });
  const exporting = name === COMMANDS.partner && text === "export";
  return exchange(
    c,
    fields,
    () => sendCommand(base(c), SIGNING_SECRET, fields),
    // The record is sent as a file after the answer.
    (from, res) =>
      exporting && res.body.includes("sending you")
        ? calledAfter(c, from, (m) => m === "file_upload")
        : Promise.resolve(),
  );
}

function triggerId(): string {
  return `${Date.now()}.8164200031200.${randomBytes(16).toString("hex")}`;
}

/** A click on a card of A's: the team and channel are the origin's, the value names the claim and A's subject. */
export function click(
  c: SlackContext,
  who: Person,
  at: SlackOrigin,
  actionId: string,
  value: Record<string, string>,
  wait: boolean,
) {
  const responseUrl = c.fake.responseUrl();
  const menu = actionId === ACTIONS.priority;
  const element: JsonObject = menu
    ? {
        type: "static_select",
        selected_option: { text: { type: "plain_text", text: "P1" }, value: JSON.stringify(value) },
      }
    : { type: "button", value: JSON.stringify(value), text: { type: "plain_text", text: actionId } };
  const ts = recentTs();
  const payload = loadFixture(menu ? "block-actions-select" : "block-actions-button", {
    user: { id: who.id, username: handle(who), name: handle(who), team_id: who.workspace },
    team: { id: at.team, domain: "somewhere" },
    channel: { id: at.channel, name: "somewhere" },
    container: { message_ts: ts, channel_id: at.channel },
    message: { ts, blocks: [] },
    trigger_id: triggerId(),
    response_url: responseUrl,
    actions: [{ action_id: actionId, block_id: "issue_actions", action_ts: ts, ...element }],
  });
  return exchange(
    c,
    payload,
    () => sendInteraction(base(c), SIGNING_SECRET, payload),
    (from) => (wait ? calledAfter(c, from, (m) => m === "response_url") : Promise.resolve()),
  );
}

/** A form of A's, submitted by `who` from `at`: A's partnership in its metadata, filled in so only the claim can stop it. */
export function submit(
  c: SlackContext,
  who: Person,
  at: SlackOrigin,
  callbackId: string,
  fill: Record<string, JsonObject>,
) {
  const view = c.views[callbackId];
  if (!view) throw new Error(`A's ${callbackId} was never opened`);
  const meta = JSON.parse(String(view.private_metadata)) as JsonObject;
  const forged = {
    ...view,
    team_id: at.team,
    private_metadata: JSON.stringify({ ...meta, channelId: at.channel }),
  };
  const state = stateFromView(view, fill);
  const user = { id: who.id, team_id: who.workspace, name: handle(who) };
  const payload = scrub(c.world, {
    ...viewSubmission(forged, user, state),
    team: { id: at.team, domain: "somewhere" },
  });
  return exchange(c, payload, () => sendInteraction(base(c), SIGNING_SECRET, payload));
}

/**
 * `payload` without anything of A's that a forger could not know (names and titles an opened form
 * shows): only A's ids stay, so whatever of A's comes back was given away by rapport.
 */
function scrub(world: World, payload: JsonObject): JsonObject {
  let text = JSON.stringify(payload);
  for (const m of world.markers.content) text = text.split(m).join("Forged words");
  return JSON.parse(text) as JsonObject;
}

/** A message shortcut on a message in `at`'s channel written by `author`. */
export function shortcut(
  c: SlackContext,
  who: Person,
  at: SlackOrigin,
  callbackId: string,
  ts: string,
  author: Person,
) {
  const trigger = triggerId();
  const payload = loadFixture("message-action-shortcut", {
    team: { id: at.team, domain: "somewhere" },
    user: { id: who.id, username: handle(who), name: handle(who), team_id: who.workspace },
    channel: { id: at.channel, name: "somewhere" },
    callback_id: callbackId,
    trigger_id: trigger,
    response_url: c.fake.responseUrl(),
    message_ts: ts,
    message: {
      ts,
      text: "Could someone look at the kiln controller, it shows E42",
      user: author.id,
      team: author.workspace,
      user_team: author.workspace,
      source_team: author.workspace,
      blocks: undefined,
    },
  });
  return exchange(
    c,
    payload,
    () => sendInteraction(base(c), SIGNING_SECRET, payload),
    (from) =>
      calledAfter(
        c,
        from,
        (m, p) => m === "response_url" || (m === "views.open" && p.trigger_id === trigger),
      ),
  );
}

let events = 0;
/** An Events API delivery through `at`'s workspace; answered once the inbox has processed it. */
export function event(
  c: SlackContext,
  at: SlackOrigin,
  fixture: string,
  inner: Overrides,
  also?: (from: number) => Promise<unknown>,
) {
  const eventId = `Ev0ISO${String(++events).padStart(6, "0")}${randomBytes(2).toString("hex").toUpperCase()}`;
  const envelope = loadFixture(fixture, {
    team_id: at.team,
    context_team_id: at.team,
    event_id: eventId,
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [
      { enterprise_id: null, team_id: at.team, user_id: "U0BOT", is_bot: true, is_enterprise_install: false },
    ],
    event: inner,
  });
  return exchange(
    c,
    envelope,
    () => sendEvent(base(c), SIGNING_SECRET, envelope),
    async (from) => {
      await waitUntil(async () => inboxDone(c.store, eventId), 10_000, `event ${eventId} processed`);
      if (also) await also(from);
    },
  );
}

async function inboxDone(store: Store, eventId: string): Promise<boolean> {
  const { rows } = await sql<{ status: string }>`
    select status from inbox where platform = 'slack' and delivery_id = ${eventId}`.execute(store.db);
  return rows.length > 0 && rows.every((r) => r.status === "done" || r.status === "failed");
}

/** A message `who` writes in `at`'s channel (`extra` makes it a thread reply), as the Events API delivers it. */
export function message(c: SlackContext, who: Person, at: SlackOrigin, extra: Overrides) {
  const ts = recentTs();
  return event(c, at, "event-message-top-level", {
    type: "message",
    client_msg_id: randomBytes(8).toString("hex"),
    text: "The kiln controller shows E42 again",
    user: who.id,
    ts,
    event_ts: ts,
    team: who.workspace,
    user_team: who.workspace,
    source_team: who.workspace,
    channel: at.channel,
    channel_type: "channel",
    blocks: undefined,
    ...extra,
  });
}
