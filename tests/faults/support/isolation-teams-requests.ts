import { FORM_VERBS } from "../../../adapters/teams/presenters/form-kit.ts";
import type { FakeConnector } from "../../contract/teams/support/fake-connector.ts";
import {
  actionData,
  cardsOf,
  deepMerge,
  inputsOf,
  loadFixture,
  newInvokeId,
  newMessageId,
  post,
  type TeamsResponse,
} from "../../contract/teams/support/teams-kit.ts";
import { asText, type Answer } from "./isolation-sweep.ts";
import { TEAMS, type Person, type World } from "./isolation-world.ts";

// Teams activities as the Bot Framework connector posts them to `rapport serve`, from any
// conversation and by anyone: a message, an Action.Execute, a message action, a file consent.
// Each comes back as what its sender could see of rapport's answer.

/** A JSON object: an activity, a card, a card's data. */
export type Json = Record<string, unknown>;

/** Where a Teams activity comes from: a conversation of some kind (a personal chat is the sender's own). */
export interface TeamsOrigin {
  name: string;
  type: "channel" | "groupChat" | "personal";
  conversation: string | null;
  team?: string;
}

/** The places the sweep sends from. */
export const TEAMS_ORIGINS = {
  aChannel: { name: "A's support channel", type: "channel", conversation: TEAMS.aChannel, team: TEAMS.aTeam },
  bChannel: { name: "B's support channel", type: "channel", conversation: TEAMS.bChannel, team: TEAMS.bTeam },
  bNamingA: {
    name: "B's tenant naming A's channel",
    type: "channel",
    conversation: TEAMS.aChannel,
    team: TEAMS.bTeam,
  },
  bUnlinked: { name: "a group chat linked to nothing", type: "groupChat", conversation: TEAMS.unlinkedChat },
  personal: { name: "the sender's personal chat", type: "personal", conversation: null },
  xNamingA: {
    name: "an unknown tenant naming A's channel",
    type: "channel",
    conversation: TEAMS.aChannel,
    team: TEAMS.bTeam,
  },
  xUnlinked: { name: "an unknown tenant's group chat", type: "groupChat", conversation: TEAMS.unlinkedChat },
} as const satisfies Record<string, TeamsOrigin>;

/** Which partnership a card's data claims: A's, or B's own around A's issue or recommendation. */
export type Claim = "A" | "own";

/** What the Teams entry points need: the server, the fake connector, and A's forms. */
export interface TeamsContext {
  port: number;
  connector: FakeConnector;
  world: World;
  /** The data each of A's forms submits, as rapport posted it for A's people, by verb. */
  forms: Record<string, Json>;
}

/** `activity` as Teams sends it from `at` by `who`: their tenant, the conversation, its thread. */
export function from(c: TeamsContext, who: Person, at: TeamsOrigin, activity: Json, id?: string): Json {
  const channel = at.type === "channel";
  const messageId = newMessageId();
  const conversation = at.conversation ?? `a:1personal${who.id.replace(/-/g, "")}`;
  return deepMerge(activity, {
    id: id ?? messageId,
    serviceUrl: c.connector.url,
    from: { id: who.teamsId, name: who.name, aadObjectId: who.id },
    conversation: {
      id: channel ? `${conversation};messageid=${messageId}` : conversation,
      conversationType: at.type,
      tenantId: who.workspace,
      isGroup: at.type !== "personal",
    },
    channelData: {
      tenant: { id: who.workspace },
      channel: channel ? { id: conversation, name: "somewhere" } : undefined,
      team: channel ? { id: at.team } : undefined,
      teamsChannelId: channel ? conversation : undefined,
      teamsTeamId: channel ? at.team : undefined,
    },
  });
}

/** Posts `activity` and collects the answer and everything rapport sent the connector meanwhile. */
export async function exchange(c: TeamsContext, activity: Json): Promise<Answer> {
  const first = c.connector.count;
  const started = Date.now();
  const res: TeamsResponse = await post({ baseUrl: `http://127.0.0.1:${c.port}` }, activity);
  const ms = Date.now() - started;
  const calls = c.connector.calls().slice(first);
  keepForms(c, calls.flatMap(cardsOf));
  const seen = [res.text, ...calls.map((call) => `${call.kind} ${asText(call.body)}`)].join("\n");
  return { status: res.status, ms, seen, sent: asText(activity) };
}

/** Keeps the forms rapport posted for A, with the values their inputs show, for the forged submissions. */
function keepForms(c: TeamsContext, cards: Json[]): void {
  for (const card of cards) {
    for (const verb of Object.values(FORM_VERBS)) {
      let data: Json;
      try {
        data = actionData(card, verb);
      } catch {
        continue;
      }
      if (data.partnershipId !== c.world.a.id) continue;
      const values: Json = {};
      for (const input of inputsOf(card))
        if (typeof input.value === "string" && input.value) values[input.id as string] = input.value;
      c.forms[verb] = { ...data, ...values };
    }
  }
}

/** `@rapport <text>` sent by `who` in `at`'s conversation. */
export function message(c: TeamsContext, who: Person, at: TeamsOrigin, text: string) {
  const base = loadFixture("message-channel-mention", {
    text: `<at>rapport</at> ${text}`,
    attachments: undefined,
  });
  return exchange(c, from(c, who, at, base));
}

/** An Action.Execute with `verb` and `data`, as a click on a card or a form in `at`'s conversation. */
export function invoke(c: TeamsContext, who: Person, at: TeamsOrigin, verb: string, data: Json) {
  const activity = from(c, who, at, loadFixture("invoke-adaptive-card-action"), newInvokeId());
  activity.value = { action: { type: "Action.Execute", title: verb, verb, data }, trigger: "manual" };
  return exchange(c, activity);
}

/** A message action on a message in `at` written by `author` (the fetch, or the dialog's submission with `data`). */
export function messageAction(
  c: TeamsContext,
  who: Person,
  at: TeamsOrigin,
  fixture: string,
  author: Person,
  data?: Json,
) {
  const activity = from(c, who, at, loadFixture(fixture), newInvokeId());
  const value = activity.value as Json;
  activity.value = {
    ...value,
    ...(data ? { data } : {}),
    messagePayload: {
      ...(value.messagePayload as Json),
      id: newMessageId(),
      createdDateTime: new Date(Date.now() - 60_000).toISOString(),
      from: { user: { id: author.id, displayName: author.name, userIdentityType: "aadUser" } },
      body: {
        contentType: "html",
        content: "<p>Could someone look at the kiln controller, it shows E42</p>",
      },
    },
  };
  return exchange(c, activity);
}

/** "Allow" on the export's file consent card, with the partnership it claims and an upload URL on the fake. */
export function fileConsent(c: TeamsContext, who: Person, at: TeamsOrigin, partnershipId: string) {
  const activity = from(c, who, at, loadFixture("message-personal"), newInvokeId());
  const name = `record-${activity.id as string}.json`;
  Object.assign(activity, {
    type: "invoke",
    name: "fileConsent/invoke",
    text: undefined,
    value: {
      type: "fileUpload",
      action: "accept",
      context: { partnershipId },
      uploadInfo: {
        name,
        uploadUrl: c.connector.uploadUrl(name),
        contentUrl: `https://x.sharepoint.com/${name}`,
      },
    },
  });
  return exchange(c, activity);
}
