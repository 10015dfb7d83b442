// A post whose outcome is unknown is not repeated: Slack took the message, then recording it failed
// (the database went away at that moment) or the sender died, so the row stayed `sending` until its
// lease lapsed. The next claim looks in the conversation for the post's mark before sending again.
// Driven through the real SlackNotifier against the fake Slack on loopback.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { DELIVERY_EVENT, SlackNotifier } from "../../adapters/slack/notifier.ts";
import { OutboxWebApi } from "../../adapters/slack/outbox-web-api.ts";
import { noticeDocument } from "../../src/domain/card.ts";
import { sendDueMessages, type SenderOptions } from "../../src/jobs/outbox-sender.ts";
import type { Notifier } from "../../src/ports.ts";
import { createPartnership } from "../../src/services/setup-partnership.ts";
import { OutboxStore, type OutboxEntry } from "../../src/store/outbox.ts";
import type { Store } from "../../src/store/database.ts";
import { startFakeSlack, type FakeSlack } from "../contract/slack/support/fake-slack.ts";
import { backend, openTestCore, type ManualClock } from "./support/test-store.ts";

const LEASE = 60_000;
const options: SenderOptions = { leaseMs: LEASE, random: () => 0 };

/** An outbox whose next recordings of sent rows fail the way a database outage fails them. */
class FaultyOutbox extends OutboxStore {
  failSent = 0;
  // Every way of recording a sent row (markSent too) comes through here.
  override async markAllSent(sent: Parameters<OutboxStore["markAllSent"]>[0]): Promise<number> {
    if (this.failSent > 0) {
      this.failSent -= 1;
      throw new Error("Connection terminated unexpectedly");
    }
    return super.markAllSent(sent);
  }
}

describe(`look before sending again, on ${backend}`, () => {
  let fake: FakeSlack;
  let store: Store & { dispose(): Promise<void> };
  let clock: ManualClock;
  let outbox: FaultyOutbox;
  let slack: SlackNotifier;
  let partnershipId: string;
  let n = 0;

  beforeAll(async () => {
    fake = await startFakeSlack();
    const t = await openTestCore("2026-11-16T10:00:00Z");
    ({ store, clock } = t);
    outbox = new FaultyOutbox(store);
    partnershipId = (
      await createPartnership(t.core, { name: "Unsure", providerOrg: "Fixit", clientOrg: "Acme" })
    ).id;
    const client = new OutboxWebApi("xoxb-test", { apiUrl: fake.url, timeoutMs: 15_000 });
    slack = new SlackNotifier(async () => client);
  });
  afterAll(async () => {
    await store?.dispose();
    await fake?.close();
  });
  beforeEach(() => fake.reset());

  const digest = (destination: OutboxEntry["destination"]): OutboxEntry => ({
    job: "weekly-digest",
    period: `2026-W${++n}`,
    partnershipId,
    destination,
    message: noticeDocument("Weekly digest", `week ${n}`),
  });
  const channel = (threadId?: string): OutboxEntry["destination"] => ({
    kind: "channel",
    platform: "slack",
    workspaceId: "T0PROVIDER",
    channelId: "C0SUPPORT",
    ...(threadId ? { threadId } : {}),
  });
  const row = async (e: OutboxEntry) =>
    (await outbox.list({ partnershipId })).find((r) => r.period === e.period)!;
  const run = (notifier: Notifier = slack) => sendDueMessages(outbox, { slack: notifier }, clock, options);

  /** Posts `e` once with recording failing after Slack took it, then lets the lease lapse. */
  async function postedButNotRecorded(e: OutboxEntry) {
    await outbox.enqueue(e, clock.now());
    outbox.failSent = 1;
    const before = fake.calls("chat.postMessage").length;
    const first = await run();
    expect(first.targets.map((t) => t.outcome)).toEqual(["error"]);
    expect(fake.calls("chat.postMessage")).toHaveLength(before + 1);
    expect(await row(e)).toMatchObject({ status: "sending", attempts: 1 });
    clock.advance(LEASE);
  }

  it("marks each post with message metadata naming its delivery", async () => {
    const e = digest(channel());
    await outbox.enqueue(e, clock.now());
    await run();
    const [post] = fake.calls("chat.postMessage");
    const stored = await row(e);
    expect(post!.params.metadata).toEqual({
      event_type: DELIVERY_EVENT,
      event_payload: { delivery_id: `${stored.id}.${stored.createdAt.getTime()}` },
    });
    // A first attempt does not look: nothing was tried before it.
    expect(fake.calls("conversations.history")).toEqual([]);
  });

  it("a digest posted but not recorded is found by its mark and recorded, not posted twice", async () => {
    const e = digest(channel());
    await postedButNotRecorded(e);
    const posted = fake.calls("chat.postMessage")[0]!.response as { ts: string };

    const second = await run();
    expect(second.targets).toMatchObject([
      { outcome: "sent", detail: "an earlier attempt had delivered it; not sent again" },
    ]);
    expect(fake.calls("chat.postMessage")).toHaveLength(1);
    const look = fake.calls("conversations.history")[0]!;
    expect(look.params).toMatchObject({ channel: "C0SUPPORT", include_all_metadata: "true" });
    expect(await row(e)).toMatchObject({ status: "sent", attempts: 2, messageId: posted.ts });
  });

  it("the same in a thread (conversations.replies) and in a direct message", async () => {
    const top = digest(channel());
    await outbox.enqueue(top, clock.now());
    await run();
    const threadTs = (await row(top)).messageId!;

    const reply = digest(channel(threadTs));
    await postedButNotRecorded(reply);
    await run();
    expect(fake.calls("conversations.replies")[0]!.params).toMatchObject({ ts: threadTs });
    expect(await row(reply)).toMatchObject({ status: "sent", attempts: 2 });

    const dm = digest({ kind: "person", platform: "slack", workspaceId: "T0PROVIDER", userId: "U0LEAD" });
    await postedButNotRecorded(dm);
    await run();
    expect(await row(dm)).toMatchObject({ status: "sent", attempts: 2 });
    // One post each: the top message, the reply and the direct message.
    expect(fake.calls("chat.postMessage")).toHaveLength(3);
  });

  it("a row whose sender died before posting is looked for, not found, and posted once", async () => {
    const e = digest(channel());
    await outbox.enqueue(e, clock.now());
    // Claimed, then the process died before it called Slack.
    await outbox.claimDue(10, clock.now(), LEASE, ["slack"]);
    clock.advance(LEASE);
    const result = await run();
    expect(result.targets.map((t) => t.outcome)).toEqual(["sent"]);
    expect(fake.calls("conversations.history")).toHaveLength(1);
    expect(fake.calls("chat.postMessage")).toHaveLength(1);
    expect(await row(e)).toMatchObject({ status: "sent", attempts: 2 });
  });

  it("when Slack cannot be asked, waits and looks again rather than posting blindly", async () => {
    const e = digest(channel());
    await postedButNotRecorded(e);
    fake.failNext("conversations.history", { status: 500 });
    const second = await run();
    expect(second.targets).toMatchObject([{ outcome: "retry" }]);
    expect(await row(e)).toMatchObject({ status: "sending", attempts: 2 });
    expect((await row(e)).lastError).toMatch(/^could not look whether an earlier attempt delivered it/);
    expect(fake.calls("chat.postMessage")).toHaveLength(1);

    clock.advance(60 * 60_000);
    await run();
    expect(await row(e)).toMatchObject({ status: "sent", attempts: 3 });
    expect(fake.calls("chat.postMessage")).toHaveLength(1);
  });

  it("a platform that cannot look records the unsure post as failed instead of posting it twice", async () => {
    const e = digest(channel());
    await postedButNotRecorded(e);
    const blind: Notifier = {
      platform: "slack",
      send: (to, message, mark) => slack.send(to, message, mark),
      redraw: (at, message) => slack.redraw(at, message),
    };
    const second = await run(blind);
    expect(second.targets).toMatchObject([{ outcome: "failed" }]);
    expect((await row(e)).lastError).toMatch(/^not sent again: an earlier attempt may have delivered it/);
    expect(fake.calls("chat.postMessage")).toHaveLength(1);
  });

  it("a redraw whose outcome is unknown is simply done again: redrawing twice shows nothing twice", async () => {
    const top = digest(channel());
    await outbox.enqueue(top, clock.now());
    await run();
    const ts = (await row(top)).messageId!;
    const redraw = digest({ ...channel(), kind: "channel", channelId: "C0SUPPORT", replaces: ts });
    await outbox.enqueue(redraw, clock.now());
    outbox.failSent = 1;
    await run();
    clock.advance(LEASE);
    await run();
    expect(fake.calls("chat.update")).toHaveLength(2);
    expect(fake.calls("conversations.history")).toEqual([]);
    expect(await row(redraw)).toMatchObject({ status: "sent" });
  });
});
