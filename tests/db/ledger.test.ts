import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import type { Core } from "../../src/services/core.ts";
import type { Partnership } from "../../src/domain/partnership.ts";
import type { NewEvent } from "../../src/domain/events.ts";
import { backend, openTestCore } from "./support/test-store.ts";

describe(`ledger on ${backend}`, () => {
  let core: Core;
  let dispose: () => Promise<void>;
  let p: Partnership;
  const at = new Date("2026-11-16T10:00:00Z");

  beforeAll(async () => {
    const t = await openTestCore();
    core = t.core;
    dispose = t.store.dispose;
    p = await core.partnerships.create({
      name: "Ledger test",
      providerOrg: "Fixit IT",
      clientOrg: "Acme Dental",
    });
  });
  afterAll(() => dispose());

  const report = (sourceId: string, title = "Printer jammed"): NewEvent => ({
    type: "issue.reported",
    partnershipId: p.id,
    actor: null,
    occurredAt: at,
    source: { platform: "slack", id: sourceId },
    payload: {
      issueId: randomUUID(),
      key: "",
      title,
      detail: null,
      priority: "P2",
      category: null,
      startedAt: null,
      via: "command",
      message: null,
    },
  });

  it("assigns sequential keys from the client's name and projects the issue", async () => {
    const a = await core.ledger.appendNew(report("ev-a"));
    const b = await core.ledger.appendNew(report("ev-b", "Email down"));
    expect(a.created && b.created).toBe(true);
    expect(a.event.payload).toMatchObject({ key: "ACME-1" });
    expect(b.event.payload).toMatchObject({ key: "ACME-2" });
    const issue = await core.records.issue(p.id, "acme-2");
    expect(issue).toMatchObject({
      title: "Email down",
      status: "open",
      priority: "P2",
      number: 2,
      reportedAt: at,
    });
  });

  it("records a redelivered source once and returns the first event", async () => {
    const first = await core.ledger.appendNew(report("ev-dup", "First"));
    const again = await core.ledger.appendNew(report("ev-dup", "Second"));
    expect(again.created).toBe(false);
    expect(again.event.id).toBe(first.event.id);
    expect(again.event.payload).toMatchObject({ title: "First" });
    const titles = (await core.records.issues(p.id)).map((i) => i.title);
    expect(titles.filter((t) => t === "First" || t === "Second")).toEqual(["First"]);
  });

  it("records one event when the same source arrives concurrently, without burning keys", async () => {
    const before = (await core.records.issues(p.id)).length;
    const results = await Promise.all(
      Array.from({ length: 6 }, () => core.ledger.appendNew(report("ev-race", "Race"))),
    );
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(new Set(results.map((r) => r.event.id)).size).toBe(1);
    const issues = await core.records.issues(p.id);
    expect(issues).toHaveLength(before + 1);
    const next = await core.ledger.appendNew(report("ev-after-race", "After"));
    expect(next.event.payload).toMatchObject({ key: `ACME-${before + 2}` });
  });

  it("numbers on without a gap however many deliveries of each report race each other", async () => {
    const before = (await core.records.issues(p.id)).length;
    for (let round = 0; round < 15; round += 1) {
      await Promise.all(
        Array.from({ length: 5 }, () => core.ledger.appendNew(report(`ev-round-${round}`, `Round ${round}`))),
      );
    }
    const keys = (await core.records.issues(p.id)).map((i) => i.key).slice(before);
    expect(keys).toEqual(Array.from({ length: 15 }, (_, i) => `ACME-${before + i + 1}`));
  });

  it("refuses an invalid payload and stores nothing", async () => {
    const count = (await core.ledger.events(p.id)).length;
    const bad = {
      ...report("ev-bad"),
      payload: { ...(report("x").payload as object), priority: "P9" },
    } as unknown as NewEvent;
    await expect(core.ledger.appendNew(bad)).rejects.toMatchObject({ code: "invalid_input" });
    expect(await core.ledger.events(p.id)).toHaveLength(count);
  });

  it("rolls the event back when its projection fails", async () => {
    const recommendationId = randomUUID();
    const made = (sourceId: string): NewEvent => ({
      type: "recommendation.made",
      partnershipId: p.id,
      actor: null,
      occurredAt: at,
      source: { platform: "cli", id: sourceId },
      payload: { recommendationId, title: "Enable MFA", why: null, risk: "high", decideBy: "2026-12-01" },
    });
    await core.ledger.appendNew(made("rec-1"));
    const count = (await core.ledger.events(p.id)).length;
    // Same recommendation id from another source: the projection's primary key refuses it.
    await expect(core.ledger.appendNew(made("rec-2"))).rejects.toThrow();
    expect(await core.ledger.events(p.id)).toHaveLength(count);
    expect(await core.records.recommendations(p.id)).toHaveLength(1);
  });

  it("keeps sources of different partnerships apart", async () => {
    const other = await core.partnerships.create({
      name: "Other",
      providerOrg: "Fixit IT",
      clientOrg: "Bolt Legal",
    });
    const mine = await core.ledger.appendNew(report("shared-id"));
    const theirs = await core.ledger.appendNew({ ...report("shared-id"), partnershipId: other.id });
    expect(mine.created && theirs.created).toBe(true);
    expect(theirs.event.payload).toMatchObject({ key: "BOLT-1" });
  });

  it("reads events back in recorded order with their actor and validated payloads", async () => {
    const events = await core.ledger.events(p.id);
    expect(events[0]).toMatchObject({
      type: "issue.reported",
      partnershipId: p.id,
      source: { platform: "slack", id: "ev-a" },
    });
    const before = await core.ledger.events(p.id, { occurredBefore: at });
    expect(before).toHaveLength(0);
  });
});
