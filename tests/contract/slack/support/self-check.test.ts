// Checks the contract-test kit itself, without rapport's Slack listeners: the signatures are
// Slack's, the fixtures are shaped like Slack's payloads, and the fake Slack answers like Slack.
import { createHmac, timingSafeEqual } from "node:crypto";
import { existsSync, readdirSync } from "node:fs";
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ACTIONS, COMMANDS, SHORTCUTS, TICKET_REACTION, VIEWS } from "../../../../adapters/slack/ids.ts";
import { IDS, startFakeSlack, type FakeSlack } from "./fake-slack.ts";
import { seedPartnership, startSlackHarness } from "./harness.ts";
import {
  loadFixture,
  sendCommand,
  sendEvent,
  sendInteraction,
  sendRaw,
  slackSignature,
  SLACK_SIGNING_EXAMPLE,
  type JsonObject,
} from "./signed-request.ts";

const DOCS = SLACK_SIGNING_EXAMPLE;

/** Slack's verification algorithm, written out independently of the signer under test. */
function verify(secret: string, headers: IncomingHttpHeaders, rawBody: string, now: number): boolean {
  const timestamp = Number(headers["x-slack-request-timestamp"]);
  const signature = String(headers["x-slack-signature"] ?? "");
  if (!Number.isInteger(timestamp) || Math.abs(now - timestamp) > 60 * 5) return false;
  const expected = Buffer.from(
    "v0=" + createHmac("sha256", secret).update(`v0:${timestamp}:${rawBody}`).digest("hex"),
  );
  const given = Buffer.from(signature);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

describe("request signing", () => {
  it("reproduces the example signature in Slack's documentation", () => {
    expect(slackSignature(DOCS.secret, DOCS.timestamp, DOCS.body)).toBe(DOCS.signature);
    expect(
      verify(DOCS.secret, signatureHeaders(DOCS.timestamp, DOCS.signature), DOCS.body, DOCS.timestamp),
    ).toBe(true);
  });

  describe("senders", () => {
    const secret = "contract-secret";
    let received: { method: string; url: string; headers: IncomingHttpHeaders; body: string }[];
    const echo = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        const body = Buffer.concat(chunks).toString("utf8");
        received.push({ method: req.method!, url: req.url!, headers: req.headers, body });
        res.writeHead(200, { "content-type": "application/json", "x-echo": "yes" }).end('{"ok":true}');
      });
    });
    let baseUrl: string;

    beforeAll(async () => {
      await new Promise<void>((resolve) => echo.listen(0, "127.0.0.1", resolve));
      baseUrl = `http://127.0.0.1:${(echo.address() as AddressInfo).port}`;
    });
    afterAll(() => new Promise<void>((resolve) => echo.close(() => resolve())));
    beforeEach(() => {
      received = [];
    });
    const last = () => received.at(-1)!;
    const now = () => Math.floor(Date.now() / 1000);

    it("sends a slash command form-encoded and signed, and returns the answer", async () => {
      const fields = loadFixture("slash-command-itissue", { text: "p1 email is down & VPN too" });
      const res = await sendCommand(baseUrl, secret, fields);
      expect(res.status).toBe(200);
      expect(res.json()).toEqual({ ok: true });
      expect(res.headers.get("x-echo")).toBe("yes");
      const req = last();
      expect(req).toMatchObject({ method: "POST", url: "/slack/events" });
      expect(req.headers["content-type"]).toBe("application/x-www-form-urlencoded");
      expect(req.body).toContain("text=p1+email+is+down+%26+VPN+too");
      expect(Object.fromEntries(new URLSearchParams(req.body))).toEqual(fields);
      expect(verify(secret, req.headers, req.body, now())).toBe(true);
      expect(verify("another-secret", req.headers, req.body, now())).toBe(false);
    });

    it("sends an interaction as payload=<JSON>", async () => {
      const payload = loadFixture("block-actions-button");
      await sendInteraction(baseUrl, secret, payload);
      const req = last();
      expect(req.headers["content-type"]).toBe("application/x-www-form-urlencoded");
      expect(req.body.startsWith("payload=%7B%22type%22%3A%22block_actions%22")).toBe(true);
      expect(JSON.parse(new URLSearchParams(req.body).get("payload")!)).toEqual(payload);
      expect(verify(secret, req.headers, req.body, now())).toBe(true);
    });

    it("sends an event as JSON, with Slack's retry headers when asked", async () => {
      const envelope = loadFixture("event-message-top-level");
      await sendEvent(baseUrl, secret, envelope, { retryNum: 1, retryReason: "http_timeout" });
      const req = last();
      expect(req.headers["content-type"]).toBe("application/json");
      expect(JSON.parse(req.body)).toEqual(envelope);
      expect(req.headers["x-slack-retry-num"]).toBe("1");
      expect(req.headers["x-slack-retry-reason"]).toBe("http_timeout");
      expect(verify(secret, req.headers, req.body, now())).toBe(true);
      await sendEvent(baseUrl, secret, envelope);
      expect(last().headers["x-slack-retry-num"]).toBeUndefined();
    });

    it("signs with an old timestamp when told to, which a verifier rejects as stale", async () => {
      await sendEvent(baseUrl, secret, loadFixture("url-verification"), { timestamp: now() - 6 * 60 });
      const req = last();
      expect(slackSignature(secret, req.headers["x-slack-request-timestamp"] as string, req.body)).toBe(
        req.headers["x-slack-signature"],
      );
      expect(verify(secret, req.headers, req.body, now())).toBe(false);
    });

    it("sends a raw request exactly as given", async () => {
      const res = await sendRaw(baseUrl, {
        body: "payload=%7B%7D",
        headers: { "content-type": "application/x-www-form-urlencoded", "x-slack-signature": "v0=forged" },
        path: "/elsewhere",
      });
      expect(res.body).toBe('{"ok":true}');
      expect(last()).toMatchObject({ url: "/elsewhere", body: "payload=%7B%7D" });
      expect(last().headers["x-slack-signature"]).toBe("v0=forged");
      expect(last().headers["x-slack-request-timestamp"]).toBeUndefined();
    });
  });
});

describe("fixtures", () => {
  const names = readdirSync(new URL("../../../fixtures/slack/", import.meta.url))
    .filter((f) => f.endsWith(".json"))
    .map((f) => f.replace(/\.json$/, ""));
  const get = (o: unknown, path: string): unknown =>
    path.split(".").reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], o);

  it("are all there, and all parse", () => {
    expect(names.sort()).toEqual([
      "block-actions-button",
      "block-actions-select",
      "event-app-home-opened",
      "event-app-uninstalled",
      "event-channel-join",
      "event-message-bot",
      "event-message-changed",
      "event-message-file-share",
      "event-message-thread-broadcast",
      "event-message-thread-reply",
      "event-message-top-level",
      "event-reaction-added",
      "event-tokens-revoked",
      "message-action-shortcut",
      "slash-command-itissue",
      "slash-command-itpartner",
      "url-verification",
      "view-submission",
    ]);
    for (const name of names) expect(typeof loadFixture(name)).toBe("object");
  });

  it("slash commands carry every form field, as strings, naming rapport's commands", () => {
    const fields = [
      "token",
      "team_id",
      "team_domain",
      "enterprise_id",
      "channel_id",
      "channel_name",
      "user_id",
      "user_name",
      "command",
      "text",
      "api_app_id",
      "is_enterprise_install",
      "response_url",
      "trigger_id",
    ];
    for (const [name, command] of [
      ["slash-command-itissue", COMMANDS.issue],
      ["slash-command-itpartner", COMMANDS.partner],
    ] as const) {
      const f = loadFixture(name);
      expect(Object.keys(f)).toEqual(expect.arrayContaining(fields));
      for (const v of Object.values(f)) expect(typeof v).toBe("string");
      expect(f).toMatchObject({ command, team_id: IDS.providerTeam, channel_id: IDS.channel });
      expect(f.api_app_id).toBe(IDS.appId);
    }
  });

  it("events are event_callback envelopes from the provider's workspace", () => {
    for (const name of names.filter((n) => n.startsWith("event-"))) {
      const e = loadFixture(name);
      expect(e, name).toMatchObject({
        type: "event_callback",
        team_id: IDS.providerTeam,
        api_app_id: IDS.appId,
      });
      expect(e.event_id, name).toMatch(/^Ev/);
      expect(typeof e.event_time, name).toBe("number");
      expect(get(e, "authorizations.0"), name).toMatchObject({
        team_id: IDS.providerTeam,
        user_id: IDS.botUser,
      });
    }
  });

  it("message events have Slack's fields, with the Slack Connect team fields on client messages", () => {
    const top = loadFixture("event-message-top-level").event as JsonObject;
    expect(top).toMatchObject({
      type: "message",
      channel: IDS.channel,
      user: IDS.staff,
      channel_type: "channel",
    });
    expect(top).toMatchObject({ team: IDS.clientTeam, user_team: IDS.clientTeam });
    expect(top.ts).toMatch(/^\d{10}\.\d{6}$/);
    expect(top.thread_ts).toBeUndefined();
    const reply = loadFixture("event-message-thread-reply").event as JsonObject;
    expect(reply).toMatchObject({ user: IDS.tech, thread_ts: top.ts, parent_user_id: IDS.staff });
    expect(loadFixture("event-message-bot").event).toMatchObject({
      subtype: "bot_message",
      bot_id: IDS.botId,
    });
    const changed = loadFixture("event-message-changed").event as JsonObject;
    expect(changed).toMatchObject({ subtype: "message_changed", hidden: true, channel: IDS.channel });
    expect(changed.message).toMatchObject({ ts: top.ts, user: IDS.staff, edited: { user: IDS.staff } });
    expect(changed.previous_message).toMatchObject({ ts: top.ts, text: top.text });
    expect(loadFixture("event-channel-join").event).toMatchObject({
      subtype: "channel_join",
      user: IDS.owner,
    });
  });

  it("reaction, App Home, uninstall and revocation events have Slack's fields", () => {
    expect(loadFixture("event-reaction-added").event).toMatchObject({
      type: "reaction_added",
      reaction: TICKET_REACTION,
      item: { type: "message", channel: IDS.channel, ts: "1794819600.000100" },
      item_user: IDS.staff,
    });
    expect(loadFixture("event-app-home-opened").event).toMatchObject({
      type: "app_home_opened",
      tab: "home",
    });
    expect(loadFixture("event-app-uninstalled").event).toEqual({ type: "app_uninstalled" });
    expect(loadFixture("event-tokens-revoked").event).toEqual({
      type: "tokens_revoked",
      tokens: { bot: [IDS.botUser] },
    });
    expect(loadFixture("url-verification")).toMatchObject({ type: "url_verification" });
  });

  it("block actions act on an issue card with rapport's action ids", () => {
    const button = loadFixture("block-actions-button");
    expect(button).toMatchObject({
      type: "block_actions",
      user: { id: IDS.tech, team_id: IDS.providerTeam },
      team: { id: IDS.providerTeam },
      container: { type: "message", channel_id: IDS.channel, message_ts: get(button, "message.ts") },
      channel: { id: IDS.channel },
      actions: [{ type: "button", action_id: ACTIONS.acknowledge, block_id: "issue_actions" }],
    });
    expect(JSON.parse(get(button, "actions.0.value") as string)).toHaveProperty("i");
    for (const key of ["trigger_id", "response_url", "message.blocks", "actions.0.action_ts"]) {
      expect(get(button, key), key).toBeTruthy();
    }
    const select = loadFixture("block-actions-select");
    expect(select).toMatchObject({ actions: [{ type: "static_select", action_id: ACTIONS.priority }] });
    expect(JSON.parse(get(select, "actions.0.selected_option.value") as string)).toMatchObject({ v: "P1" });
  });

  it("the view submission is the issue form submitted by a client user", () => {
    const v = loadFixture("view-submission");
    expect(v).toMatchObject({
      type: "view_submission",
      user: { id: IDS.staff, team_id: IDS.clientTeam },
      team: { id: IDS.providerTeam },
      view: { callback_id: VIEWS.issueForm, type: "modal" },
    });
    expect(JSON.parse(get(v, "view.private_metadata") as string)).toMatchObject({ channelId: IDS.channel });
    expect(get(v, "view.state.values.issue_title.issue_title.value")).toBeTruthy();
  });

  it("the message shortcut is rapport's, on a client message", () => {
    expect(loadFixture("message-action-shortcut")).toMatchObject({
      type: "message_action",
      callback_id: SHORTCUTS.reportIssue,
      user: { id: IDS.tech },
      team: { id: IDS.providerTeam },
      channel: { id: IDS.channel },
      message: { type: "message", user: IDS.staff, ts: "1794819600.000100" },
    });
  });

  it("loadFixture deep-merges overrides, replaces arrays, deletes on undefined and copies", () => {
    const f = loadFixture("event-message-top-level", {
      event: { text: "changed", thread_ts: "1794819600.000100", blocks: undefined },
      authorizations: [],
    });
    expect(f.event).toMatchObject({ text: "changed", user: IDS.staff, thread_ts: "1794819600.000100" });
    expect(f.event).not.toHaveProperty("blocks");
    expect(f.authorizations).toEqual([]);
    expect(loadFixture("event-message-top-level").event).toHaveProperty("blocks");
  });
});

describe("fake Slack", () => {
  let fake: FakeSlack;
  beforeEach(async () => {
    fake = await startFakeSlack();
  });
  afterEach(() => fake.close());

  const call = (method: string, body: string | object, token: string | null = "xoxb-test") =>
    fetch(`${fake.url}${method}`, {
      method: "POST",
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        "content-type": typeof body === "string" ? "application/x-www-form-urlencoded" : "application/json",
      },
      body: typeof body === "string" ? body : JSON.stringify(body),
    });

  it("records a form-encoded chat.postMessage, decoding its blocks, and answers like Slack", async () => {
    const blocks = [{ type: "section", text: { type: "mrkdwn", text: "*hi*" } }];
    const form = new URLSearchParams({ channel: IDS.channel, text: "hi", blocks: JSON.stringify(blocks) });
    const res = await call("chat.postMessage", form.toString());
    expect(res.status).toBe(200);
    const answer = (await res.json()) as { ok: boolean; ts: string; channel: string; message: JsonObject };
    expect(answer).toMatchObject({
      ok: true,
      channel: IDS.channel,
      message: { text: "hi", bot_id: IDS.botId },
    });
    expect(answer.ts).toMatch(/^\d{10}\.\d{6}$/);
    const [recorded] = fake.calls("chat.postMessage");
    expect(recorded).toMatchObject({
      method: "chat.postMessage",
      params: { channel: IDS.channel, text: "hi", blocks },
      token: "xoxb-test",
      authorization: "Bearer xoxb-test",
      response: answer,
    });
  });

  it("records a JSON chat.postMessage too, and gives every message its own ts", async () => {
    const first = (await (await call("chat.postMessage", { channel: IDS.channel, text: "one" })).json()) as {
      ts: string;
    };
    const second = (await (await call("chat.postMessage", { channel: IDS.channel, text: "two" })).json()) as {
      ts: string;
    };
    expect(first.ts).not.toBe(second.ts);
    expect(fake.calls("chat.postMessage").map((c) => c.params.text)).toEqual(["one", "two"]);
    expect(await (await call("chat.postMessage", { channel: IDS.channel })).json()).toEqual({
      ok: false,
      error: "no_text",
    });
  });

  it("answers 429 with Retry-After when told to, then normally again", async () => {
    fake.failNext("chat.postMessage", { status: 429, retryAfter: 3 });
    const limited = await call("chat.postMessage", { channel: IDS.channel, text: "x" });
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("3");
    expect(await limited.json()).toEqual({ ok: false, error: "ratelimited" });
    const next = await call("chat.postMessage", { channel: IDS.channel, text: "x" });
    expect(next.status).toBe(200);
    expect(fake.calls("chat.postMessage").map((c) => c.status)).toEqual([429, 200]);
  });

  it("answers a Slack error code when told to, and refuses calls without a token", async () => {
    fake.failNext("chat.update", { error: "channel_not_found" });
    expect(await (await call("chat.update", { channel: "C0GONE", ts: "1.2", text: "x" })).json()).toEqual({
      ok: false,
      error: "channel_not_found",
    });
    expect(await (await call("auth.test", {}, null)).json()).toEqual({ ok: false, error: "not_authed" });
    expect(await (await call("auth.test", {})).json()).toMatchObject({
      ok: true,
      user_id: IDS.botUser,
      bot_id: IDS.botId,
      team_id: IDS.providerTeam,
    });
  });

  it("serves response_url posts and waits for calls made later", async () => {
    const waiting = fake.waitFor("response_url", (c) => c.params.text === "later", 2_000);
    const url = fake.responseUrl("cmd1");
    expect(url).toBe(`${fake.origin}/response/cmd1`);
    setTimeout(() => {
      void fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ response_type: "ephemeral", text: "later" }),
      });
    }, 50);
    const recorded = await waiting;
    expect(recorded).toMatchObject({ path: "/response/cmd1", params: { response_type: "ephemeral" } });
    await expect(fake.waitFor("views.open", () => true, 100)).rejects.toThrow(/no matching views.open/);
  });

  it("answers history, replies and users.info from what the test set", async () => {
    fake.setMessages(IDS.channel, [
      { type: "message", user: IDS.staff, text: "parent", ts: "1794819600.000100" },
      {
        type: "message",
        user: IDS.tech,
        text: "reply",
        ts: "1794819900.000200",
        thread_ts: "1794819600.000100",
      },
      { type: "message", user: IDS.owner, text: "later", ts: "1794820000.000300" },
    ]);
    const one = (await (
      await call("conversations.history", {
        channel: IDS.channel,
        latest: "1794819600.000100",
        inclusive: true,
        limit: 1,
      })
    ).json()) as { messages: JsonObject[] };
    expect(one.messages.map((m) => m.text)).toEqual(["parent"]);
    const thread = (await (
      await call("conversations.replies", { channel: IDS.channel, ts: "1794819600.000100" })
    ).json()) as { messages: JsonObject[] };
    expect(thread.messages.map((m) => m.text)).toEqual(["parent", "reply"]);
    expect(await (await call("users.info", { user: IDS.staff })).json()).toMatchObject({
      ok: true,
      user: { id: IDS.staff, team_id: IDS.clientTeam },
    });
    fake.setUser({ id: "U0NEW", team_id: "T0OTHER", name: "new.person" });
    expect(await (await call("users.info", "user=U0NEW")).json()).toMatchObject({
      user: { team_id: "T0OTHER" },
    });
    expect(await (await call("users.info", { user: "U0NOBODY" })).json()).toEqual({
      ok: false,
      error: "user_not_found",
    });
  });

  it("takes a file through the external upload flow", async () => {
    const got = (await (await call("files.getUploadURLExternal", "filename=export.csv&length=5")).json()) as {
      upload_url: string;
      file_id: string;
    };
    expect(got.upload_url.startsWith(fake.origin)).toBe(true);
    const form = new FormData();
    form.append("filename", new Blob([Buffer.from("a,b\n1")]), "export.csv");
    expect((await fetch(got.upload_url, { method: "POST", body: form })).status).toBe(200);
    const files = JSON.stringify([{ id: got.file_id, title: "Export" }]);
    const done = await call(
      "files.completeUploadExternal",
      new URLSearchParams({ files, channel_id: "D0X" }).toString(),
    );
    expect(await done.json()).toMatchObject({
      ok: true,
      files: [{ id: got.file_id, title: "Export", size: 5 }],
    });
    const [upload] = fake.calls("file_upload");
    expect((upload!.params.bytes as Buffer).toString()).toBe("a,b\n1");
    expect(fake.calls("files.completeUploadExternal")[0]!.params.files).toEqual([
      { id: got.file_id, title: "Export" },
    ]);
  });

  it("gives OAuth v2 installs a realistic answer without a token", async () => {
    expect(
      await (await call("oauth.v2.access", "code=abc&client_id=1.2&client_secret=s", null)).json(),
    ).toMatchObject({
      ok: true,
      token_type: "bot",
      access_token: expect.stringMatching(/^xoxb-/),
      bot_user_id: IDS.botUser,
      app_id: IDS.appId,
      team: { id: IDS.providerTeam },
      enterprise: null,
      is_enterprise_install: false,
      authed_user: { id: IDS.lead },
    });
  });
});

describe("harness", () => {
  it(
    "seeds a partnership with the command line, then starts rapport against the fake",
    { timeout: 120_000 },
    async () => {
      const h = await startSlackHarness({ seed: (env) => seedPartnership(env) });
      const dataDir = h.env.RAPPORT_DATA_DIR!;
      try {
        expect(h.seeded.partnershipId).toMatch(
          /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
        );
        expect(h.env).toMatchObject({ HOST: "127.0.0.1", SLACK_API_URL: h.fake.url, LOG_LEVEL: "silent" });
        const health = await fetch(`${h.baseUrl}/healthz`);
        expect(health.status).toBe(200);
        expect(existsSync(dataDir)).toBe(true);
      } finally {
        await h.stop();
      }
      expect(existsSync(dataDir)).toBe(false);
      await h.stop();
    },
  );
});

function signatureHeaders(timestamp: number, signature: string): IncomingHttpHeaders {
  return { "x-slack-request-timestamp": String(timestamp), "x-slack-signature": signature };
}
