import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Core } from "../../src/services/core.ts";
import type { Partnership } from "../../src/domain/partnership.ts";
import type { PlatformUser } from "../../src/domain/vocabulary.ts";
import { reportIssue } from "../../src/services/report-issue.ts";
import { respond } from "../../src/services/respond.ts";
import { waitOnClient } from "../../src/services/wait-on-client.ts";
import { clientReplied } from "../../src/services/client-replied.ts";
import { resolveIssue } from "../../src/services/resolve.ts";
import { reopenIssue } from "../../src/services/reopen.ts";
import { changePriority } from "../../src/services/change-priority.ts";
import { logDirectRequest } from "../../src/services/log-direct-request.ts";
import { recommend } from "../../src/services/recommend.ts";
import { decideRecommendation } from "../../src/services/decide-recommendation.ts";
import { logCall } from "../../src/services/log-call.ts";
import { announceChange } from "../../src/services/announce-change.ts";
import { endDowntime, startDowntime } from "../../src/services/downtime.ts";
import {
  addMember,
  createPartnership,
  linkChannel,
  configurePartnership,
} from "../../src/services/setup-partnership.ts";
import { PROVIDER_TEAM, lead, owner, staff, tech } from "./support/people.ts";
import { weeklyDigest } from "../../src/services/weekly-digest.ts";
import { backend, openTestCore, type ManualClock } from "./support/test-store.ts";

describe(`services on ${backend}`, () => {
  let core: Core;
  let clock: ManualClock;
  let dispose: () => Promise<void>;
  let p: Partnership;
  let n = 0;
  const src = () => ({ platform: "slack" as const, id: `src-${++n}` });

  beforeAll(async () => {
    const t = await openTestCore("2026-11-16T10:15:00Z");
    ({ core, clock } = t);
    dispose = t.store.dispose;
    p = await createPartnership(core, {
      name: "Fixit ↔ Acme",
      providerOrg: "Fixit IT",
      clientOrg: "Acme Dental",
      providerWorkspaceIds: [PROVIDER_TEAM],
    });
    await addMember(core, { partnershipId: p.id, ...lead, side: "provider", role: "lead" });
    await addMember(core, { partnershipId: p.id, ...owner, side: "client", role: "lead" });
  });
  afterAll(() => dispose());

  it("reports an issue from free text: priority, start time and title understood", async () => {
    const { issue, created } = await reportIssue(core, {
      partnershipId: p.id,
      by: staff,
      source: src(),
      via: "command",
      text: "printer on floor 2 is jammed p2 since 9am",
    });
    expect(created).toBe(true);
    expect(issue).toMatchObject({
      key: "ACME-1",
      priority: "P2",
      status: "open",
      via: "command",
      reporter: { side: "client", userId: "U0STAFF" },
    });
    expect(issue.title.toLowerCase()).toContain("printer on floor 2 is jammed");
    expect(issue.startedAt?.toISOString()).toBe("2026-11-16T09:00:00.000Z");
  });

  it("records the same command delivered twice once", async () => {
    const source = src();
    const a = await reportIssue(core, {
      partnershipId: p.id,
      by: staff,
      source,
      via: "command",
      text: "VPN drops",
    });
    const b = await reportIssue(core, {
      partnershipId: p.id,
      by: staff,
      source,
      via: "command",
      text: "VPN drops",
    });
    expect(b).toEqual({ issue: a.issue, partnership: a.partnership, created: false });
  });

  it("refuses empty text with a sentence saying what to type", async () => {
    await expect(
      reportIssue(core, { partnershipId: p.id, by: staff, source: src(), via: "command", text: "   " }),
    ).rejects.toMatchObject({
      code: "invalid_input",
      message: expect.stringMatching(/describe the problem/i),
    });
  });

  it("stores a form's title and detail as plain text: no NUL (PostgreSQL refuses it), no live mention", async () => {
    const { issue } = await reportIssue(core, {
      partnershipId: p.id,
      by: staff,
      source: src(),
      via: "form",
      fields: {
        title: "<!channel> scanner\u0000 down",
        detail: "<at>Lee</at> see <@U0LEAD>",
        priority: "P3",
      },
    });
    expect(issue.title).toBe("@channel scanner down");
    expect(issue.detail).toBe("@Lee see @U0LEAD");
  });

  it("walks an issue through response, waiting on the client, reply, resolution and reopening", async () => {
    const { issue } = await reportIssue(core, {
      partnershipId: p.id,
      by: staff,
      source: src(),
      via: "form",
      fields: { title: "Outlook keeps asking for password", priority: "P3" },
    });
    clock.advance(20 * 60_000);
    const r = await respond(core, {
      partnershipId: p.id,
      by: tech,
      source: src(),
      issue: issue.key,
      via: "reply",
    });
    expect(r.issue.firstResponseAt?.toISOString()).toBe("2026-11-16T10:35:00.000Z");
    clock.advance(60_000);
    const again = await respond(core, {
      partnershipId: p.id,
      by: tech,
      source: src(),
      issue: issue.key,
      via: "reply",
    });
    expect(again.created).toBe(false);
    expect(again.issue.firstResponseAt).toEqual(r.issue.firstResponseAt);
    const w = await waitOnClient(core, {
      partnershipId: p.id,
      by: tech,
      source: src(),
      issue: issue.id,
      question: "Which laptop?",
    });
    expect(w.issue).toMatchObject({ status: "waiting_on_client" });
    clock.advance(30 * 60_000);
    const c = await clientReplied(core, { partnershipId: p.id, by: staff, source: src(), issue: issue.key });
    expect(c.issue).toMatchObject({ status: "open", waitingSince: null });
    const res = await resolveIssue(core, { partnershipId: p.id, by: tech, source: src(), issue: issue.key });
    expect(res.issue.status).toBe("resolved");
    const re = await reopenIssue(core, {
      partnershipId: p.id,
      by: staff,
      source: src(),
      issue: issue.key,
      reason: "still asking",
    });
    expect(re.issue).toMatchObject({ status: "open", resolvedAt: null });
    const pr = await changePriority(core, {
      partnershipId: p.id,
      by: staff,
      source: src(),
      issue: issue.key,
      priority: "P2",
    });
    expect(pr.issue.priority).toBe("P2");
    const types = (await core.ledger.eventsAbout(p.id, issue.id)).map((e) => e.type);
    expect(types).toEqual([
      "issue.reported",
      "issue.responded",
      "issue.waiting_on_client",
      "issue.client_replied",
      "issue.resolved",
      "issue.reopened",
      "issue.priority_changed",
    ]);
  });

  it("records one resolution when Resolve is clicked at once in several places", async () => {
    const { issue } = await reportIssue(core, {
      partnershipId: p.id,
      by: staff,
      source: src(),
      via: "command",
      text: "fax line dead",
    });
    const clicks = await Promise.all(
      Array.from({ length: 5 }, () =>
        resolveIssue(core, { partnershipId: p.id, by: tech, source: src(), issue: issue.key }),
      ),
    );
    expect(clicks.filter((c) => c.created)).toHaveLength(1);
    expect(clicks.every((c) => c.issue.status === "resolved")).toBe(true);
    const acks = await Promise.all(
      Array.from({ length: 4 }, () =>
        reopenIssue(core, { partnershipId: p.id, by: staff, source: src(), issue: issue.key }),
      ),
    );
    expect(acks.filter((c) => c.created)).toHaveLength(1);
    const types = (await core.ledger.eventsAbout(p.id, issue.id)).map((e) => e.type);
    expect(types).toEqual(["issue.reported", "issue.resolved", "issue.reopened"]);
  });

  it("refuses a time well before the issue's last change, and moves a slightly early one up to it", async () => {
    const { issue } = await reportIssue(core, {
      partnershipId: p.id,
      by: staff,
      source: src(),
      via: "command",
      text: "label printer offline",
    });
    const hourBefore = new Date(issue.reportedAt.getTime() - 3_600_000);
    await expect(
      resolveIssue(core, {
        partnershipId: p.id,
        by: tech,
        source: src(),
        issue: issue.key,
        occurredAt: hourBefore,
      }),
    ).rejects.toMatchObject({
      code: "invalid_input",
      message: expect.stringMatching(/before the last change/),
    });
    const skewed = new Date(issue.reportedAt.getTime() - 2_000);
    const r = await respond(core, {
      partnershipId: p.id,
      by: tech,
      source: src(),
      issue: issue.key,
      via: "reply",
      occurredAt: skewed,
    });
    expect(r.issue.firstResponseAt).toEqual(issue.reportedAt);
  });

  it("keeps role rules in the core: the client cannot respond or resolve, the provider cannot decide", async () => {
    const { issue } = await reportIssue(core, {
      partnershipId: p.id,
      by: staff,
      source: src(),
      via: "command",
      text: "scanner offline",
    });
    await expect(
      respond(core, { partnershipId: p.id, by: staff, source: src(), issue: issue.key, via: "button" }),
    ).rejects.toMatchObject({
      code: "forbidden",
      message: expect.stringContaining("Fixit IT"),
    });
    await expect(
      resolveIssue(core, { partnershipId: p.id, by: owner, source: src(), issue: issue.key }),
    ).rejects.toMatchObject({ code: "forbidden" });
    await expect(
      recommend(core, { partnershipId: p.id, by: staff, source: src(), title: "Buy a new scanner" }),
    ).rejects.toMatchObject({ code: "forbidden" });
    const { recommendation } = await recommend(core, {
      partnershipId: p.id,
      by: tech,
      source: src(),
      title: "Enable MFA for all mailboxes",
      risk: "high",
    });
    await expect(
      decideRecommendation(core, {
        partnershipId: p.id,
        by: tech,
        source: src(),
        recommendationId: recommendation.id,
        decision: "accepted",
      }),
    ).rejects.toMatchObject({ code: "forbidden" });
    const events = await core.ledger.eventsAbout(p.id, issue.id);
    expect(events.map((e) => e.type)).toEqual(["issue.reported"]);
  });

  it("refuses the digest of a week that has not started, and marks the running week as so far", async () => {
    await expect(weeklyDigest(core, p.id, new Date("2030-01-02T12:00:00Z"))).rejects.toMatchObject({
      code: "invalid_input",
      message: expect.stringMatching(/has not started yet/),
    });
    const running = await weeklyDigest(core, p.id, clock.now());
    expect(running.digest.title).toMatch(/\(so far\)$/);
    expect((await weeklyDigest(core, p.id)).digest.title).not.toMatch(/so far/);
  });

  it("names an unknown issue in its error", async () => {
    await expect(
      resolveIssue(core, { partnershipId: p.id, by: tech, source: src(), issue: "ACME-999" }),
    ).rejects.toMatchObject({
      code: "not_found",
      message: expect.stringContaining("ACME-999"),
    });
  });

  it("logs a direct request as request.direct plus an issue that bypassed the channel", async () => {
    const source = src();
    const out = await logDirectRequest(core, {
      partnershipId: p.id,
      by: tech,
      source,
      requester: staff,
      text: "can you reset my password",
    });
    expect(out.issue).toMatchObject({ via: "direct", reporter: { userId: "U0STAFF", side: "client" } });
    const again = await logDirectRequest(core, {
      partnershipId: p.id,
      by: tech,
      source,
      requester: staff,
      text: "can you reset my password",
    });
    expect(again.created).toBe(false);
    expect(again.issue.id).toBe(out.issue.id);
    const direct = (await core.ledger.events(p.id)).filter((e) => e.type === "request.direct");
    expect(direct).toHaveLength(1);
    expect(direct[0]!.payload).toMatchObject({
      issueId: out.issue.id,
      technician: { userId: "U0TECH" },
      via: "logged",
    });
    await expect(
      logDirectRequest(core, { partnershipId: p.id, by: staff, source: src(), requester: staff, text: "x" }),
    ).rejects.toMatchObject({ code: "forbidden" });
    await expect(
      logDirectRequest(core, { partnershipId: p.id, by: tech, source: src(), requester: lead, text: "x" }),
    ).rejects.toMatchObject({ code: "invalid_input" });
  });

  it("records recommendations and the client's decisions once", async () => {
    const { recommendation } = await recommend(core, {
      partnershipId: p.id,
      by: tech,
      source: src(),
      title: "Replace the 2014 firewall",
      why: "Out of support",
      decideBy: "2026-12-01",
    });
    expect(recommendation).toMatchObject({ status: "pending", decideBy: "2026-12-01", risk: "medium" });
    const d = await decideRecommendation(core, {
      partnershipId: p.id,
      by: owner,
      source: src(),
      recommendationId: recommendation.id,
      decision: "risk_accepted",
      note: "budget next year",
    });
    expect(d.recommendation).toMatchObject({ status: "risk_accepted", decisionNote: "budget next year" });
    const twice = await decideRecommendation(core, {
      partnershipId: p.id,
      by: owner,
      source: src(),
      recommendationId: recommendation.id,
      decision: "accepted",
    });
    expect(twice).toMatchObject({ created: false, recommendation: { status: "risk_accepted" } });
    await expect(
      recommend(core, { partnershipId: p.id, by: tech, source: src(), title: "x", decideBy: "2020-01-01" }),
    ).rejects.toMatchObject({ code: "invalid_input" });
  });

  it("records calls, heads-ups and downtime", async () => {
    const missed = await logCall(core, {
      partnershipId: p.id,
      by: lead,
      source: src(),
      scheduledAt: new Date("2026-11-16T09:30:00Z"),
      title: "Monthly review",
      missedBy: "client",
    });
    expect(missed.call).toMatchObject({ status: "missed", missedBy: "client", title: "Monthly review" });
    const held = await logCall(core, {
      partnershipId: p.id,
      by: owner,
      source: src(),
      scheduledAt: new Date("2026-11-16T10:00:00Z"),
      missedBy: null,
    });
    expect(held.call.status).toBe("held");
    const inAWeek = new Date(clock.now().getTime() + 7 * 86_400_000);
    const change = await announceChange(core, {
      partnershipId: p.id,
      by: owner,
      source: src(),
      title: "New copier",
      effectiveAt: inAWeek,
    });
    expect(change.leadDays).toBeCloseTo(7, 5);
    await expect(
      announceChange(core, {
        partnershipId: p.id,
        by: tech,
        source: src(),
        title: "x",
        effectiveAt: new Date("2026-11-23T10:15:00Z"),
      }),
    ).rejects.toMatchObject({ code: "forbidden" });
    const started = await startDowntime(core, {
      partnershipId: p.id,
      by: tech,
      source: src(),
      service: "Email",
      issue: "ACME-1",
    });
    expect(started.downtime).toMatchObject({ service: "Email", endedAt: null });
    clock.advance(90 * 60_000);
    const ended = await endDowntime(core, {
      partnershipId: p.id,
      by: tech,
      source: src(),
      downtimeId: started.downtime.id,
    });
    expect(ended.downtime.endedAt!.getTime() - ended.downtime.startedAt.getTime()).toBe(90 * 60_000);
  });

  it("decides sides: membership first, then the provider's workspace, else client", async () => {
    const stranger: PlatformUser = { platform: "slack", workspaceId: PROVIDER_TEAM, userId: "U0NEWTECH" };
    const { issue } = await reportIssue(core, {
      partnershipId: p.id,
      by: staff,
      source: src(),
      via: "command",
      text: "monitor flickers",
    });
    const r = await respond(core, {
      partnershipId: p.id,
      by: stranger,
      source: src(),
      issue: issue.key,
      via: "reply",
    });
    expect(r.created).toBe(true);
    // An explicit client membership overrides the provider workspace rule.
    await addMember(core, { partnershipId: p.id, ...stranger, side: "client", role: "staff" });
    await expect(
      resolveIssue(core, { partnershipId: p.id, by: stranger, source: src(), issue: issue.key }),
    ).rejects.toMatchObject({ code: "forbidden" });
  });

  it("sets up at the command line as the operator says (chat set-up rules: set-up.test.ts)", async () => {
    const changed = await configurePartnership(core, p.id, {
      autoIntake: true,
      timezone: "America/New_York",
    });
    expect(changed).toMatchObject({ autoIntake: true, timezone: "America/New_York" });
    await expect(configurePartnership(core, p.id, { timezone: "Mars/Olympus" })).rejects.toMatchObject({
      code: "invalid_input",
      message: "The setting timezone must be an IANA timezone such as Europe/London.",
    });
    const added = await addMember(core, { partnershipId: p.id, ...staff, side: "client", role: "staff" });
    expect(added).toMatchObject({ side: "client", role: "staff" });
    const link = await linkChannel(core, {
      partnershipId: p.id,
      platform: "slack",
      workspaceId: PROVIDER_TEAM,
      channelId: "C0SUPPORT",
      purposes: ["support", "digest"],
    });
    expect(link.purposes).toEqual(["support", "digest"]);
    const other = await createPartnership(core, {
      name: "Other",
      providerOrg: "Fixit IT",
      clientOrg: "Bolt Legal",
    });
    await expect(
      linkChannel(core, {
        partnershipId: other.id,
        platform: "slack",
        workspaceId: PROVIDER_TEAM,
        channelId: "C0SUPPORT",
        purposes: ["support"],
      }),
    ).rejects.toMatchObject({ code: "conflict" });
    await expect(
      createPartnership(core, { name: "Other", providerOrg: "A", clientOrg: "B" }),
    ).rejects.toMatchObject({ code: "conflict" });
  });
});
