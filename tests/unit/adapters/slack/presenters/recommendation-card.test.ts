import type { ActionsBlock } from "@slack/web-api";
import { describe, expect, it } from "vitest";
import { ACTIONS } from "../../../../../adapters/slack/ids.ts";
import { checkBlockKit } from "../../../../../adapters/slack/presenters/limits.ts";
import { recommendationCard } from "../../../../../adapters/slack/presenters/recommendation-card.ts";
import { readCardAction } from "../../../../../adapters/slack/presenters/render-card.ts";
import { partnership, recommendation } from "./fixtures.ts";

const decided = recommendation({
  status: "risk_accepted",
  decidedAt: new Date("2026-03-10T14:00:00Z"),
  decisionNote: "Budget is frozen until Q3",
});

const buttons = (r: ReturnType<typeof recommendation>) =>
  recommendationCard(r, partnership)
    .blocks.filter((b): b is ActionsBlock => b.type === "actions")
    .flatMap((b) => b.elements.map((e) => ("action_id" in e ? e.action_id : undefined)));

describe("recommendationCard", () => {
  it.each([
    ["pending", recommendation()],
    ["ignored", recommendation({ status: "ignored" })],
    ["decided", decided],
  ])("renders a %s recommendation within Slack's limits", (_, r) => {
    const card = recommendationCard(r, partnership);
    expect(checkBlockKit(card.blocks)).toEqual([]);
    expect(card).toMatchSnapshot();
  });

  it("offers the decision while pending or ignored, and shows it once made", () => {
    const all = [ACTIONS.accept, ACTIONS.decline, ACTIONS.acceptRisk, ACTIONS.remind];
    expect(buttons(recommendation())).toEqual(all);
    expect(buttons(recommendation({ status: "ignored" }))).toEqual(all);
    expect(buttons(decided)).toEqual([]);
    expect(JSON.stringify(recommendationCard(decided, partnership).blocks)).toContain(
      "Budget is frozen until Q3",
    );
  });

  it("escapes the title, why and note", () => {
    const card = recommendationCard(
      recommendation({
        title: "<!channel> patch",
        why: "<@U1> said so",
        status: "declined",
        decidedAt: new Date(),
        decisionNote: "<!here>",
      }),
      partnership,
    );
    const json = JSON.stringify(card);
    expect(json).not.toMatch(/<!channel>|<@U1>|<!here>/);
    expect(json).toContain("&lt;!channel&gt; patch");
  });

  it("carries the ids in each button's value", () => {
    const actions = recommendationCard(recommendation(), partnership).blocks.find(
      (b): b is ActionsBlock => b.type === "actions",
    )!;
    const first = actions.elements[0];
    expect(readCardAction(ACTIONS.accept, first && "value" in first ? first.value : undefined)).toEqual({
      action: "recommendation.accept",
      subject: { partnershipId: partnership.id, recommendationId: recommendation().id },
      choice: null,
    });
    expect(readCardAction(ACTIONS.accept, '{"p":"a","i":"b"}')).toBeNull();
  });
});
