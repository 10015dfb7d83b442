import { MESSAGE_ACTIONS, VERBS } from "../../../adapters/teams/ids.ts";
import { FORM_VERBS } from "../../../adapters/teams/presenters/form-kit.ts";
import { ACTIONS, SHORTCUTS, VIEWS } from "../../../adapters/slack/ids.ts";
import { IDS as SLACK } from "../../contract/slack/support/fake-slack.ts";
import {
  loadFixture as slackFixture,
  signedHeaders,
  SLACK_EVENTS_PATH,
  type JsonObject,
} from "../../contract/slack/support/signed-request.ts";
import { loadFixture as teamsFixture } from "../../contract/teams/support/teams-kit.ts";
import { IDS as TEAMS } from "../../contract/teams/support/teams-ids.ts";
import {
  applyOps,
  drawOps,
  rawDamage,
  Rng,
  TYPED_TEXTS,
  type MutationVocabulary,
  type Op,
  type Platform,
  type RawDamage,
} from "./mutations.ts";
import type { FaultPartnerships } from "./partnerships.ts";
import { SIGNING_SECRET } from "./traffic.ts";

// The fuzzed requests: every Slack and Teams fixture (the platforms' documented payloads, with the
// ids of the seeded partnerships in place of the fixtures' placeholders and fresh delivery ids),
// mutated, serialised the way the platform sends it, and for Slack signed over the mutated bytes.

/** A payload to mutate: which fixture, how it travels, and the payload itself. */
export interface FuzzBase {
  platform: Platform;
  /** The fixture and variant, for the report ("slash-command-itpartner: status"). */
  name: string;
  /** Slack: a form-encoded command, a `payload=` interaction, or a JSON event; Teams: an activity. */
  kind: "command" | "interaction" | "event" | "activity";
  body: unknown;
}

/** One case: its base, its mutations, and the request they make. */
export interface FuzzCase {
  index: number;
  base: FuzzBase;
  ops: Op[];
  request: FuzzRequest;
}

/** An HTTP request to rapport. */
export interface FuzzRequest {
  path: string;
  body: string;
  headers: Record<string, string>;
  /** True when the Slack signature was damaged: the request must be refused, whatever it holds. */
  forged: boolean;
}

/** What the cases need from the running scenario. */
export interface FuzzContext {
  partnerships: FaultPartnerships;
  /** A response_url on the fake Slack. */
  responseUrl: () => string;
  /** The fake Bot Framework connector's URL (activities' serviceUrl). */
  serviceUrl: string;
}

// The placeholders the Slack fixtures carry for the partnership and issue rapport made the card for.
const FIXTURE_PARTNERSHIP = "3f2b8c1e-7d4a-4e5b-9c6d-1a2b3c4d5e6f";
const FIXTURE_ISSUE = "8a7b6c5d-4e3f-4a2b-8c1d-0e9f8a7b6c5d";
const TEAMS_PLACEHOLDER = "REPLACED-BY-THE-TEST";

const SLACK_EVENT_FIXTURES = [
  "event-app-home-opened",
  "event-app-uninstalled",
  "event-channel-join",
  "event-message-bot",
  "event-message-changed",
  "event-message-file-share",
  "event-message-thread-broadcast",
  "event-message-thread-reply",
  "event-message-top-level",
  "event-reaction-added",
  "event-tokens-revoked",
  "url-verification",
];

const TEAMS_FIXTURES = [
  "conversation-update-bot-added",
  "installation-update-add-personal",
  "installation-update-add-team",
  "installation-update-remove-personal",
  "installation-update-remove-team",
  "invoke-adaptive-card-action",
  "invoke-fetch-task-direct-request",
  "invoke-fetch-task-report-issue",
  "invoke-submit-action-direct-request",
  "invoke-submit-action-report-issue",
  "message-channel-mention",
  "message-group-chat",
  "message-personal",
];

/** Builds case `index` of run `seed`: the same case every time. */
export class FuzzCases {
  private readonly slackBases: ((i: number) => FuzzBase)[];
  private readonly teamsBases: ((i: number) => FuzzBase)[];
  private readonly slackVocab: MutationVocabulary;
  private readonly teamsVocab: MutationVocabulary;

  constructor(
    private readonly seed: number,
    private readonly ctx: FuzzContext,
  ) {
    this.slackBases = slackBases(ctx);
    this.teamsBases = teamsBases(ctx);
    this.slackVocab = slackVocabulary(ctx);
    this.teamsVocab = teamsVocabulary(ctx);
  }

  /** The number of distinct payloads the cases start from, by platform. */
  get bases(): { slack: number; teams: number } {
    return { slack: this.slackBases.length, teams: this.teamsBases.length };
  }

  /** Case `index`; `only` replays a subset of its mutations (to find the one that matters). */
  at(index: number, only?: (op: Op, n: number) => boolean): FuzzCase {
    const rng = Rng.forCase(this.seed, index);
    const platform: Platform = rng.chance(0.55) ? "slack" : "teams";
    const bases = platform === "slack" ? this.slackBases : this.teamsBases;
    const base = rng.pick(bases)(index);
    const drawn = drawOps(base.body, rng, platform === "slack" ? this.slackVocab : this.teamsVocab, platform);
    const ops = only ? drawn.filter(only) : drawn;
    const body = applyOps(base.body, ops);
    const request =
      platform === "slack" ? slackRequest(base, body, rawDamage(ops)) : teamsRequest(body, rawDamage(ops));
    return { index, base, ops, request };
  }
}

function slackBases(ctx: FuzzContext): ((i: number) => FuzzBase)[] {
  const { slack } = ctx.partnerships;
  // Cards carry the ids of the partnership and issue they were drawn for.
  const withIds = (fixture: JsonObject, i: number): JsonObject =>
    JSON.parse(
      JSON.stringify(fixture)
        .replaceAll(FIXTURE_PARTNERSHIP, slack.id)
        .replaceAll(FIXTURE_ISSUE, slack.issueIds[i % slack.issueIds.length]!),
    ) as JsonObject;
  const trigger = (i: number) => `${8_164_300_000_000 + i}.8164200031200.${(i * 2654435761).toString(16)}`;
  const command =
    (fixture: string, text: string | null) =>
    (i: number): FuzzBase => ({
      platform: "slack",
      name: `${fixture}: ${text ?? "(no text)"}`,
      kind: "command",
      body: slackFixture(fixture, {
        trigger_id: trigger(i),
        response_url: ctx.responseUrl(),
        text: text ?? undefined,
      }),
    });
  const interaction =
    (name: string, build: (i: number) => JsonObject) =>
    (i: number): FuzzBase => ({ platform: "slack", name, kind: "interaction", body: withIds(build(i), i) });
  const button = (actionId: string) =>
    interaction(`block-actions-button: ${actionId}`, (i) => {
      const payload = slackFixture("block-actions-button", {
        trigger_id: trigger(i),
        response_url: ctx.responseUrl(),
      });
      const action = (payload.actions as JsonObject[])[0]!;
      payload.actions = [{ ...action, action_id: actionId }];
      return payload;
    });
  const event =
    (fixture: string) =>
    (i: number): FuzzBase => {
      const envelope = slackFixture(fixture, { event_id: `Ev0FUZZ${i}` });
      const e = envelope.event as JsonObject | undefined;
      // A new message each time, so auto-intake and replies reach the ledger instead of a dedupe.
      if (e && typeof e.ts === "string") {
        const ts = `${1_794_900_000 + i}.${String(i % 1_000_000).padStart(6, "0")}`;
        e.ts = ts;
        e.event_ts = ts;
        if (typeof e.client_msg_id === "string") e.client_msg_id = `fuzz-${i}`;
      }
      return { platform: "slack", name: fixture, kind: "event", body: withIds(envelope, i) };
    };
  const itpartner = [
    "help",
    "status",
    "recommend Replace the firewall",
    "call held",
    "headsup New copier Monday",
  ];
  return [
    command("slash-command-itissue", null),
    command("slash-command-itissue", "p2 printer on floor 2 is jammed since 9am"),
    command("slash-command-itissue", "p1 VPN down for everyone"),
    ...[...itpartner, "setup", "export", null].map((t) => command("slash-command-itpartner", t)),
    button(ACTIONS.acknowledge),
    button(ACTIONS.waitOnClient),
    button(ACTIONS.resolve),
    button(ACTIONS.reopen),
    interaction("block-actions-select", (i) =>
      slackFixture("block-actions-select", { trigger_id: trigger(i), response_url: ctx.responseUrl() }),
    ),
    interaction("view-submission", (i) => slackFixture("view-submission", { trigger_id: trigger(i) })),
    interaction("view-closed", (i) => {
      const v = slackFixture("view-submission", { trigger_id: trigger(i) });
      return { type: "view_closed", team: v.team!, user: v.user!, view: v.view!, is_cleared: false };
    }),
    ...[SHORTCUTS.reportIssue, SHORTCUTS.logDirectRequest].map((callbackId) =>
      interaction(`message-action-shortcut: ${callbackId}`, (i) =>
        slackFixture("message-action-shortcut", {
          callback_id: callbackId,
          trigger_id: trigger(i),
          response_url: ctx.responseUrl(),
        }),
      ),
    ),
    interaction("global shortcut", (i) => {
      const s = slackFixture("message-action-shortcut", { trigger_id: trigger(i) });
      return {
        type: "shortcut",
        token: s.token!,
        action_ts: s.action_ts!,
        team: s.team!,
        user: s.user!,
        callback_id: SHORTCUTS.reportIssue,
        trigger_id: s.trigger_id!,
      };
    }),
    ...SLACK_EVENT_FIXTURES.map(event),
    (i) => ({
      platform: "slack",
      name: "app_rate_limited",
      kind: "event",
      body: {
        token: "Jhj5dZrVaK7ZwHHjRyZWjbDl",
        type: "app_rate_limited",
        team_id: SLACK.providerTeam,
        minute_rate_limited: 1_518_467_820 + i,
        api_app_id: SLACK.appId,
      },
    }),
    () => ({
      platform: "slack",
      name: "ssl_check",
      kind: "command",
      body: { ssl_check: "1", token: "Jhj5dZrVaK7ZwHHjRyZWjbDl" },
    }),
  ];
}

function teamsBases(ctx: FuzzContext): ((i: number) => FuzzBase)[] {
  const { teams } = ctx.partnerships;
  const activity =
    (fixture: string, name: string, adjust: (a: Record<string, unknown>, i: number) => void = () => {}) =>
    (i: number): FuzzBase => {
      const a = teamsFixture(fixture, { serviceUrl: ctx.serviceUrl });
      const isMessage = a.type === "message";
      a.id = isMessage ? String(1_717_600_000_000 + i) : `f:fuzz-${i}`;
      const conversation = a.conversation as Record<string, unknown>;
      if (fixture === "message-channel-mention")
        conversation.id = `${TEAMS.supportChannel};messageid=${String(a.id)}`;
      const value = a.value as Record<string, unknown> | undefined;
      const issueId = teams.issueIds[i % teams.issueIds.length]!;
      const action = value?.action as Record<string, unknown> | undefined;
      if (action) action.data = { partnershipId: teams.id, issueId };
      const data = value?.data as Record<string, unknown> | undefined;
      if (data?.partnershipId === TEAMS_PLACEHOLDER) data.partnershipId = teams.id;
      adjust(a, i);
      return { platform: "teams", name, kind: "activity", body: a };
    };
  const mention = (text: string) =>
    activity("message-channel-mention", `message-channel-mention: ${text}`, (a) => {
      a.text = `<at>${TEAMS.botName}</at> ${text}`;
      delete a.attachments;
    });
  const verb = (v: string) =>
    activity("invoke-adaptive-card-action", `invoke-adaptive-card-action: ${v}`, (a) => {
      const action = (a.value as { action: Record<string, unknown> }).action;
      action.verb = v;
      action.title = v;
      if (v === VERBS.priority) (action.data as Record<string, unknown>).priority = "P1";
    });
  return [
    ...TEAMS_FIXTURES.map((f) => activity(f, f)),
    ...[
      "issue printer jammed p2 since 9am",
      "status",
      "help",
      "recommend Replace the firewall",
      "headsup New copier",
      "export",
      "setup",
      "an unknown command",
    ].map(mention),
    ...["issue VPN down p1", "status", "help"].map((t) =>
      activity("message-personal", `message-personal: ${t}`, (a) => {
        a.text = t;
      }),
    ),
    ...[VERBS.waitOnClient, VERBS.resolve, VERBS.reopen, VERBS.priority].map(verb),
  ];
}

function slackVocabulary(ctx: FuzzContext): MutationVocabulary {
  const { slack, teams, bystander } = ctx.partnerships;
  const b = bystander.issueIds[0]!;
  return {
    ids: [...Object.values(SLACK), "C0UNLINKED", "U0NOBODY", "T0ELSEWHERE", "D0DIRECT", "E0ENTERPRISE"],
    names: {
      type: [
        "block_actions",
        "view_submission",
        "view_closed",
        "message_action",
        "shortcut",
        "block_suggestion",
        "interactive_message",
        "event_callback",
        "url_verification",
        "app_rate_limited",
        "message",
        "reaction_added",
        "app_home_opened",
        "app_mention",
        "member_joined_channel",
      ],
      callback_id: [...Object.values(VIEWS), ...Object.values(SHORTCUTS), "not_ours"],
      action_id: [...Object.values(ACTIONS), "some_other_app_button"],
      command: ["/itissue", "/itpartner", "/itunknown", "itissue"],
      subtype: [
        "bot_message",
        "message_changed",
        "message_deleted",
        "thread_broadcast",
        "file_share",
        "channel_join",
        "me_message",
      ],
      reaction: ["ticket", "thumbsup", "admission_tickets"],
      tab: ["home", "messages", "about"],
      text: TYPED_TEXTS,
    },
    claims: [bystander.id, b, teams.id, teams.issueIds[0]!, "00000000-0000-0000-0000-000000000000"],
    claimValues: [
      JSON.stringify({ p: bystander.id, i: b }),
      JSON.stringify({ p: slack.id, i: b }),
      JSON.stringify({ p: bystander.id, i: slack.issueIds[0] }),
      JSON.stringify({ p: teams.id, i: teams.issueIds[0] }),
      JSON.stringify({ p: bystander.id, i: b, v: "P1" }),
      JSON.stringify({ p: bystander.id, r: b }),
      JSON.stringify({ partnershipId: bystander.id, channelId: "C0SUPPORT" }),
      JSON.stringify({ partnershipId: bystander.id, channelId: "C0BYSTANDER" }),
    ],
    urls: [ctx.responseUrl(), "", "not a url", "http://127.0.0.1:1/refused"],
  };
}

function teamsVocabulary(ctx: FuzzContext): MutationVocabulary {
  const { slack, teams, bystander } = ctx.partnerships;
  const b = bystander.issueIds[0]!;
  const people = [TEAMS.tech, TEAMS.lead, TEAMS.admin, TEAMS.staff, TEAMS.owner, TEAMS.stranger];
  return {
    ids: [
      TEAMS.bot,
      TEAMS.providerTenant,
      TEAMS.clientTenant,
      TEAMS.team,
      TEAMS.supportChannel,
      TEAMS.groupChat,
      TEAMS.techPersonalChat,
      ...people.flatMap((p) => [p.id, p.aad]),
      "19:unlinked@thread.tacv2",
    ],
    names: {
      type: [
        "message",
        "invoke",
        "conversationUpdate",
        "installationUpdate",
        "messageReaction",
        "event",
        "typing",
        "endOfConversation",
        "messageUpdate",
        "messageDelete",
      ],
      name: [
        "adaptiveCard/action",
        "composeExtension/fetchTask",
        "composeExtension/submitAction",
        "task/fetch",
        "task/submit",
        "fileConsent/invoke",
        "composeExtension/query",
        "signin/verifyState",
        "actionableMessage/executeAction",
      ],
      verb: [...Object.values(VERBS), "not.ours"],
      commandId: [...Object.values(MESSAGE_ACTIONS), "TEst"],
      form: [...Object.values(FORM_VERBS), "form.unknown"],
      conversationType: ["personal", "groupChat", "channel"],
      action: ["add", "remove", "add-upgrade", "remove-upgrade"],
      commandContext: ["message", "compose", "commandbox"],
      text: TYPED_TEXTS,
    },
    claims: [bystander.id, b, slack.id, slack.issueIds[0]!, "00000000-0000-0000-0000-000000000000"],
    claimValues: [
      { partnershipId: bystander.id, issueId: b },
      { partnershipId: teams.id, issueId: b },
      { partnershipId: bystander.id, issueId: teams.issueIds[0] },
      { partnershipId: slack.id, issueId: slack.issueIds[0] },
      { partnershipId: bystander.id, form: FORM_VERBS.issue, issue_title: "Claimed for another partnership" },
      { partnershipId: bystander.id, form: FORM_VERBS.directRequest, direct_request_text: "Claimed" },
    ],
    urls: [ctx.serviceUrl, "", "not a url", `${ctx.serviceUrl}extra/path/`],
  };
}

function slackRequest(base: FuzzBase, payload: unknown, damage: RawDamage[]): FuzzRequest {
  let body: string;
  let contentType = base.kind === "event" ? "application/json" : "application/x-www-form-urlencoded";
  if (base.kind === "event") body = JSON.stringify(payload) ?? "";
  else if (base.kind === "interaction")
    body = new URLSearchParams({ payload: JSON.stringify(payload) ?? "" }).toString();
  else if (payload && typeof payload === "object" && !Array.isArray(payload)) {
    const form = new URLSearchParams();
    for (const [key, value] of Object.entries(payload))
      if (value !== undefined) form.append(key, typeof value === "string" ? value : JSON.stringify(value));
    body = form.toString();
  } else body = JSON.stringify(payload) ?? "";
  body = damageBody(body, damage);
  for (const d of damage) if (d.how === "content-type") contentType = d.value ?? "";
  const now = Math.floor(Date.now() / 1000);
  const signature = damage.find((d) => d.how === "signature");
  const variant = signature?.how === "signature" ? signature.variant : null;
  const timestamp = variant === "stale" ? now - 600 : variant === "future" ? now + 600 : now;
  const secret = variant === "other-secret" ? "not-the-signing-secret" : SIGNING_SECRET;
  const headers = signedHeaders(secret, body, contentType, timestamp);
  if (!contentType) delete headers["content-type"];
  if (variant === "missing") delete headers["x-slack-signature"];
  if (variant === "no-timestamp") delete headers["x-slack-request-timestamp"];
  if (variant === "malformed")
    headers["x-slack-signature"] = `v1=${headers["x-slack-signature"]!.slice(3, 20)}`;
  return { path: SLACK_EVENTS_PATH, body, headers, forged: variant !== null };
}

function teamsRequest(activity: unknown, damage: RawDamage[]): FuzzRequest {
  const body = damageBody(JSON.stringify(activity) ?? "", damage);
  let contentType: string | null = "application/json; charset=utf-8";
  for (const d of damage) if (d.how === "content-type") contentType = d.value;
  return {
    path: "/api/messages",
    body,
    headers: contentType ? { "content-type": contentType } : {},
    forged: false,
  };
}

function damageBody(body: string, damage: RawDamage[]): string {
  let out = body;
  for (const d of damage) {
    if (d.how === "truncate") out = out.slice(0, Math.floor(out.length * d.keep));
    if (d.how === "garbage") {
      const at = Math.floor(out.length * d.at);
      out = `${out.slice(0, at)}${d.text}${out.slice(at)}`;
    }
  }
  return out;
}
