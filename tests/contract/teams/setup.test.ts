// The `setup` card submitted with Action.Execute: the holidays typed into it are stored (and shown
// when the card is asked for again), a date that does not exist is refused with the sentence the
// card reports mistakes with, and a list too long for the card keeps the dates it did not show.
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
  post,
  type TeamsResponse,
} from "./support/teams-kit.ts";

type Json = Record<string, unknown>;

/** Every input of a card with the value it shows, as Teams merges them into the submit's data. */
function inputValues(card: unknown): Record<string, string> {
  const values: Record<string, string> = {};
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (typeof node !== "object" || node === null) return;
    const el = node as Json;
    if (typeof el.type === "string" && el.type.startsWith("Input.") && typeof el.id === "string") {
      if (typeof el.value === "string" && el.value) values[el.id] = el.value;
    }
    Object.values(el).forEach(walk);
  };
  walk(card);
  return values;
}

describe("Teams set-up card", () => {
  let h: TeamsHarness;
  beforeAll(async () => {
    h = await startTeamsHarness();
  }, 60_000);
  afterAll(() => h?.stop());

  /** The set-up card of the linked support channel, as `setup` sends it there. */
  async function setupCard(): Promise<Json> {
    const before = h.connector.count;
    expect((await post(h, channelMessage(h, "setup", { from: PEOPLE.tech }))).status).toBe(200);
    const [card] = cardsIn(h.connector.posted(before));
    expectValidCard(card);
    return card!;
  }

  /** Submits the card as Olive (the client's admin) with its values and `changes`. */
  async function submit(card: Json, changes: Record<string, string>): Promise<TeamsResponse> {
    const data = { ...actionData(card, VERBS.submitSetup), ...inputValues(card), ...changes };
    return post(h, cardAction(h, VERBS.submitSetup, data, { from: PEOPLE.owner }));
  }

  it("stores the holidays typed into the card, sorted, and shows them when the card is asked for again", async () => {
    const card = await setupCard();
    expect(inputValues(card)).not.toHaveProperty("setup_holidays");
    const res = await submit(card, { setup_holidays: "2026-12-28, 2026-12-25\n2026-12-25" });
    expect(cardText(invokeCard(res))).toContain("This conversation is linked to Client Co support");
    expect(inputValues(await setupCard()).setup_holidays).toBe("2026-12-25\n2026-12-28");
  });

  it("refuses a holiday that is not a date with what to fix, and stores nothing of the card", async () => {
    const card = await setupCard();
    const res = await submit(card, {
      setup_holidays: "2026-12-25\n2026-02-30",
      setup_timezone: "America/New_York",
    });
    expect(invokeMessage(res)).toBe('Holidays: "2026-02-30" is not a real date.');
    const again = inputValues(await setupCard());
    expect(again.setup_holidays).toBe("2026-12-25\n2026-12-28");
    expect(again.setup_timezone).toBe("Europe/London");
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
});
