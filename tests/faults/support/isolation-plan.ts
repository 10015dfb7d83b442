import fc from "fast-check";
import { SLACK_ORIGINS, type SlackContext } from "./isolation-slack-requests.ts";
import { SLACK_ENTRIES, type SlackEntry } from "./isolation-slack.ts";
import type { Attempt, Positive } from "./isolation-sweep.ts";
import { TEAMS_ORIGINS, type TeamsContext } from "./isolation-teams-requests.ts";
import { TEAMS_ENTRIES, type TeamsEntry } from "./isolation-teams.ts";
import { PEOPLE, type Person } from "./isolation-world.ts";

// What the isolation scenario sends: for every entry point, each of B's forgeries (from each of
// its origins, with each claim), the stranger's, and A's own person of the wrong side; the same
// request by A's rightful person; and mixed forgeries drawn at random from all of those parts.

/** Who can send a mixed forgery: either of B's admins, or the stranger. */
const OUTSIDERS = ["bAdmin", "bOwner", "stranger"] as const;
type Outsider = (typeof OUTSIDERS)[number];
type Claim = "A" | "own";

const STRANGER_SLACK: (keyof typeof SLACK_ORIGINS)[] = ["xNamingA", "xChannel"];
const STRANGER_TEAMS: (keyof typeof TEAMS_ORIGINS)[] = ["xNamingA", "xUnlinked"];

/** The scenario's requests. */
export interface Plan {
  /** Every forgery of every entry point, each once (`outsider` false: A's people on the wrong side). */
  attempts: Attempt[];
  /** The same requests by A's rightful people, one per entry point that can act on A. */
  positives: Positive[];
  /** Forgeries mixing any outsider with any origin of an entry point and either claim. */
  mixed: fc.Arbitrary<Attempt>;
}

/** The plan for the server behind `sc` and `tc`. */
export function plan(sc: SlackContext, tc: TeamsContext): Plan {
  const slack = (
    e: SlackEntry,
    who: Person,
    key: keyof typeof SLACK_ORIGINS,
    claim: Claim,
    outsider = true,
  ) => {
    const at = SLACK_ORIGINS[key];
    const expect = outsider ? e.expect(at, who) : "refusal";
    return attempt("slack", e, who, at.name, claim, outsider, expect, () => e.send(sc, who, at, claim));
  };
  const teams = (
    e: TeamsEntry,
    who: Person,
    key: keyof typeof TEAMS_ORIGINS,
    claim: Claim,
    outsider = true,
  ) => {
    const at = TEAMS_ORIGINS[key];
    const expect = outsider ? e.expect(at, who) : "refusal";
    return attempt("teams", e, who, at.name, claim, outsider, expect, () => e.send(tc, who, at, claim));
  };

  const attempts = [
    ...SLACK_ENTRIES.flatMap((e) => [
      ...e.origins.flatMap((key) => claimsOf(e).map((claim) => slack(e, PEOPLE.slack[e.forger], key, claim))),
      ...STRANGER_SLACK.map((key) => slack(e, PEOPLE.slack.stranger, key, "A")),
      ...(e.wrongSide ? [slack(e, PEOPLE.slack[e.wrongSide], "aChannel", "A", false)] : []),
    ]),
    ...TEAMS_ENTRIES.flatMap((e) => [
      ...e.origins.flatMap((key) => claimsOf(e).map((claim) => teams(e, PEOPLE.teams[e.forger], key, claim))),
      ...STRANGER_TEAMS.map((key) => teams(e, PEOPLE.teams.stranger, key, "A")),
      ...(e.wrongSide ? [teams(e, PEOPLE.teams[e.wrongSide], e.home, "A", false)] : []),
    ]),
  ];

  const positives: Positive[] = [
    ...SLACK_ENTRIES.filter((e) => e.proof !== "none").map((e) => ({
      platform: "slack" as const,
      entry: e.name,
      proof: e.proof,
      send: () => e.send(sc, PEOPLE.slack[e.rightful], SLACK_ORIGINS.aChannel, "A"),
    })),
    ...TEAMS_ENTRIES.filter((e) => e.proof !== "none").map((e) => ({
      platform: "teams" as const,
      entry: e.name,
      proof: e.proof,
      send: () => e.send(tc, PEOPLE.teams[e.rightful], TEAMS_ORIGINS[e.home], "A"),
    })),
  ];

  const pick = <T>(list: T[], n: number): T => list[n % list.length]!;
  const mixed = fc
    .tuple(
      fc.constantFrom(
        ...SLACK_ENTRIES.map((e) => ({ slack: e })),
        ...TEAMS_ENTRIES.map((e) => ({ teams: e })),
      ),
      fc.constantFrom(...OUTSIDERS),
      fc.nat(),
      fc.constantFrom<Claim>("A", "own"),
    )
    .map(
      ([entry, who, n, claim]: [{ slack: SlackEntry } | { teams: TeamsEntry }, Outsider, number, Claim]) => {
        if ("slack" in entry) {
          const e = entry.slack;
          const at = pick(who === "stranger" ? STRANGER_SLACK : e.origins, n);
          return slack(e, PEOPLE.slack[who], at, e.claims === "ids" ? claim : "A");
        }
        const e = entry.teams;
        const at = pick(who === "stranger" ? STRANGER_TEAMS : e.origins, n);
        return teams(e, PEOPLE.teams[who], at, e.claims === "ids" ? claim : "A");
      },
    );

  return { attempts, positives, mixed };
}

/** An entry point around A's ids is sent claiming A, and claiming B's own partnership around them. */
function claimsOf(e: SlackEntry | TeamsEntry): Claim[] {
  return e.claims === "ids" ? ["A", "own"] : ["A"];
}

/**
 * One request of the sweep. Each entry point says what an outsider must hear where; A's own people
 * on the wrong side are refused.
 */
function attempt(
  platform: "slack" | "teams",
  e: SlackEntry | TeamsEntry,
  who: Person,
  origin: string,
  claim: Claim,
  outsider: boolean,
  expect: Attempt["expect"],
  send: Attempt["send"],
): Attempt {
  return {
    platform,
    entry: e.name,
    family: e.family,
    actor: `${who.name} (${who.workspace})`,
    origin,
    claim: e.claims ? (claim === "A" ? "A's partnership" : "B's around A's ids") : "-",
    outsider,
    expect,
    send,
  };
}
