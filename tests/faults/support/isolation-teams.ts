import { FORM_KEY, FORM_VERBS } from "../../../adapters/teams/presenters/form-kit.ts";
import { BOT_COMMANDS, MESSAGE_ACTIONS, VERBS } from "../../../adapters/teams/ids.ts";
import { loadFixture, newInvokeId } from "../../contract/teams/support/teams-kit.ts";
import type { Expectation, Family, Proof, Answer } from "./isolation-sweep.ts";
import {
  exchange,
  fileConsent,
  from,
  invoke,
  message,
  messageAction,
  TEAMS_ORIGINS,
  type Claim,
  type Json,
  type TeamsContext,
  type TeamsOrigin,
} from "./isolation-teams-requests.ts";
import { PEOPLE, TEAMS, type Person } from "./isolation-world.ts";

// Every way into rapport from Teams (adapters/teams/ids.ts names them all): each bot command as a
// message, every Action.Execute verb of the cards and forms, both message actions (the dialog and
// its submission), the export's file consent, and rapport being added to or removed from a
// conversation; for each, who forges it, who may use it, and what proves it acts.

/** One Teams entry point (see SlackEntry). */
export interface TeamsEntry {
  name: string;
  family: Family;
  forger: "bAdmin" | "bOwner";
  rightful: keyof typeof PEOPLE.teams;
  wrongSide?: keyof typeof PEOPLE.teams;
  /** What it claims (see SlackEntry). */
  claims: "ids" | "partnership" | null;
  proof: Proof;
  /** Origins the forger sends from (the stranger: the unknown tenant's two). */
  origins: (keyof typeof TEAMS_ORIGINS)[];
  /** Where A's rightful person shows it acts. */
  home: keyof typeof TEAMS_ORIGINS;
  expect(origin: TeamsOrigin, actor: Person): Expectation;
  send(c: TeamsContext, who: Person, at: TeamsOrigin, claim: Claim): Promise<Answer>;
}

const claimed = (c: TeamsContext, claim: Claim) => (claim === "A" ? c.world.a.id : c.world.b.id);
const refusal = (): Expectation => "refusal";
const COMMAND_ORIGINS: TeamsEntry["origins"] = ["bNamingA", "bUnlinked", "personal"];
const CLAIM_ORIGINS: TeamsEntry["origins"] = ["bChannel", "bNamingA", "bUnlinked", "personal"];

const command = (
  text: string,
  forger: TeamsEntry["forger"],
  rightful: TeamsEntry["rightful"],
  proof: Proof,
  expect: TeamsEntry["expect"] = refusal,
  wrongSide?: TeamsEntry["wrongSide"],
): TeamsEntry => ({
  name: `message "${text}"`,
  family: text.startsWith("export") ? "export" : "command",
  forger,
  rightful,
  ...(wrongSide ? { wrongSide } : {}),
  claims: null,
  proof,
  origins: COMMAND_ORIGINS,
  home: "aChannel",
  expect,
  send: (c, who, at) => message(c, who, at, text),
});

const button = (
  verb: string,
  side: "provider" | "client" | "either",
  data: (c: TeamsContext, claim: Claim) => Json,
  rightful: TeamsEntry["rightful"],
): TeamsEntry => ({
  name: `card ${verb}`,
  family: "button",
  forger: side === "client" ? "bOwner" : "bAdmin",
  rightful,
  ...(side === "provider"
    ? { wrongSide: "aOwner" as const }
    : side === "client"
      ? { wrongSide: "aLead" as const }
      : {}),
  claims: "ids",
  proof: "changes",
  origins: CLAIM_ORIGINS,
  home: "aChannel",
  expect: refusal,
  send: (c, who, at, claim) => invoke(c, who, at, verb, data(c, claim)),
});

const form = (
  verb: string,
  forger: TeamsEntry["forger"],
  rightful: TeamsEntry["rightful"],
  fill: Json,
  wrongSide?: TeamsEntry["wrongSide"],
): TeamsEntry => ({
  name: `form ${verb}`,
  family: "form",
  forger,
  rightful,
  ...(wrongSide ? { wrongSide } : {}),
  claims: "partnership",
  proof: "changes",
  origins: CLAIM_ORIGINS,
  home: "aChannel",
  expect: refusal,
  send: (c, who, at) => {
    const data = c.forms[verb];
    if (!data) throw new Error(`A's ${verb} form was never opened`);
    // A forger names their own conversation in the set-up card's data too.
    const here = at.conversation ?? `a:1personal${who.id.replace(/-/g, "")}`;
    return invoke(c, who, at, verb, {
      ...data,
      ...fill,
      ...(verb === FORM_VERBS.setup ? { conversationId: here } : {}),
    });
  },
});

const issue = (c: TeamsContext, claim: Claim, id: string, extra: Json = {}) => ({
  partnershipId: claimed(c, claim),
  issueId: id,
  ...extra,
});
const rec = (c: TeamsContext, claim: Claim, id: string) => ({
  partnershipId: claimed(c, claim),
  recommendationId: id,
});

/** Every Teams entry point rapport has. */
export const TEAMS_ENTRIES: TeamsEntry[] = [
  command("issue The kiln controller shows E42", "bOwner", "aStaff", "changes"),
  command("issue", "bOwner", "aStaff", "shows"),
  // In a personal chat, status shows the person's own partnerships (a stranger: none).
  command("status", "bAdmin", "aLead", "shows", (at, who) =>
    at.type === "personal" && who.side ? "any" : "refusal",
  ),
  command("digest", "bAdmin", "aLead", "shows"),
  command("recommend Buy a second kiln", "bAdmin", "aLead", "changes", refusal, "aOwner"),
  command("recommend", "bAdmin", "aLead", "shows"),
  command("call", "bAdmin", "aLead", "shows"),
  command("headsup", "bOwner", "aOwner", "shows"),
  // Where nothing is linked, set-up offers to make a new partnership: nothing of A.
  command("setup", "bAdmin", "aAdmin", "shows", () => "any", "aStaff"),
  // In a personal chat, export says where to ask for it.
  command(
    "export",
    "bAdmin",
    "aLead",
    "shows",
    (at) => (at.type === "personal" ? "any" : "refusal"),
    "aStaff",
  ),
  command("help", "bOwner", "aStaff", "answers", () => "any"),
  button(VERBS.acknowledge, "provider", (c, k) => issue(c, k, c.world.teams.open.id), "aTech"),
  button(VERBS.waitOnClient, "provider", (c, k) => issue(c, k, c.world.teams.open.id), "aTech"),
  button(VERBS.resolve, "provider", (c, k) => issue(c, k, c.world.teams.open.id), "aTech"),
  button(VERBS.reopen, "either", (c, k) => issue(c, k, c.world.teams.resolved.id), "aStaff"),
  button(VERBS.priority, "either", (c, k) => issue(c, k, c.world.teams.open.id, { priority: "P1" }), "aTech"),
  button(VERBS.accept, "client", (c, k) => rec(c, k, c.world.teams.accept.id), "aOwner"),
  button(VERBS.decline, "client", (c, k) => rec(c, k, c.world.teams.decline.id), "aOwner"),
  button(VERBS.acceptRisk, "client", (c, k) => rec(c, k, c.world.teams.acceptRisk.id), "aOwner"),
  button(VERBS.remind, "either", (c, k) => rec(c, k, c.world.teams.remind.id), "aOwner"),
  form(FORM_VERBS.issue, "bOwner", "aStaff", { issue_title: "The kiln controller shows E42" }),
  form(FORM_VERBS.recommend, "bAdmin", "aLead", { rec_title: "Buy a second kiln" }, "aOwner"),
  form(FORM_VERBS.call, "bAdmin", "aLead", {
    call_when_date: new Date(Date.now() - 86_400_000).toISOString().slice(0, 10),
    call_when_time: "10:00",
    call_outcome: "missed_by_client",
  }),
  form(
    FORM_VERBS.headsUp,
    "bOwner",
    "aOwner",
    { headsup_what: "New kiln", headsup_when: "2030-01-07" },
    "aLead",
  ),
  form(FORM_VERBS.setup, "bAdmin", "aAdmin", { setup_name: "Taken over" }, "aStaff"),
  {
    name: `message action ${MESSAGE_ACTIONS.reportIssue} (dialog)`,
    family: "message action",
    forger: "bOwner",
    rightful: "aStaff",
    claims: null,
    proof: "shows",
    origins: ["bChannel", "bNamingA", "bUnlinked"],
    home: "aChannel",
    // In B's own channel the dialog is B's; anywhere else rapport cannot tell which partnership.
    expect: (at) => (at.conversation === TEAMS.bChannel ? "any" : "refusal"),
    send: (c, who, at) => messageAction(c, who, at, "invoke-fetch-task-report-issue", who),
  },
  {
    name: `message action ${MESSAGE_ACTIONS.logDirectRequest} (dialog)`,
    family: "message action",
    forger: "bAdmin",
    rightful: "aTech",
    claims: null,
    proof: "shows",
    origins: ["bChannel", "bUnlinked", "personal"],
    home: "personal",
    // B's technician is offered B's partnerships; a stranger is told they are in none.
    expect: (_at, who) => (who.side === "provider" ? "any" : "refusal"),
    send: (c, who, at) => messageAction(c, who, at, "invoke-fetch-task-direct-request", PEOPLE.teams.bOwner),
  },
  {
    name: `message action ${MESSAGE_ACTIONS.reportIssue} (submitted)`,
    family: "message action",
    forger: "bAdmin",
    rightful: "aTech",
    claims: "partnership",
    proof: "changes",
    origins: CLAIM_ORIGINS,
    home: "aChannel",
    expect: refusal,
    send: (c, who, at, claim) =>
      messageAction(c, who, at, "invoke-submit-action-report-issue", authorFor(who), {
        partnershipId: claimed(c, claim),
        timezone: c.world.a.timezone,
        [FORM_KEY]: FORM_VERBS.issue,
        issue_title: "The kiln controller shows E42",
      }),
  },
  {
    name: `message action ${MESSAGE_ACTIONS.logDirectRequest} (submitted)`,
    family: "message action",
    forger: "bAdmin",
    rightful: "aTech",
    wrongSide: "aOwner",
    claims: "partnership",
    proof: "changes",
    origins: CLAIM_ORIGINS,
    home: "personal",
    expect: refusal,
    send: (c, who, at, claim) =>
      messageAction(c, who, at, "invoke-submit-action-direct-request", authorFor(who), {
        partnershipId: claimed(c, claim),
        [FORM_KEY]: FORM_VERBS.directRequest,
        direct_request_text: "Could someone look at the kiln controller",
      }),
  },
  {
    name: "file consent (export accepted)",
    family: "export",
    forger: "bAdmin",
    rightful: "aLead",
    wrongSide: "aStaff",
    claims: "partnership",
    proof: "shows",
    origins: ["personal", "bChannel", "bUnlinked"],
    home: "personal",
    expect: refusal,
    send: (c, who, at, claim) => fileConsent(c, who, at, claimed(c, claim)),
  },
];

/**
 * rapport added to or removed from a conversation (an install or uninstall, the bot joining or
 * leaving a team): what it remembers of how to reach that conversation. In this order A's people
 * take A's channel away and give it back twice, each time a change.
 */
const CONVERSATION_EVENTS: [string, string, Json][] = [
  ["installationUpdate remove", "installation-update-remove-team", {}],
  ["conversationUpdate bot added", "conversation-update-bot-added", {}],
  [
    "conversationUpdate bot removed",
    "conversation-update-bot-added",
    { membersAdded: undefined, membersRemoved: [{ id: "28:3f1e9b2c-6d1a-4c8e-9a4b-2f7d5e0c1a93" }] },
  ],
  ["installationUpdate add", "installation-update-add-team", {}],
];

TEAMS_ENTRIES.push(
  ...CONVERSATION_EVENTS.map(([name, fixture, change]): TeamsEntry => ({
    name: `event ${name}`,
    family: "event",
    forger: "bAdmin",
    rightful: "aAdmin",
    claims: null,
    proof: "changes",
    origins: CLAIM_ORIGINS,
    home: "aChannel",
    expect: () => "any",
    send: (c, who, at) => exchange(c, from(c, who, at, loadFixture(fixture, change), newInvokeId())),
  })),
);

/** The client whose message a person acts on: A's staff for A's people, B's owner for everyone else. */
function authorFor(who: Person): Person {
  return who.workspace === TEAMS.aTenant ? PEOPLE.teams.aStaff : PEOPLE.teams.bOwner;
}

/**
 * The names rapport answers to in Teams that no entry above sends: empty when the sweep covers
 * them all (a new command, verb or message action must be added to it).
 */
export function uncoveredTeamsNames(): string[] {
  const names = TEAMS_ENTRIES.map((e) => e.name).join("\n");
  return [
    ...BOT_COMMANDS.map((c) => `message "${c.title}`),
    ...Object.values(VERBS).map((v) =>
      v === VERBS.submitDirectRequest ? MESSAGE_ACTIONS.logDirectRequest : ` ${v}`,
    ),
    ...Object.values(MESSAGE_ACTIONS).flatMap((a) => [`${a} (dialog)`, `${a} (submitted)`]),
    ...["installationUpdate add", "installationUpdate remove"],
    ...["conversationUpdate bot added", "conversationUpdate bot removed"],
  ].filter((n) => !names.includes(n));
}
