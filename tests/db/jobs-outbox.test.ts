import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { retryDelayMs, sendDueMessages, type SenderOptions } from "../../src/jobs/outbox-sender.ts";
import { noticeDocument } from "../../src/domain/card.ts";
import { digestDocument } from "../../src/domain/card-digest.ts";
import type { Notifier } from "../../src/ports.ts";
import type { Core } from "../../src/services/core.ts";
import { createPartnership } from "../../src/services/setup-partnership.ts";
import { createJobStores, type JobStores } from "../../src/store/job-stores.ts";
import type { OutboxEntry } from "../../src/store/outbox.ts";
import { presenterFixtures } from "../unit/adapters/presenter-fixtures.ts";
import { RecordingNotifier } from "./support/recording-notifier.ts";
import { backend, openTestCore, type ManualClock } from "./support/test-store.ts";

const exact: SenderOptions = { random: () => 0 };
const SEC = 1000;

describe(`outbox on ${backend}`, () => {
  let core: Core;
  let clock: ManualClock;
  let stores: JobStores;
  let dispose: () => Promise<void>;
  let partnershipId: string;
  let n = 0;

  beforeAll(async () => {
    const t = await openTestCore("2026-11-16T10:00:00Z");
    ({ core, clock } = t);
    dispose = t.store.dispose;
    stores = createJobStores(t.store);
    partnershipId = (
      await createPartnership(core, { name: "Outbox test", providerOrg: "Fixit", clientOrg: "Acme" })
    ).id;
  });
  afterAll(() => dispose());
  beforeEach(() => clock.set("2026-11-16T10:00:00Z"));

  const entry = (userId = `U${++n}`): OutboxEntry => ({
    job: "sla-watch",
    period: `test:${++n}`,
    partnershipId,
    destination: { kind: "person", platform: "slack", workspaceId: "T1", userId },
    message: noticeDocument("Nudge", `message ${n}`),
  });

  /** Delivers whatever a test left waiting, so the next starts from an empty queue. */
  async function drain() {
    clock.advance(24 * 3600 * SEC);
    const notifiers = { slack: new RecordingNotifier("slack"), teams: new RecordingNotifier("teams") };
    await sendDueMessages(stores.outbox, notifiers, clock, exact);
    expect(await stores.outbox.nextDue(["slack", "teams"])).toBeNull();
  }

  async function only(e: OutboxEntry) {
    const rows = await stores.outbox.list({ partnershipId });
    return rows.find((r) => r.period === e.period)!;
  }

  it("queues a job, period, partnership and target once", async () => {
    const e = entry();
    expect(await stores.outbox.enqueue(e, clock.now())).toBe(true);
    expect(
      await stores.outbox.enqueue({ ...e, message: noticeDocument("other", "other") }, clock.now()),
    ).toBe(false);
    expect((await stores.outbox.list()).filter((r) => r.period === e.period)).toHaveLength(1);
    await sendDueMessages(stores.outbox, { slack: new RecordingNotifier("slack") }, clock);
  });

  it("retries a 429 after its Retry-After and then delivers it", async () => {
    const e = entry();
    await stores.outbox.enqueue(e, clock.now());
    const slack = new RecordingNotifier("slack", [
      { ok: false, permanent: false, reason: "rate_limited", retryAfterMs: 30 * SEC },
    ]);
    const first = await sendDueMessages(stores.outbox, { slack }, clock, exact);
    expect(first.targets.map((t) => t.outcome)).toEqual(["retry"]);
    expect(await only(e)).toMatchObject({ status: "pending", attempts: 1, lastError: "rate_limited" });
    expect((await only(e)).nextAttemptAt.toISOString()).toBe("2026-11-16T10:00:30.000Z");

    clock.advance(29 * SEC);
    expect((await sendDueMessages(stores.outbox, { slack }, clock, exact)).targets).toEqual([]);
    clock.advance(1 * SEC);
    await sendDueMessages(stores.outbox, { slack }, clock, exact);
    expect(slack.sent).toHaveLength(1);
    expect(await only(e)).toMatchObject({ status: "sent", attempts: 2, messageId: "m1", lastError: null });
  });

  it("retries 5xx with exponential backoff and jitter", async () => {
    expect(retryDelayMs(1, undefined, { random: () => 0 })).toBe(15 * SEC);
    expect(retryDelayMs(1, undefined, { random: () => 0.999999 })).toBeLessThan(30 * SEC);
    expect(retryDelayMs(3, undefined, { random: () => 0 })).toBe(60 * SEC);
    expect(retryDelayMs(30, undefined, { random: () => 0 })).toBe(30 * 60 * SEC);
    expect(retryDelayMs(1, 5 * SEC, { random: () => 0.5 })).toBe(5.5 * SEC);

    const e = entry();
    await stores.outbox.enqueue(e, clock.now());
    const slack = new RecordingNotifier("slack", [
      { ok: false, permanent: false, reason: "502 Bad Gateway" },
      { ok: false, permanent: false, reason: "503 Service Unavailable" },
    ]);
    await sendDueMessages(stores.outbox, { slack }, clock, exact);
    expect((await only(e)).nextAttemptAt.toISOString()).toBe("2026-11-16T10:00:15.000Z");
    clock.advance(15 * SEC);
    await sendDueMessages(stores.outbox, { slack }, clock, exact);
    expect(await only(e)).toMatchObject({
      status: "pending",
      attempts: 2,
      lastError: "503 Service Unavailable",
    });
    expect((await only(e)).nextAttemptAt.toISOString()).toBe("2026-11-16T10:00:45.000Z");
    clock.advance(30 * SEC);
    await sendDueMessages(stores.outbox, { slack }, clock, exact);
    expect(slack.sent).toHaveLength(1);
    expect(await only(e)).toMatchObject({ status: "sent", attempts: 3 });
  });

  it("records a permanent failure with its reason and never retries it", async () => {
    const e = entry();
    await stores.outbox.enqueue(e, clock.now());
    const slack = new RecordingNotifier("slack", [
      { ok: false, permanent: true, reason: "channel_not_found" },
    ]);
    const result = await sendDueMessages(stores.outbox, { slack }, clock, exact);
    expect(result.outcome).toBe("failed");
    expect(result.targets[0]).toMatchObject({ outcome: "failed", detail: "channel_not_found" });
    clock.advance(24 * 3600 * SEC);
    await sendDueMessages(stores.outbox, { slack }, clock, exact);
    expect(slack.sent).toHaveLength(0);
    expect(await only(e)).toMatchObject({ status: "failed", attempts: 1, lastError: "channel_not_found" });
  });

  it("gives up on a transient failure after the last attempt", async () => {
    const e = entry();
    await stores.outbox.enqueue(e, clock.now());
    const down = { ok: false as const, permanent: false, reason: "504 Gateway Timeout" };
    const slack = new RecordingNotifier("slack", [down, down]);
    await sendDueMessages(stores.outbox, { slack }, clock, { ...exact, maxAttempts: 2 });
    clock.advance(3600 * SEC);
    await sendDueMessages(stores.outbox, { slack }, clock, { ...exact, maxAttempts: 2 });
    expect(await only(e)).toMatchObject({
      status: "failed",
      lastError: "gave up after 2 attempts: 504 Gateway Timeout",
    });
  });

  it("sets rows of a platform with no notifier aside at once, counted apart; a throwing notifier only delays", async () => {
    const teamsRow = (): OutboxEntry => ({
      ...entry(),
      destination: { kind: "person", platform: "teams", workspaceId: "t", userId: `u${n}` },
    });
    const e = teamsRow();
    await stores.outbox.enqueue(e, clock.now());
    const before = await stores.outbox.countByStatus();
    const result = await sendDueMessages(
      stores.outbox,
      { slack: new RecordingNotifier("slack") },
      clock,
      exact,
    );
    expect(result.targets.filter((t) => t.period === e.period)).toEqual([
      expect.objectContaining({ outcome: "unconfigured", detail: "teams is not configured on this install" }),
    ]);
    expect(result.outcome).not.toBe("failed");
    expect(await only(e)).toMatchObject({ status: "unconfigured", attempts: 0 });
    const after = await stores.outbox.countByStatus();
    expect(after.unconfigured).toBe(before.unconfigured + 1);
    expect(after.pending).toBe(before.pending - 1);
    // Set aside, it no longer counts as waiting.
    clock.advance(3600 * SEC);
    const age = await stores.outbox.oldestPendingAge(clock.now());
    expect(age === null || age < 3600 * SEC).toBe(true);

    const f = teamsRow();
    await stores.outbox.enqueue(f, clock.now());
    const throwing: Notifier = {
      platform: "teams",
      send: () => Promise.reject(new Error("socket hang up")),
      redraw: () => Promise.reject(new Error("socket hang up")),
    };
    const thrown = await sendDueMessages(stores.outbox, { teams: throwing }, clock, exact);
    expect(thrown.targets.find((t) => t.period === f.period)).toMatchObject({ outcome: "retry" });
    expect(await only(f)).toMatchObject({ status: "pending", attempts: 1, lastError: "socket hang up" });
    await drain();
  });

  it("sends a row set aside for an unconfigured platform once that platform is configured, if still recent", async () => {
    const teamsRow = (): OutboxEntry => ({
      ...entry(),
      destination: { kind: "person", platform: "teams", workspaceId: "t", userId: `u${n}` },
    });
    const slackOnly = { slack: new RecordingNotifier("slack") };
    const old = teamsRow();
    await stores.outbox.enqueue(old, clock.now());
    await sendDueMessages(stores.outbox, slackOnly, clock, exact);
    clock.advance(6 * 24 * 3600 * SEC);
    const recent = teamsRow();
    await stores.outbox.enqueue(recent, clock.now());
    await sendDueMessages(stores.outbox, slackOnly, clock, exact);
    expect(await only(recent)).toMatchObject({ status: "unconfigured" });

    clock.advance(2 * 24 * 3600 * SEC);
    const teams = new RecordingNotifier("teams");
    await sendDueMessages(stores.outbox, { ...slackOnly, teams }, clock, exact);
    expect(await only(recent)).toMatchObject({ status: "sent" });
    // Eight days old, it is no longer news: it stays set aside.
    expect(await only(old)).toMatchObject({ status: "unconfigured" });
    const userOf = (e: OutboxEntry) => (e.destination.kind === "person" ? e.destination.userId : "");
    const sentTo = teams.sent.map((m) => (m.to.kind === "person" ? m.to.userId : ""));
    expect(sentTo).toContain(userOf(recent));
    expect(sentTo).not.toContain(userOf(old));
    await drain();
  });

  it("tries a row at most once per run, even when its Retry-After is shorter than the run", async () => {
    const e = entry();
    await stores.outbox.enqueue(e, clock.now());
    const busy = { ok: false as const, permanent: false, reason: "rate_limited", retryAfterMs: 0 };
    const slack = new RecordingNotifier("slack", [busy, busy, busy]);
    const result = await sendDueMessages(stores.outbox, { slack }, clock, { ...exact, batchSize: 1 });
    expect(result.targets.filter((t) => t.period === e.period).map((t) => t.outcome)).toEqual(["retry"]);
    expect(await only(e)).toMatchObject({ status: "pending", attempts: 1 });
    await drain();
  });

  it("gives way before each send: nothing goes out until the requests being answered pause", async () => {
    const rows = [entry(), entry(), entry()];
    for (const e of rows) await stores.outbox.enqueue(e, clock.now());
    const slack = new RecordingNotifier("slack");
    const pauses: Array<() => void> = [];
    const giveWay = () => new Promise<void>((resume) => pauses.push(resume));
    const run = sendDueMessages(stores.outbox, { slack }, clock, { ...exact, concurrency: 2, giveWay });
    const until = async (n: number) => {
      for (const end = Date.now() + 10_000; pauses.length < n && Date.now() < end;)
        await new Promise((r) => setTimeout(r, 5));
      expect(pauses.length).toBe(n);
    };
    // Two lanes, each waiting for a pause before its first send; nothing is sent meanwhile.
    await until(2);
    expect(slack.sent).toHaveLength(0);
    pauses[0]!();
    // That lane sends, then waits again before its next row.
    await until(3);
    expect(slack.sent).toHaveLength(1);
    pauses[1]!();
    pauses[2]!();
    const result = await run;
    expect(
      result.targets.filter((t) => rows.some((e) => e.period === t.period)).map((t) => t.outcome),
    ).toEqual(["sent", "sent", "sent"]);
    expect(slack.sent).toHaveLength(3);
    await drain();
  });

  it("a failing target waits without holding up the others; its other rows wait untried", async () => {
    const [a1, a2] = [entry("UFAILS"), entry("UFAILS")];
    const b = entry("UWORKS");
    for (const e of [a1, a2, b]) await stores.outbox.enqueue(e, clock.now());
    const failing = new Set(["UFAILS"]);
    const calls: string[] = [];
    const slack: Notifier = {
      platform: "slack",
      send: async (to) => {
        const user = to.kind === "person" ? to.userId : "";
        calls.push(user);
        return failing.has(user)
          ? { ok: false, permanent: false, reason: "503 Service Unavailable" }
          : { ok: true, messageId: `m-${user}` };
      },
      redraw: async () => ({ ok: true, messageId: null }),
    };
    const result = await sendDueMessages(stores.outbox, { slack }, clock, { ...exact, concurrency: 8 });
    expect(calls.filter((u) => u === "UFAILS")).toHaveLength(1);
    expect(await only(b)).toMatchObject({ status: "sent" });
    expect(await only(a1)).toMatchObject({ status: "pending", attempts: 1 });
    // Given back untried, due with the failed one: its attempt is not counted.
    expect(await only(a2)).toMatchObject({ status: "pending", attempts: 0 });
    expect((await only(a2)).nextAttemptAt).toEqual((await only(a1)).nextAttemptAt);
    expect(result.targets.filter((t) => t.target.endsWith(":UFAILS")).map((t) => t.outcome)).toEqual([
      "retry",
    ]);
    await drain();
  });

  it("claims rows never tried before rows that keep failing: the digest does not wait behind them", async () => {
    const failing = Array.from({ length: 5 }, (_, i) => entry(`UDOWN${i}`));
    for (const e of failing) await stores.outbox.enqueue(e, clock.now());
    const down = { ok: false as const, permanent: false, reason: "502 Bad Gateway" };
    await sendDueMessages(
      stores.outbox,
      {
        slack: new RecordingNotifier(
          "slack",
          failing.map(() => down),
        ),
      },
      clock,
      exact,
    );
    clock.advance(3600 * SEC);
    const digest = { ...entry(), job: "weekly-digest", message: noticeDocument("Digest", "the week") };
    await stores.outbox.enqueue(digest, clock.now());
    const [first] = await stores.outbox.claimDue(1, clock.now(), 60 * SEC, ["slack"]);
    expect(first?.period).toBe(digest.period);
    await stores.outbox.release(first!, clock.now());
    await drain();
  });

  it("gives each attempt a time limit: a send that never answers is retried later", async () => {
    const e = entry();
    await stores.outbox.enqueue(e, clock.now());
    const hanging: Notifier = {
      platform: "slack",
      send: () => new Promise(() => {}),
      redraw: () => new Promise(() => {}),
    };
    const result = await sendDueMessages(stores.outbox, { slack: hanging }, clock, {
      ...exact,
      attemptTimeoutMs: 200,
    });
    expect(result.targets.find((t) => t.period === e.period)).toMatchObject({
      outcome: "retry",
      detail: expect.stringMatching(/^no answer within 200 ms/),
    });
    expect(await only(e)).toMatchObject({ status: "pending", attempts: 1 });
    await drain();
  });

  it("delivers each row once with two senders at the same time (SKIP LOCKED)", async () => {
    const entries = Array.from({ length: 30 }, () => entry());
    for (const e of entries) await stores.outbox.enqueue(e, clock.now());
    const a = new RecordingNotifier("slack", [], 3);
    const b = new RecordingNotifier("slack", [], 3);
    const options = { ...exact, batchSize: 4 };
    await Promise.all([
      sendDueMessages(stores.outbox, { slack: a }, clock, options),
      sendDueMessages(stores.outbox, { slack: b }, clock, options),
    ]);
    const delivered = [...a.sent, ...b.sent].map((s) => s.message.text);
    expect(new Set(delivered).size).toBe(delivered.length);
    expect(delivered.sort()).toEqual(entries.map((e) => e.message!.text).sort());
    if (backend === "postgres") expect(a.sent.length * b.sent.length).toBeGreaterThan(0);
  });

  it("delivers a row left sending by a crashed sender once its lease lapses, exactly once", async () => {
    const e = entry();
    await stores.outbox.enqueue(e, clock.now());
    const [claim] = await stores.outbox.claimDue(10, clock.now(), 60 * SEC, ["slack"]);
    expect(claim).toMatchObject({ period: e.period, status: "sending", attempts: 1 });
    // The claiming process dies here, before sending.
    const slack = new RecordingNotifier("slack");
    clock.advance(59 * SEC);
    await sendDueMessages(stores.outbox, { slack }, clock, exact);
    expect(slack.sent).toHaveLength(0);
    clock.advance(1 * SEC);
    await sendDueMessages(stores.outbox, { slack }, clock, exact);
    await sendDueMessages(stores.outbox, { slack }, clock, exact);
    expect(slack.sent.map((s) => s.message.text)).toEqual([e.message!.text]);
    // A sender that comes back with the stale claim cannot overwrite what the new one recorded.
    expect(await stores.outbox.markRetry(claim!, "late", clock.now())).toBe(false);
    expect(await only(e)).toMatchObject({ status: "sent", attempts: 2 });
  });

  it("draws a batch's messages in one call and records what was sent in one, each row with its own id", async () => {
    const entries = ["UA", "UB", "UC"].map((u) => ({ ...entry(u), job: "batched" }));
    for (const e of entries) await stores.outbox.enqueue(e, clock.now());
    const drawnFor: string[][] = [];
    const recorded: Array<Array<[string, string | null]>> = [];
    const deliveries: SenderOptions["deliveries"] = {
      batched: {
        render: async (items) => {
          drawnFor.push(items.map((i) => i.period));
          return new Map(items.map((i) => [i.id, noticeDocument("Drawn", `drawn ${i.period}`)]));
        },
        delivered: async (sent) => void recorded.push(sent.map((s) => [s.item.period, s.messageId])),
      },
    };
    const slack = new RecordingNotifier("slack");
    const result = await sendDueMessages(stores.outbox, { slack }, clock, { ...exact, deliveries });
    expect(result.targets.map((t) => t.outcome)).toEqual(["sent", "sent", "sent"]);
    expect(drawnFor).toEqual([entries.map((e) => e.period)]);
    expect(slack.sent.map((s) => s.message.text)).toEqual(entries.map((e) => `drawn ${e.period}`));
    expect(recorded).toEqual([entries.map((e, i) => [e.period, `m${i + 1}`])]);
    for (const [i, e] of entries.entries()) {
      expect(await only(e)).toMatchObject({ status: "sent", messageId: `m${i + 1}`, sentAt: clock.now() });
    }
  });

  it("records a slow batch's posts as they go, so a card's place is known soon after it is posted", async () => {
    const entries = ["UF", "UG", "UH"].map((u) => ({ ...entry(u), job: "batched" }));
    for (const e of entries) await stores.outbox.enqueue(e, clock.now());
    const recorded: string[][] = [];
    const deliveries: SenderOptions["deliveries"] = {
      batched: { delivered: async (sent) => void recorded.push(sent.map((s) => s.item.period)) },
    };
    class SlowNotifier extends RecordingNotifier {
      override send(...args: Parameters<Notifier["send"]>) {
        clock.advance(250);
        return super.send(...args);
      }
    }
    await sendDueMessages(stores.outbox, { slack: new SlowNotifier("slack") }, clock, {
      ...exact,
      deliveries,
    });
    // 250 ms a post: the first waits while the second is posted, and both are recorded then.
    const [f, g, h] = entries.map((e) => e.period);
    expect(recorded).toEqual([[f, g], [h]]);
  });

  it("leaves a batch leased when what follows its posts cannot be recorded: found, not posted again", async () => {
    const entries = ["UD", "UE"].map((u) => ({ ...entry(u), job: "batched" }));
    for (const e of entries) await stores.outbox.enqueue(e, clock.now());
    let failures = 1;
    const deliveries: SenderOptions["deliveries"] = {
      batched: {
        delivered: async () => {
          if (failures-- > 0) throw new Error("Connection terminated unexpectedly");
        },
      },
    };
    const slack = new RecordingNotifier("slack");
    const lease = 60 * SEC;
    const first = await sendDueMessages(stores.outbox, { slack }, clock, {
      ...exact,
      deliveries,
      leaseMs: lease,
    });
    expect(first.targets.map((t) => t.outcome)).toEqual(["error", "error"]);
    expect(first.targets[0]!.detail).toMatch(/^sent, but not recorded .*Connection terminated/);
    for (const e of entries) expect(await only(e)).toMatchObject({ status: "sending", attempts: 1 });
    clock.advance(lease);
    const second = await sendDueMessages(stores.outbox, { slack }, clock, { ...exact, deliveries });
    expect(second.targets.map((t) => t.detail)).toEqual([
      "an earlier attempt had delivered it; not sent again",
      "an earlier attempt had delivered it; not sent again",
    ]);
    expect(slack.sent).toHaveLength(2);
    for (const [i, e] of entries.entries()) {
      expect(await only(e)).toMatchObject({ status: "sent", messageId: `m${i + 1}` });
    }
  });

  it("records many deliveries at once, each only where its claim still holds", async () => {
    const entries = [entry(), entry(), entry()];
    for (const e of entries) await stores.outbox.enqueue(e, clock.now());
    const claims = await stores.outbox.claimDue(10, clock.now(), 60 * SEC, ["slack"]);
    expect(claims).toHaveLength(3);
    const [a, b, c] = claims.sort((x, y) => Number(x.id) - Number(y.id));
    const later = new Date(clock.now().getTime() + 5 * SEC);
    const marked = await stores.outbox.markAllSent([
      { claim: a!, messageId: "ma", sentAt: clock.now() },
      // A claim taken over since (another attempt counted): not recorded.
      { claim: { ...b!, attempts: b!.attempts - 1 }, messageId: "mb", sentAt: clock.now() },
      { claim: c!, messageId: null, sentAt: later },
    ]);
    expect(marked).toBe(2);
    expect(await only(entries[0]!)).toMatchObject({ status: "sent", messageId: "ma", sentAt: clock.now() });
    expect(await only(entries[1]!)).toMatchObject({ status: "sending", messageId: null });
    expect(await only(entries[2]!)).toMatchObject({ status: "sent", messageId: null, sentAt: later });
    await drain();
  });

  it("reports rows by status and the age of the oldest undelivered one", async () => {
    const before = await stores.outbox.countByStatus();
    const e = entry();
    await stores.outbox.enqueue(e, clock.now());
    await stores.outbox.enqueue({ ...entry(), notBefore: new Date("2026-11-17T09:00:00Z") }, clock.now());
    expect((await stores.outbox.countByStatus()).pending).toBe(before.pending + 2);
    clock.advance(90 * SEC);
    // Every row of this suite was queued at 10:00; the deferred one does not count until tried.
    expect(await stores.outbox.oldestPendingAge(clock.now())).toBe(90 * SEC);
    await sendDueMessages(stores.outbox, { slack: new RecordingNotifier("slack") }, clock, exact);
    const after = await stores.outbox.countByStatus();
    expect(after.pending).toBe(before.pending + 1);
    expect(after.sent).toBe(before.sent + 1);
  });

  it("reads rows queued before card documents as the documents they stood for", async () => {
    const { digest } = presenterFixtures({
      providerWorkspace: "T1",
      reporter: "U1",
      message: { platform: "slack", workspaceId: "T1", channelId: "C1", messageId: "1.1" },
      sourceUrl: "https://example.slack.com/archives/C1/p11",
    });
    const facts = [{ label: "Issue", value: "CLIENT-7" }];
    // The earlier shape: a title, a text and facts, or a digest beside them. Never due in this suite.
    const later = new Date("2027-01-01T00:00:00Z");
    const nudge = {
      ...entry(),
      notBefore: later,
      message: { title: "Old nudge", text: "CLIENT-7 waited", facts },
    };
    const week = {
      ...entry(),
      notBefore: later,
      message: { title: "Digest", text: "Health", digest: digest() },
    };
    for (const e of [nudge, week]) await stores.outbox.enqueue(e as unknown as OutboxEntry, clock.now());
    const rows = await stores.outbox.list({ partnershipId });
    const read = (period: string) => rows.find((r) => r.period === period)?.message;
    expect(read(nudge.period)).toEqual(noticeDocument("Old nudge", "CLIENT-7 waited", facts));
    expect(read(week.period)).toEqual(digestDocument(digest()));
  });
});
