import { ACTIONS, BOT_EVENTS, COMMANDS, SHORTCUTS, VIEWS } from "../../../adapters/slack/ids.ts";
import type { JsonObject } from "../../contract/slack/support/signed-request.ts";
import {
  calledAfter,
  click,
  command,
  event,
  message,
  shortcut,
  SLACK_ORIGINS,
  submit,
  type Claim,
  type SlackContext,
  type SlackOrigin,
} from "./isolation-slack-requests.ts";
import type { Answer, Expectation, Family, Proof } from "./isolation-sweep.ts";
import { PEOPLE, recentTs, SLACK, type Person } from "./isolation-world.ts";

// Every way into rapport from Slack (adapters/slack/ids.ts names them all): the two slash commands
// and each subcommand, every card button and menu, every modal, both message shortcuts and the
// events rapport listens to; for each, who forges it, who may use it, and what proves it acts.

/** One Slack entry point: how it is sent, who uses it, and what proves it acts. */
export interface SlackEntry {
  name: string;
  family: Family;
  /** Who sends it: the forger of B's matching side; A's rightful person for the positive control. */
  forger: "bAdmin" | "bOwner";
  rightful: keyof typeof PEOPLE.slack;
  /** A's person the action's own rule refuses (the other side, or someone without the role). */
  wrongSide?: keyof typeof PEOPLE.slack;
  /**
   * What it claims: `ids`, a partnership around one of its issues or recommendations (a button's
   * value: sent with A's, and with B's own around A's); `partnership`, a partnership alone (a
   * form's metadata: sent with A's); null, nothing (the place decides).
   */
  claims: "ids" | "partnership" | null;
  proof: Proof;
  /** Origins the forger sends from (the stranger: the unknown workspace's two). */
  origins: (keyof typeof SLACK_ORIGINS)[];
  /** What an outsider at `origin` must hear. */
  expect(origin: SlackOrigin, actor: Person): Expectation;
  send(c: SlackContext, who: Person, at: SlackOrigin, claim: Claim): Promise<Answer>;
}

/** Where B's people send what carries no claim (in B's own channel it is simply B's). */
const AWAY: SlackEntry["origins"] = ["bNamingA", "bUnlinked"];
/** Where B's people send claims and message actions and events. */
const AROUND: SlackEntry["origins"] = ["bChannel", "bNamingA", "bUnlinked"];

const refusal = (): Expectation => "refusal";
/**
 * Commands carry no claim: at a place rapport does not know they are refused, as there is nothing
 * else for them to be about; in B's own channel (or A's, by A's people) they act there.
 */
const unlessLinked = (at: SlackOrigin): Expectation =>
  at.channel === SLACK.bChannel || (at.channel === SLACK.aChannel && at.team === SLACK.aProvider)
    ? "any"
    : "refusal";

const issueValue = (c: SlackContext, claim: Claim, issueId: string) => ({ p: claimed(c, claim), i: issueId });
const recValue = (c: SlackContext, claim: Claim, recId: string) => ({ p: claimed(c, claim), r: recId });
const claimed = (c: SlackContext, claim: Claim) => (claim === "A" ? c.world.a.id : c.world.b.id);

const button = (
  actionId: string,
  side: "provider" | "client" | "either",
  value: (c: SlackContext, claim: Claim) => Record<string, string>,
  rightful: keyof typeof PEOPLE.slack,
): SlackEntry => ({
  name: `button ${actionId}`,
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
  origins: AROUND,
  expect: refusal,
  // Anyone else is refused in a sentence to the response_url; the rightful person's click is
  // answered with the card redrawn (and "Remind me" with a sentence of its own).
  send: (c, who, at, claim) => {
    const saysSomething = who !== PEOPLE.slack[rightful] || actionId === ACTIONS.remind;
    return click(c, who, at, actionId, value(c, claim), saysSomething);
  },
});

const form = (
  callbackId: string,
  forger: "bAdmin" | "bOwner",
  rightful: keyof typeof PEOPLE.slack,
  fill: (c: SlackContext) => Record<string, JsonObject>,
  wrongSide?: keyof typeof PEOPLE.slack,
): SlackEntry => ({
  name: `modal ${callbackId}`,
  family: "form",
  forger,
  rightful,
  ...(wrongSide ? { wrongSide } : {}),
  claims: "partnership",
  proof: "changes",
  origins: AROUND,
  expect: refusal,
  send: (c, who, at) => submit(c, who, at, callbackId, fill(c)),
});

const partner = (
  sub: string,
  forger: "bAdmin" | "bOwner",
  rightful: keyof typeof PEOPLE.slack,
  proof: Proof,
  expect: SlackEntry["expect"],
  wrongSide?: keyof typeof PEOPLE.slack,
): SlackEntry => ({
  name: `${COMMANDS.partner} ${sub}`,
  family: sub === "export" ? "export" : "command",
  forger,
  rightful,
  ...(wrongSide ? { wrongSide } : {}),
  claims: null,
  proof,
  origins: AWAY,
  expect,
  send: (c, who, at) =>
    command(
      c,
      who,
      at,
      COMMANDS.partner,
      sub.replace(/ \(form\)$/, "").replace(/ <title>$/, " Buy a forged kiln"),
    ),
});

/** Every Slack entry point rapport has. */
export const SLACK_ENTRIES: SlackEntry[] = [
  {
    name: `${COMMANDS.issue} <text>`,
    family: "command",
    forger: "bOwner",
    rightful: "aStaff",
    claims: null,
    proof: "changes",
    origins: AWAY,
    expect: unlessLinked,
    send: (c, who, at) => command(c, who, at, COMMANDS.issue, "p2 the kiln controller shows E42"),
  },
  {
    name: `${COMMANDS.issue} (form)`,
    family: "command",
    forger: "bOwner",
    rightful: "aStaff",
    claims: null,
    proof: "shows",
    origins: AWAY,
    expect: unlessLinked,
    send: (c, who, at) => command(c, who, at, COMMANDS.issue, ""),
  },
  partner("help", "bOwner", "aStaff", "answers", () => "any"),
  // Away from a linked channel, status shows the person's own partnerships (a stranger: none).
  partner("status", "bAdmin", "aLead", "shows", (_at, who) => (who.side ? "any" : "refusal")),
  partner("recommend <title>", "bAdmin", "aLead", "changes", unlessLinked, "aOwner"),
  partner("recommend (form)", "bAdmin", "aLead", "shows", unlessLinked),
  partner("call (form)", "bAdmin", "aLead", "shows", unlessLinked),
  partner("headsup (form)", "bOwner", "aOwner", "shows", unlessLinked),
  // In a channel linked to nothing, set-up offers to make a new partnership: nothing of A.
  partner("setup (form)", "bAdmin", "aAdmin", "shows", () => "any", "aStaff"),
  partner("export", "bAdmin", "aLead", "shows", unlessLinked, "aStaff"),
  button(ACTIONS.acknowledge, "provider", (c, k) => issueValue(c, k, c.world.slack.open.id), "aTech"),
  button(ACTIONS.waitOnClient, "provider", (c, k) => issueValue(c, k, c.world.slack.open.id), "aTech"),
  button(ACTIONS.resolve, "provider", (c, k) => issueValue(c, k, c.world.slack.open.id), "aTech"),
  button(ACTIONS.reopen, "either", (c, k) => issueValue(c, k, c.world.slack.resolved.id), "aStaff"),
  button(
    ACTIONS.priority,
    "either",
    (c, k) => ({ ...issueValue(c, k, c.world.slack.open.id), v: "P1" }),
    "aTech",
  ),
  button(ACTIONS.accept, "client", (c, k) => recValue(c, k, c.world.slack.accept.id), "aOwner"),
  button(ACTIONS.decline, "client", (c, k) => recValue(c, k, c.world.slack.decline.id), "aOwner"),
  button(ACTIONS.acceptRisk, "client", (c, k) => recValue(c, k, c.world.slack.acceptRisk.id), "aOwner"),
  button(ACTIONS.remind, "either", (c, k) => recValue(c, k, c.world.slack.remind.id), "aOwner"),
  form(VIEWS.issueForm, "bOwner", "aStaff", () => ({
    issue_title: { value: "The kiln controller shows E42" },
  })),
  form(VIEWS.recommend, "bAdmin", "aLead", () => ({ rec_title: { value: "Buy a second kiln" } }), "aOwner"),
  form(VIEWS.call, "bAdmin", "aLead", () => ({
    call_when: { selected_date_time: Math.floor(Date.now() / 1000) - 3600 },
  })),
  form(
    VIEWS.headsUp,
    "bOwner",
    "aOwner",
    () => ({ headsup_what: { value: "New kiln" }, headsup_when: { selected_date: "2030-01-07" } }),
    "aLead",
  ),
  form(VIEWS.directRequestForm, "bAdmin", "aTech", () => ({}), "aOwner"),
  form(VIEWS.setup, "bAdmin", "aAdmin", () => ({ setup_name: { value: "Taken over" } }), "aStaff"),
  {
    name: `shortcut ${SHORTCUTS.reportIssue}`,
    family: "shortcut",
    forger: "bAdmin",
    rightful: "aTech",
    claims: null,
    proof: "changes",
    origins: AROUND,
    expect: unlessLinked,
    send: (c, who, at) =>
      shortcut(c, who, at, SHORTCUTS.reportIssue, c.world.slack.shortcutTs, PEOPLE.slack.aStaff),
  },
  {
    name: `shortcut ${SHORTCUTS.logDirectRequest}`,
    family: "shortcut",
    forger: "bAdmin",
    rightful: "aTech",
    wrongSide: "aOwner",
    claims: null,
    proof: "shows",
    origins: AROUND,
    // B's technician is offered B's partnerships; someone who is nobody's technician is refused.
    expect: (_at, who) => (who.side === "provider" ? "any" : "refusal"),
    send: (c, who, at) => shortcut(c, who, at, SHORTCUTS.logDirectRequest, recentTs(), PEOPLE.slack.aStaff),
  },
  {
    name: "event message (auto-intake)",
    family: "event",
    forger: "bOwner",
    rightful: "aStaff",
    claims: null,
    proof: "changes",
    origins: AROUND,
    expect: () => "any",
    send: (c, who, at) => message(c, who, at, {}),
  },
  {
    name: "event message (thread reply)",
    family: "event",
    forger: "bAdmin",
    rightful: "aTech",
    claims: null,
    proof: "changes",
    origins: AROUND,
    expect: () => "any",
    send: (c, who, at) => message(c, who, at, { thread_ts: c.world.slack.cardTs, parent_user_id: "U0BOT" }),
  },
  {
    name: "event reaction_added :ticket:",
    family: "event",
    forger: "bAdmin",
    rightful: "aTech",
    claims: null,
    proof: "changes",
    origins: AROUND,
    expect: () => "any",
    send: (c, who, at) =>
      event(c, at, "event-reaction-added", {
        type: "reaction_added",
        user: who.id,
        reaction: "ticket",
        item: { type: "message", channel: at.channel, ts: c.world.slack.ticketTs },
        item_user: PEOPLE.slack.aStaff.id,
        event_ts: recentTs(),
      }),
  },
  {
    name: "event app_home_opened",
    family: "event",
    forger: "bAdmin",
    rightful: "aLead",
    claims: null,
    proof: "shows",
    origins: AROUND,
    expect: () => "any",
    send: (c, who, at) =>
      event(
        c,
        at,
        "event-app-home-opened",
        {
          type: "app_home_opened",
          user: who.id,
          channel: "D0HOME",
          tab: "home",
          event_ts: recentTs(),
          view: undefined,
        },
        (from) => calledAfter(c, from, (m, p) => m === "views.publish" && p.user_id === who.id),
      ),
  },
  ...(["app_uninstalled", "tokens_revoked"] as const).map((type): SlackEntry => ({
    name: `event ${type}`,
    family: "event",
    forger: "bAdmin",
    rightful: "aAdmin",
    claims: null,
    // They concern a workspace's install, never a partnership: nothing of A's people acts on A.
    proof: "none",
    origins: AROUND,
    expect: () => "any",
    send: (c, _who, at) =>
      event(
        c,
        at,
        type === "app_uninstalled" ? "event-app-uninstalled" : "event-tokens-revoked",
        type === "app_uninstalled" ? { type } : { type, tokens: { bot: ["U0BOT"] } },
      ),
  })),
];

/**
 * The names rapport answers to in Slack that no entry above sends: empty when the sweep covers
 * them all (a new command, button, modal, shortcut or event must be added to it).
 */
export function uncoveredSlackNames(): string[] {
  const names = SLACK_ENTRIES.map((e) => e.name).join("\n");
  return [
    ...Object.values(COMMANDS),
    ...Object.values(ACTIONS).map((id) => `button ${id}`),
    ...Object.values(VIEWS).map((id) => `modal ${id}`),
    ...Object.values(SHORTCUTS).map((id) => `shortcut ${id}`),
    ...BOT_EVENTS.map((e) => `event ${e.replace(/^message\..*/, "message")}`),
  ].filter((n) => !names.includes(n));
}
