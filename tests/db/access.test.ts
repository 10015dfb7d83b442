import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isRapportError } from "../../src/domain/errors.ts";
import type { Partnership } from "../../src/domain/partnership.ts";
import type { Place, PlatformUser } from "../../src/domain/vocabulary.ts";
import type { Core } from "../../src/services/core.ts";
import { Rapport, type Request } from "../../src/services/rapport.ts";
import { addMember, createPartnership, linkChannel } from "../../src/services/setup-partnership.ts";
import { propertyParams } from "./support/scorecard-laws.ts";
import { refusal } from "./support/refusal.ts";
import { backend, openTestCore } from "./support/test-store.ts";

// Who may act where (src/services/access.ts), tried through the application interface with every
// combination of place, person and claimed partnership: the adapters have no other way in.

const A_PROVIDER = "T0AFIX";
const A_CLIENT = "T0ACME";
const B_PROVIDER = "T0BFIX";

const person = (workspaceId: string, userId: string): PlatformUser => ({
  platform: "slack",
  workspaceId,
  userId,
});
const people = {
  aLead: person(A_PROVIDER, "U0ALEAD"),
  aTech: person(A_PROVIDER, "U0ATECH"), // provider side by workspace, no membership
  aOwner: person(A_CLIENT, "U0AOWNER"), // client member
  aStaff: person(A_CLIENT, "U0ASTAFF"), // client workspace, no membership
  bLead: person(B_PROVIDER, "U0BLEAD"),
  stranger: person("T0ELSEWHERE", "U0NOBODY"),
};
type Who = keyof typeof people;

const place = (workspaceId: string, channelId: string | null): Place => ({
  platform: "slack",
  workspaceId,
  channelId,
});

describe(`who may act where, on ${backend}`, () => {
  let core: Core;
  let rapport: Rapport;
  let dispose: () => Promise<void>;
  let a: Partnership;
  let b: Partnership;
  let aIssue: string;
  let aRecommendation: string;
  let n = 0;
  const source = () => ({ platform: "slack" as const, id: `src-${++n}` });

  const places = () => ({
    aChannel: place(A_PROVIDER, "C0ASUPPORT"),
    bChannel: place(B_PROVIDER, "C0BSUPPORT"),
    // A's channel id, but named from another workspace: not A's place.
    aChannelFromB: place(B_PROVIDER, "C0ASUPPORT"),
    unlinked: place(A_PROVIDER, "C0RANDOM"),
    noChannel: place(A_PROVIDER, null),
  });
  type Where = keyof ReturnType<typeof places>;

  beforeAll(async () => {
    const t = await openTestCore("2026-11-16T10:15:00Z");
    core = t.core;
    dispose = t.store.dispose;
    rapport = new Rapport(core);
    a = await createPartnership(core, {
      name: "A",
      providerOrg: "A Fix",
      clientOrg: "Acme",
      providerWorkspaceIds: [A_PROVIDER],
    });
    b = await createPartnership(core, {
      name: "B",
      providerOrg: "B Fix",
      clientOrg: "Bolt",
      providerWorkspaceIds: [B_PROVIDER],
    });
    const link = (p: Partnership, at: Place) =>
      linkChannel(core, {
        partnershipId: p.id,
        platform: "slack",
        workspaceId: at.workspaceId,
        channelId: at.channelId!,
        purposes: ["support", "digest"],
      });
    await link(a, places().aChannel);
    await link(b, places().bChannel);
    await addMember(core, { partnershipId: a.id, ...people.aLead, side: "provider", role: "lead" });
    await addMember(core, { partnershipId: a.id, ...people.aOwner, side: "client", role: "admin" });
    await addMember(core, { partnershipId: b.id, ...people.bLead, side: "provider", role: "admin" });
    const reported = await rapport.report({
      place: places().aChannel,
      by: people.aOwner,
      source: source(),
      via: "command",
      text: "printer jammed",
    });
    aIssue = reported.issue.id;
    const made = await rapport.recommend({
      place: places().aChannel,
      by: people.aLead,
      source: source(),
      title: "Replace the firewall",
    });
    aRecommendation = made.recommendation.id;
  });
  afterAll(() => dispose());

  it("takes the partnership from a linked place, whoever's ids a card carries", async () => {
    const before = await core.ledger.count(a.id);
    const message = await refusal(
      rapport.changeIssue({
        place: places().bChannel,
        by: people.bLead,
        source: source(),
        partnershipId: a.id,
        issue: aIssue,
        change: { kind: "priority", priority: "P1" },
      }),
    );
    expect(message).toMatch(/not linked to/);
    expect(await core.ledger.count(a.id)).toBe(before);
    // Without a claim, A's issue is simply not in B's partnership.
    await refusal(
      rapport.changeIssue({
        place: places().bChannel,
        by: people.bLead,
        source: source(),
        issue: aIssue,
        change: { kind: "resolve" },
      }),
    );
    expect(await core.ledger.count(a.id)).toBe(before);
  });

  it("makes nobody client side away from a linked place for not being the provider", async () => {
    const before = await core.ledger.count(a.id);
    const message = await refusal(
      rapport.decide({
        place: place("T0ELSEWHERE", "19:unlinked"),
        by: people.stranger,
        source: source(),
        partnershipId: a.id,
        recommendationId: aRecommendation,
        decision: "accepted",
      }),
    );
    expect(message).toMatch(/not part of that partnership/);
    expect(await core.ledger.count(a.id)).toBe(before);
  });

  it("says how to link a channel linked to nothing", async () => {
    const message = await refusal(
      rapport.report({
        place: places().unlinked,
        by: people.aTech,
        source: source(),
        via: "command",
        text: "x",
      }),
    );
    expect(message).toMatch(/not linked to a partnership yet.*\/itpartner setup/);
  });

  it("lets a member act on their partnership from a place of their own (a shortcut's form)", async () => {
    const { issue, partnership } = await rapport.report({
      place: places().noChannel,
      by: people.aOwner,
      source: source(),
      partnershipId: a.id,
      via: "shortcut",
      text: "scanner offline",
    });
    expect(partnership.id).toBe(a.id);
    expect(issue.reporter.side).toBe("client");
  });

  type Attempt = (r: Request) => Promise<{ partnership: Partnership } | unknown>;
  const attempts: Record<string, Attempt> = {
    report: (r) => rapport.report({ ...r, via: "form", fields: { title: "from a property" } }),
    acknowledge: (r) => rapport.changeIssue({ ...r, issue: aIssue, change: { kind: "acknowledge" } }),
    priority: (r) =>
      rapport.changeIssue({ ...r, issue: aIssue, change: { kind: "priority", priority: "P2" } }),
    decide: (r) => rapport.decide({ ...r, recommendationId: aRecommendation, decision: "declined" }),
    recommend: (r) => rapport.recommend({ ...r, title: "from a property" }),
    call: (r) => rapport.logCall({ ...r, scheduledAt: new Date("2026-11-16T09:00:00Z"), missedBy: null }),
    headsUp: (r) =>
      rapport.announceChange({ ...r, title: "new copier", effectiveAt: new Date("2026-12-01T09:00:00Z") }),
  };

  it("records into a partnership only what the place and the person give standing in it", async () => {
    const claims = { a: () => a.id, b: () => b.id, none: () => null, garbage: () => "not-a-uuid" };
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...(Object.keys(places()) as Where[])),
        fc.constantFrom(...(Object.keys(people) as Who[])),
        fc.constantFrom(...(Object.keys(claims) as (keyof typeof claims)[])),
        fc.constantFrom(...Object.keys(attempts)),
        async (where, who, claim, attempt) => {
          const at = places()[where];
          const by = people[who];
          const partnershipId = claims[claim]();
          const counts = async () => [await core.ledger.count(a.id), await core.ledger.count(b.id)];
          const before = await counts();
          let recordedIn: string | null = null;
          try {
            const result = (await attempts[attempt]!({ place: at, by, source: source(), partnershipId })) as {
              partnership: Partnership;
              created: boolean;
            };
            recordedIn = result.partnership.id;
          } catch (e) {
            expect(isRapportError(e), String(e)).toBe(true);
            expect(await counts()).toEqual(before);
            return;
          }
          const linkedTo = where === "aChannel" ? a.id : where === "bChannel" ? b.id : null;
          if (linkedTo !== null) {
            // A linked place decides; a claim of another partnership is refused.
            expect(recordedIn).toBe(linkedTo);
            expect(partnershipId === null || partnershipId === linkedTo).toBe(true);
          } else {
            // Away from a linked place: only the claimed partnership, and only with standing in it.
            expect(recordedIn).toBe(partnershipId);
            const p = recordedIn === a.id ? a : b;
            const member =
              (await core.partnerships.findMember(p.id, "slack", by.workspaceId, by.userId)) !== null;
            expect(member || p.providerWorkspaceIds.includes(by.workspaceId)).toBe(true);
          }
        },
      ),
      propertyParams(150),
    );
  });
});
