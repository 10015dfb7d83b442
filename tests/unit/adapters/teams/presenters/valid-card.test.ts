import { describe, expect, it } from "vitest";
import { cardProblems, expectValidCard } from "./valid-card.ts";

const card = (body: unknown[], actions: unknown[] = []) => ({
  type: "AdaptiveCard",
  version: "1.5",
  body,
  actions,
});
const text = { type: "TextBlock", text: "Printer jammed", wrap: true };

// The helper guards every card test: each of these must be caught, or those tests prove nothing.
describe("cardProblems", () => {
  it("accepts a plain valid card", () => {
    expect(
      cardProblems(card([text], [{ type: "Action.Execute", title: "Go", verb: "issue.resolve" }])),
    ).toEqual([]);
    expectValidCard(card([text]));
  });

  it.each([
    ["an unknown element type", card([{ type: "Input.Slider", id: "x" }]), /Unknown element type/],
    [
      "an unknown action type",
      card([text], [{ type: "Action.Teleport", title: "x" }]),
      /Unknown action type/,
    ],
    [
      "an Action.Execute without a verb",
      card([text], [{ type: "Action.Execute", title: "x" }]),
      /without a verb/,
    ],
    ["a misspelled property", card([{ ...text, wrapp: true }]), /body\[0\]\.wrapp/],
    ["an invalid value", card([{ ...text, color: "purple" }]), /Invalid value "purple"/],
    [
      "inputs sharing an id",
      card([
        { type: "Input.Text", id: "a" },
        { type: "Input.Text", id: "a" },
      ]),
      /Duplicate Id/,
    ],
    ["a required input without label", card([{ type: "Input.Text", id: "a", isRequired: true }]), /label/],
    [
      "a ChoiceSet without choices",
      card([{ type: "Input.ChoiceSet", id: "a", choices: [] }]),
      /at least one choice/,
    ],
    ["an OpenUrl without url", card([text], [{ type: "Action.OpenUrl", title: "x" }]), /"url" must be set/],
    ["another schema version", { ...card([text]), version: "1.6" }, /not 1\.5/],
    ["a card over 28 KB", card([{ ...text, text: "x".repeat(29_000) }]), /bytes/],
  ])("reports %s", (_name, json, problem) => {
    expect(cardProblems(json).join("\n")).toMatch(problem);
    expect(() => expectValidCard(json)).toThrow();
  });
});
