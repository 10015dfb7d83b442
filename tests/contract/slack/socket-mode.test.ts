import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readDatabase } from "../support/database.ts";
import { IDS } from "./support/fake-slack.ts";
import { seedPartnership, startSlackHarness, type SlackHarness } from "./support/harness.ts";
import { loadFixture } from "./support/signed-request.ts";
import { newEventId, newTriggerId, newTs, settle } from "./support/slack-kit.ts";
import { waitUntil } from "../../db/support/wait.ts";

// rapport in Socket Mode (SLACK_APP_TOKEN) against a Slack stand-in on loopback that speaks the
// documented protocol: apps.connections.open at SLACK_API_URL, then a WebSocket that says hello,
// sends envelopes, reads acks and asks for a new connection with `disconnect`.

const readyz = async (h: SlackHarness) => {
  const res = await fetch(`${h.baseUrl}/readyz`);
  return { status: res.status, text: await res.text() };
};

const reaction = (ts: string, eventId = newEventId()) =>
  loadFixture("event-reaction-added", { event_id: eventId, event: { item: { ts } } });

describe("Slack in Socket Mode", () => {
  let h: SlackHarness;
  beforeAll(async () => {
    h = await startSlackHarness({ socketMode: true, seed: (env) => seedPartnership(env) });
  }, 120_000);
  afterAll(() => h?.stop());

  it("opens its connection through SLACK_API_URL with the app-level token, and is ready once Slack said hello", async () => {
    const open = h.fake.calls("apps.connections.open");
    expect(open).toHaveLength(1);
    expect(open[0]!.token).toBe("xapp-test");
    expect(h.socket!.open()).toHaveLength(1);
    expect(await readyz(h)).toEqual({ status: 200, text: "ready" });
    // No HTTP events endpoint in Socket Mode.
    expect((await fetch(`${h.baseUrl}/slack/events`, { method: "POST" })).status).toBe(404);
  });

  it("/itissue is acknowledged on the socket with the confirmation, after the issue is recorded", async () => {
    const envelope = h.socket!.send(
      "slash_commands",
      loadFixture("slash-command-itissue", {
        text: "p2 the scanner on floor 3 is offline",
        trigger_id: newTriggerId(),
      }),
    );
    const ack = await h.socket!.waitForAck(envelope);
    expect(JSON.stringify(ack.payload)).toContain("CLIENT-1");
    const card = await h.fake.waitFor("chat.postMessage", (c) => String(c.params.text).includes("scanner"));
    expect(card.params.channel).toBe(IDS.channel);
  });

  it("an event is acknowledged once stored; a listener that fails (Slack busy) is retried from the inbox; duplicates record once", async () => {
    const ts = newTs();
    h.fake.setMessages(IDS.channel, [
      { type: "message", user: IDS.staff, team: IDS.clientTeam, text: "the VPN drops every hour", ts },
    ]);
    h.fake.failNext("conversations.history", { error: "internal_error" });
    const payload = reaction(ts);
    const first = h.socket!.send("events_api", payload);
    const ack = await h.socket!.waitForAck(first, 2_000);
    expect(ack.payload).toBeUndefined();
    const card = await h.fake.waitFor(
      "chat.postMessage",
      (c) => String(c.params.text).includes("VPN drops"),
      10_000,
    );
    expect(card.params.thread_ts).toBe(ts);
    // Slack delivering the same event again (a retry after a lost ack) is acknowledged and ignored.
    const again = h.socket!.send("events_api", payload, { retryAttempt: 1 });
    await h.socket!.waitForAck(again);
    await settle(300);
    expect(
      h.fake.calls("chat.postMessage").filter((c) => String(c.params.text).includes("VPN drops")),
    ).toHaveLength(1);
  });

  it("on a `disconnect` warning a new connection is open before the old one closes; readiness never drops", async () => {
    const [old] = h.socket!.open();
    const probes: number[] = [];
    let probing = true;
    const prober = (async () => {
      while (probing) probes.push((await readyz(h)).status);
    })();
    h.socket!.disconnect("warning", [old!]);
    await waitUntil(() => old!.closedAt !== null, 5_000, "the old connection closed by rapport");
    probing = false;
    await prober;
    const fresh = h.socket!.connections.at(-1)!;
    expect(fresh).not.toBe(old);
    expect(fresh.helloAt).toBeLessThanOrEqual(old!.closedAt!);
    expect(probes.length).toBeGreaterThan(0);
    expect(probes.every((s) => s === 200)).toBe(true);
    // Envelopes on the new connection are handled.
    const envelope = h.socket!.send(
      "slash_commands",
      loadFixture("slash-command-itissue", {
        text: "p3 the projector bulb is out",
        trigger_id: newTriggerId(),
      }),
    );
    expect((await h.socket!.waitForAck(envelope)).connection).toBe(fresh.id);
  });

  it("`refresh_requested` does the same", async () => {
    const [old] = h.socket!.open();
    h.socket!.disconnect("refresh_requested", [old!]);
    await waitUntil(() => old!.closedAt !== null, 5_000, "the old connection closed by rapport");
    const fresh = h.socket!.connections.at(-1)!;
    expect(fresh.helloAt).toBeLessThanOrEqual(old!.closedAt!);
    expect(h.socket!.open()).toHaveLength(1);
  });

  it("a dropped connection is replaced at once (well under a second)", async () => {
    const [old] = h.socket!.open();
    h.socket!.drop([old!]);
    await waitUntil(
      () => h.socket!.open().length === 1 && h.socket!.open()[0] !== old,
      5_000,
      "a new connection",
    );
    const fresh = h.socket!.open()[0]!;
    expect(fresh.helloAt - old!.closedAt!).toBeLessThan(1_000);
  });

  it("while Slack cannot be reached /readyz says so; the socket is back within 10 s of Slack answering again", async () => {
    h.fake.failEvery({ status: 503 });
    h.socket!.drop();
    await waitUntil(async () => (await readyz(h)).status === 503, 5_000, "/readyz 503");
    expect((await readyz(h)).text).toMatch(/^slack: cannot connect to Slack/);
    // Failing for a good while lets the backoff grow to its cap.
    await waitUntil(
      () => h.fake.calls("apps.connections.open").filter((c) => c.status === 503).length >= 6,
      30_000,
      "six failed attempts",
    );
    const back = Date.now();
    h.fake.failEvery(null);
    await waitUntil(() => h.socket!.open().length === 1, 12_000, "the socket back");
    expect(h.socket!.open()[0]!.helloAt - back).toBeLessThan(10_000);
    await waitUntil(async () => (await readyz(h)).status === 200, 2_000, "/readyz 200 again");
  }, 60_000);

  it("a WebSocket upgrade refused (the socket servers down) is retried the same way", async () => {
    h.socket!.refuseUpgrades = true;
    h.socket!.drop();
    await waitUntil(async () => (await readyz(h)).status === 503, 5_000, "/readyz 503");
    const back = Date.now();
    h.socket!.refuseUpgrades = false;
    await waitUntil(() => h.socket!.open().length === 1, 12_000, "the socket back");
    expect(h.socket!.open()[0]!.helloAt - back).toBeLessThan(10_000);
  }, 30_000);

  it("the inbox holds each event once, processed", async () => {
    const rows = await readDatabase(h, ({ store }) =>
      store.db.selectFrom("inbox").select(["delivery_id", "status", "attempts"]).execute(),
    );
    expect(rows.length).toBeGreaterThanOrEqual(1);
    expect(new Set(rows.map((r) => r.delivery_id)).size).toBe(rows.length);
    expect(rows.every((r) => r.status === "done")).toBe(true);
    expect(rows.some((r) => r.attempts >= 2)).toBe(true);
  });
});
