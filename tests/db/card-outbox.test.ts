import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Partnership } from "../../src/domain/partnership.ts";
import type { Place, PlatformUser } from "../../src/domain/vocabulary.ts";
import { runDueJobs } from "../../src/jobs/run-due-jobs.ts";
import type { Core } from "../../src/services/core.ts";
import { Rapport } from "../../src/services/rapport.ts";
import { addMember, createPartnership, linkChannel } from "../../src/services/setup-partnership.ts";
import type { Store } from "../../src/store/database.ts";
import { createJobStores } from "../../src/store/job-stores.ts";
import { RecordingNotifier } from "./support/recording-notifier.ts";
import { waitUntil } from "./support/wait.ts";
import { backend, openTestCore } from "./support/test-store.ts";

// A card is a row in the outbox before anyone hears back: sent at once by the pump, or by the next
// pass of the jobs when the process that queued it stopped first, and drawn as its issue stands
// when it is sent.

const channel: Place & { channelId: string } = {
  platform: "slack",
  workspaceId: "T0ACME",
  channelId: "C0HELP",
};
const staff: PlatformUser = { platform: "slack", workspaceId: "T0ACME", userId: "U0STAFF" };
const tech: PlatformUser = { platform: "slack", workspaceId: "T0FIX", userId: "U0TECH" };

describe(`cards through the outbox on ${backend}`, () => {
  let core: Core;
  let dispose: () => Promise<void>;
  let stores: ReturnType<typeof createJobStores>;
  let db: Store["db"];
  let p: Partnership;

  beforeAll(async () => {
    const t = await openTestCore("2026-11-16T10:00:00Z");
    core = t.core;
    dispose = t.store.dispose;
    stores = createJobStores(t.store);
    db = t.store.db;
    p = await createPartnership(core, {
      name: "Acme",
      providerOrg: "Fixit IT",
      clientOrg: "Acme Dental",
      providerWorkspaceIds: ["T0FIX"],
    });
    await linkChannel(core, { partnershipId: p.id, ...channel, purposes: ["support"] });
    await addMember(core, { partnershipId: p.id, ...tech, side: "provider", role: "lead" });
  });
  afterAll(() => dispose());

  const report = (rapport: Rapport, text: string) =>
    rapport.report({
      place: channel,
      by: staff,
      source: { platform: "slack", id: randomUUID() },
      via: "command",
      text,
    });

  it("posts a queued card at once, remembers where, and redraws it in place after a change", async () => {
    const slack = new RecordingNotifier("slack");
    const rapport = new Rapport(core);
    rapport.connect(slack);
    try {
      const { issue, partnership } = await report(rapport, "VPN drops p2");
      await rapport.postCard(partnership, { kind: "issue", issue }, { place: channel });
      await waitUntil(
        async () => (await core.messages.ofSubject(p.id, issue.id)).length === 1,
        30_000,
        "the card to be posted and remembered",
      );
      expect(slack.sent).toHaveLength(1);
      expect(slack.sent[0]!.to).toMatchObject({ kind: "channel", channelId: channel.channelId });
      expect(JSON.stringify(slack.sent[0]!.message)).toContain(issue.key);

      const changed = await rapport.changeIssue({
        place: channel,
        by: tech,
        source: { platform: "slack", id: randomUUID() },
        issue: issue.id,
        change: { kind: "resolve" },
      });
      expect(await rapport.redrawCards(changed.partnership, { kind: "issue", issue: changed.issue })).toBe(1);
      await waitUntil(() => slack.redrawn.length === 1, 30_000, "the card to be redrawn");
      expect(slack.redrawn[0]!.at.messageId).toBe("m1");
      expect(JSON.stringify(slack.redrawn[0]!.message)).toMatch(/Resolved/);
    } finally {
      await rapport.stop();
    }
  });

  it("a card queued by a process that stopped before sending is posted once by the next pass of the jobs, as its issue stands then", async () => {
    const stopped = new Rapport(core);
    const { issue, partnership } = await report(stopped, "Scanner offline");
    // No notifier connected: this process queues the card and stops before sending it.
    await stopped.postCard(partnership, { kind: "issue", issue }, { place: channel });
    await stopped.postCard(partnership, { kind: "issue", issue }, { place: channel });
    await stopped.stop();
    await new Rapport(core).changeIssue({
      place: channel,
      by: tech,
      source: { platform: "slack", id: randomUUID() },
      issue: issue.id,
      change: { kind: "acknowledge" },
    });

    const slack = new RecordingNotifier("slack", [{ ok: true, messageId: "m-late" }]);
    await runDueJobs(core, stores, { slack });
    await runDueJobs(core, stores, { slack });
    const cards = slack.sent.filter((s) => JSON.stringify(s.message).includes(issue.key));
    expect(cards).toHaveLength(1);
    expect(JSON.stringify(cards[0]!.message)).toContain("First response");
    const links = await core.messages.ofSubject(p.id, issue.id);
    expect(links).toMatchObject([{ kind: "card", channelId: channel.channelId, messageId: "m-late" }]);
  });
  it("posts the card written with its issue at once, drawn with the key that write gave it", async () => {
    const slack = new RecordingNotifier("slack", [{ ok: true, messageId: "m-with-issue" }]);
    const rapport = new Rapport(core);
    rapport.connect(slack);
    try {
      const { issue } = await rapport.report({
        place: channel,
        by: staff,
        source: { platform: "slack", id: randomUUID() },
        via: "command",
        text: "Phones down p1",
        card: { place: channel, threadId: "1700000000.000100" },
      });
      await waitUntil(
        async () => (await core.messages.ofSubject(p.id, issue.id)).length === 1,
        30_000,
        "the card written with its issue to be posted and remembered",
      );
      const posted = slack.sent.filter((s) => JSON.stringify(s.message).includes(issue.key));
      expect(posted).toHaveLength(1);
      expect(posted[0]!.to).toMatchObject({ channelId: channel.channelId, threadId: "1700000000.000100" });
      expect(JSON.stringify(posted[0]!.message)).toContain("Phones down");
    } finally {
      await rapport.stop();
    }
  });

  it("gives up at once on a card row that stores no card and whose issue is gone", async () => {
    const stopped = new Rapport(core);
    const { issue } = await stopped.report({
      place: channel,
      by: staff,
      source: { platform: "slack", id: randomUUID() },
      via: "command",
      text: "Printer offline",
      card: { place: channel },
    });
    await stopped.stop();
    // Written by other means than rapport: the issue's row is gone, its event and card row are not.
    await db.deleteFrom("issues").where("id", "=", issue.id).execute();
    const slack = new RecordingNotifier("slack");
    const result = await runDueJobs(core, stores, { slack });
    expect(slack.sent.filter((s) => JSON.stringify(s.message).includes(issue.key))).toHaveLength(0);
    const row = await db
      .selectFrom("outbox")
      .selectAll()
      .where("period", "=", `issue:${issue.id}`)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: "failed", message: null });
    expect(row.last_error).toMatch(/nothing to send/);
    expect(JSON.stringify(result)).toMatch(/nothing to send/);
  });
  it("draws the cards of several partnerships sent together, each from its own partnership's issue only", async () => {
    const other = await createPartnership(core, {
      name: "Globex",
      providerOrg: "Fixit IT",
      clientOrg: "Globex Ltd",
      providerWorkspaceIds: ["T0FIX"],
    });
    const otherChannel = { ...channel, channelId: "C0GLOBEX" };
    await linkChannel(core, { partnershipId: other.id, ...otherChannel, purposes: ["support"] });
    const stopped = new Rapport(core);
    const reportIn = (place: typeof channel, text: string) =>
      stopped.report({
        place,
        by: staff,
        source: { platform: "slack", id: randomUUID() },
        via: "command",
        text,
        card: { place },
      });
    const acme = await reportIn(channel, "Wifi slow in reception");
    const globex = await reportIn(otherChannel, "Wifi slow in the warehouse");
    await stopped.stop();
    // A card row of Globex's naming Acme's issue (written by other means than rapport): drawn from
    // nothing, never from the other partnership's issue.
    await db
      .insertInto("outbox")
      .values({
        job: "card",
        period: `issue:${acme.issue.id}`,
        partnership_id: other.id,
        platform: "slack",
        target: "slack:channel:T0ACME:C0GLOBEX",
        destination: JSON.stringify({ kind: "channel", ...otherChannel }),
        message: null,
        next_attempt_at: new Date("2026-11-16T10:00:00Z"),
        created_at: new Date("2026-11-16T10:00:00Z"),
      })
      .execute();

    const slack = new RecordingNotifier("slack");
    await runDueJobs(core, stores, { slack });
    const to = (key: string) => slack.sent.filter((s) => JSON.stringify(s.message).includes(key));
    expect(to(acme.issue.key).map((s) => s.to)).toMatchObject([{ channelId: channel.channelId }]);
    expect(to(globex.issue.key).map((s) => s.to)).toMatchObject([{ channelId: "C0GLOBEX" }]);
    const crossed = await db
      .selectFrom("outbox")
      .selectAll()
      .where("period", "=", `issue:${acme.issue.id}`)
      .where("partnership_id", "=", other.id)
      .executeTakeFirstOrThrow();
    expect(crossed).toMatchObject({ status: "failed" });
    expect(crossed.last_error).toMatch(/nothing to send/);
  });
});
