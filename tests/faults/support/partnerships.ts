import { sql } from "kysely";
import type { Core } from "../../../src/services/core.ts";
import { reportIssue } from "../../../src/services/report-issue.ts";
import { addMember, createPartnership, linkChannel } from "../../../src/services/setup-partnership.ts";
import type { Store } from "../../../src/store/database.ts";
import { IDS as SLACK } from "../../contract/slack/support/fake-slack.ts";
import { TEAMS_MEMBERS, type TeamsSeedMember } from "../../contract/teams/support/harness.ts";
import { IDS as TEAMS } from "../../contract/teams/support/teams-ids.ts";

// The partnerships the load scenarios drive: the Slack fixtures' (a Slack Connect channel between
// the provider's and the client's workspaces), the Teams fixtures' (the provider's tenant, with a
// client guest), and a bystander nobody sends anything to, whose records must stay as they are.

/** A seeded partnership and the issues recorded in it before the run. */
export interface Seeded {
  id: string;
  issueIds: string[];
}

/** The three partnerships. */
export interface FaultPartnerships {
  slack: Seeded;
  teams: Seeded;
  bystander: Seeded;
}

/** Where the bystander lives: a workspace, channel and tenant no request of the scenarios names. */
export const BYSTANDER = {
  workspace: "T0BYSTANDER",
  channel: "C0BYSTANDER",
  user: "U0BYSTANDER",
  tenant: "tenant-bystander",
} as const;

/**
 * Creates the three partnerships with their channels and people, as `rapport partnership …` would,
 * and records `issues` issues in each, so card buttons have something real to act on.
 */
export async function seedFaultPartnerships(core: Core, issues = 3): Promise<FaultPartnerships> {
  const slack = await createPartnership(core, {
    name: "Client Co support",
    providerOrg: "Provider IT",
    clientOrg: "Client Co",
    providerWorkspaceIds: [SLACK.providerTeam],
    settings: { autoIntake: true },
  });
  await linkChannel(core, {
    partnershipId: slack.id,
    platform: "slack",
    workspaceId: SLACK.providerTeam,
    channelId: SLACK.channel,
    purposes: ["support", "digest"],
  });
  const slackPeople = [
    { userId: SLACK.tech, workspaceId: SLACK.providerTeam, side: "provider", role: "tech" },
    { userId: SLACK.lead, workspaceId: SLACK.providerTeam, side: "provider", role: "lead" },
    { userId: SLACK.staff, workspaceId: SLACK.clientTeam, side: "client", role: "staff" },
    { userId: SLACK.owner, workspaceId: SLACK.clientTeam, side: "client", role: "admin" },
  ] as const;
  for (const p of slackPeople) await addMember(core, { partnershipId: slack.id, platform: "slack", ...p });

  const teams = await createPartnership(core, {
    name: "Teams Client support",
    providerOrg: "Provider IT",
    clientOrg: "Teams Client",
    providerWorkspaceIds: [TEAMS.providerTenant],
  });
  await linkChannel(core, {
    partnershipId: teams.id,
    platform: "teams",
    workspaceId: TEAMS.providerTenant,
    channelId: TEAMS.supportChannel,
    purposes: ["support", "digest"],
  });
  await addTeamsMembers(core, teams.id, TEAMS_MEMBERS);

  const bystander = await createPartnership(core, {
    name: "Bystander support",
    providerOrg: "Bystander IT",
    clientOrg: "Bystander",
    providerWorkspaceIds: [BYSTANDER.workspace],
  });
  for (const platform of ["slack", "teams"] as const) {
    await linkChannel(core, {
      partnershipId: bystander.id,
      platform,
      workspaceId: platform === "slack" ? BYSTANDER.workspace : BYSTANDER.tenant,
      channelId: BYSTANDER.channel,
      purposes: ["support", "digest"],
    });
  }
  await addMember(core, {
    partnershipId: bystander.id,
    platform: "slack",
    workspaceId: BYSTANDER.workspace,
    userId: BYSTANDER.user,
    side: "provider",
    role: "lead",
  });

  const record = async (
    partnershipId: string,
    by: { platform: "slack" | "teams"; workspaceId: string; userId: string },
  ) => {
    const ids: string[] = [];
    for (let n = 0; n < issues; n++) {
      const { issue } = await reportIssue(core, {
        partnershipId,
        by,
        source: { platform: by.platform, id: `seed-${partnershipId}-${n}` },
        via: "command",
        text: `Seeded issue ${n + 1}: the shared drive is slow p${(n % 4) + 1}`,
      });
      ids.push(issue.id);
    }
    return ids;
  };
  return {
    slack: {
      id: slack.id,
      issueIds: await record(slack.id, {
        platform: "slack",
        workspaceId: SLACK.clientTeam,
        userId: SLACK.staff,
      }),
    },
    teams: {
      id: teams.id,
      issueIds: await record(teams.id, {
        platform: "teams",
        workspaceId: TEAMS.providerTenant,
        userId: TEAMS.staff.aad,
      }),
    },
    bystander: {
      id: bystander.id,
      issueIds: await record(bystander.id, {
        platform: "slack",
        workspaceId: BYSTANDER.workspace,
        userId: BYSTANDER.user,
      }),
    },
  };
}

/** Adds Teams people (by Entra object id, in their tenant) to a partnership with their sides and roles. */
export async function addTeamsMembers(
  core: Core,
  partnershipId: string,
  members: readonly TeamsSeedMember[],
): Promise<void> {
  for (const m of members) {
    await addMember(core, {
      partnershipId,
      platform: "teams",
      workspaceId: m.person.tenant,
      userId: m.person.aad,
      displayName: m.person.name,
      side: m.side,
      role: m.role,
    });
  }
}

/** A partnership's record at one moment: its events by source platform, and a digest of every row that is its own. */
export interface PartnershipRecord {
  events: { slack: number; teams: number; other: number };
  /** md5 of the partnership's events, issues, recommendations, calls, members and links, as text. */
  digest: string;
}

/** Reads `partnershipId`'s record, to compare before and after a run. */
export async function recordOf(store: Store, partnershipId: string): Promise<PartnershipRecord> {
  const counts = await sql<{ platform: string; n: string }>`
    select source_platform as platform, count(*)::text as n from events
    where partnership_id = ${partnershipId} group by source_platform`.execute(store.db);
  const events = { slack: 0, teams: 0, other: 0 };
  for (const r of counts.rows) {
    if (r.platform === "slack" || r.platform === "teams") events[r.platform] = Number(r.n);
    else events.other += Number(r.n);
  }
  const rows = await sql<{ digest: string }>`
    select md5(coalesce((select string_agg(t::text, '|' order by t::text) from events t where partnership_id = ${partnershipId}), '')
      || coalesce((select string_agg(t::text, '|' order by t::text) from issues t where partnership_id = ${partnershipId}), '')
      || coalesce((select string_agg(t::text, '|' order by t::text) from recommendations t where partnership_id = ${partnershipId}), '')
      || coalesce((select string_agg(t::text, '|' order by t::text) from calls t where partnership_id = ${partnershipId}), '')
      || coalesce((select string_agg(t::text, '|' order by t::text) from members t where partnership_id = ${partnershipId}), '')
      || coalesce((select string_agg(t::text, '|' order by t::text) from channel_links t where partnership_id = ${partnershipId}), '')
      || coalesce((select t::text from partnerships t where id = ${partnershipId}), '')) as digest`.execute(
    store.db,
  );
  return { events, digest: rows.rows[0]!.digest };
}
