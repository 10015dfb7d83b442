import type { ActionsBlock, KnownBlock } from "@slack/web-api";
import { describe, expect, it } from "vitest";
import { ACTIONS } from "../../../../../adapters/slack/ids.ts";
import {
  issueCard,
  issueConfirmation,
  parseCardValue,
  parsePriorityValue,
} from "../../../../../adapters/slack/presenters/issue-card.ts";
import { checkBlockKit } from "../../../../../adapters/slack/presenters/limits.ts";
import { issue, NOW, partnership } from "./fixtures.ts";

const actionIds = (blocks: KnownBlock[]) =>
  blocks
    .filter((b): b is ActionsBlock => b.type === "actions")
    .flatMap((b) => b.elements.map((e) => ("action_id" in e ? e.action_id : undefined)));

const states = {
  open: issue(),
  answered: issue({ firstResponseAt: new Date("2026-03-04T09:52:00Z") }),
  waiting: issue({
    status: "waiting_on_client",
    firstResponseAt: new Date("2026-03-04T09:52:00Z"),
    waitingSince: new Date("2026-03-04T10:15:00Z"),
  }),
  resolved: issue({
    status: "resolved",
    firstResponseAt: new Date("2026-03-04T09:52:00Z"),
    resolvedAt: new Date("2026-03-04T13:05:00Z"),
  }),
};

describe("issueCard", () => {
  it.each(Object.entries(states))("renders a %s issue within Slack's limits", (_, i) => {
    const card = issueCard(i, partnership, { now: NOW });
    expect(checkBlockKit(card.blocks)).toEqual([]);
    expect(card).toMatchSnapshot();
  });

  it("offers the buttons that fit each state", () => {
    const ids = (i: (typeof states)[keyof typeof states]) =>
      actionIds(issueCard(i, partnership, { now: NOW }).blocks);
    expect(ids(states.open)).toEqual([
      ACTIONS.acknowledge,
      ACTIONS.waitOnClient,
      ACTIONS.resolve,
      ACTIONS.priority,
    ]);
    expect(ids(states.answered)).toEqual([ACTIONS.waitOnClient, ACTIONS.resolve, ACTIONS.priority]);
    expect(ids(states.waiting)).toEqual([ACTIONS.resolve, ACTIONS.priority]);
    expect(ids(states.resolved)).toEqual([ACTIONS.reopen]);
  });

  it("escapes user text so it never pings or links", () => {
    const card = issueCard(
      issue({
        title: "<!channel> printer <@U123>",
        detail: "see <https://evil.example|this> & that",
        category: "<!here>",
      }),
      partnership,
      { now: NOW },
    );
    const json = JSON.stringify(card);
    expect(json).toContain("&lt;!channel&gt; printer &lt;@U123&gt;");
    expect(json).toContain("&lt;https://evil.example|this&gt; &amp; that");
    expect(json).not.toMatch(/<!channel>|<@U123>|<!here>|<https:\/\/evil/);
  });

  it("stays within the limits with a huge title and description", () => {
    const card = issueCard(issue({ title: "<&>".repeat(400), detail: "word ".repeat(2000) }), partnership, {
      now: NOW,
    });
    expect(checkBlockKit(card.blocks)).toEqual([]);
  });

  it("puts the current priority first in the menu and shows the waiting line", () => {
    const card = issueCard(states.waiting, partnership, { now: NOW });
    const select = card.blocks
      .filter((b): b is ActionsBlock => b.type === "actions")
      .flatMap((b) => b.elements)
      .find((e) => e.type === "static_select");
    expect(select && "initial_option" in select ? select.initial_option?.text.text : null).toBe("🟠 P2");
    expect(JSON.stringify(card.blocks)).toContain("Waiting on the client since");
  });
});

describe("card values", () => {
  it("round-trips through parseCardValue and parsePriorityValue", () => {
    const card = issueCard(states.open, partnership, { now: NOW });
    const actions = card.blocks.find((b): b is ActionsBlock => b.type === "actions")!;
    const [ack, , , select] = actions.elements;
    expect(parseCardValue(ack && "value" in ack ? ack.value : undefined)).toEqual({
      partnershipId: partnership.id,
      issueId: states.open.id,
    });
    const p1 = select?.type === "static_select" ? select.options?.[0]?.value : undefined;
    expect(parsePriorityValue(p1)).toEqual({
      partnershipId: partnership.id,
      issueId: states.open.id,
      priority: "P1",
    });
  });

  it("refuses values that are not ours", () => {
    expect(parseCardValue(undefined)).toBeNull();
    expect(parseCardValue("not json")).toBeNull();
    expect(parseCardValue('{"p":"x"}')).toBeNull();
    expect(parsePriorityValue('{"p":"x","i":"y","v":"P9"}')).toBeNull();
  });
});

describe("issueConfirmation", () => {
  it("says what was recorded, escaped", () => {
    const text = issueConfirmation(issue({ title: "<!channel> down" }));
    expect(text).toContain("*ACME-42*");
    expect(text).toContain("&lt;!channel&gt; down");
    expect(text).toMatchSnapshot();
  });
});
