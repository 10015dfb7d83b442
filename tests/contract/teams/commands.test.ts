// Bot commands typed as messages over POST /api/messages: `issue …` in the linked channel (with
// the @mention), redelivery, unlinked conversations, the forms, help, status, setup and
// `recommend` on both sides. Every card rapport sends is read back from the fake connector: answers
// in the turn are there when the HTTP answer comes, issue and recommendation cards are queued and
// waited for.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { VERBS } from "../../../adapters/teams/ids.ts";
import { expectValidCard } from "../../unit/adapters/teams/presenters/valid-card.ts";
import { startTeamsHarness, type TeamsHarness } from "./support/harness.ts";
import { IDS, PEOPLE } from "./support/teams-ids.ts";
import {
  actionData,
  cardsIn,
  cardText,
  channelMessage,
  groupMessage,
  inputIdsOf,
  loadFixture,
  personalMessage,
  post,
  textsIn,
  valueOf,
  verbsOf,
} from "./support/teams-kit.ts";

const GENERAL = { id: IDS.team, name: "General" };

describe("Teams bot commands", () => {
  let h: TeamsHarness;
  beforeAll(async () => {
    h = await startTeamsHarness();
  }, 60_000);
  afterAll(() => h?.stop());

  /**
   * Posts `activity`; returns the HTTP status and what rapport posted to the connector, waiting
   * for `queued` cards posted after the answer.
   */
  async function send(activity: Record<string, unknown>, queued = 0) {
    const before = h.connector.count;
    const res = await post(h, activity);
    if (queued > 0) await h.connector.waitForPosted(before, queued);
    const posted = h.connector.posted(before);
    for (const card of cardsIn(posted)) expectValidCard(card);
    return { res, posted, cards: cardsIn(posted), texts: textsIn(posted) };
  }

  it("`issue printer jammed p2 since 9am` in the linked channel posts the issue card in the message's thread", async () => {
    const activity = channelMessage(h, "issue printer jammed p2 since 9am");
    const { res, posted, cards } = await send(activity, 1);
    expect(res.status).toBe(200);
    expect(posted).toHaveLength(1);
    const [reply] = posted;
    // A new message in the thread (the conversation id names its first message), not a reply to
    // the turn's activity: it is posted after the turn, through the conversation's reference.
    expect(reply!.kind).toBe("send");
    expect(reply!.conversationId).toBe(`${IDS.supportChannel};messageid=${String(activity.id)}`);
    expect(reply!.body.from).toMatchObject({ id: IDS.bot });
    expect(cards).toHaveLength(1);
    const text = cardText(cards[0]);
    expect(text).toContain("CLIENT-1 · printer jammed");
    expect(text).toContain("P2");
    expect(text).toContain("by Sam Staff");
    expect(text).toMatch(/Started\n.*09:00/);
    expect(verbsOf(cards[0])).toEqual([VERBS.acknowledge, VERBS.waitOnClient, VERBS.resolve, VERBS.priority]);
    expect(actionData(cards[0], VERBS.acknowledge)).toEqual({
      partnershipId: h.partnershipId,
      issueId: expect.any(String),
    });

    // Teams redelivers the same activity (same id) when it did not hear back in time.
    const beforeAgain = h.connector.count;
    const again = await send(activity);
    expect(again.res.status).toBe(200);

    // A new message is a new issue, with the next key; the redelivery posted no card meanwhile.
    const next = await send(channelMessage(h, "issue scanner offline"), 1);
    expect(cardText(next.cards[0])).toContain("CLIENT-2 · scanner offline");
    expect(h.connector.posted(beforeAgain)).toHaveLength(1);
  });

  it("`issue …` in a channel that is not linked explains how to link it, and records nothing", async () => {
    const { res, posted, cards, texts } = await send(
      channelMessage(h, "issue printer jammed", { channel: GENERAL, from: PEOPLE.tech }),
    );
    expect(res.status).toBe(200);
    expect(cards).toEqual([]);
    expect(posted).toHaveLength(1);
    expect(texts[0]).toMatch(/^This channel is not linked to a partnership yet\./);
    expect(texts[0]).toContain("`setup`");
    expect(texts[0]).toContain("rapport partnership link");
  });

  it("`issue` in an unlinked group chat explains how to link it too", async () => {
    const { cards, texts } = await send(groupMessage(h, "issue printer jammed"));
    expect(cards).toEqual([]);
    expect(texts[0]).toMatch(/^This channel is not linked to a partnership yet\./);
  });

  it("`issue` alone answers with the issue form for this partnership", async () => {
    const { posted, cards } = await send(channelMessage(h, "issue"));
    expect(posted).toHaveLength(1);
    expect(cards).toHaveLength(1);
    expect(inputIdsOf(cards[0])).toEqual([
      "issue_title",
      "issue_description",
      "issue_priority",
      "issue_started_at_date",
      "issue_started_at_time",
    ]);
    expect(verbsOf(cards[0])).toEqual([VERBS.submitIssue]);
    // The partnership is a claim the core checks; the timezone is what the typed start is read in.
    expect(actionData(cards[0], VERBS.submitIssue)).toEqual({
      partnershipId: h.partnershipId,
      timezone: "Europe/London",
    });
  });

  it("`help` answers with the help card, in a channel, a group chat (the fixture as Teams sends it) and personal chat", async () => {
    const inChannel = await send(channelMessage(h, "help", { from: PEOPLE.tech }));
    const inGroup = await send(
      loadFixture("message-group-chat", { id: "1717404340999", serviceUrl: h.connector.url }),
    );
    const inPersonal = await send(personalMessage(h, "help"));
    for (const { cards, texts } of [inChannel, inGroup, inPersonal]) {
      expect(texts).toEqual([]);
      expect(cards).toHaveLength(1);
      expect(cards[0]).toMatchObject({ fallbackText: expect.stringMatching(/^rapport help: issue, status/) });
      expect(cardText(cards[0])).toContain("Report as IT issue");
    }
    expect(inGroup.posted[0]!.conversationId).toBe(IDS.groupChat);
    expect(inPersonal.posted[0]!.conversationId).toBe(IDS.techPersonalChat);
  });

  it("an unknown word says so and shows the help card", async () => {
    const { texts, cards } = await send(channelMessage(h, "frobnicate the printer"));
    expect(texts).toEqual(['I don\'t know "frobnicate". Here is what I can do:']);
    expect(cards).toHaveLength(1);
    expect(cards[0]).toMatchObject({ fallbackText: expect.stringMatching(/^rapport help:/) });
  });

  it("the mention alone is treated as `help`", async () => {
    const { cards } = await send(channelMessage(h, ""));
    expect(cards).toHaveLength(1);
    expect(cards[0]).toMatchObject({ fallbackText: expect.stringMatching(/^rapport help:/) });
  });

  it("`status` in the linked channel answers with the partnership's scorecard", async () => {
    const { cards, texts } = await send(channelMessage(h, "status", { from: PEOPLE.lead }));
    expect(texts).toEqual([]);
    expect(cards).toHaveLength(1);
    expect(cards[0]).toMatchObject({
      fallbackText: expect.stringMatching(/^Client Co support: provider \d+\/100, client \d+\/100$/),
    });
    const text = cardText(cards[0]);
    expect(text).toContain("Client Co support: scorecard");
    // The two issues recorded above count already: the scorecard reads the ledger.
    expect(text).toContain("for 2 issues");
  });

  it("`status` in a personal chat shows the scorecards of the sender's partnerships", async () => {
    const { cards } = await send(personalMessage(h, "status"));
    expect(cards).toHaveLength(1);
    expect(cards[0]).toMatchObject({
      fallbackText: expect.stringMatching(/^Client Co support: provider \d+\/100/),
    });
  });

  it("`status` in an unlinked group chat shows nobody's partnerships there, and says how to link it", async () => {
    const { cards, texts } = await send(groupMessage(h, "status"));
    expect(cards).toEqual([]);
    expect(texts[0]).toMatch(/^This channel is not linked to a partnership yet\./);
  });

  it("`setup` in the linked channel answers an admin with the set-up card, its people where they stand", async () => {
    const { cards } = await send(channelMessage(h, "setup", { from: PEOPLE.admin }));
    expect(cards).toHaveLength(1);
    expect(verbsOf(cards[0])).toEqual([VERBS.submitSetup]);
    const data = actionData(cards[0], VERBS.submitSetup);
    expect(data).toMatchObject({ partnershipId: h.partnershipId, conversationId: IDS.supportChannel });
    const people = data.people as { userId: string; name: string; member?: true }[];
    expect(people.map((p) => p.name)).toEqual([
      "Tess Tech",
      "Lee Lead",
      "Ada Admin",
      "Sam Staff",
      "Olive Owner",
    ]);
    expect(people.every((p) => p.member)).toBe(true);
    expect(cardText(cards[0])).toContain("People");
    expect(valueOf(cards[0], "Olive Owner")).toBe("client:admin");
    expect(valueOf(cards[0], "Lee Lead")).toBe("provider:lead");
  });

  it("`setup` by someone who is not an admin of the linked partnership is refused with whom to ask", async () => {
    const { cards, texts } = await send(channelMessage(h, "setup", { from: PEOPLE.tech }));
    expect(cards).toEqual([]);
    expect(texts[0]).toMatch(/^Only an admin of Client Co support can change its set-up\./);
  });

  it("`setup` in an unlinked group chat offers to create a partnership, its sender listed as the provider's admin", async () => {
    const { cards } = await send(groupMessage(h, "setup"));
    expect(cards).toHaveLength(1);
    expect(verbsOf(cards[0])).toEqual([VERBS.submitSetup]);
    const data = actionData(cards[0], VERBS.submitSetup);
    expect(data.conversationId).toBe(IDS.groupChat);
    expect(data.partnershipId ?? null).toBeNull();
    expect(data.people).toEqual([
      { userId: IDS.tech.aad, tenantId: IDS.providerTenant, name: IDS.tech.name },
    ]);
  });

  it("`recommend Enable MFA` by a provider member posts the recommendation card", async () => {
    const { cards, texts } = await send(channelMessage(h, "recommend Enable MFA", { from: PEOPLE.tech }), 1);
    expect(texts).toEqual([]);
    expect(cards).toHaveLength(1);
    expect(cardText(cards[0])).toContain("💡 Recommendation: Enable MFA");
    expect(cards[0]).toMatchObject({ fallbackText: "Recommendation from Provider IT: Enable MFA" });
    expect(verbsOf(cards[0])).toEqual(
      expect.arrayContaining([VERBS.accept, VERBS.decline, VERBS.acceptRisk, VERBS.remind]),
    );
  });

  it("`recommend …` by a client member (a guest in the provider's tenant) is refused with a sentence", async () => {
    const { cards, texts } = await send(channelMessage(h, "recommend Enable MFA", { from: PEOPLE.staff }));
    expect(cards).toEqual([]);
    expect(texts).toHaveLength(1);
    expect(texts[0]).toMatch(/^Only Provider IT \(the provider side\) can /);
  });

  it("`call` and `headsup` answer with their forms", async () => {
    const call = await send(channelMessage(h, "call", { from: PEOPLE.tech }));
    const headsUp = await send(channelMessage(h, "headsup", { from: PEOPLE.staff }));
    expect(verbsOf(call.cards[0])).toEqual(["form.call"]);
    expect(verbsOf(headsUp.cards[0])).toEqual(["form.headsUp"]);
  });
});
