import { sql } from "kysely";
import type { Partnership } from "../../../src/domain/partnership.ts";
import type { Issue, Recommendation } from "../../../src/domain/records.ts";
import type { Place, PlatformUser, Role, Side } from "../../../src/domain/vocabulary.ts";
import type { Core } from "../../../src/services/core.ts";
import { Rapport } from "../../../src/services/rapport.ts";
import { addMember, createPartnership, linkChannel } from "../../../src/services/setup-partnership.ts";
import type { Store } from "../../../src/store/database.ts";

// Two partnerships side by side, for the isolation scenario: A between the Slack workspaces
// T0ALPHAPROV/T0ALPHACLI and the Teams tenant tenant-alpha-prov, B between T0BRAVOPROV/T0BRAVOCLI and
// tenant-bravo-prov, each with people of every role, linked channels, issues, recommendations,
// a call and a heads-up; and a stranger of a workspace and a tenant rapport knows nothing of.

/** A person on one platform: their id, home workspace (team or tenant), name, and their place in a partnership. */
export interface Person {
  platform: "slack" | "teams";
  id: string;
  /** Slack: the team; Teams: the tenant their activities carry. */
  workspace: string;
  name: string;
  /** Teams only: the id Teams gives them in conversations ("29:…"); the Entra id is `id`. */
  teamsId?: string;
  side?: Side;
  role?: Role;
}

const slack = (id: string, workspace: string, name: string, side?: Side, role?: Role): Person => ({
  platform: "slack",
  id,
  workspace,
  name,
  ...(side ? { side, role } : {}),
});
const teams = (n: number, workspace: string, name: string, side?: Side, role?: Role): Person => ({
  platform: "teams",
  id: `6f1c2a10-1b2c-4d3e-8f40-${String(n).padStart(12, "0")}`,
  teamsId: `29:1${name.replace(/\W/g, "")}TeamsUserId`,
  workspace,
  name,
  ...(side ? { side, role } : {}),
});

/** Slack workspaces and channels. */
export const SLACK = {
  aProvider: "T0ALPHAPROV",
  aClient: "T0ALPHACLI",
  aChannel: "C0ALPHASUP",
  bProvider: "T0BRAVOPROV",
  bClient: "T0BRAVOCLI",
  bChannel: "C0BRAVOSUP",
  stranger: "T0XRAY",
  strangerChannel: "C0XRAYCHAN",
  unlinked: "C0NOWHERE",
} as const;

/** Teams tenants, teams and conversations. */
export const TEAMS = {
  aTenant: "tenant-alpha-prov",
  aTeam: "19:AlphaTeamGeneral0000000000000000@thread.tacv2",
  aChannel: "19:alpha0support0channel00000000000@thread.tacv2",
  bTenant: "tenant-bravo-prov",
  bTeam: "19:BravoTeamGeneral0000000000000000@thread.tacv2",
  bChannel: "19:bravo0support0channel00000000000@thread.tacv2",
  stranger: "tenant-xray",
  unlinkedChat: "19:unlinked0group0chat0000000000000@thread.v2",
} as const;

/** Everyone: A's people of every side and role on both platforms, B's admins, and the strangers. */
export const PEOPLE = {
  slack: {
    aLead: slack("U0ALEAD", SLACK.aProvider, "Alma Quillfeather", "provider", "lead"),
    aTech: slack("U0ATECH", SLACK.aProvider, "Arlo Brindlewood", "provider", "tech"),
    aAdmin: slack("U0AADMIN", SLACK.aProvider, "Amos Thistlecombe", "provider", "admin"),
    aOwner: slack("U0AOWNER", SLACK.aClient, "Aurelia Marchbank", "client", "admin"),
    aStaff: slack("U0ASTAFF", SLACK.aClient, "Ansel Peppercorn", "client", "staff"),
    bAdmin: slack("U0BADMIN", SLACK.bProvider, "Bea Bravo", "provider", "admin"),
    bOwner: slack("U0BOWNER", SLACK.bClient, "Bo Bravo", "client", "admin"),
    stranger: slack("U0XRAY", SLACK.stranger, "Xavi Xray"),
  },
  teams: {
    // A's client people are guests in A's provider tenant, as Teams places them in its channel.
    aLead: teams(0xa1, TEAMS.aTenant, "Alma Teamsquill", "provider", "lead"),
    aTech: teams(0xa2, TEAMS.aTenant, "Arlo Teamsbrindle", "provider", "tech"),
    aAdmin: teams(0xa3, TEAMS.aTenant, "Amos Teamsthistle", "provider", "admin"),
    aOwner: teams(0xa4, TEAMS.aTenant, "Aurelia Teamsmarch", "client", "admin"),
    aStaff: teams(0xa5, TEAMS.aTenant, "Ansel Teamspepper", "client", "staff"),
    bAdmin: teams(0xb1, TEAMS.bTenant, "Bea Teamsbravo", "provider", "admin"),
    bOwner: teams(0xb2, TEAMS.bTenant, "Bo Teamsbravo", "client", "admin"),
    stranger: teams(0xf1, TEAMS.stranger, "Xavi Teamsxray"),
  },
} as const;

/** What A holds on one platform for the sweep to aim at, each in a state where the action would act. */
export interface Targets {
  /** Open, P2, unanswered: Acknowledge, Waiting on client, Resolve and the priority menu would act. */
  open: Issue;
  /** Resolved: Reopen would act. */
  resolved: Issue;
  /** Open with its card posted at `cardTs` in A's Slack channel: a provider's reply in its thread is the response. */
  threaded: Issue;
  accept: Recommendation;
  decline: Recommendation;
  acceptRisk: Recommendation;
  remind: Recommendation;
}

/** The two partnerships and everything the sweep aims at. */
export interface World {
  a: Partnership;
  b: Partnership;
  slack: Targets & { cardTs: string; ticketTs: string; shortcutTs: string };
  teams: Targets;
  /** What only A's people may read: names, titles, keys, organisations, ids. */
  markers: { content: string[]; keys: string[]; ids: string[] };
}

/** Where A's client announced it is moving: a fact of A's only. */
const CHANGE_PLACE = "Quarry Lane";

/** What A's client wrote in A's Slack channel, in the message rapport reads back for a :ticket:. */
export const A_MESSAGE_TEXT = "Alpha vault door badge reader is dead since the fire drill";

let serial = 0;
/** A Slack message timestamp a minute ago, unique in this run. */
export function recentTs(): string {
  serial += 1;
  return `${Math.floor(Date.now() / 1000) - 60}.${String(serial).padStart(6, "0")}`;
}

/** Creates A and B with their people, links and records, as the operator and their people would. */
export async function seedWorld(core: Core): Promise<World> {
  const rapport = new Rapport(core);
  const a = await partnership(core, "Alpha Anvils support", "Alphaworks IT", "Anvilcraft Alpha", "a");
  const b = await partnership(core, "Bravo Bakery support", "Bravoserve IT", "Bravo Bakery", "b");
  const slackPlace: Place = { platform: "slack", workspaceId: SLACK.aProvider, channelId: SLACK.aChannel };
  const teamsPlace: Place = { platform: "teams", workspaceId: TEAMS.aTenant, channelId: TEAMS.aChannel };
  const slackRecords = await records(rapport, slackPlace, PEOPLE.slack, "Slack");
  const teamsRecords = await records(rapport, teamsPlace, PEOPLE.teams, "Teams");
  const cardTs = recentTs();
  await rapport.rememberMessage(
    { place: { ...slackPlace, channelId: SLACK.aChannel }, messageId: cardTs },
    { partnership: a, subjectId: slackRecords.threaded.id, kind: "card" },
  );
  // B holds records of its own, so that its people's views are not empty.
  const bPlace: Place = { platform: "slack", workspaceId: SLACK.bProvider, channelId: SLACK.bChannel };
  const bOwner = user(PEOPLE.slack.bOwner);
  await rapport.report({
    place: bPlace,
    by: bOwner,
    source: src(),
    via: "command",
    text: "Oven timer app down",
  });
  await rapport.recommend({
    place: bPlace,
    by: user(PEOPLE.slack.bAdmin),
    source: src(),
    title: "Buy a UPS",
  });
  const fresh = await core.partnerships.get(a.id);
  const world = {
    a: fresh,
    b,
    slack: { ...slackRecords, cardTs, ticketTs: recentTs(), shortcutTs: recentTs() },
    teams: teamsRecords,
  };
  return { ...world, markers: await markersOf(core, fresh) };
}

const src = () => ({ platform: "cli" as const, id: `seed-${++serial}` });
const user = (p: Person): PlatformUser => ({
  platform: p.platform,
  workspaceId: p.workspace,
  userId: p.id,
  displayName: p.name,
});

async function partnership(
  core: Core,
  name: string,
  providerOrg: string,
  clientOrg: string,
  which: "a" | "b",
): Promise<Partnership> {
  const s = which === "a" ? SLACK.aProvider : SLACK.bProvider;
  const t = which === "a" ? TEAMS.aTenant : TEAMS.bTenant;
  const p = await createPartnership(core, {
    name,
    providerOrg,
    clientOrg,
    providerWorkspaceIds: [s, t],
    settings: { autoIntake: true },
  });
  const purposes: ("support" | "digest")[] = ["support", "digest"];
  await linkChannel(core, {
    partnershipId: p.id,
    platform: "slack",
    workspaceId: s,
    channelId: which === "a" ? SLACK.aChannel : SLACK.bChannel,
    purposes,
  });
  await linkChannel(core, {
    partnershipId: p.id,
    platform: "teams",
    workspaceId: t,
    channelId: which === "a" ? TEAMS.aChannel : TEAMS.bChannel,
    purposes,
  });
  const mine = (k: string) => (which === "a" ? k.startsWith("a") : k.startsWith("b"));
  for (const platform of [PEOPLE.slack, PEOPLE.teams]) {
    for (const [key, person] of Object.entries(platform)) {
      if (!mine(key) || !person.side) continue;
      await addMember(core, {
        partnershipId: p.id,
        platform: person.platform,
        workspaceId: person.workspace,
        userId: person.id,
        displayName: person.name,
        side: person.side,
        role: person.role!,
      });
    }
  }
  return p;
}

type People = (typeof PEOPLE)["slack" | "teams"];

async function records(rapport: Rapport, place: Place, people: People, label: string): Promise<Targets> {
  const report = async (title: string) =>
    (
      await rapport.report({
        place,
        by: user(people.aStaff),
        source: src(),
        via: "command",
        text: `p2 ${title}`,
      })
    ).issue;
  const recommend = async (title: string) =>
    (await rapport.recommend({ place, by: user(people.aLead), source: src(), title })).recommendation;
  const resolved = await report(`Alpha ${label} scanner offline in the vault`);
  await rapport.changeIssue({
    place,
    by: user(people.aTech),
    source: src(),
    issue: resolved.id,
    change: { kind: "resolve" },
  });
  const by = user(people.aLead);
  await rapport.logCall({
    place,
    by,
    source: src(),
    scheduledAt: new Date(Date.now() - 86_400_000),
    missedBy: null,
    title: `Alpha ${label} quarterly review`,
  });
  await rapport.announceChange({
    place,
    by: user(people.aOwner),
    source: src(),
    title: `Alpha ${label} office move to ${CHANGE_PLACE}`,
    effectiveAt: new Date(Date.now() + 30 * 86_400_000),
  });
  return {
    open: await report(`Alpha ${label} payroll server refuses logins`),
    resolved,
    threaded: await report(`Alpha ${label} invoices stuck in the print queue`),
    accept: await recommend(`Alpha ${label} replace the edge firewall`),
    decline: await recommend(`Alpha ${label} move mail to the cloud`),
    acceptRisk: await recommend(`Alpha ${label} retire the old NAS`),
    remind: await recommend(`Alpha ${label} enforce two-factor sign-in`),
  };
}

/** Every name, title, key and id of A as stored: none may reach anyone outside A. */
async function markersOf(core: Core, a: Partnership): Promise<World["markers"]> {
  const [members, issues, recs, calls] = await Promise.all([
    core.partnerships.members(a.id),
    core.records.issues(a.id),
    core.records.recommendations(a.id),
    core.records.calls(a.id),
  ]);
  const content = [
    a.name,
    a.providerOrg,
    a.clientOrg,
    ...members.map((m) => m.displayName ?? ""),
    ...issues.map((i) => i.title),
    ...recs.map((r) => r.title),
    ...calls.map((c) => c.title ?? ""),
    CHANGE_PLACE,
    A_MESSAGE_TEXT,
  ].filter((m) => m.length >= 4);
  const ids = [a.id, ...members.map((m) => m.id), ...issues.map((i) => i.id), ...recs.map((r) => r.id)];
  return { content: [...new Set(content)], keys: issues.map((i) => i.key), ids };
}

/** The markers of A in `seen` that the request itself did not carry (an echoed claim is no leak). */
export function leaksIn(world: World, seen: string, sent: string): string[] {
  const { content, keys, ids } = world.markers;
  // ALPH-1 is not in ALPH-12.
  const hasKey = (text: string, key: string) => new RegExp(`${key}(?!\\d)`).test(text);
  return [
    ...[...content, ...ids].filter((m) => seen.includes(m) && !sent.includes(m)),
    ...keys.filter((k) => hasKey(seen, k) && !hasKey(sent, k)),
  ];
}

/** What A's record is at one moment: every table that holds something of A, row by row. */
export type Fingerprint = Record<string, string>;

/**
 * A's ledger and everything kept about it: its events (count and last sequence number) and the
 * rows of its partnership, settings, people, links, projections, message links, outbox and kept
 * week figures, and where rapport reaches its linked Teams conversations (the stored reference's
 * service, conversation and tenant; who spoke there last is not part of it).
 */
export async function fingerprint(store: Store, partnershipId: string): Promise<Fingerprint> {
  const rows = (table: string) =>
    sql<string>`(select md5(coalesce(string_agg(t::text, '|' order by t::text), ''))
      from ${sql.table(table)} t where t.partnership_id = ${partnershipId})`;
  const { rows: found } = await sql<Fingerprint>`select
      (select count(*) || ':' || coalesce(max(seq)::text, '-') from events where partnership_id = ${partnershipId}) as events,
      (select md5(t::text) from partnerships t where t.id = ${partnershipId}) as partnership,
      ${rows("partnership_settings")} as settings,
      ${rows("members")} as members,
      ${rows("channel_links")} as channel_links,
      ${rows("issues")} as issues,
      ${rows("recommendations")} as recommendations,
      ${rows("calls")} as calls,
      ${rows("downtimes")} as downtimes,
      ${rows("message_links")} as message_links,
      ${rows("outbox")} as outbox,
      ${rows("week_figures")} as week_figures,
      (select md5(coalesce(string_agg(concat_ws('|', c.workspace_id, c.conversation_id, c.kind, c.target_id,
          c.gone_at, c.reference->>'serviceUrl', c.reference->'conversation'->>'id',
          c.reference->'conversation'->>'tenantId'), '|' order by c.conversation_id), ''))
        from conversations c
        where c.platform = 'teams' and (c.workspace_id, c.conversation_id) in
          (select workspace_id, channel_id from channel_links where partnership_id = ${partnershipId} and platform = 'teams'))
        as conversations`.execute(store.db);
  return found[0]!;
}

/** The names of the parts of A's record that differ between two fingerprints. */
export function changed(before: Fingerprint, after: Fingerprint): string[] {
  return Object.keys(before).filter((k) => before[k] !== after[k]);
}
