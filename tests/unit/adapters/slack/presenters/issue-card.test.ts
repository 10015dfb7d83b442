import type { ActionsBlock, KnownBlock } from "@slack/web-api";
import { describe, expect, it } from "vitest";
import { ACTIONS } from "../../../../../adapters/slack/ids.ts";
import { issueCard, issueConfirmation } from "../../../../../adapters/slack/presenters/issue-card.ts";
import { readCardAction } from "../../../../../adapters/slack/presenters/render-card.ts";
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
  it("read back as the core's neutral action and the ids it claims", () => {
    const card = issueCard(states.open, partnership, { now: NOW });
    const actions = card.blocks.find((b): b is ActionsBlock => b.type === "actions")!;
    const [ack, , , select] = actions.elements;
    expect(readCardAction(ACTIONS.acknowledge, ack && "value" in ack ? ack.value : undefined)).toEqual({
      action: "issue.acknowledge",
      subject: { partnershipId: partnership.id, issueId: states.open.id },
      choice: null,
    });
    const p1 = select?.type === "static_select" ? select.options?.[0]?.value : undefined;
    expect(readCardAction(ACTIONS.priority, p1)).toEqual({
      action: "issue.priority",
      subject: { partnershipId: partnership.id, issueId: states.open.id },
      choice: "P1",
    });
  });

  it("refuses values that are not ours", () => {
    expect(readCardAction(ACTIONS.resolve, undefined)).toBeNull();
    expect(readCardAction(ACTIONS.resolve, "not json")).toBeNull();
    expect(readCardAction(ACTIONS.resolve, '{"p":"x"}')).toBeNull();
    expect(readCardAction("someone_elses_button", '{"p":"x","i":"y"}')).toBeNull();
    // A recommendation's ids on an issue button, and the other way round.
    expect(readCardAction(ACTIONS.resolve, '{"p":"x","r":"y"}')).toBeNull();
    expect(readCardAction(ACTIONS.accept, '{"p":"x","i":"y"}')).toBeNull();
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
