// The people part of the set-up form: one menu per person listed, saying their side and role. Teams
// gives the bot the people of the conversation and those @mentioned in `setup`; the members already
// in the partnership come first, each showing where they stand now. Whom an admin may change is
// the core's rule (each admin their own side); the form only says what was chosen.
import { z } from "zod";
import {
  roleSchema,
  sideSchema,
  type Member,
  type PlatformUser,
  type Role,
  type SetUpPerson,
  type Side,
} from "../../../src/index.ts";
import { inputChoiceSet, textBlock, type CardElement } from "./card-kit.ts";
import { idSchema } from "./form-kit.ts";
import { plainText } from "./plain-text.ts";

/** At most this many people are listed, so the card stays within Teams' message size. */
export const MAX_LISTED_PEOPLE = 25;

/** A person the form lists; the list travels in the form's data, and row i is input `personInputId(i)`. */
export interface ListedPerson {
  userId: string;
  tenantId: string;
  name?: string;
  /** Already in the partnership: their row cannot say "not in the partnership". */
  member?: true;
}

/** A row of the form: the person and the side and role it starts at ("provider:admin"…, or "none"). */
export interface PersonRow {
  person: ListedPerson;
  standing: string;
}

/** The data key of the listed people. */
export const PEOPLE_KEY = "people";

/** The id of row i's menu. */
export const personInputId = (i: number): string => `setup_person_${i}`;

const ROLE_NAMES: Record<Role, string> = { admin: "admin", lead: "lead", tech: "technician", staff: "staff" };
const SIDE_NAMES: Record<Side, string> = { provider: "Provider", client: "Client" };
const standingOf = (side: Side, role: Role): string => `${side}:${role}`;
const choice = (side: Side, role: Role) =>
  [standingOf(side, role), `${SIDE_NAMES[side]} ${ROLE_NAMES[role]}`] as const;

const STANDINGS = [
  choice("provider", "admin"),
  choice("provider", "lead"),
  choice("provider", "tech"),
  choice("client", "admin"),
  choice("client", "lead"),
  choice("client", "staff"),
];
/** The choice of someone listed who is not to be in the partnership (a choice's value cannot be empty). */
const NOT_IN = ["none", "Not in the partnership"] as const;

const standingSchema = z
  .string()
  .transform((v) => v.split(":"))
  .pipe(z.tuple([sideSchema, roleSchema]));

/** A member's row offers the usual six, and where they stand now when it is none of them. */
function choicesFor(row: PersonRow): (readonly [string, string])[] {
  if (!row.person.member) return [NOT_IN, ...STANDINGS];
  const now = standingSchema.safeParse(row.standing);
  if (!now.success || STANDINGS.some(([value]) => value === row.standing)) return STANDINGS;
  return [...STANDINGS, choice(...now.data)];
}

/**
 * The rows of the form: the partnership's Teams members as they stand, then the other people Teams
 * named (the conversation's people, the @mentioned, the person setting up), each once. On a new
 * partnership the person setting it up starts as the provider's admin.
 */
export function peopleRows(opts: {
  members: readonly Member[];
  candidates: readonly PlatformUser[];
  creator: PlatformUser | null;
}): PersonRow[] {
  const rows: PersonRow[] = [];
  const seen = new Set<string>();
  const key = (tenantId: string, userId: string) => `${tenantId}/${userId}`;
  for (const m of opts.members) {
    if (m.platform !== "teams" || seen.has(key(m.workspaceId, m.userId))) continue;
    seen.add(key(m.workspaceId, m.userId));
    rows.push({
      person: {
        userId: m.userId,
        tenantId: m.workspaceId,
        ...(m.displayName ? { name: m.displayName } : {}),
        member: true,
      },
      standing: standingOf(m.side, m.role),
    });
  }
  const others = opts.creator ? [opts.creator, ...opts.candidates] : opts.candidates;
  for (const u of others) {
    if (u.platform !== "teams" || !u.userId || seen.has(key(u.workspaceId, u.userId))) continue;
    seen.add(key(u.workspaceId, u.userId));
    rows.push({
      person: {
        userId: u.userId,
        tenantId: u.workspaceId,
        ...(u.displayName ? { name: u.displayName } : {}),
      },
      standing: u === opts.creator ? "provider:admin" : NOT_IN[0],
    });
  }
  return rows.slice(0, MAX_LISTED_PEOPLE);
}

/** The form's people section. */
export function peopleInputs(rows: readonly PersonRow[]): CardElement[] {
  if (rows.length === 0) return [];
  return [
    textBlock("People", { weight: "Bolder", separator: true }),
    textBlock(
      "Each person's side and role: admins change this set-up (each their own side's people), leads get the nudges. " +
        "To list someone else, send `setup` here again and @mention them.",
      { isSubtle: true, spacing: "None" },
    ),
    ...rows.map((row, i) =>
      inputChoiceSet(
        personInputId(i),
        plainText(row.person.name ?? row.person.userId, 100),
        choicesFor(row),
        {
          value: row.standing,
        },
      ),
    ),
  ];
}

/** The listed people as the form's data carries them. */
export const listedPeopleSchema = z
  .array(
    z.object({
      userId: idSchema,
      tenantId: idSchema,
      name: z.string().max(200).optional(),
      member: z.literal(true).optional(),
    }),
  )
  .max(MAX_LISTED_PEOPLE);

/**
 * The people the submitted form names with a side and role; null when the form lists nobody (an
 * older form), which leaves the partnership's people as they are.
 */
export function parsePeople(
  people: readonly ListedPerson[] | undefined,
  data: unknown,
  errors: string[],
): SetUpPerson[] | null {
  if (!people) return null;
  const values = (typeof data === "object" && data !== null ? data : {}) as Record<string, unknown>;
  const out: SetUpPerson[] = [];
  people.forEach((p, i) => {
    const value = values[personInputId(i)];
    if (value === undefined || value === "" || value === NOT_IN[0]) return;
    const standing = standingSchema.safeParse(value);
    if (!standing.success) {
      errors.push(`Choose a side and role for ${p.name ?? "everyone listed"}.`);
      return;
    }
    const [side, role] = standing.data;
    const user: PlatformUser = {
      platform: "teams",
      workspaceId: p.tenantId,
      userId: p.userId,
      ...(p.name ? { displayName: p.name } : {}),
    };
    out.push({ user, side, role });
  });
  return out;
}
