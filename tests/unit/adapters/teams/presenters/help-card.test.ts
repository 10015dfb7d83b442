import { describe, expect, it } from "vitest";
import { BOT_COMMANDS } from "../../../../../adapters/teams/ids.ts";
import { helpCard } from "../../../../../adapters/teams/presenters/help-card.ts";
import { expectValidCard } from "./valid-card.ts";

describe("helpCard", () => {
  it("is a valid card listing every bot command with an example", () => {
    const card = helpCard();
    expectValidCard(card);
    expect(card).toMatchSnapshot();
    const commands = card.body.find((el) => el.type === "FactSet");
    expect(commands?.facts.map((f) => f.title)).toEqual(BOT_COMMANDS.map((c) => c.title));
    for (const fact of commands?.facts ?? []) expect(fact.value).toMatch(new RegExp(`${fact.title}\\b`));
  });
});
