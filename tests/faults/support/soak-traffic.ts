import { randomUUID } from "node:crypto";
import { sql } from "kysely";
import type { Core } from "../../../src/services/core.ts";
import { addMember, createPartnership, linkChannel } from "../../../src/services/setup-partnership.ts";
import type { Store } from "../../../src/store/database.ts";
import { IDS as SLACK, type FakeSlack } from "../../contract/slack/support/fake-slack.ts";
import { loadFixture, signedHeaders, type JsonObject } from "../../contract/slack/support/signed-request.ts";
import { cardAction, channelMessage } from "../../contract/teams/support/teams-kit.ts";
import { PEOPLE, IDS as TEAMS, type TeamsPerson } from "../../contract/teams/support/teams-ids.ts";
import { addTeamsMembers } from "./partnerships.ts";
import { SIGNING_SECRET } from "./traffic.ts";

// The steady mixed load of the soak: client partnerships of one provider on both platforms, and
// what their people do all day, each request built fresh the way Slack and Teams send it (Slack's
// signed over its exact body at the moment it is sent).

/** One client partnership of the soak and where its people are. */
export interface SoakPartnership {
  id: string;
  platform: "slack" | "teams";
  /** The linked support channel. */
  channel: string;
  /** The client's staff member who reports (a Slack user id, or a Teams person). */
  staff: string;
  staffTeam: string;
  teamsStaff?: TeamsPerson;
}

/** An HTTP request to rapport, and what it stands for in the report. */
export interface SoakRequest {
  kind: string;
  path: string;
  headers: Record<string, string>;
  body: string;
}

/**
 * Creates `slack` partnerships in Slack Connect channels of the provider's workspace and `teams`
 * in channels of the provider's team, each with its own client staff member; the provider's
 * technician and lead serve them all, as an MSP's do. `fake` learns the Slack staff's home teams.
 */
export async function seedSoakPartnerships(
  core: Core,
  fake: FakeSlack,
  counts: { slack: number; teams: number },
): Promise<SoakPartnership[]> {
  const out: SoakPartnership[] = [];
  for (let k = 1; k <= counts.slack; k++) {
    const client = `Soak Client ${k}`;
    const team = `T0SOAKC${k}`;
    const staff = `U0SOAKS${k}`;
    const p = await createPartnership(core, {
      name: `${client} support`,
      providerOrg: "Provider IT",
      clientOrg: client,
      providerWorkspaceIds: [SLACK.providerTeam],
      settings: { autoIntake: true },
    });
    const channel = `C0SOAK${k}`;
    await linkChannel(core, {
      partnershipId: p.id,
      platform: "slack",
      workspaceId: SLACK.providerTeam,
      channelId: channel,
      purposes: ["support", "digest"],
    });
    const people = [
      { userId: SLACK.tech, workspaceId: SLACK.providerTeam, side: "provider", role: "tech" },
      { userId: SLACK.lead, workspaceId: SLACK.providerTeam, side: "provider", role: "lead" },
      { userId: staff, workspaceId: team, side: "client", role: "staff" },
    ] as const;
    for (const m of people) await addMember(core, { partnershipId: p.id, platform: "slack", ...m });
    fake.setUser({ id: staff, team_id: team, name: `staff.${k}`, real_name: `Staff ${k}` });
    out.push({ id: p.id, platform: "slack", channel, staff, staffTeam: team });
  }
  for (let k = 1; k <= counts.teams; k++) {
    const client = `Soak Teams Client ${k}`;
    const p = await createPartnership(core, {
      name: `${client} support`,
      providerOrg: "Provider IT",
      clientOrg: client,
      providerWorkspaceIds: [TEAMS.providerTenant],
    });
    const channel = `19:soak${k}a1b2c3d4e5f60718293a4b5c6d7e8f9@thread.tacv2`;
    await linkChannel(core, {
      partnershipId: p.id,
      platform: "teams",
      workspaceId: TEAMS.providerTenant,
      channelId: channel,
      purposes: ["support", "digest"],
    });
    // A client employee who is a guest in the provider's tenant: client side by membership.
    const staff: TeamsPerson = {
      id: `29:1SoakStaff${k}GuestUserIdOnTheProviderTenant`,
      aad: `6f1c2a10-1b2c-4d3e-8f40-5${String(k).padStart(11, "0")}`,
      name: `Soak Staff ${k}`,
      tenant: TEAMS.providerTenant,
    };
    await addTeamsMembers(core, p.id, [
      { person: PEOPLE.tech, side: "provider", role: "tech" },
      { person: PEOPLE.lead, side: "provider", role: "lead" },
      { person: staff, side: "client", role: "staff" },
    ]);
    out.push({
      id: p.id,
      platform: "teams",
      channel,
      staff: staff.aad,
      staffTeam: staff.tenant,
      teamsStaff: staff,
    });
  }
  return out;
}

const PROBLEMS = [
  "p2 printer on floor 2 is jammed since 9am",
  "p1 email is down for the whole office",
  "vpn drops every few minutes since this morning",
  "p3 the meeting room screen shows no signal",
  "cannot open the shared drive, says access denied",
];

let serial = 0;
const problem = () => PROBLEMS[++serial % PROBLEMS.length]!;

/** A message ts of now, never used before in this run. */
function newTs(): string {
  serial += 1;
  return `${Math.floor(Date.now() / 1000)}.${String(serial % 1_000_000).padStart(6, "0")}`;
}

function signed(kind: string, body: string, contentType: string): SoakRequest {
  return { kind, path: "/slack/events", headers: signedHeaders(SIGNING_SECRET, body, contentType), body };
}

function teams(kind: string, activity: JsonObject | Record<string, unknown>): SoakRequest {
  return {
    kind,
    path: "/api/messages",
    headers: { "content-type": "application/json; charset=utf-8" },
    body: JSON.stringify(activity),
  };
}

/** `/itissue <problem>` typed by `p`'s client staff member in its channel. */
export function slackCommand(p: SoakPartnership, responseUrl: string): SoakRequest {
  const fields = loadFixture("slash-command-itissue", {
    channel_id: p.channel,
    channel_name: p.channel.toLowerCase(),
    user_id: p.staff,
    user_name: p.staff.toLowerCase(),
    text: problem(),
    response_url: responseUrl,
    trigger_id: `${8_164_300_000_000 + ++serial}.8164200031200.${randomUUID().replaceAll("-", "")}`,
  });
  const form = new URLSearchParams(Object.entries(fields).map(([k, v]): [string, string] => [k, String(v)]));
  return signed("slack /itissue", form.toString(), "application/x-www-form-urlencoded");
}

/**
 * A message in `p`'s channel as the Events API delivers it: by the client's staff member (a report,
 * taken in by auto-intake), or with `replyTo`, the provider's technician answering in its thread.
 */
export function slackMessage(p: SoakPartnership, replyTo?: string): { request: SoakRequest; ts: string } {
  const ts = newTs();
  const [user, team] = replyTo ? [SLACK.tech, SLACK.providerTeam] : [p.staff, p.staffTeam];
  const text = replyTo ? "On it: looking at it now" : `The ${problem()}`;
  const envelope = loadFixture("event-message-top-level", {
    event_id: `Ev0SOAK${String(serial).padStart(9, "0")}`,
    event_time: Math.floor(Date.now() / 1000),
    event: {
      client_msg_id: randomUUID(),
      text,
      user,
      ts,
      event_ts: ts,
      team,
      user_team: team,
      source_team: team,
      channel: p.channel,
      blocks: undefined,
      ...(replyTo ? { thread_ts: replyTo, parent_user_id: p.staff } : {}),
    },
  });
  const kind = replyTo ? "slack thread reply" : "slack auto-intake";
  return { request: signed(kind, JSON.stringify(envelope), "application/json"), ts };
}

/** The provider's technician clicking Acknowledge on `issueId`'s card in `p`'s channel. */
export function slackAcknowledge(p: SoakPartnership, issueId: string, responseUrl: string): SoakRequest {
  const value = JSON.stringify({ p: p.id, i: issueId });
  const payload = loadFixture("block-actions-button", {
    container: { channel_id: p.channel },
    channel: { id: p.channel, name: p.channel.toLowerCase() },
    trigger_id: `${8_164_400_000_000 + ++serial}.8164200031200.${randomUUID().replaceAll("-", "")}`,
    response_url: responseUrl,
  });
  payload.actions = [{ ...(payload.actions as JsonObject[])[0]!, value, action_ts: newTs() }];
  const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
  return signed("slack acknowledge", body, "application/x-www-form-urlencoded");
}

/** The provider's lead opening rapport's App Home: the scorecards of every partnership they lead. */
export function slackAppHome(): SoakRequest {
  const envelope = loadFixture("event-app-home-opened", {
    event_id: `Ev0SOAKHOME${String(++serial).padStart(9, "0")}`,
    event_time: Math.floor(Date.now() / 1000),
    event: { event_ts: newTs() },
  });
  return signed("slack app home", JSON.stringify(envelope), "application/json");
}

/** `@rapport issue <problem>` posted in `p`'s Teams channel by its client staff member. */
export function teamsIssue(p: SoakPartnership, serviceUrl: string): SoakRequest {
  return teams("teams issue", teamsChannelMessage(p, `issue ${problem()}`, serviceUrl));
}

/** `@rapport status` in `p`'s Teams channel: the week's scorecard so far. */
export function teamsStatus(p: SoakPartnership, serviceUrl: string): SoakRequest {
  return teams("teams status", teamsChannelMessage(p, "status", serviceUrl));
}

/** The provider's technician clicking Acknowledge on `issueId`'s card in Teams. */
export function teamsAcknowledge(p: SoakPartnership, issueId: string, serviceUrl: string): SoakRequest {
  const click = cardAction(
    { connector: { url: serviceUrl } },
    "issue.acknowledge",
    { partnershipId: p.id, issueId },
    { from: PEOPLE.tech },
  );
  return teams("teams acknowledge", click);
}

function teamsChannelMessage(p: SoakPartnership, text: string, serviceUrl: string): JsonObject {
  const activity = channelMessage({ connector: { url: serviceUrl } }, text, {
    from: p.teamsStaff!,
    channel: { id: p.channel, name: `${p.id} support` },
  });
  const { localTimestamp: _local, ...rest } = activity;
  return { ...rest, timestamp: new Date().toISOString() };
}

/** Open issues of `partnershipId` that nobody has answered yet (at most `limit`), newest first. */
export async function unansweredIssues(store: Store, partnershipId: string, limit = 20): Promise<string[]> {
  const rows = await sql<{ id: string }>`
    select id from issues
    where partnership_id = ${partnershipId} and status = 'open' and first_response_at is null
    order by reported_at desc limit ${limit}`.execute(store.db);
  return rows.rows.map((r) => r.id);
}
