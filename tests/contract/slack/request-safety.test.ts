// What rapport does with requests that are not Slack's, or not well formed: stale, future-dated
// or forged signatures get 401 and record nothing; malformed bodies get a 4xx (or a 200 that does nothing)
// and the server goes on answering.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readDatabase } from "../support/database.ts";
import {
  seedPartnership,
  startSlackHarness,
  type SeededPartnership,
  type SlackHarness,
} from "./support/harness.ts";
import {
  loadFixture,
  sendCommand,
  sendEvent,
  sendRaw,
  signedHeaders,
  type Json,
} from "./support/signed-request.ts";
import { AT_ONCE_MS, command, newTriggerId, settle, waitForCard } from "./support/slack-kit.ts";

const FORM = "application/x-www-form-urlencoded";

/** Calls that would show something to someone or change something in Slack (auth.test is startup's). */
const effects = (h: SlackHarness) =>
  h.fake.calls().filter((c) => !["auth.test", "users.info", "conversations.info"].includes(c.method));

describe("Slack request safety", () => {
  let h: SlackHarness & { seeded: SeededPartnership };
  beforeAll(async () => {
    h = await startSlackHarness({ seed: (env) => seedPartnership(env) });
  }, 60_000);
  afterAll(() => h?.stop());

  const itissue = (text: string) =>
    loadFixture<Record<string, Json>>("slash-command-itissue", {
      text,
      trigger_id: newTriggerId(),
      response_url: h.fake.responseUrl(),
    });

  /** A valid /itissue afterwards still records an issue and posts its card. */
  async function stillWorks(text: string) {
    const res = await command(h, { text });
    expect(res.status).toBe(200);
    const key = /\*(CLIENT-\d+)\*/.exec((res.json() as { text: string }).text)?.[1];
    expect(key).toBeDefined();
    const card = await waitForCard(h, key!);
    expect(card.params.text).toContain(text);
  }

  it("a request signed 6 minutes ago gets 401 and nothing is posted", async () => {
    const res = await sendCommand(h.baseUrl, h.signingSecret, itissue("stale printer"), {
      timestamp: Math.floor(Date.now() / 1000) - 6 * 60,
    });
    expect(res.status).toBe(401);
    await settle();
    expect(effects(h)).toHaveLength(0);
  });

  it("a request signed an hour ahead gets 401 and nothing is posted", async () => {
    const res = await sendCommand(h.baseUrl, h.signingSecret, itissue("future printer"), {
      timestamp: Math.floor(Date.now() / 1000) + 60 * 60,
    });
    expect(res.status).toBe(401);
    await settle();
    expect(effects(h)).toHaveLength(0);
  });

  it("a request signed with another secret gets 401 and nothing is posted", async () => {
    const res = await sendCommand(h.baseUrl, "not-the-signing-secret", itissue("forged printer"));
    expect(res.status).toBe(401);
    await settle();
    expect(effects(h)).toHaveLength(0);
  });

  it("a request without signature headers gets 401", async () => {
    const body = new URLSearchParams(itissue("unsigned") as Record<string, string>).toString();
    const res = await sendRaw(h.baseUrl, { body, headers: { "content-type": FORM } });
    expect(res.status).toBe(401);
    await settle(200);
    expect(effects(h)).toHaveLength(0);
  });

  it("a body changed after signing gets 401", async () => {
    const body = "command=%2Fitissue&text=original";
    const headers = signedHeaders(h.signingSecret, body, FORM);
    const res = await sendRaw(h.baseUrl, { body: "command=%2Fitissue&text=tampered", headers });
    expect(res.status).toBe(401);
    expect(effects(h)).toHaveLength(0);
  });

  it("the first valid request after the refused ones works", async () => {
    await stillWorks("the label printer prints blank labels");
  });

  it("a request signed 4 minutes ahead (a clock running fast) is accepted", async () => {
    const text = "the clock in room 2 runs fast";
    const res = await sendCommand(h.baseUrl, h.signingSecret, itissue(text), {
      timestamp: Math.floor(Date.now() / 1000) + 4 * 60,
    });
    expect(res.status).toBe(200);
    const key = /\*(CLIENT-\d+)\*/.exec((res.json() as { text: string }).text)?.[1];
    expect(key).toBeDefined();
    expect((await waitForCard(h, key!)).params.text).toContain(text);
  });

  it("payload=not-json gets a 4xx, never a crash", async () => {
    const body = "payload=not-json";
    const res = await sendRaw(h.baseUrl, { body, headers: signedHeaders(h.signingSecret, body, FORM) });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    await stillWorks("the scanner is offline after payload=not-json");
  });

  it("an event JSON body that is not JSON gets a 4xx", async () => {
    const body = '{"type":"event_callback","event":';
    const res = await sendRaw(h.baseUrl, {
      body,
      headers: signedHeaders(h.signingSecret, body, "application/json"),
    });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    await stillWorks("the projector in room 4 shows no signal");
  });

  it.each([
    ["an event_callback without an event", { type: "event_callback", team_id: "T0PROVIDER" }],
    [
      "a message event missing channel, user and ts",
      { type: "event_callback", team_id: "T0PROVIDER", event_id: "Ev0BROKEN01", event: { type: "message" } },
    ],
    [
      "a reaction_added event without an item",
      {
        type: "event_callback",
        team_id: "T0PROVIDER",
        event_id: "Ev0BROKEN02",
        event: { type: "reaction_added", reaction: "ticket" },
      },
    ],
    ["a JSON array", []],
  ])("%s gets 400 at once and records nothing", async (_what, envelope) => {
    const before = effects(h).length;
    const started = Date.now();
    const res = await sendEvent(h.baseUrl, h.signingSecret, envelope);
    expect(res.status).toBe(400);
    expect(Date.now() - started).toBeLessThan(AT_ONCE_MS);
    await settle(250);
    expect(effects(h)).toHaveLength(before);
  });

  it.each([
    ["a block_actions payload without actions", { type: "block_actions", user: { id: "U0TECH" } }],
    ["a view_submission without a view", { type: "view_submission", user: { id: "U0STAFF" } }],
    ["an interaction of no known type", { type: "something_new" }],
    [
      "a message_action without a message",
      {
        type: "message_action",
        callback_id: "report_issue",
        user: { id: "U0TECH" },
        channel: { id: "C0SUPPORT" },
      },
    ],
  ])("%s gets 400 at once and records nothing", async (_what, payload) => {
    const before = effects(h).length;
    const started = Date.now();
    const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
    const res = await sendRaw(h.baseUrl, { body, headers: signedHeaders(h.signingSecret, body, FORM) });
    expect(res.status).toBe(400);
    expect(Date.now() - started).toBeLessThan(AT_ONCE_MS);
    await settle(250);
    expect(effects(h)).toHaveLength(before);
  });

  it("a slash command without its fields gets 400", async () => {
    const before = effects(h).length;
    const body = "command=%2Fitissue&text=printer";
    const res = await sendRaw(h.baseUrl, { body, headers: signedHeaders(h.signingSecret, body, FORM) });
    expect(res.status).toBe(400);
    await settle(250);
    expect(effects(h)).toHaveLength(before);
  });

  it("a malformed body with a bad signature still gets 401, not 400", async () => {
    const body = "payload=not-json";
    const headers = { ...signedHeaders("another-secret", body, FORM) };
    const res = await sendRaw(h.baseUrl, { body, headers });
    expect(res.status).toBe(401);
  });

  it("Slack's ssl_check is answered 200 without a signature", async () => {
    const res = await sendRaw(h.baseUrl, { body: "ssl_check=1&token=x", headers: { "content-type": FORM } });
    expect(res.status).toBe(200);
  });

  it("after all of that the server still answers a valid command and its health check", async () => {
    await stillWorks("the door badge reader rejects every badge");
    expect((await fetch(`${h.baseUrl}/healthz`)).status).toBe(200);
  });

  it("a :ticket: reaction whose message Slack cannot give at first is answered at once, recorded once Slack answers, and once only", async () => {
    const ts = "1794825000.000100";
    h.fake.setMessages("C0SUPPORT", [
      { type: "message", user: "U0STAFF", team: "T0CLIENT", text: "Teams calls drop after a minute", ts },
    ]);
    h.fake.failNext("conversations.history", { error: "internal_error" });
    const envelope = loadFixture("event-reaction-added", {
      event_id: "Ev0RETRYME01",
      event: { item: { ts } },
    });
    const started = Date.now();
    const first = await sendEvent(h.baseUrl, h.signingSecret, envelope);
    expect(first.status).toBe(200);
    expect(Date.now() - started).toBeLessThan(AT_ONCE_MS);
    // Slack will not redeliver an event it was answered 200 for: rapport's inbox tries again itself.
    const card = await h.fake.waitFor(
      "chat.postMessage",
      (c) => String(c.params.text).includes("Teams calls"),
      10_000,
    );
    expect(card.params.thread_ts).toBe(ts);
    expect(h.fake.calls("conversations.history").length).toBeGreaterThanOrEqual(2);
    const cardsOf = () =>
      h.fake.calls("chat.postMessage").filter((c) => String(c.params.text).includes("Teams calls"));

    for (const retryNum of [1, 2]) {
      const again = await sendEvent(h.baseUrl, h.signingSecret, envelope, {
        retryNum,
        retryReason: "http_timeout",
      });
      expect(again.status).toBe(200);
    }
    await settle(250);
    expect(cardsOf()).toHaveLength(1);
  });

  it("url_verification is answered with the challenge", async () => {
    const res = await sendEvent(h.baseUrl, h.signingSecret, loadFixture("url-verification"));
    expect(res.status).toBe(200);
    expect(res.body).toContain("3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P");
  });

  it("and the database holds the accepted reports, and none of the refused ones", async () => {
    const titles = await readDatabase(h, async ({ core }) =>
      (await core.ledger.events(h.seeded.partnershipId)).flatMap((e) =>
        e.type === "issue.reported" ? [e.payload.title] : [],
      ),
    );
    expect(titles).toContain("the clock in room 2 runs fast");
    expect(titles).toContain("the label printer prints blank labels");
    for (const refused of ["stale printer", "future printer", "forged printer", "unsigned", "tampered"])
      expect(titles.join("\n")).not.toContain(refused);
  });
});
