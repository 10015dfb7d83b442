import { describe, expect, it } from "vitest";
import { VERBS } from "../../../../../adapters/teams/ids.ts";
import type { AdaptiveCardJson } from "../../../../../adapters/teams/presenters/card-kit.ts";
import { recommendationCard } from "../../../../../adapters/teams/presenters/recommendation-card.ts";
import { readCardAction } from "../../../../../adapters/teams/presenters/render-card.ts";
import { partnership, recommendation } from "./fixtures.ts";
import { expectValidCard } from "./valid-card.ts";

const decided = new Date("2026-03-10T12:00:00Z");
const states = {
  pending: recommendation(),
  ignored: recommendation({ status: "ignored" }),
  accepted: recommendation({ status: "accepted", decidedAt: decided, decisionNote: "Go ahead in April" }),
  risk_accepted: recommendation({ status: "risk_accepted", decidedAt: decided }),
};

/** Every Action.Execute verb on the card, body and bar, in order. */
function verbsOn(card: AdaptiveCardJson): string[] {
  const found: string[] = [];
  JSON.stringify(card, (key, value: unknown) => {
    if (key === "verb" && typeof value === "string") found.push(value);
    return value;
  });
  return found;
}

describe("recommendationCard", () => {
  it.each(Object.entries(states))("renders a %s recommendation as a valid card", (_state, rec) => {
    const card = recommendationCard(rec, partnership);
    expectValidCard(card);
    expect(card).toMatchSnapshot();
  });

  it("offers a decision (and a reminder) while pending or ignored, and none once decided", () => {
    const verbs = (rec: ReturnType<typeof recommendation>) => verbsOn(recommendationCard(rec, partnership));
    const decision = [VERBS.accept, VERBS.decline, VERBS.acceptRisk, VERBS.remind];
    expect(verbs(states.pending)).toEqual(decision);
    expect(verbs(states.ignored)).toEqual(decision);
    expect(verbs(states.accepted)).toEqual([]);
    expect(verbs(states.risk_accepted)).toEqual([]);
  });

  it("carries the partnership and recommendation in every action", () => {
    const card = recommendationCard(states.pending, partnership);
    const data = { partnershipId: partnership.id, recommendationId: states.pending.id };
    const buttons = card.body.find((el) => el.type === "ActionSet");
    expect(buttons?.actions.map((a) => a.type === "Action.Execute" && a.data)).toEqual([
      data,
      data,
      data,
      data,
    ]);
    expect(readCardAction(VERBS.accept, data)).toEqual({
      action: "recommendation.accept",
      subject: data,
      choice: null,
    });
  });

  it("neutralises mentions and links in the title, reasons and note", () => {
    const card = recommendationCard(
      recommendation({
        title: "<at>Client Admins</at> enable MFA",
        why: "See [the advisory](https://evil.example) <at id='0'>Bob</at>",
        status: "declined",
        decidedAt: decided,
        decisionNote: "</at>Not now",
      }),
      partnership,
    );
    const json = JSON.stringify(card);
    expect(json).not.toMatch(/<\s*\/?\s*at\b/i);
    expect(json).not.toContain("](");
    expect(json).toContain("@Client Admins enable MFA");
    expectValidCard(card);
  });
});

describe("readCardAction on a recommendation card", () => {
  const data = { partnershipId: partnership.id, recommendationId: states.pending.id };

  it("reads each decision and Remind me", () => {
    const neutral = {
      [VERBS.accept]: "recommendation.accept",
      [VERBS.decline]: "recommendation.decline",
      [VERBS.acceptRisk]: "recommendation.acceptRisk",
      [VERBS.remind]: "recommendation.remind",
    };
    for (const [verb, action] of Object.entries(neutral)) {
      expect(readCardAction(verb, data)).toEqual({ action, subject: data, choice: null });
    }
  });

  it("refuses what is not a recommendation action", () => {
    expect(readCardAction(VERBS.resolve, data)).toBeNull();
    expect(readCardAction(VERBS.accept, { partnershipId: partnership.id })).toBeNull();
    expect(readCardAction(VERBS.accept, { ...data, recommendationId: "" })).toBeNull();
    expect(readCardAction(VERBS.accept, "nonsense")).toBeNull();
  });
});
