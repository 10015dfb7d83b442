import { describe, expect, it } from "vitest";
import { BOT_COMMANDS } from "../../../../../adapters/teams/ids.ts";
import { helpCard } from "../../../../../adapters/teams/presenters/help-card.ts";
import { expectValidCard } from "./valid-card.ts";

describe("helpCard", () => {
  it("is a valid card listing every bot command of the manifest, with an example of those that take words", () => {
    const card = helpCard();
    expectValidCard(card);
    expect(card).toMatchSnapshot();
    const commands = card.body.find((el) => el.type === "FactSet");
    expect(commands?.facts.map((f) => f.title)).toEqual(BOT_COMMANDS.map((c) => c.title));
    const json = JSON.stringify(commands);
    expect(json).toContain("`issue printer on floor 2 jammed p2 since 9am`");
    expect(json).toContain("`recommend Replace the unsupported firewall`");
    expect(JSON.stringify(card)).toContain("Report as IT issue");
  });
});
