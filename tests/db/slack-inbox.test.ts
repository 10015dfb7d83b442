import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSlackAdapter, type SlackAdapter } from "../../adapters/slack/slack-app.ts";
import type { SlackConfig } from "../../adapters/slack/settings.ts";
import { createHttpServer, type HttpServer } from "../../src/http/server.ts";
import { silentLogger } from "../../src/logger.ts";
import { systemClock } from "../../src/ports.ts";
import { createCore, type Core } from "../../src/services/core.ts";
import { Inbox } from "../../src/services/inbox.ts";
import { Rapport } from "../../src/services/rapport.ts";
import { addMember, createPartnership, linkChannel } from "../../src/services/setup-partnership.ts";
import type { Store } from "../../src/store/database.ts";
import { InboxStore } from "../../src/store/inbox.ts";
import { Telemetry } from "../../src/telemetry.ts";
import { IDS, startFakeSlack, type FakeSlack } from "../contract/slack/support/fake-slack.ts";
import { startFakeSocketMode, type FakeSocketMode } from "../contract/slack/support/fake-socket-mode.ts";
import { loadFixture, sendEvent } from "../contract/slack/support/signed-request.ts";
import { backend, openTestStore } from "./support/test-store.ts";
import { waitUntil } from "./support/wait.ts";

// The inbox on each backend: every event rapport acknowledges before processing it is stored
// first, processed once with retries, and an event that cannot be stored is not acknowledged.

let serial = 0;
const nextTs = () => `${1_794_900_000 + ++serial}.000100`;
const nextEventId = () => `Ev0INBOX${String(++serial).padStart(6, "0")}`;

describe(`the inbox store and its pump on ${backend}`, () => {
  let store: Store & { dispose(): Promise<void> };
  beforeAll(async () => {
    store = await openTestStore();
  });
  afterAll(() => store?.dispose());

  it("takes the same delivery in once", async () => {
    const inbox = new InboxStore(store);
    const now = new Date();
    expect(await inbox.receive("test-once", "Ev1", { n: 1 }, now)).toBe(true);
    expect(await inbox.receive("test-once", "Ev1", { n: 2 }, now)).toBe(false);
    const rows = await inbox.list("test-once");
    expect(rows).toHaveLength(1);
    expect(rows[0]!.payload).toEqual({ n: 1 });
  });

  it("stores events that arrive together in few statements, each delivery once", async () => {
    const inbox = new InboxStore(store);
    const now = new Date();
    // Sixty deliveries at once: forty events, twenty of them delivered twice.
    const ids = Array.from({ length: 60 }, (_, i) => `EvTOGETHER${i % 40}`);
    const answers = await Promise.all(ids.map((id, i) => inbox.receive("test-together", id, { i }, now)));
    const fresh = ids.filter((_, i) => answers[i]);
    expect(fresh.sort()).toEqual([...new Set(ids)].sort());
    const rows = await inbox.list("test-together");
    expect(rows).toHaveLength(40);
    // The first delivery of each id is the one kept.
    for (const row of rows) expect(row.payload).toEqual({ i: ids.indexOf(row.deliveryId) });
  });

  it("retries a failing handler until it succeeds, then never again", async () => {
    const inbox = new Inbox(new InboxStore(store), systemClock, silentLogger);
    let calls = 0;
    inbox.serve("test-retry", async () => {
      calls += 1;
      if (calls < 3) throw new Error(`down ${calls}`);
    });
    inbox.start();
    await inbox.receive("test-retry", "Ev2", {});
    await waitUntil(
      async () => (await new InboxStore(store).list("test-retry"))[0]?.status === "done",
      20_000,
      "done",
    );
    await inbox.stop();
    const [row] = await new InboxStore(store).list("test-retry");
    expect(row).toMatchObject({ status: "done", attempts: 3, lastError: null });
    expect(calls).toBe(3);
  });

  it("processes each conversation's events in the order received, and conversations side by side", async () => {
    const store_ = new InboxStore(store);
    // Stored before the pump starts, so that one pass claims them all.
    for (let i = 0; i < 24; i++) {
      await store_.receive("test-lanes", `Ev-l${i}`, { channel: `C${i % 4}`, n: i }, new Date());
    }
    const inbox = new Inbox(store_, systemClock, silentLogger);
    const seen = new Map<string, number[]>();
    let inFlight = 0;
    let mostAtOnce = 0;
    inbox.serve(
      "test-lanes",
      async (payload) => {
        const { channel, n } = payload as { channel: string; n: number };
        inFlight += 1;
        mostAtOnce = Math.max(mostAtOnce, inFlight);
        // Later events of a channel finish first if they are let: each waits less than the one before.
        await new Promise((resolve) => setTimeout(resolve, 30 - n));
        seen.set(channel, [...(seen.get(channel) ?? []), n]);
        inFlight -= 1;
      },
      (payload) => (payload as { channel: string }).channel,
    );
    inbox.start();
    await waitUntil(() => [...seen.values()].flat().length === 24, 20_000, "24 events handled");
    await inbox.stop();
    for (const [channel, order] of seen) {
      expect(order, channel).toEqual([...order].sort((a, b) => a - b));
    }
    expect(seen.size).toBe(4);
    expect(mostAtOnce).toBe(4);
  });

  it("two pumps (two replicas) process each of 40 events exactly once", async () => {
    const handled = new Map<string, number>();
    const pumps = [0, 1].map(() => {
      const inbox = new Inbox(new InboxStore(store), systemClock, silentLogger);
      inbox.serve("test-replicas", async (payload) => {
        const id = (payload as { id: string }).id;
        handled.set(id, (handled.get(id) ?? 0) + 1);
        await new Promise((resolve) => setTimeout(resolve, 2));
      });
      inbox.start();
      return inbox;
    });
    for (let i = 0; i < 40; i++) await pumps[i % 2]!.receive("test-replicas", `Ev-r${i}`, { id: `Ev-r${i}` });
    await waitUntil(() => handled.size === 40, 20_000, "40 events handled");
    await Promise.all(pumps.map((p) => p.stop()));
    expect([...handled.values()].every((n) => n === 1)).toBe(true);
  });

  it("marks events done together, and within about a second while a long pass goes on", async () => {
    const rows = new InboxStore(store);
    const inbox = new Inbox(rows, systemClock, silentLogger);
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    const seen: string[] = [];
    // One conversation: its events one after another; the last holds its pass open.
    inbox.serve("test-marks", async (payload) => {
      const id = (payload as { id: string }).id;
      seen.push(id);
      if (id === "Ev-m4") await held;
      else await new Promise((resolve) => setTimeout(resolve, 400));
    });
    for (let i = 1; i <= 4; i++) await rows.receive("test-marks", `Ev-m${i}`, { id: `Ev-m${i}` }, new Date());
    inbox.start();
    try {
      const status = async (id: string) =>
        (await rows.list("test-marks")).find((r) => r.deliveryId === id)?.status;
      await waitUntil(() => seen.includes("Ev-m4"), 20_000, "the pass to reach its last event");
      await waitUntil(
        async () => (await status("Ev-m3")) === "done",
        20_000,
        "the finished ones marked done",
      );
      expect(await status("Ev-m4")).toBe("processing");
    } finally {
      release();
      await waitUntil(
        async () => (await rows.list("test-marks")).every((r) => r.status === "done"),
        20_000,
        "every event done",
      );
      await inbox.stop();
    }
  });

  it("an event whose process died mid-way is taken up again once its claim lapses", async () => {
    const rows = new InboxStore(store);
    await rows.receive("test-lease", "Ev3", {}, new Date());
    const [claimed] = await rows.claimDue(10, new Date(), 50, ["test-lease"]);
    expect(claimed?.attempts).toBe(1);
    // The claimant dies: nothing settles it. Another pump finds it once the lease lapsed.
    const inbox = new Inbox(rows, systemClock, silentLogger);
    let calls = 0;
    inbox.serve("test-lease", async () => void (calls += 1));
    inbox.start();
    await waitUntil(async () => (await rows.list("test-lease"))[0]?.status === "done", 20_000, "done");
    await inbox.stop();
    expect(calls).toBe(1);
    expect((await rows.list("test-lease"))[0]?.attempts).toBe(2);
    // The first claimant's late word changes nothing.
    expect(await rows.markAllDone([claimed!], new Date())).toBe(0);
  });
});

/** A rapport core, its Slack adapter and inbox on this backend's test database, and a fake Slack. */
interface Rig {
  store: Store & { dispose(): Promise<void> };
  core: Core;
  fake: FakeSlack;
  socket: FakeSocketMode | null;
  slack: SlackAdapter;
  inbox: Inbox;
  http: HttpServer;
  baseUrl: string;
  stop(): Promise<void>;
}

async function rig(mode: "socket" | "http"): Promise<Rig> {
  const store = await openTestStore();
  const core = createCore(store);
  const p = await createPartnership(core, {
    name: "Client Co support",
    providerOrg: "Provider IT",
    clientOrg: "Client Co",
    providerWorkspaceIds: [IDS.providerTeam],
  });
  await linkChannel(core, {
    partnershipId: p.id,
    platform: "slack",
    workspaceId: IDS.providerTeam,
    channelId: IDS.channel,
    purposes: ["support"],
  });
  await addMember(core, {
    partnershipId: p.id,
    platform: "slack",
    workspaceId: IDS.providerTeam,
    userId: IDS.tech,
    side: "provider",
    role: "tech",
  });
  const fake = await startFakeSlack();
  const socket = mode === "socket" ? await startFakeSocketMode(fake) : null;
  const config: SlackConfig = {
    signingSecret: mode === "http" ? "inbox-secret" : null,
    auth: { kind: "single", botToken: "xoxb-test" },
    appToken: mode === "socket" ? "xapp-test" : null,
    apiUrl: fake.url,
    proxy: null,
  };
  const rapport = new Rapport(core);
  const inbox = new Inbox(new InboxStore(store), core.clock, silentLogger);
  const slack = createSlackAdapter({ config, rapport, logger: silentLogger, vault: null, inbox });
  rapport.connect(slack.notifier);
  const http = createHttpServer({
    logger: silentLogger,
    telemetry: new Telemetry(),
    ready: async () => true,
  });
  for (const r of slack.routes) http.route(r.method, r.path, r.handler);
  const { port } = await http.listen(0, "127.0.0.1");
  inbox.start();
  await slack.start();
  return {
    store,
    core,
    fake,
    socket,
    slack,
    inbox,
    http,
    baseUrl: `http://127.0.0.1:${port}`,
    stop: async () => {
      await slack.stop();
      await http.close();
      await inbox.stop();
      await rapport.stop();
      await socket?.stop();
      await fake.close();
      await store.dispose();
    },
  };
}

const renamed = (store: Store, from: string, to: string) =>
  sql`alter table ${sql.id(from)} rename to ${sql.id(to)}`.execute(store.db);

const reactionTo = (r: Rig, text: string) => {
  const ts = nextTs();
  r.fake.setMessages(IDS.channel, [{ type: "message", user: IDS.staff, team: IDS.clientTeam, text, ts }]);
  return loadFixture("event-reaction-added", { event_id: nextEventId(), event: { item: { ts } } });
};

const cardsAbout = (r: Rig, text: string) =>
  r.fake.calls("chat.postMessage").filter((c) => String(c.params.text).includes(text));

const reportsAbout = async (r: Rig, text: string) =>
  (await r.store.db.selectFrom("issues").select("title").execute()).filter((i) => i.title.includes(text));

describe(`Socket Mode events and the database on ${backend}`, () => {
  let r: Rig;
  beforeAll(async () => {
    r = await rig("socket");
  }, 60_000);
  afterAll(() => r?.stop());

  it("an event that cannot be stored is not acknowledged; Slack's redelivery is, and is recorded once", async () => {
    const event = reactionTo(r, "the label printer is offline");
    await renamed(r.store, "inbox", "inbox_away");
    const first = r.socket!.send("events_api", event);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(r.socket!.acked(first)).toBe(false);
    await renamed(r.store, "inbox_away", "inbox");
    const again = r.socket!.send("events_api", event, { retryAttempt: 1 });
    await r.socket!.waitForAck(again);
    await r.fake.waitFor("chat.postMessage", (c) => String(c.params.text).includes("label printer"), 10_000);
    expect(await reportsAbout(r, "label printer")).toHaveLength(1);
  });

  it("a listener failing on the database loses nothing: the stored event is processed once the database is back", async () => {
    const event = reactionTo(r, "the shared drive is read-only");
    await renamed(r.store, "events", "events_away");
    const envelope = r.socket!.send("events_api", event);
    try {
      await r.socket!.waitForAck(envelope);
      await waitUntil(
        async () =>
          (
            await r.store.db
              .selectFrom("inbox")
              .select("last_error")
              .where("delivery_id", "=", String(event.event_id))
              .executeTakeFirst()
          )?.last_error != null,
        10_000,
        "a failed attempt recorded",
      );
      expect(cardsAbout(r, "shared drive")).toHaveLength(0);
    } finally {
      await renamed(r.store, "events_away", "events");
    }
    await r.fake.waitFor("chat.postMessage", (c) => String(c.params.text).includes("shared drive"), 15_000);
    expect(await reportsAbout(r, "shared drive")).toHaveLength(1);
    const row = await r.store.db
      .selectFrom("inbox")
      .selectAll()
      .where("delivery_id", "=", String(event.event_id))
      .executeTakeFirstOrThrow();
    expect(row.status).toBe("done");
    expect(row.attempts).toBeGreaterThanOrEqual(2);
  });
});

describe(`HTTP mode events and the database on ${backend}`, () => {
  let r: Rig;
  beforeAll(async () => {
    r = await rig("http");
  }, 60_000);
  afterAll(() => r?.stop());

  it("an event that cannot be stored is answered 500, so Slack delivers it again; the redelivery is recorded once", async () => {
    const event = reactionTo(r, "the wifi in room 4 drops");
    await renamed(r.store, "inbox", "inbox_away");
    const first = await sendEvent(r.baseUrl, "inbox-secret", event);
    await renamed(r.store, "inbox_away", "inbox");
    expect(first.status).toBe(500);
    const again = await sendEvent(r.baseUrl, "inbox-secret", event, {
      retryNum: 1,
      retryReason: "http_error",
    });
    expect(again.status).toBe(200);
    await r.fake.waitFor("chat.postMessage", (c) => String(c.params.text).includes("wifi in room 4"), 10_000);
    const twice = await sendEvent(r.baseUrl, "inbox-secret", event, {
      retryNum: 2,
      retryReason: "http_timeout",
    });
    expect(twice.status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(cardsAbout(r, "wifi in room 4")).toHaveLength(1);
    expect(await reportsAbout(r, "wifi in room 4")).toHaveLength(1);
  });

  it("a listener failing on the database after the 200 loses nothing", async () => {
    const event = reactionTo(r, "the badge reader is dead");
    await renamed(r.store, "events", "events_away");
    try {
      expect((await sendEvent(r.baseUrl, "inbox-secret", event)).status).toBe(200);
      await waitUntil(
        async () =>
          (
            await r.store.db
              .selectFrom("inbox")
              .select("last_error")
              .where("delivery_id", "=", String(event.event_id))
              .executeTakeFirst()
          )?.last_error != null,
        10_000,
        "a failed attempt recorded",
      );
    } finally {
      await renamed(r.store, "events_away", "events");
    }
    await r.fake.waitFor("chat.postMessage", (c) => String(c.params.text).includes("badge reader"), 15_000);
    expect(await reportsAbout(r, "badge reader")).toHaveLength(1);
  });
});
