// The requests of the benchmark, built the way Slack and Teams send them (shapes from
// tests/fixtures): each one fresh, with its own trigger_id, event_id or message id, and each
// Slack request signed over its exact body (v0 HMAC-SHA256 with the signing secret).
import { randomBytes } from "node:crypto";
import { signedHeaders } from "../../tests/contract/slack/support/signed-request.ts";
import { SLACK } from "./fakes.ts";

/** The signing secret every Slack app of the benchmark is configured with. */
export const SIGNING_SECRET = "8f3b2a1c9d7e6f5a4b3c2d1e0f9a8b7c";

/** Where Slack posts commands, events and interactivity. */
export const SLACK_PATH = "/slack/events";
/** Where the Bot Framework posts activities. */
export const TEAMS_PATH = "/api/messages";

/** One HTTP request to send: autocannon's request fields. */
export interface HttpRequest {
  method: "POST";
  path: string;
  headers: Record<string, string>;
  body: string;
}

/** The Teams ids the benchmark's activities use (those of tests/fixtures/teams). */
export const TEAMS = {
  bot: "28:3f1e9b2c-6d1a-4c8e-9a4b-2f7d5e0c1a93",
  botName: "rapport",
  providerTenant: "tenant-provider",
  team: "19:Hc7zYbK0X3oQ2vN1mLdU8pRsT4wE6aFg@thread.tacv2",
  channel: "19:5b1d7c2e9f0a4e3bb6c8d1f2a3e4c5d6@thread.tacv2",
  channelName: "Client Co support",
  /** A client employee, a guest in the provider's tenant: client side by membership. */
  staff: {
    id: "29:1SamStaffGuestUserIdOnTheProviderTenant",
    aad: "6f1c2a10-1b2c-4d3e-8f40-0000000000c1",
    name: "Sam Staff",
  },
} as const;

const REPORTS = [
  "p2 printer on floor 2 is jammed since 9am",
  "p1 email is down for the whole office",
  "vpn drops every few minutes since this morning",
  "p3 the meeting room screen shows no signal",
  "cannot open the shared drive, says access denied",
];

let serial = 0;
/** A number never used before in this run. */
function next(): number {
  return ++serial;
}

/** A message ts of now, unique in this run: "1794819600.000123". */
export function newTs(): string {
  const n = next();
  return `${Math.floor(Date.now() / 1000)}.${String(n % 1_000_000).padStart(6, "0")}`;
}

/** A trigger_id shaped like Slack's, never used before. */
export function newTriggerId(): string {
  return `${8_164_300_000_000 + next()}.8164200031200.${randomBytes(16).toString("hex")}`;
}

function signed(body: string, contentType: string): HttpRequest {
  return {
    method: "POST",
    path: SLACK_PATH,
    headers: signedHeaders(SIGNING_SECRET, body, contentType),
    body,
  };
}

/** `/itissue <text>` by `userId` in `channel`, form-encoded and signed, as Slack posts a slash command. */
export function itissueCommand(opts: {
  channel: string;
  userId: string;
  responseUrl: string;
  triggerId?: string;
}): HttpRequest {
  const n = next();
  const form = new URLSearchParams({
    token: "gIkuvaNzQIHg97ATvDxqgjtO",
    team_id: SLACK.providerTeam,
    team_domain: "provider-it",
    enterprise_id: "",
    channel_id: opts.channel,
    channel_name: opts.channel.toLowerCase(),
    user_id: opts.userId,
    user_name: opts.userId.toLowerCase(),
    command: "/itissue",
    text: REPORTS[n % REPORTS.length]!,
    api_app_id: SLACK.appId,
    is_enterprise_install: "false",
    response_url: `${opts.responseUrl}/${n}`,
    trigger_id: opts.triggerId ?? newTriggerId(),
  });
  return signed(form.toString(), "application/x-www-form-urlencoded");
}

/**
 * A `message` event in `channel` (an Events API event_callback), by `userId` of workspace `team`;
 * with `threadTs` it is a reply in that thread.
 */
export function messageEvent(opts: {
  channel: string;
  userId: string;
  team: string;
  ts?: string;
  threadTs?: string;
  text?: string;
}): HttpRequest {
  const ts = opts.ts ?? newTs();
  const text = opts.text ?? REPORTS[next() % REPORTS.length]!;
  const envelope = {
    token: "Jhj5dZrVaK7ZwHHjRyZWjbDl",
    team_id: SLACK.providerTeam,
    context_team_id: SLACK.providerTeam,
    context_enterprise_id: null,
    api_app_id: SLACK.appId,
    event: {
      type: "message",
      client_msg_id: randomBytes(16).toString("hex"),
      text,
      user: opts.userId,
      ts,
      blocks: [
        {
          type: "rich_text",
          block_id: "b1",
          elements: [{ type: "rich_text_section", elements: [{ type: "text", text }] }],
        },
      ],
      team: opts.team,
      user_team: opts.team,
      source_team: opts.team,
      ...(opts.threadTs ? { thread_ts: opts.threadTs, parent_user_id: SLACK.staff } : {}),
      channel: opts.channel,
      event_ts: ts,
      channel_type: "channel",
    },
    type: "event_callback",
    event_id: `Ev0B${String(next()).padStart(9, "0")}`,
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [
      {
        enterprise_id: null,
        team_id: SLACK.providerTeam,
        user_id: SLACK.botUser,
        is_bot: true,
        is_enterprise_install: false,
      },
    ],
    is_ext_shared_channel: true,
  };
  return signed(JSON.stringify(envelope), "application/json");
}

/** `@rapport issue <text>` posted as a new thread in the Teams support channel by Sam. */
export function teamsIssueMessage(serviceUrl: string): HttpRequest {
  const id = String(1_717_500_000_000 + next());
  const text = `issue ${REPORTS[next() % REPORTS.length]!}`;
  const mention = { id: TEAMS.bot, name: TEAMS.botName };
  const activity = {
    text: `<at>${TEAMS.botName}</at> ${text}`,
    textFormat: "plain",
    type: "message",
    timestamp: new Date().toISOString(),
    id,
    channelId: "msteams",
    serviceUrl,
    from: { id: TEAMS.staff.id, name: TEAMS.staff.name, aadObjectId: TEAMS.staff.aad },
    conversation: {
      isGroup: true,
      conversationType: "channel",
      tenantId: TEAMS.providerTenant,
      id: `${TEAMS.channel};messageid=${id}`,
    },
    recipient: mention,
    entities: [{ mentioned: mention, text: `<at>${TEAMS.botName}</at>`, type: "mention" }],
    channelData: {
      teamsChannelId: TEAMS.channel,
      teamsTeamId: TEAMS.team,
      channel: { id: TEAMS.channel, name: TEAMS.channelName },
      team: { id: TEAMS.team, name: "Provider IT" },
      tenant: { id: TEAMS.providerTenant },
    },
    locale: "en-GB",
  };
  return {
    method: "POST",
    path: TEAMS_PATH,
    headers: { "content-type": "application/json; charset=utf-8" },
    body: JSON.stringify(activity),
  };
}
