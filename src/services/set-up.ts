import { RapportError } from "../domain/errors.ts";
import type { Partnership, PartnershipSettings } from "../domain/partnership.ts";
import { keepUnshownHolidays } from "../domain/settings-text.ts";
import type { ChannelPurpose, Place, PlatformUser, Role, Side } from "../domain/vocabulary.ts";
import type { ChannelLink, Member, PartnershipStore } from "../store/partnerships.ts";
import { authorize, HOW_TO_LINK } from "./access.ts";
import type { Core } from "./core.ts";

// Who may set up what, on both platforms (docs/ACCESS.md):
//
// - Creating: anyone may create a partnership in a channel or conversation linked to none. The
//   creator becomes an admin, of the side they list themselves on (the provider's when they do
//   not list themselves); the provider's workspaces (tenants) are those of the people on its side.
// - Changing: only an admin of the partnership changes its names, settings and channel links,
//   and only from a place linked to it or, for a new channel, with standing of their own. A
//   partnership that has no admin yet (made at the command line) may be set up by anyone in its
//   linked channel. Each admin adds and changes the people of their own side only; only a
//   provider admin adds to the workspaces that are the provider's (removing one is for the
//   operator, at the command line).
// - All or nothing: the partnership, its settings, the link and the people are written in one
//   transaction; a refused part refuses the whole and says which, recording nothing.

/** A person named on the set-up form, with the side and role they are to have. */
export interface SetUpPerson {
  user: PlatformUser;
  side: Side;
  role: Role;
}

/** What the set-up form submits. */
export interface SetUpCommand {
  name: string;
  providerOrg: string;
  clientOrg: string;
  settings: Partial<PartnershipSettings>;
  /** The form showed only the holidays from this date on: older ones are kept. */
  holidaysShownFrom?: string | null;
  purposes: ChannelPurpose[];
  /** The people the form lists; null when the form does not list people (they stay as they are). */
  people: SetUpPerson[] | null;
}

/** What setting up came to. */
export interface SetUpResult {
  partnership: Partnership;
  link: ChannelLink;
  members: Member[];
  created: boolean;
}

/** What the set-up form shows at a place. */
export interface SetupView {
  /** The partnership linked at the place, or the one the form was opened for; null to create one. */
  partnership: Partnership | null;
  purposes: ChannelPurpose[];
  members: Member[];
}

/** What the set-up form at `place` starts from. Anyone may look at a new one; an existing one is for its people. */
export async function setupFormFor(
  core: Core,
  visit: { place: Place; by: PlatformUser; partnershipId?: string | null },
): Promise<SetupView> {
  const linked = await linkAt(core, visit.place);
  if (!linked && !visit.partnershipId)
    return { partnership: null, purposes: ["support", "digest"], members: [] };
  const { partnership, link } = await authorize(core, visit);
  await requireAdmin(core.partnerships, partnership, visit.by);
  return {
    partnership,
    purposes: link?.purposes ?? ["support", "digest"],
    members: await core.partnerships.members(partnership.id),
  };
}

/** Creates or changes a partnership, links the place and records its people, in one transaction. */
export async function setUp(
  core: Core,
  request: { place: Place; by: PlatformUser; partnershipId?: string | null; command: SetUpCommand },
): Promise<SetUpResult> {
  const { place, by, command } = request;
  if (!place.channelId) {
    throw new RapportError(
      "invalid_input",
      `A partnership is set up in the channel it is to use. ${HOW_TO_LINK[place.platform]}`,
    );
  }
  if (command.purposes.length === 0) {
    throw new RapportError("invalid_input", "Say what the channel is for: support, digest, or both.");
  }
  const existing =
    (await linkAt(core, place)) || request.partnershipId ? await authorize(core, request) : null;
  const channel = { platform: place.platform, workspaceId: place.workspaceId, channelId: place.channelId };
  const now = core.clock.now();
  return core.partnerships.transaction(async (tx) => {
    if (!existing) {
      const creator = creatorOf(by, command.people);
      const people = [creator, ...(command.people ?? []).filter((p) => !samePerson(p.user, by))];
      const partnership = await tx.create({
        ...names(command),
        providerWorkspaceIds: providerWorkspaces(people),
        settings: command.settings,
      });
      const link = await tx.linkChannel({
        partnershipId: partnership.id,
        ...channel,
        purposes: command.purposes,
      });
      for (const p of people) await tx.upsertMember(memberOf(partnership, p));
      return { partnership, link, members: await tx.members(partnership.id), created: true };
    }
    const current = existing.partnership;
    const admin = await requireAdmin(tx, current, by);
    const before = await tx.members(current.id);
    const changes = (command.people ?? []).filter(
      (p) => !before.some((m) => samePerson(m, p.user) && m.side === p.side && m.role === p.role),
    );
    const refused: string[] = [];
    for (const p of changes) {
      const was = sideOf(current, before, p.user);
      if (admin && (p.side !== admin.side || (was !== null && was !== admin.side))) {
        refused.push(`${nameOf(p.user)}: you can add and change people of the ${admin.side} side only`);
      }
    }
    // A form lists the people of one platform: it adds the workspaces of the provider people it
    // names and never drops another's (a provider on Slack and Teams keeps its tenant on a Slack save).
    const wanted = [
      ...new Set([...current.providerWorkspaceIds, ...providerWorkspaces(command.people ?? [])]),
    ].sort();
    const providerChange = wanted.length !== current.providerWorkspaceIds.length;
    if (providerChange && admin && admin.side !== "provider") {
      refused.push("only a provider admin can change which workspaces belong to the provider");
    }
    if (refused.length > 0) {
      throw new RapportError(
        "forbidden",
        `Nothing was changed: ${refused.join("; ")}. Ask an admin of the other side to make those changes.`,
      );
    }
    const holidays =
      command.holidaysShownFrom && command.settings.holidays
        ? keepUnshownHolidays(current.holidays, command.holidaysShownFrom, command.settings.holidays)
        : command.settings.holidays;
    const partnership = await tx.update(
      current.id,
      {
        ...command.settings,
        ...(holidays ? { holidays } : {}),
        ...names(command),
        ...(providerChange ? { providerWorkspaceIds: wanted } : {}),
      },
      { at: now },
    );
    const link = await tx.linkChannel({
      partnershipId: partnership.id,
      ...channel,
      purposes: command.purposes,
    });
    for (const p of changes) await tx.upsertMember(memberOf(partnership, p));
    return { partnership, link, members: await tx.members(partnership.id), created: false };
  });
}

/** Checks the person is an admin (or that the partnership has none yet); returns them, or null for "no admins yet". */
async function requireAdmin(
  store: PartnershipStore,
  p: Partnership,
  by: PlatformUser,
): Promise<Member | null> {
  const admins = await store.members(p.id, { role: "admin" });
  if (admins.length === 0) return null;
  const admin = admins.find((m) => samePerson(m, by));
  if (!admin) {
    throw new RapportError(
      "forbidden",
      `Only an admin of ${p.name} can change its set-up. Ask one of its admins to do it, or to make you an admin.`,
    );
  }
  return admin;
}

function creatorOf(by: PlatformUser, people: SetUpPerson[] | null): SetUpPerson {
  const listed = people?.find((p) => samePerson(p.user, by));
  return {
    user: { ...by, ...(listed?.user.displayName ? { displayName: listed.user.displayName } : {}) },
    side: listed?.side ?? "provider",
    role: "admin",
  };
}

function names(c: SetUpCommand): { name: string; providerOrg: string; clientOrg: string } {
  const out = { name: c.name.trim(), providerOrg: c.providerOrg.trim(), clientOrg: c.clientOrg.trim() };
  for (const [field, value] of [
    ["name", out.name],
    ["provider", out.providerOrg],
    ["client", out.clientOrg],
  ] as const) {
    if (!value) throw new RapportError("invalid_input", `The partnership's ${field} name must not be empty.`);
  }
  return out;
}

const providerWorkspaces = (people: SetUpPerson[]): string[] =>
  [...new Set(people.filter((p) => p.side === "provider").map((p) => p.user.workspaceId))].sort();

const samePerson = (a: { platform: string; workspaceId: string; userId: string }, b: PlatformUser): boolean =>
  a.platform === b.platform && a.workspaceId === b.workspaceId && a.userId === b.userId;

const nameOf = (u: PlatformUser): string => u.displayName ?? u.userId;

function memberOf(p: Partnership, person: SetUpPerson): Omit<Member, "id"> {
  return {
    partnershipId: p.id,
    platform: person.user.platform,
    workspaceId: person.user.workspaceId,
    userId: person.user.userId,
    displayName: person.user.displayName ?? null,
    side: person.side,
    role: person.role,
  };
}

async function linkAt(core: Core, place: Place): Promise<boolean> {
  if (!place.channelId) return false;
  return (await core.partnerships.findChannel(place.platform, place.workspaceId, place.channelId)) !== null;
}

/**
 * A person's side as the partnership stands: their membership, else that of their workspace (the
 * provider's, or one of the client's members'); null for someone of a workspace it does not know
 * yet, whom either side's admin may name.
 */
function sideOf(p: Partnership, members: Member[], user: PlatformUser): Side | null {
  const member = members.find((m) => samePerson(m, user));
  if (member) return member.side;
  if (p.providerWorkspaceIds.includes(user.workspaceId)) return "provider";
  const sameWorkspace = (m: Member) => m.platform === user.platform && m.workspaceId === user.workspaceId;
  return members.some((m) => m.side === "client" && sameWorkspace(m)) ? "client" : null;
}
