// The `setup` card submitted with Action.Execute. One set-up for both platforms, saved all or
// nothing: the creator of a partnership becomes an admin of the side they list themselves on (the
// provider's when they do not say), and afterwards each admin changes the people of their own side
// only. The holidays typed into the card are stored (and shown when the card is asked for again),
// a mistake comes back as the form with what to fix and what was typed, and a list too long for the
// card keeps the dates it did not show.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { VERBS } from "../../../adapters/teams/ids.ts";
import { expectValidCard } from "../../unit/adapters/teams/presenters/valid-card.ts";
import { startTeamsHarness, type TeamsHarness } from "./support/harness.ts";
import { IDS, PEOPLE, type TeamsPerson } from "./support/teams-ids.ts";
import {
  actionData,
  cardAction,
  cardsIn,
  cardText,
  channelMessage,
  deepMerge,
  groupMessage,
  inputsOf,
  invokeCard,
  post,
  textsIn,
  valueOf,
  type TeamsResponse,
} from "./support/teams-kit.ts";

type Json = Record<string, unknown>;

/** Every input of a card with the value it shows, as Teams merges them into the submit's data. */
function inputValues(card: unknown): Record<string, string> {
  const values: Record<string, string> = {};
  for (const input of inputsOf(card)) {
    if (typeof input.value === "string" && input.value) values[input.id as string] = input.value;
  }
  return values;
}

/** The input id of the person row labelled `name`. */
function rowOf(card: unknown, name: string): string {
  const input = inputsOf(card).find((i) => i.label === name);
  if (!input) throw new Error(`the set-up card does not list ${name}`);
  return input.id as string;
}

/** The sentences on top of a form that came back with something to fix. */
function noticeOf(card: Json): string[] {
  const [notice] = card.body as { type: string; style?: string; items?: { text: string }[] }[];
  expect(notice).toMatchObject({ type: "Container", style: "attention" });
  return notice!.items!.map((i) => i.text);
}

/** A person of another tenant-provider chat, named only by Teams' member list. */
const PIA = { id: "29:1PiaProviderNewTech", aad: "6f1c2a10-1b2c-4d3e-8f40-0000000000a9", name: "Pia Tech" };
const CLEO = { id: "29:1CleoClientGuest", aad: "6f1c2a10-1b2c-4d3e-8f40-0000000000c9", name: "Cleo Client" };

describe("Teams set-up card", () => {
  let h: TeamsHarness;
  beforeAll(async () => {
    h = await startTeamsHarness();
  }, 60_000);
  afterAll(() => h?.stop());

  /** The set-up card `setup` sends in `where` (the linked support channel, as Ada, by default). */
  async function setupCard(where: Json = channelMessage(h, "setup", { from: PEOPLE.admin })): Promise<Json> {
    const before = h.connector.count;
    expect((await post(h, where)).status).toBe(200);
    const [card] = cardsIn(h.connector.posted(before));
    if (!card) throw new Error(`no set-up card: ${textsIn(h.connector.posted(before)).join(" ")}`);
    expectValidCard(card);
    return card;
  }

  /** Submits the card with its values and `changes`, by `from` (Ada), where it was sent (the support channel). */
  async function submit(
    card: Json,
    changes: Record<string, string>,
    opts: { from?: TeamsPerson; chat?: string } = {},
  ): Promise<TeamsResponse> {
    const data = { ...actionData(card, VERBS.submitSetup), ...inputValues(card), ...changes };
    const click = cardAction(h, VERBS.submitSetup, data, { from: opts.from ?? PEOPLE.admin });
    return post(h, opts.chat ? inGroupChat(click, opts.chat) : click);
  }

  /** An activity moved into a group chat. */
  const inGroupChat = (activity: Json, chat: string): Json =>
    deepMerge(activity, {
      conversation: { id: chat, conversationType: "groupChat", isGroup: true },
      channelData: { channel: undefined, team: undefined },
    });

  it("stores the holidays typed into the card, sorted, and shows them when the card is asked for again", async () => {
    const card = await setupCard();
    expect(inputValues(card)).not.toHaveProperty("setup_holidays");
    const res = await submit(card, { setup_holidays: "2026-12-28, 2026-12-25\n2026-12-25" });
    expect(cardText(invokeCard(res))).toContain("This conversation is linked to Client Co support");
    expect(inputValues(await setupCard()).setup_holidays).toBe("2026-12-25\n2026-12-28");
  });

  it("a holiday that is not a date comes back as the form with what to fix and what was typed; nothing is stored", async () => {
    const card = await setupCard();
    const res = await submit(card, {
      setup_holidays: "2026-12-25\n2026-02-30",
      setup_timezone: "America/New_York",
    });
    const again = invokeCard(res);
    expectValidCard(again);
    expect(noticeOf(again)).toEqual(['⚠️ Holidays: "2026-02-30" is not a real date.']);
    expect(inputValues(again)).toMatchObject({
      setup_holidays: "2026-12-25\n2026-02-30",
      setup_timezone: "America/New_York",
      setup_name: "Client Co support",
    });
    expect(valueOf(again, "Olive Owner")).toBe("client:admin");
    expect(actionData(again, VERBS.submitSetup)).toEqual(actionData(card, VERBS.submitSetup));

    const stored = inputValues(await setupCard());
    expect(stored.setup_holidays).toBe("2026-12-25\n2026-12-28");
    expect(stored.setup_timezone).toBe("Europe/London");
  });

  it("keeps, on saving, the older holidays a card too short for the whole list did not show", async () => {
    const many = Array.from({ length: 300 }, (_, i) =>
      new Date(Date.UTC(2020, 0, 6 + 7 * i)).toISOString().slice(0, 10),
    );
    invokeCard(await submit(await setupCard(), { setup_holidays: many.join("\n") }));

    const long = await setupCard();
    const shown = inputValues(long).setup_holidays!.split("\n");
    expect(shown).toEqual(many.slice(many.length - shown.length));
    const shownFrom = actionData(long, VERBS.submitSetup).holidaysShownFrom;
    expect(shownFrom).toBe(shown[0]);
    // The admin keeps only the last date shown and adds one; the older, unshown ones must stay.
    invokeCard(await submit(long, { setup_holidays: `${many.at(-1)}\n2031-01-01` }));

    const after = await setupCard();
    const unshown = many.filter((d) => d < shown[0]!);
    expect(inputValues(after).setup_holidays!.split("\n")).toEqual([...unshown, many.at(-1), "2031-01-01"]);
    expect(actionData(after, VERBS.submitSetup)).not.toHaveProperty("holidaysShownFrom");
  });

  it("a provider admin cannot change a client's role: the whole form is refused, nothing of it saved", async () => {
    const card = await setupCard();
    const res = await submit(card, {
      [rowOf(card, "Olive Owner")]: "client:staff",
      [rowOf(card, "Lee Lead")]: "provider:admin",
      setup_timezone: "America/New_York",
    });
    const again = invokeCard(res);
    expect(noticeOf(again)).toEqual([
      "⚠️ Nothing was changed: Olive Owner: you can add and change people of the provider side only. " +
        "Ask an admin of the other side to make those changes.",
    ]);
    expect(valueOf(again, "Olive Owner")).toBe("client:staff");
    const stored = await setupCard();
    expect(valueOf(stored, "Olive Owner")).toBe("client:admin");
    expect(valueOf(stored, "Lee Lead")).toBe("provider:lead");
    expect(inputValues(stored).setup_timezone).toBe("Europe/London");
  });

  it("a provider admin changes the provider's people", async () => {
    const card = await setupCard();
    const res = await submit(card, { [rowOf(card, "Lee Lead")]: "provider:admin" });
    expect(cardText(invokeCard(res))).toContain("This conversation is linked to Client Co support");
    expect(valueOf(await setupCard(), "Lee Lead")).toBe("provider:admin");
  });

  it("in a new group chat: lists its people, and its creator becomes the provider's admin with the people chosen", async () => {
    h.connector.setRoster(IDS.groupChat, [
      { id: IDS.tech.id, name: IDS.tech.name, aadObjectId: IDS.tech.aad, tenantId: IDS.providerTenant },
      { id: PIA.id, name: PIA.name, aadObjectId: PIA.aad, tenantId: IDS.providerTenant },
      { id: CLEO.id, name: CLEO.name, aadObjectId: CLEO.aad, tenantId: IDS.clientTenant },
    ]);
    const card = await setupCard(groupMessage(h, "setup"));
    expect(
      inputsOf(card)
        .filter((i) => /^setup_person_/.test(i.id as string))
        .map((i) => [i.label, i.value]),
    ).toEqual([
      ["Tess Tech", "provider:admin"],
      ["Pia Tech", "none"],
      ["Cleo Client", "none"],
    ]);
    const res = await submit(
      card,
      {
        setup_name: "Cleo's shop and Provider IT",
        setup_provider_org: "Provider IT",
        setup_client_org: "Cleo's shop",
        [rowOf(card, "Pia Tech")]: "provider:tech",
        [rowOf(card, "Cleo Client")]: "client:admin",
      },
      { from: PEOPLE.tech, chat: IDS.groupChat },
    );
    expect(cardText(invokeCard(res))).toContain("a new partnership");

    // Tess is its admin now: she gets the card of the linked chat, everyone where they stand.
    const again = await setupCard(groupMessage(h, "setup"));
    expect(actionData(again, VERBS.submitSetup).partnershipId).toEqual(expect.any(String));
    expect(valueOf(again, "Tess Tech")).toBe("provider:admin");
    expect(valueOf(again, "Pia Tech")).toBe("provider:tech");
    expect(valueOf(again, "Cleo Client")).toBe("client:admin");
  });

  it("the creator who lists themselves on the client's side becomes the client's admin", async () => {
    const chat = "19:c0ffee00c0ffee00c0ffee00c0ffee00@thread.v2";
    h.connector.setRoster(chat, []);
    const open = inGroupChat(groupMessage(h, "setup", PEOPLE.stranger), chat);
    const card = await setupCard(open);
    const res = await submit(
      card,
      {
        setup_name: "Carl's office",
        setup_provider_org: "Some MSP",
        setup_client_org: "Carl's office",
        [rowOf(card, "Carl Client")]: "client:lead",
      },
      { from: PEOPLE.stranger, chat },
    );
    expect(cardText(invokeCard(res))).toContain("a new partnership");
    expect(valueOf(await setupCard(open), "Carl Client")).toBe("client:admin");
  });

  it("a card from another conversation is refused with where to send `setup`", async () => {
    const card = await setupCard();
    const res = await submit(card, {}, { chat: IDS.groupChat });
    expect(noticeOf(invokeCard(res))).toEqual([
      "⚠️ This set-up card belongs to another conversation; send `setup` here for this one.",
    ]);
  });
});
