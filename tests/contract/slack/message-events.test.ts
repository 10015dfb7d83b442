// Message events in the support channel over HTTP: auto-intake off and on (switched through the
// set-up modal, as an admin would), provider replies as responses, what is ignored, and retries.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { IDS } from "./support/fake-slack.ts";
import { seedPartnership, startSlackHarness, type SlackHarness } from "./support/harness.ts";
import {
  actionIds,
  command,
  event,
  interact,
  introduce,
  newEventId,
  newTs,
  openedView,
  PEOPLE,
  postedIssueKeys,
  postedTs,
  settle,
  stateFromView,
  viewSubmission,
  waitForCard,
} from "./support/slack-kit.ts";

describe("Slack message events", () => {
  let h: SlackHarness;
  beforeAll(async () => {
    h = await startSlackHarness({ seed: (env) => seedPartnership(env) });
    // rapport learns each person's organisation the first time they use it (busy-slack.test.ts).
    await introduce(h, IDS.owner);
  }, 60_000);
  afterAll(() => h?.stop());

  it("with auto-intake off, a client's top-level message records nothing", async () => {
    const res = await event(h, "event-message-top-level", { event: { ts: newTs() } });
    expect(res.status).toBe(200);
    await settle();
    expect(h.fake.calls("chat.postMessage")).toHaveLength(0);
    expect(h.fake.calls("chat.update")).toHaveLength(0);
  });

  it("the set-up modal submitted by the client admin turns auto-intake on", async () => {
    const res = await command(h, {
      command: "/itpartner",
      text: "setup",
      user_id: IDS.owner,
      user_name: "olive.owner",
      trigger_id: "8164300099999.8164200031200.aaaabbbbccccddddeeeeffff00001111",
    });
    expect(res.status).toBe(200);
    const open = await h.fake.waitFor(
      "views.open",
      (c) => c.params.trigger_id === "8164300099999.8164200031200.aaaabbbbccccddddeeeeffff00001111",
    );
    const view = openedView(open);
    expect(view.callback_id).toBe("partnership_setup");
    const values = stateFromView(view, {
      setup_auto_intake: {
        selected_options: [
          {
            text: { type: "plain_text", text: "Turn client messages in support channels into requests" },
            value: "on",
          },
        ],
      },
    });
    const submitted = await interact(h, viewSubmission(view, PEOPLE.owner, values));
    expect(submitted.status).toBe(200);
    // No `response_action: "errors"`: the form closed.
    expect(submitted.body).toBe("");
    const note = await h.fake.waitFor("chat.postEphemeral", (c) => c.params.user === IDS.owner);
    expect(note.params.channel).toBe(IDS.channel);
    expect(String(note.params.text)).toMatch(
      /^This channel is linked to Client Co support for support and digest\./,
    );
  });

  let topTs: string;
  let cardTs: string;

  it("with auto-intake on, a client's top-level message becomes an issue with its card in the thread", async () => {
    topTs = newTs();
    const res = await event(h, "event-message-top-level", { event: { ts: topTs, event_ts: topTs } });
    expect(res.status).toBe(200);
    const card = await waitForCard(h, "CLIENT-1");
    expect(card.params).toMatchObject({ channel: IDS.channel, thread_ts: topTs });
    expect(card.params.text).toBe(
      "CLIENT-1 [P3] The printer on floor 2 is jammed again, nobody can print invoices: 🔵 Open",
    );
    cardTs = postedTs(card);
  });

  it("the same event_id redelivered with X-Slack-Retry-Num 1 posts no second card", async () => {
    const eventId = newEventId();
    const ts = newTs();
    const first = await event(h, "event-message-top-level", {
      event_id: eventId,
      event: { ts, text: "Outlook keeps asking for my password" },
    });
    expect(first.status).toBe(200);
    const card = await waitForCard(h, "CLIENT-2");
    expect(card.params.thread_ts).toBe(ts);
    const retry = await event(
      h,
      "event-message-top-level",
      { event_id: eventId, event: { ts, text: "Outlook keeps asking for my password" } },
      { retryNum: 1, retryReason: "http_timeout" },
    );
    expect(retry.status).toBe(200);
    await settle();
    expect(postedIssueKeys(h)).toEqual(["CLIENT-1", "CLIENT-2"]);
  });

  it("a provider's top-level message is not a request", async () => {
    const res = await event(h, "event-message-top-level", {
      event: {
        ts: newTs(),
        user: IDS.tech,
        team: IDS.providerTeam,
        user_team: IDS.providerTeam,
        source_team: IDS.providerTeam,
        text: "Patching tonight at 22:00",
      },
    });
    expect(res.status).toBe(200);
    await settle();
    expect(postedIssueKeys(h)).toEqual(["CLIENT-1", "CLIENT-2"]);
  });

  it("a provider reply in the thread is the response: the card is updated", async () => {
    const replyTs = newTs();
    const res = await event(h, "event-message-thread-reply", {
      event: { ts: replyTs, event_ts: replyTs, thread_ts: topTs },
    });
    expect(res.status).toBe(200);
    const update = await h.fake.waitFor("chat.update", (c) => c.params.ts === cardTs);
    expect(update.params.channel).toBe(IDS.channel);
    expect(JSON.stringify(update.params.blocks)).toContain("*First response*");
    expect(actionIds(update)).not.toContain("issue_acknowledge");

    // A second provider reply changes nothing: only the first response counts.
    const later = newTs();
    await event(h, "event-message-thread-reply", { event: { ts: later, event_ts: later, thread_ts: topTs } });
    await settle();
    expect(h.fake.calls("chat.update").filter((c) => c.params.ts === cardTs)).toHaveLength(1);
  });

  let screenshotTs: string;
  let screenshotCardTs: string;

  it("a client's screenshot with a caption (file_share) is taken in by auto-intake", async () => {
    screenshotTs = newTs();
    const res = await event(h, "event-message-file-share", {
      event: { ts: screenshotTs, event_ts: screenshotTs },
    });
    expect(res.status).toBe(200);
    const card = await waitForCard(h, "CLIENT-3");
    expect(card.params).toMatchObject({ channel: IDS.channel, thread_ts: screenshotTs });
    expect(String(card.params.text)).toContain("Outlook shows this error every time I open it");
    screenshotCardTs = postedTs(card);
  });

  it("a provider's reply also sent to the channel (thread_broadcast) is the first response", async () => {
    const ts = newTs();
    const res = await event(h, "event-message-thread-broadcast", {
      event: {
        ts,
        event_ts: ts,
        thread_ts: screenshotTs,
        root: { ts: screenshotTs, thread_ts: screenshotTs },
      },
    });
    expect(res.status).toBe(200);
    const update = await h.fake.waitFor("chat.update", (c) => c.params.ts === screenshotCardTs);
    expect(JSON.stringify(update.params.blocks)).toContain("*First response*");
  });

  it("a provider's reply with only a file (file_share without text) is the first response", async () => {
    const top = newTs();
    await event(h, "event-message-top-level", {
      event: { ts: top, event_ts: top, text: "VPN drops hourly" },
    });
    const card = await waitForCard(h, "CLIENT-4");
    const ts = newTs();
    const res = await event(h, "event-message-file-share", {
      event: {
        ts,
        event_ts: ts,
        thread_ts: top,
        text: "",
        user: IDS.tech,
        team: IDS.providerTeam,
        user_team: IDS.providerTeam,
        source_team: IDS.providerTeam,
        files: [{ id: "F0FIXNOTE1", name: "vpn-fix.png", mimetype: "image/png", user: IDS.tech }],
      },
    });
    expect(res.status).toBe(200);
    const update = await h.fake.waitFor("chat.update", (c) => c.params.ts === postedTs(card));
    expect(JSON.stringify(update.params.blocks)).toContain("*First response*");
  });

  // Every subtype that is not a person writing is dropped; these are Slack's documented ones.
  const subtype = (name: string, more: Record<string, unknown> = {}) =>
    ["event-message-top-level", { event: { ts: newTs(), subtype: name, ...more } }] as const;
  it.each([
    ["a bot message", "event-message-bot", {}],
    ["an edit (message_changed)", "event-message-changed", {}],
    ["a channel_join", "event-channel-join", {}],
    ["a bot_message by subtype", ...subtype("bot_message", { bot_id: "B0OTHER" })],
    ["a message_deleted", ...subtype("message_deleted", { deleted_ts: "1794819600.000100" })],
    ["a message_replied", ...subtype("message_replied")],
    ["a channel_leave", ...subtype("channel_leave")],
    ["a channel_topic", ...subtype("channel_topic", { topic: "Printers" })],
    ["a channel_purpose", ...subtype("channel_purpose", { purpose: "Support" })],
    ["a channel_name", ...subtype("channel_name", { old_name: "a", name: "b" })],
    ["a channel_archive", ...subtype("channel_archive")],
    ["a channel_posting_permissions", ...subtype("channel_posting_permissions")],
    ["a pinned_item", ...subtype("pinned_item")],
    ["an ekm_access_denied", ...subtype("ekm_access_denied")],
    ["a file_share by a bot", ...subtype("file_share", { bot_id: "B0OTHER" })],
  ])("%s is ignored", async (_what, fixture, overrides) => {
    const posts = h.fake.calls("chat.postMessage").length;
    const updates = h.fake.calls("chat.update").length;
    const res = await event(h, fixture, overrides);
    expect(res.status).toBe(200);
    await settle(250);
    expect(h.fake.calls("chat.postMessage")).toHaveLength(posts);
    expect(h.fake.calls("chat.update")).toHaveLength(updates);
  });

  it("a message in a channel linked to no partnership is ignored", async () => {
    const posts = h.fake.calls("chat.postMessage").length;
    const res = await event(h, "event-message-top-level", { event: { ts: newTs(), channel: "C0NOWHERE" } });
    expect(res.status).toBe(200);
    await settle(250);
    expect(h.fake.calls("chat.postMessage")).toHaveLength(posts);
  });
});
