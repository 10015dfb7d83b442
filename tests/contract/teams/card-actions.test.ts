// Adaptive Card Action.Execute (adaptiveCard/action invokes) on issue and recommendation cards:
// rapport records the click and answers in the HTTP body with the card redrawn, or with a
// sentence for the clicker; redelivered invokes and double clicks record once.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { VERBS } from "../../../adapters/teams/ids.ts";
import { expectValidCard } from "../../unit/adapters/teams/presenters/valid-card.ts";
import { startTeamsHarness, type TeamsHarness } from "./support/harness.ts";
import { PEOPLE } from "./support/teams-ids.ts";
import {
  actionData,
  cardAction,
  cardsIn,
  cardText,
  channelMessage,
  invokeCard,
  invokeMessage,
  newInvokeId,
  post,
  verbsOf,
  type TeamsResponse,
} from "./support/teams-kit.ts";

type Card = Record<string, unknown>;

/** The card without its "Updated <time>" line, which moves with the clock. */
const stable = (card: Card) =>
  JSON.parse(JSON.stringify(card).replace(/"Updated [^"]*"/g, '"Updated"')) as Card;
const factOf = (card: Card, title: string) =>
  cardText(card).split("\n")[cardText(card).split("\n").indexOf(title) + 1];

describe("Teams card actions (Action.Execute)", () => {
  let h: TeamsHarness;
  beforeAll(async () => {
    h = await startTeamsHarness();
  }, 60_000);
  afterAll(() => h?.stop());

  /** Posts a card `verb` click and checks the answer's card, when it is one. */
  async function click(
    verb: string,
    data: Record<string, unknown>,
    opts: Parameters<typeof cardAction>[3] = {},
  ) {
    const before = h.connector.count;
    const res = await post(h, cardAction(h, verb, data, opts));
    // The answer travels in the HTTP body: nothing is posted to the conversation for a click.
    expect(h.connector.posted(before)).toEqual([]);
    return res;
  }
  const cardOf = (res: TeamsResponse) => {
    const card = invokeCard(res);
    expectValidCard(card);
    return card;
  };

  /** Records an issue by message and returns its card's action data. */
  async function newIssue(text: string) {
    const before = h.connector.count;
    await post(h, channelMessage(h, `issue ${text}`));
    const [card] = cardsIn(await h.connector.waitForPosted(before));
    expectValidCard(card);
    return actionData(card, VERBS.resolve);
  }

  it("Acknowledge by a provider member answers with the card refreshed: first response shown, Acknowledge gone", async () => {
    const data = await newIssue("printer jammed p2");
    const res = await click(VERBS.acknowledge, data, { from: PEOPLE.tech });
    expect(res.status).toBe(200);
    const card = cardOf(res);
    expect(cardText(card)).toContain("CLIENT-1 · printer jammed");
    expect(factOf(card, "Status")).toBe("🔵 Open");
    expect(cardText(card)).toContain("First response");
    expect(verbsOf(card)).toEqual([VERBS.waitOnClient, VERBS.resolve, VERBS.priority]);
  });

  it("Acknowledge by a client member is refused with a sentence, and by someone the partnership does not know too", async () => {
    const data = await newIssue("scanner offline");
    for (const from of [PEOPLE.owner, PEOPLE.staff]) {
      const res = await click(VERBS.acknowledge, data, { from });
      expect(res.status).toBe(200);
      expect(invokeMessage(res)).toMatch(/^Only Provider IT \(the provider side\) can /);
    }
    // Carl's clicks come from the client's tenant, where no conversation is linked: the card's
    // partnership is a claim, honoured only for someone who takes part in it.
    expect(invokeMessage(await click(VERBS.acknowledge, data, { from: PEOPLE.stranger }))).toMatch(
      /^You are not part of that partnership, so nothing was recorded\./,
    );
    // Nothing was recorded: the provider can still acknowledge.
    const ok = cardOf(await click(VERBS.acknowledge, data, { from: PEOPLE.lead }));
    expect(verbsOf(ok)).not.toContain(VERBS.acknowledge);
  });

  it("the same invoke delivered twice records once: the second answer is the first card", async () => {
    const data = await newIssue("VPN drops");
    const id = newInvokeId();
    const first = cardOf(await click(VERBS.acknowledge, data, { id }));
    const second = cardOf(await click(VERBS.acknowledge, data, { id }));
    expect(stable(second)).toEqual(stable(first));
    // The first response is the first click's, not a second one's.
    expect(factOf(second, "First response")).toBe(factOf(first, "First response"));

    // A redelivered Resolve after a Reopen must not resolve the issue again.
    const resolveId = newInvokeId();
    cardOf(await click(VERBS.resolve, data, { id: resolveId }));
    cardOf(await click(VERBS.reopen, data));
    const redelivered = cardOf(await click(VERBS.resolve, data, { id: resolveId }));
    expect(factOf(redelivered, "Status")).toBe("🔵 Open");
  });

  it("Waiting on client, Resolve, Reopen and the priority menu each redraw the card", async () => {
    const data = await newIssue("laptop will not boot p3");

    const waiting = cardOf(await click(VERBS.waitOnClient, data));
    expect(factOf(waiting, "Status")).toBe("⏸️ Waiting on client");
    expect(cardText(waiting)).toContain("the provider's SLA clock is paused");
    expect(verbsOf(waiting)).not.toContain(VERBS.waitOnClient);

    const resolved = cardOf(await click(VERBS.resolve, data));
    expect(factOf(resolved, "Status")).toBe("✅ Resolved");
    expect(cardText(resolved)).toContain("Resolved");
    expect(verbsOf(resolved)).toEqual([VERBS.reopen]);

    const reopened = cardOf(await click(VERBS.reopen, data));
    expect(factOf(reopened, "Status")).toBe("🔵 Open");
    expect(verbsOf(reopened)).toContain(VERBS.resolve);
    expect(verbsOf(reopened)).not.toContain(VERBS.reopen);

    // The menu's value is merged into the action's data by Teams.
    const p1 = cardOf(await click(VERBS.priority, { ...data, priority: "P1" }));
    expect(factOf(p1, "Priority")).toMatch(/^🔴 P1: /);
    expect(p1).toMatchObject({ fallbackText: expect.stringContaining("[P1]") });
  });

  it("a priority click without a priority, or with data that is not rapport's, gets a sentence, not a failure", async () => {
    const data = await newIssue("monitor flickers");
    const noPriority = await click(VERBS.priority, data);
    expect(noPriority.status).toBe(200);
    expect(invokeMessage(noPriority)).toMatch(/could not read that button, so nothing was recorded/);
    const unknown = await click("issue.explode", data);
    expect(invokeMessage(unknown)).toMatch(/older version of rapport/);
    const otherIssue = await click(VERBS.resolve, {
      ...data,
      issueId: "00000000-0000-4000-8000-000000000000",
    });
    expect(invokeMessage(otherIssue)).toMatch(/^There is no issue/);
  });

  describe("recommendation cards", () => {
    async function newRecommendation(title: string) {
      const before = h.connector.count;
      await post(h, channelMessage(h, `recommend ${title}`, { from: PEOPLE.tech }));
      const [card] = cardsIn(await h.connector.waitForPosted(before));
      expectValidCard(card);
      return actionData(card, VERBS.accept);
    }

    it("Accept by a client member answers with the card showing the decision and no buttons", async () => {
      const data = await newRecommendation("Enable MFA");
      const card = cardOf(await click(VERBS.accept, data, { from: PEOPLE.owner }));
      expect(cardText(card)).toContain("💡 Recommendation: Enable MFA");
      expect(factOf(card, "Status")).toBe("✅ Accepted");
      expect(verbsOf(card)).toEqual([]);
    });

    it("Accept by a provider member is refused", async () => {
      const data = await newRecommendation("Replace the firewall");
      expect(invokeMessage(await click(VERBS.accept, data, { from: PEOPLE.tech }))).toMatch(
        /^Only Client Co \(the client side\) can decide on a recommendation/,
      );
    });

    it("Accept clicked twice (two invokes) answers the decided card again; a later Decline changes nothing", async () => {
      const data = await newRecommendation("Back up the NAS offsite");
      const first = cardOf(await click(VERBS.accept, data, { from: PEOPLE.staff }));
      const second = cardOf(await click(VERBS.accept, data, { from: PEOPLE.staff }));
      expect(second).toEqual(first);
      const decline = cardOf(await click(VERBS.decline, data, { from: PEOPLE.owner }));
      expect(decline).toEqual(first);
      expect(factOf(decline, "Status")).toBe("✅ Accepted");
    });

    it("Remind me answers with when the reminder comes, and leaves the card as it is", async () => {
      const data = await newRecommendation("Renew the antivirus licences");
      const res = await click(VERBS.remind, data, { from: PEOPLE.owner });
      expect(invokeMessage(res)).toMatch(/^I'll remind you on \w+day \d+ \w+ at 09:00\.$/);
      // The decision is still open.
      const card = cardOf(await click(VERBS.accept, data, { from: PEOPLE.owner }));
      expect(factOf(card, "Status")).toBe("✅ Accepted");
    });

    it("Accept the risk records the client's decision", async () => {
      const data = await newRecommendation("Retire Windows 10 PCs");
      const card = cardOf(await click(VERBS.acceptRisk, data, { from: PEOPLE.owner }));
      expect(factOf(card, "Status")).toBe("⚠️ Declined, risk accepted");
    });
  });
});
