import { describe, expect, it } from "vitest";
import { conversationOf } from "../../../../adapters/slack/event-intake.ts";
import { loadFixture, type JsonObject } from "../../../contract/slack/support/signed-request.ts";

// Which events the inbox keeps in order (one conversation) and which it may process side by side,
// read from Slack's own event payloads.

const conversation = (name: string, event: JsonObject = {}) =>
  conversationOf({ body: loadFixture(name, { event }) });

const ROOT = "1794819600.000100";

describe("the conversation of a Slack event", () => {
  it("puts a message and every reply in its thread (broadcast or not) in one conversation", () => {
    const message = conversation("event-message-top-level", { channel: "C0SUPPORT", ts: ROOT });
    const reply = conversation("event-message-thread-reply", {
      channel: "C0SUPPORT",
      ts: "1794819700.000200",
      thread_ts: ROOT,
    });
    const broadcast = conversation("event-message-thread-broadcast", {
      channel: "C0SUPPORT",
      ts: "1794819800.000300",
      thread_ts: ROOT,
    });
    const screenshot = conversation("event-message-file-share", {
      channel: "C0SUPPORT",
      ts: "1794819900.000400",
      thread_ts: ROOT,
    });
    expect(new Set([message, reply, broadcast, screenshot]).size).toBe(1);
  });

  it("puts a :ticket: reaction with the message it is on", () => {
    const message = conversation("event-message-top-level", { channel: "C0SUPPORT", ts: ROOT });
    const reaction = conversation("event-reaction-added", {
      item: { type: "message", channel: "C0SUPPORT", ts: ROOT },
    });
    expect(reaction).toBe(message);
  });

  it("keeps two requests of one channel apart, and the same thread in two channels or workspaces apart", () => {
    const first = conversation("event-message-top-level", { channel: "C0SUPPORT", ts: ROOT });
    const second = conversation("event-message-top-level", { channel: "C0SUPPORT", ts: "1794819601.000100" });
    const elsewhere = conversation("event-message-top-level", { channel: "C0OTHER", ts: ROOT });
    const otherWorkspace = conversationOf({
      body: loadFixture("event-message-top-level", {
        team_id: "T0OTHER",
        event: { channel: "C0SUPPORT", ts: ROOT },
      }),
    });
    expect(new Set([first, second, elsewhere, otherWorkspace]).size).toBe(4);
  });

  it("keeps one person's App Home events together", () => {
    const a = conversation("event-app-home-opened", { event_ts: "1794819600.000100" });
    const b = conversation("event-app-home-opened", { event_ts: "1794819700.000100" });
    expect(a).toBe(b);
  });
});
