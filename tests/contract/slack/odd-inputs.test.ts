// Odd, hostile and failing Slack requests, each built from Slack's documented payload: what
// rapport has no handler for is acknowledged at once (never Bolt's 404 after 3 s), a :ticket: on
// a message rapport cannot read is explained to the person, fields of the wrong type are refused
// with a 4xx (never a 500), a bot cannot report an issue, and markup is stored as words.
import { connect } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readDatabase } from "../support/database.ts";
import { IDS } from "./support/fake-slack.ts";
import { seedPartnership, startSlackHarness, type SlackHarness } from "./support/harness.ts";
import { loadFixture, sendCommand, sendEvent, signedHeaders, type Json } from "./support/signed-request.ts";
import {
  AT_ONCE_MS,
  command,
  event,
  interact,
  introduce,
  newEventId,
  newTriggerId,
  newTs,
  settle,
  waitForCard,
} from "./support/slack-kit.ts";

/** Calls that show something to someone or change something in Slack. */
const effects = (h: SlackHarness) =>
  h.fake.calls().filter((c) => !["auth.test", "users.info", "conversations.info"].includes(c.method));

describe("Slack: odd, hostile and failing inputs", () => {
  let h: SlackHarness;
  beforeAll(async () => {
    h = await startSlackHarness({ seed: (env) => seedPartnership(env) });
    await introduce(h, IDS.tech, IDS.staff);
    // Starting rapport and introducing two people: well past a minute on a busy 2-core machine.
  }, 120_000);
  afterAll(() => h?.stop());

  /** Sends, and expects 200 well inside Slack's 3 s with nothing shown or changed in Slack. */
  async function acknowledgedAtOnce(send: () => Promise<{ status: number }>) {
    const before = effects(h).length;
    const started = Date.now();
    const res = await send();
    expect(res.status).toBe(200);
    expect(Date.now() - started).toBeLessThan(AT_ONCE_MS);
    await settle(250);
    expect(effects(h)).toHaveLength(before);
  }

  describe("requests rapport has no handler for are answered 200 at once", () => {
    it("app_rate_limited (Slack's example)", async () => {
      await acknowledgedAtOnce(() =>
        sendEvent(h.baseUrl, h.signingSecret, {
          token: "Jhj5dZrVaK7ZwHHjRyZWjbDl",
          type: "app_rate_limited",
          team_id: IDS.providerTeam,
          minute_rate_limited: 1518467820,
          api_app_id: IDS.appId,
        }),
      );
    });

    it("an event type rapport does not subscribe to", async () => {
      await acknowledgedAtOnce(() =>
        sendEvent(h.baseUrl, h.signingSecret, {
          ...loadFixture("event-reaction-added", { event_id: newEventId() }),
          event: {
            type: "pin_added",
            user: IDS.tech,
            channel_id: IDS.channel,
            item: { type: "message", channel: IDS.channel },
            event_ts: "1794819720.000500",
          },
        }),
      );
    });

    it("a slash command rapport does not own", async () => {
      await acknowledgedAtOnce(() => command(h, { command: "/itunknown", text: "printer" }));
    });

    it("a button with an unknown action_id", async () => {
      const payload = loadFixture<Record<string, Json>>("block-actions-button", {
        trigger_id: newTriggerId(),
        response_url: h.fake.responseUrl(),
      });
      payload.actions = [
        { type: "button", action_id: "some_other_app_button", block_id: "x", value: "1", action_ts: "1" },
      ];
      await acknowledgedAtOnce(() => interact(h, payload));
    });

    it("a view_submission with an unknown callback_id, and a view_closed", async () => {
      const submitted = loadFixture<Record<string, Json>>("view-submission", { trigger_id: newTriggerId() });
      const view = {
        ...(submitted.view as Record<string, Json>),
        callback_id: "a_form_rapport_never_opened",
      };
      await acknowledgedAtOnce(() => interact(h, { ...submitted, view }));
      await acknowledgedAtOnce(() =>
        interact(h, {
          type: "view_closed",
          team: submitted.team!,
          user: submitted.user!,
          view,
          is_cleared: false,
        }),
      );
    });

    it("a message shortcut with an unknown callback_id", async () => {
      const payload = loadFixture("message-action-shortcut", {
        callback_id: "not_ours",
        trigger_id: newTriggerId(),
        response_url: h.fake.responseUrl(),
      });
      await acknowledgedAtOnce(() => interact(h, payload));
    });

    it("a global shortcut, even under one of rapport's message shortcut ids", async () => {
      await acknowledgedAtOnce(() =>
        interact(h, {
          type: "shortcut",
          token: "Jhj5dZrVaK7ZwHHjRyZWjbDl",
          action_ts: "1794819720.000500",
          team: { id: IDS.providerTeam, domain: "provider" },
          user: { id: IDS.tech, username: "tess.tech", team_id: IDS.providerTeam },
          is_enterprise_install: false,
          enterprise: null,
          callback_id: "report_issue",
          trigger_id: newTriggerId(),
        }),
      );
    });
  });

  describe(":ticket: on a message rapport cannot read", () => {
    const react = (ts: string) =>
      event(h, "event-reaction-added", { event: { item: { ts }, event_ts: newTs() } });

    it.each([
      ["not_in_channel", /Invite it with `\/invite @rapport`/],
      ["channel_not_found", /Invite it with `\/invite @rapport`/],
      ["missing_scope", /Report as IT issue.*\/itissue/],
    ])("Slack answering %s: 200 at once, and the one who reacted is told what to do", async (code, told) => {
      h.fake.failNext("conversations.history", { error: code });
      const started = Date.now();
      const res = await react(newTs());
      expect(res.status).toBe(200);
      expect(Date.now() - started).toBeLessThan(AT_ONCE_MS);
      const note = await h.fake.waitFor(
        "chat.postEphemeral",
        (c) => c.params.user === IDS.tech && told.test(String(c.params.text)),
      );
      expect(note.params.channel).toBe(IDS.channel);
    });

    it("a thread reply is read from its thread and reported, its card posted in that thread", async () => {
      const parent = newTs();
      const reply = newTs();
      h.fake.setMessages(IDS.channel, [
        { type: "message", user: IDS.tech, team: IDS.providerTeam, text: "Anything else today?", ts: parent },
        {
          type: "message",
          user: IDS.staff,
          team: IDS.clientTeam,
          text: "Yes: the shared drive will not map on the new laptop",
          ts: reply,
          thread_ts: parent,
        },
      ]);
      const res = await react(reply);
      expect(res.status).toBe(200);
      const card = await h.fake.waitFor("chat.postMessage", (c) =>
        String(c.params.text).includes("shared drive will not map"),
      );
      expect(card.params.thread_ts).toBe(parent);
      const lookup = h.fake.calls("conversations.replies").at(-1)!;
      expect(lookup.params).toMatchObject({ channel: IDS.channel, ts: reply });
    });
  });

  describe("fields of the wrong type are refused with a 4xx, never a 500", () => {
    const envelope = (event: Record<string, Json>) =>
      loadFixture("event-message-top-level", { event_id: newEventId(), event });

    it.each([
      ["a message with a ts that is not a timestamp", envelope({ ts: "yesterday" })],
      ["a message with an object user", envelope({ ts: newTs(), user: { id: IDS.staff } })],
      ["a message with an object user_team", envelope({ ts: newTs(), user_team: { id: IDS.clientTeam } })],
      ["a thread reply with a numeric thread_ts", envelope({ ts: newTs(), thread_ts: 1794819600 })],
      [
        "a reaction on an item with a ts that is not a timestamp",
        loadFixture("event-reaction-added", { event_id: newEventId(), event: { item: { ts: "not-a-ts" } } }),
      ],
      // What Bolt itself reads of every event, before any listener: these failed after the 200.
      [
        "an event whose first authorization is null",
        loadFixture("event-message-changed", { event_id: newEventId(), authorizations: [null] }),
      ],
      [
        "an event of a type rapport ignores, whose item is a number",
        loadFixture("event-reaction-added", {
          event_id: newEventId(),
          event: { type: "star_added", item: -1 },
        }),
      ],
      [
        "an event of a type rapport ignores, whose user is null",
        loadFixture("event-channel-join", {
          event_id: newEventId(),
          event: { type: "member_joined_channel", user: null },
        }),
      ],
      [
        "a message in a channel whose id holds a line break",
        envelope({ ts: newTs(), channel: "C0SUPPORT\r\nX-Evil: 1" }),
      ],
    ])("%s", async (_what, body) => {
      const before = effects(h).length;
      const res = await sendEvent(h.baseUrl, h.signingSecret, body);
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
      await settle(250);
      expect(effects(h)).toHaveLength(before);
    });

    it.each([
      ["a shortcut without response_url", { response_url: undefined }],
      ["a shortcut on a message with a non-numeric ts", { message: { ts: "abc" } }],
      ["a shortcut with an object message user_team", { message: { user_team: { id: "T0CLIENT" } } }],
    ])("%s", async (_what, overrides) => {
      const before = effects(h).length;
      const payload = loadFixture("message-action-shortcut", { trigger_id: newTriggerId(), ...overrides });
      const res = await interact(h, payload);
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
      await settle(250);
      expect(effects(h)).toHaveLength(before);
    });

    it("a button click with an empty actions array", async () => {
      const payload = loadFixture<Record<string, Json>>("block-actions-button", {
        trigger_id: newTriggerId(),
      });
      const res = await interact(h, { ...payload, actions: [] });
      expect(res.status).toBe(400);
    });

    it("a slash command with a user_id that is not a string is refused", async () => {
      const fields = loadFixture<Record<string, Json>>("slash-command-itissue", {
        trigger_id: newTriggerId(),
        response_url: h.fake.responseUrl(),
      });
      // Form fields are strings by nature; an empty user id is what a mangled one becomes.
      const res = await sendCommand(h.baseUrl, h.signingSecret, { ...fields, user_id: "" });
      expect(res.status).toBe(400);
    });
  });

  describe("what PostgreSQL cannot keep, ids no Slack sends, nesting no Slack payload has", () => {
    it("a :ticket: event whose fields hold a NUL character and half an emoji is taken in without them", async () => {
      const ts = newTs();
      h.fake.setMessages(IDS.channel, [
        {
          type: "message",
          user: IDS.staff,
          team: IDS.clientTeam,
          text: "The label printer prints blank pages",
          ts,
        },
      ]);
      // PostgreSQL refused the whole event (a 500, so Slack sent it again and again): it stores
      // neither a NUL nor the first half of a surrogate pair, in text or in jsonb.
      const res = await sendEvent(
        h.baseUrl,
        h.signingSecret,
        loadFixture("event-reaction-added", {
          event_id: newEventId(),
          context_team_id: `${IDS.providerTeam}\u0000`,
          event_context: "half an emoji \ud83c",
          event: { item: { ts }, item_user: `${IDS.staff}\u0000`, event_ts: newTs() },
        }),
      );
      expect(res.status).toBe(200);
      await h.fake.waitFor("chat.postMessage", (c) =>
        String(c.params.text).includes("The label printer prints blank pages"),
      );
    });

    const deep = (depth: number): Json => (depth === 0 ? "bottom" : [deep(depth - 1)]);
    it.each([
      [
        "a message in a channel whose id is longer than any Slack id",
        () =>
          sendEvent(
            h.baseUrl,
            h.signingSecret,
            loadFixture("event-message-top-level", {
              event_id: newEventId(),
              event: { ts: newTs(), channel: `C${"0".repeat(5_000)}` },
            }),
          ),
      ],
      ["an /itissue from a user id of 300 characters", () => command(h, { user_id: `U${"0".repeat(300)}` })],
      [
        "a message whose blocks are nested deeper than any Slack payload",
        () =>
          sendEvent(
            h.baseUrl,
            h.signingSecret,
            loadFixture("event-message-top-level", {
              event_id: newEventId(),
              event: { ts: newTs(), blocks: [deep(100)] },
            }),
          ),
      ],
    ])("%s is a 400", async (_what, send) => {
      const before = effects(h).length;
      const res = await send();
      expect(res.status).toBe(400);
      await settle(250);
      expect(effects(h)).toHaveLength(before);
    });
  });

  it("a request signed 6 minutes ahead gets 401; one 4 minutes ahead is served", async () => {
    const fields = (text: string) =>
      loadFixture<Record<string, Json>>("slash-command-itissue", {
        text,
        trigger_id: newTriggerId(),
        response_url: h.fake.responseUrl(),
      });
    const now = Math.floor(Date.now() / 1000);
    const ahead = await sendCommand(h.baseUrl, h.signingSecret, fields("six minutes ahead"), {
      timestamp: now + 6 * 60,
    });
    expect(ahead.status).toBe(401);
    const close = await sendCommand(h.baseUrl, h.signingSecret, fields("the fax line hums"), {
      timestamp: now + 4 * 60,
    });
    expect(close.status).toBe(200);
    const key = /\*(CLIENT-\d+)\*/.exec((close.json() as { text: string }).text)?.[1];
    await waitForCard(h, key!);
  });

  it("a signed request whose body stalls half-way is answered 408 within seconds, not held for 300 s", async () => {
    const fields = loadFixture<Record<string, Json>>("slash-command-itissue", {
      text: "stalled",
      trigger_id: newTriggerId(),
    });
    const body = new URLSearchParams(fields as Record<string, string>).toString();
    const headers = signedHeaders(h.signingSecret, body, "application/x-www-form-urlencoded");
    const { port } = new URL(h.baseUrl);
    const socket = connect(Number(port), "127.0.0.1");
    const started = Date.now();
    const answer = new Promise<string>((resolve) => {
      let text = "";
      socket.on("data", (d: Buffer) => (text += d.toString()));
      socket.on("close", () => resolve(text));
      socket.on("error", () => resolve(text));
    });
    const head = Object.entries({ ...headers, "content-length": String(body.length) })
      .map(([k, v]) => `${k}: ${v}`)
      .join("\r\n");
    socket.write(`POST /slack/events HTTP/1.1\r\nhost: 127.0.0.1\r\n${head}\r\n\r\n`);
    socket.write(body.slice(0, Math.floor(body.length / 2)));
    expect(await answer).toMatch(/^HTTP\/1\.1 408/);
    // The server's request timeout is 10 s; Node checks for it every second.
    expect(Date.now() - started).toBeLessThan(13_000);
    await stillAnswers();
  }, 20_000);

  /** A valid /itissue is still recorded and answered. */
  async function stillAnswers() {
    const res = await command(h, { text: "the plotter is out of cyan" });
    expect(res.status).toBe(200);
    const key = /\*(CLIENT-\d+)\*/.exec((res.json() as { text: string }).text)?.[1];
    expect(key).toBeDefined();
    await waitForCard(h, key!);
  }

  it("/itissue from a bot is refused with a sentence and records nothing", async () => {
    const before = effects(h).length;
    for (const overrides of [{ is_bot: "true" }, { bot_id: "B0WORKFLOW" }, { user_id: "USLACKBOT" }]) {
      const res = await command(h, { text: "a bot says the printer is down", ...overrides });
      expect(res.status).toBe(200);
      expect(res.json()).toMatchObject({ response_type: "ephemeral" });
      expect((res.json() as { text: string }).text).toMatch(/from people only.*nothing was recorded/);
    }
    await settle(250);
    expect(effects(h)).toHaveLength(before);
  });

  it("markup in a typed title is stored as words: no ping, a link as label and address", async () => {
    const res = await command(h, {
      text: "<!channel> <@U0TECH> <https://intranet.example.com|intranet> is down &amp; slow",
      user_id: IDS.staff,
    });
    expect(res.status).toBe(200);
    const key = /\*(CLIENT-\d+)\*/.exec((res.json() as { text: string }).text)?.[1];
    expect(key).toBeDefined();
    await waitForCard(h, key!);
  });

  it("an unknown /itpartner word is echoed cut short, escaped, never whole", async () => {
    const res = await command(h, { command: "/itpartner", text: `<!here>${"x".repeat(3_900)}` });
    expect(res.status).toBe(200);
    const text = (res.json() as { text: string }).text;
    expect(text).toMatch(/^There is no `\/itpartner @herex+…`/);
    expect(text.length).toBeLessThan(1_000);
    expect(text).not.toContain("<!here>");
  });

  it("and the database holds the title as words", async () => {
    const titles = await readDatabase(h, async ({ core }) => {
      const [p] = await core.partnerships.list();
      return (await core.ledger.events(p!.id)).flatMap((e) =>
        e.type === "issue.reported" ? [e.payload.title] : [],
      );
    });
    // The fake's users.info gives Tess's display name as "tess.tech", learnt when she was introduced.
    expect(titles).toContain("@channel @tess.tech intranet (https://intranet.example.com) is down & slow");
    expect(titles).toContain("Yes: the shared drive will not map on the new laptop");
    expect(titles.join("\n")).not.toContain("a bot says");
  });
});
