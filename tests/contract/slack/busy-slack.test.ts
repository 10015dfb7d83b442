// When Slack's Web API is rate-limiting (every call answered 429, Retry-After 5) or failing,
// rapport still answers Slack in time: nothing waits on users.info, conversations.history or a
// card post before the answer, and a person is told what to do where a form could not open.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readDatabase } from "../support/database.ts";
import { IDS } from "./support/fake-slack.ts";
import {
  seedPartnership,
  startSlackHarness,
  type SeededPartnership,
  type SlackHarness,
} from "./support/harness.ts";
import { loadFixture, type SlackResponse } from "./support/signed-request.ts";
import {
  AT_ONCE_MS,
  buttonClick,
  buttonValue,
  command,
  event,
  interact,
  newEventId,
  newTriggerId,
  newTs,
  PEOPLE,
  settle,
  STILL_LOOKING,
} from "./support/slack-kit.ts";

/** Sends a request and measures how long rapport took to answer it. */
async function timed(send: () => Promise<SlackResponse>): Promise<{ res: SlackResponse; ms: number }> {
  const started = Date.now();
  const res = await send();
  return { res, ms: Date.now() - started };
}

describe("Slack answered in time while its Web API is rate-limited", () => {
  let h: SlackHarness & { seeded: SeededPartnership };
  beforeAll(async () => {
    h = await startSlackHarness({ seed: (env) => seedPartnership(env) });
    h.fake.failEvery({ status: 429, retryAfter: 5 });
  }, 60_000);
  afterAll(() => h?.stop());

  it("/itissue printer jammed by a reporter rapport does not know yet: 200 in time with the confirmation", async () => {
    const { res, ms } = await timed(() => command(h, { text: "printer jammed" }));
    expect(res.status).toBe(200);
    expect(ms).toBeLessThan(AT_ONCE_MS);
    expect((res.json() as { text: string }).text).toMatch(/^Recorded \*CLIENT-1\*: printer jammed/);
    // users.info was asked (and rate-limited) in the background, not waited for.
    const asked = await h.fake.waitFor("users.info", (c) => c.params.user === IDS.staff);
    expect(asked.status).toBe(429);
  });

  it("a second report meanwhile asks Slack nothing more about the reporter (it asked to wait 5 s)", async () => {
    const before = h.fake.calls("users.info").length;
    const { res, ms } = await timed(() => command(h, { text: "the scanner is jammed too" }));
    expect(res.status).toBe(200);
    expect(ms).toBeLessThan(AT_ONCE_MS);
    await settle(200);
    expect(h.fake.calls("users.info")).toHaveLength(before);
  });

  it("/itissue alone cannot open the form: says so at once and how to report without it", async () => {
    const { res, ms } = await timed(() => command(h, { text: "" }));
    expect(res.status).toBe(200);
    expect(ms).toBeLessThan(AT_ONCE_MS);
    expect(res.json()).toEqual({
      response_type: "ephemeral",
      text: "Slack is busy; try again in a minute, or type the issue after /itissue.",
    });
    expect(h.fake.calls("views.open").at(-1)?.status).toBe(429);
  });

  it("/itpartner from someone rapport does not know yet is answered at once, acting on no guess", async () => {
    const { res, ms } = await timed(() =>
      command(h, { command: "/itpartner", text: "status", user_id: IDS.owner, user_name: "olive.owner" }),
    );
    expect(res.status).toBe(200);
    expect(ms).toBeLessThan(AT_ONCE_MS);
    expect(res.json()).toEqual({ response_type: "ephemeral", text: STILL_LOOKING });
  });

  it("a click on the card (whose post was rate-limited) is answered in time", async () => {
    const card = h.fake.calls("chat.postMessage").find((c) => String(c.params.text).startsWith("CLIENT-1 ["));
    expect(card?.status).toBe(429);
    const click = buttonClick(h, {
      user: PEOPLE.tech,
      actionId: "issue_acknowledge",
      value: buttonValue(card!, "issue_acknowledge"),
    });
    const { res, ms } = await timed(() => interact(h, click));
    expect(res.status).toBe(200);
    expect(ms).toBeLessThan(AT_ONCE_MS);
  });

  it("a :ticket: reaction is answered in time though conversations.history is rate-limited", async () => {
    const ts = newTs();
    h.fake.setMessages(IDS.channel, [{ type: "message", user: IDS.staff, text: "the fax is down", ts }]);
    const { res, ms } = await timed(() => event(h, "event-reaction-added", { event: { item: { ts } } }));
    expect(res.status).toBe(200);
    expect(ms).toBeLessThan(AT_ONCE_MS);
    await h.fake.waitFor("conversations.history", (c) => c.params.latest === ts);
  });

  it("a client's thread-less message with auto-intake off, and App Home, are answered in time", async () => {
    const message = await timed(() =>
      event(h, "event-message-top-level", { event: { ts: newTs() }, event_id: newEventId() }),
    );
    expect(message.res.status).toBe(200);
    expect(message.ms).toBeLessThan(AT_ONCE_MS);
    const home = await timed(() => event(h, "event-app-home-opened", { event: { user: IDS.lead } }));
    expect(home.res.status).toBe(200);
    expect(home.ms).toBeLessThan(AT_ONCE_MS);
  });

  it("once Slack answers again, rapport learns who was waiting and their /itpartner works", async () => {
    h.fake.failEvery(null);
    // Slack asked for 5 s of quiet; rapport asks users.info again only after that.
    await settle(5_000);
    const olive = { command: "/itpartner", text: "status", user_id: IDS.owner, user_name: "olive.owner" };
    expect((await command(h, olive)).json()).toEqual({ response_type: "ephemeral", text: STILL_LOOKING });
    const asked = await h.fake.waitFor("users.info", (c) => c.params.user === IDS.owner && c.status === 200);
    expect((asked.response as { user: { team_id: string } }).user.team_id).toBe(IDS.clientTeam);
    await settle(50);
    const status = (await command(h, olive)).json() as { text: string };
    expect(status.text).toContain("Client Co support");
  }, 10_000);

  it("a :ticket: in a channel rapport cannot read is answered at once; the reactor is asked to invite it", async () => {
    h.fake.failNext("conversations.history", { error: "not_in_channel" });
    const ts = newTs();
    const { res, ms } = await timed(() =>
      event(h, "event-reaction-added", { event: { item: { channel: "C0PRIVATE", ts } } }),
    );
    expect(res.status).toBe(200);
    expect(ms).toBeLessThan(AT_ONCE_MS);
    const told = await h.fake.waitFor("chat.postEphemeral", (c) => c.params.channel === "C0PRIVATE");
    expect(told.params.user).toBe(IDS.tech);
    expect(String(told.params.text)).toContain("/invite @rapport");
  });

  it("every report made while Slack was rate-limiting is recorded, with distinct keys", async () => {
    const reported = await readDatabase(h, async ({ core }) =>
      (await core.ledger.events(h.seeded.partnershipId)).flatMap((e) =>
        e.type === "issue.reported" ? [{ key: e.payload.key, title: e.payload.title }] : [],
      ),
    );
    expect(reported).toEqual(
      expect.arrayContaining([
        { key: "CLIENT-1", title: "printer jammed" },
        { key: "CLIENT-2", title: "the scanner is jammed too" },
      ]),
    );
    expect(new Set(reported.map((r) => r.key)).size).toBe(reported.length);
  });
});

describe("Slack answered in time while its Web API fails with 500 or hangs", () => {
  let h: SlackHarness;
  beforeAll(async () => {
    h = await startSlackHarness({ seed: (env) => seedPartnership(env) });
    h.fake.failEvery({ status: 500 });
  }, 60_000);
  afterAll(() => h?.stop());

  it("/itissue with text is answered in time with the confirmation", async () => {
    const { res, ms } = await timed(() => command(h, { text: "email is down for everyone" }));
    expect(res.status).toBe(200);
    expect(ms).toBeLessThan(AT_ONCE_MS);
    expect((res.json() as { text: string }).text).toMatch(/^Recorded \*CLIENT-1\*/);
  });

  it("/itissue alone while views.open hangs: the form is given up on in time and the person told", async () => {
    h.fake.failNext("views.open", { hangMs: 5_000 });
    const { res, ms } = await timed(() => command(h, { text: "" }));
    expect(res.status).toBe(200);
    expect(ms).toBeLessThan(2_800);
    expect(res.json()).toEqual({
      response_type: "ephemeral",
      text: "Slack is busy; try again in a minute, or type the issue after /itissue.",
    });
  });

  it("a report_issue shortcut is answered at once; its confirmation is still sent", async () => {
    const responseUrl = h.fake.responseUrl("busy-shortcut");
    const payload = loadFixture("message-action-shortcut", {
      trigger_id: newTriggerId(),
      response_url: responseUrl,
      message: { ts: newTs() },
    });
    const { res, ms } = await timed(() => interact(h, payload));
    expect(res.status).toBe(200);
    expect(ms).toBeLessThan(AT_ONCE_MS);
    const reply = await h.fake.waitFor("response_url", (c) => c.path === "/response/busy-shortcut");
    expect(String(reply.params.text)).toMatch(/^Recorded \*CLIENT-2\*/);
  });
});
