import { describe, expect, it } from "vitest";
import { VERBS } from "../../../../../adapters/teams/ids.ts";
import {
  cardBytes,
  TEAMS_LIMITS,
  type AdaptiveCardJson,
} from "../../../../../adapters/teams/presenters/card-kit.ts";
import { issueCard, issueConfirmation } from "../../../../../adapters/teams/presenters/issue-card.ts";
import { readCardAction } from "../../../../../adapters/teams/presenters/render-card.ts";
import { issueCardActions } from "../../../../../src/index.ts";
import { issue, NOW, partnership } from "./fixtures.ts";
import { expectValidCard } from "./valid-card.ts";

const answered = new Date("2026-03-04T10:05:00Z");
const states = {
  open: issue(),
  acknowledged: issue({ firstResponseAt: answered }),
  waiting: issue({
    status: "waiting_on_client",
    firstResponseAt: answered,
    waitingSince: new Date("2026-03-04T11:00:00Z"),
  }),
  resolved: issue({
    status: "resolved",
    firstResponseAt: answered,
    resolvedAt: new Date("2026-03-04T14:10:00Z"),
  }),
};

/** Every Action.Execute verb on the card, bar and body, in order. */
function verbsOn(card: AdaptiveCardJson): string[] {
  const found: string[] = [];
  JSON.stringify(card, (key, value: unknown) => {
    if (key === "verb" && typeof value === "string") found.push(value);
    return value;
  });
  return found;
}

describe("issueCard", () => {
  it.each(Object.entries(states))("renders a %s issue as a valid card", (_state, i) => {
    const card = issueCard(i, partnership, { now: NOW });
    expectValidCard(card);
    expect(card).toMatchSnapshot();
  });

  it("offers the buttons of each state", () => {
    const { acknowledge, waitOnClient, resolve, reopen, priority } = VERBS;
    expect(verbsOn(issueCard(states.open, partnership, { now: NOW }))).toEqual([
      acknowledge,
      waitOnClient,
      resolve,
      priority,
    ]);
    expect(verbsOn(issueCard(states.acknowledged, partnership, { now: NOW }))).toEqual([
      waitOnClient,
      resolve,
      priority,
    ]);
    expect(verbsOn(issueCard(states.waiting, partnership, { now: NOW }))).toEqual([resolve, priority]);
    expect(verbsOn(issueCard(states.resolved, partnership, { now: NOW }))).toEqual([reopen]);
    // The document's neutral ids are Teams' verbs.
    for (const i of Object.values(states)) {
      expect(verbsOn(issueCard(i, partnership, { now: NOW }))).toEqual(issueCardActions(i).map((a) => a.id));
    }
  });

  it("carries the partnership and issue in every action, and the menu's value for priority", () => {
    const card = issueCard(states.open, partnership, { now: NOW });
    const data = { partnershipId: partnership.id, issueId: states.open.id };
    const buttons = card.body.find((el) => el.type === "ActionSet");
    expect(buttons?.actions.map((a) => a.type === "Action.Execute" && a.data)).toEqual([data, data, data]);
    expect(JSON.stringify(card)).toContain('"id":"priority"');
  });

  it("never lets a title or reporter name become a mention or a link", () => {
    const card = issueCard(
      issue({
        title: "Ask <at>Dana Reyes</at> about [the invoice](https://evil.example)",
        reporter: { memberId: null, side: "client", userId: "29:x", displayName: "<at>Everyone</at>" },
      }),
      partnership,
      { now: NOW },
    );
    const json = JSON.stringify(card);
    expect(json).not.toMatch(/<\s*\/?\s*at\b/i);
    expect(json).not.toContain("](https://evil");
    expect(card.body[0]).toMatchObject({
      text: "ACME-42 · Ask @Dana Reyes about [the invoice] (https://evil.example)",
    });
    expectValidCard(card);
  });

  it("stays under Teams' 28 KB with the longest title and details", () => {
    const card = issueCard(
      issue({ title: "🖨️".repeat(400), detail: "😀 jam ".repeat(2000), category: "x".repeat(500) }),
      partnership,
      { now: NOW },
    );
    expect(cardBytes(card)).toBeLessThan(TEAMS_LIMITS.messageBytes);
    expectValidCard(card);
  });

  it("links the original message only when it is https", () => {
    const titles = (i: ReturnType<typeof issue>) =>
      issueCard(i, partnership, { now: NOW }).actions?.map((a) => a.title) ?? [];
    expect(titles(issue())).toContain("Original message");
    expect(titles(issue({ sourceUrl: "javascript:alert(1)" }))).not.toContain("Original message");
  });
});

describe("readCardAction on an issue card", () => {
  const data = { partnershipId: partnership.id, issueId: states.open.id };
  const subject = { partnershipId: partnership.id, issueId: states.open.id };

  it("reads each button and the priority menu as the core's neutral action", () => {
    expect(readCardAction(VERBS.resolve, data)).toEqual({ action: "issue.resolve", subject, choice: null });
    expect(readCardAction(VERBS.acknowledge, { ...data, priority: "P2" })).toMatchObject({
      action: "issue.acknowledge",
      subject,
    });
    expect(readCardAction(VERBS.priority, { ...data, priority: "P1" })).toEqual({
      action: "issue.priority",
      subject,
      choice: "P1",
    });
  });

  it("refuses what is not an issue action (a priority the core does not know is the core's to refuse)", () => {
    expect(readCardAction(VERBS.accept, data)).toBeNull();
    expect(readCardAction("someone.else", data)).toBeNull();
    expect(readCardAction(VERBS.resolve, { issueId: "x" })).toBeNull();
    expect(readCardAction(VERBS.resolve, null)).toBeNull();
  });
});

describe("issueConfirmation", () => {
  it("names the key, priority and start", () => {
    expect(issueConfirmation(states.open, partnership)).toMatchInlineSnapshot(
      `"Recorded **ACME-42**: Printer on floor 2 jammed (P2, started Wed 4 Mar 2026, 09:00 GMT). Its card in the support channel shows every update; reply to it to add detail."`,
    );
  });
});
