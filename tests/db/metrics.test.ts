import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Core } from "../../src/services/core.ts";
import type { Digest } from "../../src/domain/digest.ts";
import type { Partnership, PartnershipSettings } from "../../src/domain/partnership.ts";
import type { PlatformUser } from "../../src/domain/vocabulary.ts";
import { reportIssue } from "../../src/services/report-issue.ts";
import { respond } from "../../src/services/respond.ts";
import { waitOnClient } from "../../src/services/wait-on-client.ts";
import { clientReplied } from "../../src/services/client-replied.ts";
import { resolveIssue } from "../../src/services/resolve.ts";
import { logDirectRequest } from "../../src/services/log-direct-request.ts";
import { recommend } from "../../src/services/recommend.ts";
import { decideRecommendation } from "../../src/services/decide-recommendation.ts";
import { logCall } from "../../src/services/log-call.ts";
import { announceChange } from "../../src/services/announce-change.ts";
import { endDowntime, startDowntime } from "../../src/services/downtime.ts";
import { addMember, configurePartnership, createPartnership } from "../../src/services/setup-partnership.ts";
import { weeklyDigest } from "../../src/services/weekly-digest.ts";
import { PROVIDER_TEAM, lead, owner, staff, tech } from "./support/people.ts";
import { backend, openTestCore, type ManualClock } from "./support/test-store.ts";

// Every expected figure below is computed by hand from the default settings
// (src/domain/partnership.ts DEFAULT_SETTINGS): working hours Mon–Fri 09:00–17:30 local;
// P1 24x7 15 min / 240 min; P2 business 60 / 480; P3 business 240 / 1440; P4 business 480 / 4800;
// nudge after 120 clock minutes unanswered; a recommendation is stale after 14 days.
// Medians and p90 are nearest rank: of n sorted values, the ⌈n·p⌉-th (the lower of two for a median).

const HOUR_MS = 3_600_000;

/** Records as of `at`: moves the manual clock there and returns the command fields with that `occurredAt`. */
type At = (
  by: PlatformUser,
  at: string,
) => {
  partnershipId: string;
  by: PlatformUser;
  source: { platform: "slack"; id: string };
  occurredAt: Date;
};

function recorder(clock: ManualClock, p: Partnership): At {
  let n = 0;
  return (by, at) => {
    clock.set(at);
    return {
      partnershipId: p.id,
      by,
      source: { platform: "slack", id: `${p.key}-${++n}` },
      occurredAt: new Date(at),
    };
  };
}

async function partnershipWith(
  core: Core,
  name: string,
  clientOrg: string,
  settings: Partial<PartnershipSettings>,
  downtimeCostPerHour: number,
): Promise<Partnership> {
  const p = await createPartnership(core, {
    name,
    providerOrg: "Fixit IT",
    clientOrg,
    providerWorkspaceIds: [PROVIDER_TEAM],
    settings,
  });
  await addMember(core, { partnershipId: p.id, ...lead, side: "provider", role: "lead" });
  await addMember(core, { partnershipId: p.id, ...owner, side: "client", role: "lead" });
  // Not at creation: the cost is a setting changed later.
  return configurePartnership(core, p.id, { downtimeCostPerHour });
}

/** Each fact of a digest section by its label. */
function factsOf(digest: Digest, side: "provider" | "client" | "shared"): Record<string, string> {
  const section = digest.sections.find((s) => s.side === side);
  return Object.fromEntries((section?.facts ?? []).map((f) => [f.label, f.value]));
}

const none = { met: 0, breached: 0, rate: null };

describe(`weekly metrics through the database on ${backend}`, () => {
  let core: Core;
  let clock: ManualClock;
  let dispose: () => Promise<void>;

  beforeAll(async () => {
    const t = await openTestCore("2026-09-01T09:00:00Z");
    ({ core, clock } = t);
    dispose = t.store.dispose;
  });
  afterAll(() => dispose());

  // The week of Monday 2026-11-09, Europe/London. November is GMT, so local time = UTC throughout.
  describe("a hand-computed week in Europe/London (2026-11-09 to 2026-11-15)", () => {
    let p: Partnership;
    let at: At;
    const week = new Date("2026-11-11T12:00:00Z");

    beforeAll(async () => {
      clock.set("2026-11-02T09:00:00Z");
      p = await partnershipWith(core, "Fixit ↔ Acme", "Acme Dental", {}, 200);
      at = recorder(clock, p);
      // Monday
      const mfa = await recommend(core, {
        ...at(lead, "2026-11-09T10:00:00Z"),
        title: "Turn on MFA for every mailbox",
        risk: "high",
      });
      await reportIssue(core, {
        ...at(staff, "2026-11-09T16:45:00Z"),
        via: "command",
        fields: {
          title: "Imaging PC will not start",
          priority: "P2",
          startedAt: new Date("2026-11-09T16:00:00Z"),
        },
      }); // ACME-1
      // Tuesday
      await respond(core, { ...at(tech, "2026-11-10T09:30:00Z"), issue: "ACME-1", via: "reply" });
      await reportIssue(core, {
        ...at(staff, "2026-11-10T10:00:00Z"),
        via: "form",
        fields: {
          title: "Printer jams on every second page",
          priority: "P3",
          startedAt: new Date("2026-11-10T09:00:00Z"),
        },
      }); // ACME-2
      await resolveIssue(core, { ...at(tech, "2026-11-10T10:30:00Z"), issue: "ACME-1" });
      await respond(core, { ...at(tech, "2026-11-10T10:30:00Z"), issue: "ACME-2", via: "button" });
      await resolveIssue(core, { ...at(tech, "2026-11-10T12:00:00Z"), issue: "ACME-2" });
      await recommend(core, {
        ...at(lead, "2026-11-10T14:00:00Z"),
        title: "Move backups off site",
        risk: "medium",
      });
      // Wednesday
      await reportIssue(core, {
        ...at(staff, "2026-11-11T09:30:00Z"),
        via: "reaction",
        fields: { title: "Card terminal offline", priority: "P2" },
      }); // ACME-3
      await respond(core, { ...at(tech, "2026-11-11T09:45:00Z"), issue: "ACME-3", via: "reply" });
      await decideRecommendation(core, {
        ...at(owner, "2026-11-11T12:00:00Z"),
        recommendationId: mfa.recommendation.id,
        decision: "accepted",
      });
      await reportIssue(core, {
        ...at(staff, "2026-11-11T14:00:00Z"),
        via: "command",
        fields: { title: "Phones ring out at reception", priority: "P2" },
      }); // ACME-4
      clock.set("2026-11-11T16:15:00Z");
    });

    it("mid-week (Wednesday 16:15): an issue unanswered past its target is already a breach", async () => {
      const { metrics: m, digest } = await weeklyDigest(core, p.id, week);
      expect(m.complete).toBe(false);
      expect(m.cutoff.toISOString()).toBe("2026-11-11T16:15:00.000Z");
      // Events so far: 2 recommendation.made + 1 accepted; ACME-1 and ACME-2 3 each; ACME-3 2; ACME-4 1 = 12.
      expect(m.activity).toBe(12);
      // ACME-1 Mon 16:45 → Tue 09:30: Mon 16:45–17:30 (45) + Tue 09:00–09:30 (30) = 75;
      // ACME-2 10:00 → 10:30 = 30; ACME-3 09:30 → 09:45 = 15. Sorted [15, 30, 75]: median 30, p90 75.
      expect(m.provider.firstResponse).toEqual({ count: 3, median: 30, p90: 75 });
      // P2: ACME-3 met (15 ≤ 60); ACME-1 breached (deadline Mon 16:45 + 60 business min = Tue 09:15);
      // ACME-4 (Wed 14:00, unanswered) breached: its deadline Wed 15:00 is before the cut-off.
      // P3: ACME-2 met (30 ≤ 240).
      expect(m.provider.firstResponseAttainment).toEqual({
        P1: none,
        P2: { met: 1, breached: 2, rate: 1 / 3 },
        P3: { met: 1, breached: 0, rate: 1 },
        P4: none,
      });
      expect(m.provider.firstResponseAttainmentOverall).toEqual({ met: 2, breached: 2, rate: 0.5 });
      // ACME-1 resolved Tue 10:30: 45 + 90 = 135 ≤ 480 met; ACME-2 Tue 10:00 → 12:00 = 120 ≤ 1440 met.
      // ACME-3's deadline (Wed 17:30) and ACME-4's (Thu 13:30) lie after the cut-off: no outcome yet.
      expect(m.provider.resolution).toEqual({ count: 2, median: 120, p90: 135 });
      expect(m.provider.resolutionAttainmentOverall).toEqual({ met: 2, breached: 0, rate: 1 });
      // ACME-4: 14:00 → 16:15 = 135 business min > 120.
      expect(m.provider.unansweredPastThreshold).toBe(1);
      // ACME-3 and ACME-4 open; the oldest, ACME-3, reported 09:30: 16:15 − 09:30 = 405 min.
      expect(m.provider.openBacklog).toBe(2);
      expect(m.provider.oldestOpen).toEqual({ key: "ACME-3", ageMinutes: 405 });
      // 2 recommendations for 4 issues.
      expect(m.provider.proactivity).toBe(0.5);
      expect(factsOf(digest, "provider")["Unanswered > 2 h"]).toBe("1");
    });

    describe("when the week is over (Monday 2026-11-16 09:00)", () => {
      let result: Awaited<ReturnType<typeof weeklyDigest>>;

      beforeAll(async () => {
        await waitOnClient(core, {
          ...at(tech, "2026-11-11T16:30:00Z"),
          issue: "ACME-3",
          question: "Which terminal?",
        });
        // Thursday
        await respond(core, { ...at(tech, "2026-11-12T09:30:00Z"), issue: "ACME-4", via: "reply" });
        await clientReplied(core, { ...at(staff, "2026-11-12T10:00:00Z"), issue: "ACME-3" });
        await resolveIssue(core, { ...at(tech, "2026-11-12T10:30:00Z"), issue: "ACME-3" });
        const direct = await logDirectRequest(core, {
          ...at(tech, "2026-11-12T11:00:00Z"),
          requester: staff,
          text: "can you reset my password p4",
        }); // ACME-5
        expect(direct.issue).toMatchObject({ key: "ACME-5", priority: "P4", via: "direct" });
        await respond(core, { ...at(tech, "2026-11-12T11:05:00Z"), issue: "ACME-5", via: "reply" });
        await logCall(core, {
          ...at(lead, "2026-11-12T15:45:00Z"),
          scheduledAt: new Date("2026-11-12T15:00:00Z"),
          title: "Weekly check-in",
          missedBy: "client",
        });
        // Friday
        await resolveIssue(core, { ...at(tech, "2026-11-13T09:00:00Z"), issue: "ACME-5" });
        await logCall(core, {
          ...at(lead, "2026-11-13T10:45:00Z"),
          scheduledAt: new Date("2026-11-13T10:00:00Z"),
          title: "Weekly check-in",
          missedBy: null,
        });
        await announceChange(core, {
          ...at(owner, "2026-11-13T12:00:00Z"),
          title: "New copier",
          effectiveAt: new Date("2026-11-18T12:00:00Z"),
        });
        // Saturday: a P1 outage, on the 24x7 clock.
        await reportIssue(core, {
          ...at(staff, "2026-11-14T11:00:00Z"),
          via: "command",
          fields: {
            title: "Internet down at the main surgery",
            priority: "P1",
            startedAt: new Date("2026-11-14T10:30:00Z"),
          },
        }); // ACME-6
        const down = await startDowntime(core, {
          ...at(tech, "2026-11-14T11:00:00Z"),
          service: "Internet",
          issue: "ACME-6",
        });
        await respond(core, { ...at(tech, "2026-11-14T11:10:00Z"), issue: "ACME-6", via: "reply" });
        await endDowntime(core, { ...at(tech, "2026-11-14T12:30:00Z"), downtimeId: down.downtime.id });
        await resolveIssue(core, { ...at(tech, "2026-11-14T13:00:00Z"), issue: "ACME-6" });
        clock.set("2026-11-16T09:00:00Z");
        // No week given: the last complete week in London as of Monday 16th is the week of the 9th.
        result = await weeklyDigest(core, p.id);
      });

      it("names the complete week, cut off at its end", () => {
        const m = result.metrics;
        expect(result.week.label).toBe("2026-11-09");
        expect(m.complete).toBe(true);
        expect(m.cutoff.toISOString()).toBe("2026-11-16T00:00:00.000Z");
        // ACME-1 3, ACME-2 3, ACME-3 5 (reported, responded, waiting, replied, resolved), ACME-4 2,
        // ACME-5 4 (issue.reported + request.direct, responded, resolved), ACME-6 3, downtime 2,
        // recommendations 2 made + 1 accepted, calls 2, heads-up 1: 28 events.
        expect(m.activity).toBe(28);
        expect(m.quiet).toBe(false);
      });

      it("first response: median, p90 and attainment per priority", () => {
        const pm = result.metrics.provider;
        // ACME-1 75, ACME-2 30, ACME-3 15, ACME-4 Wed 14:00 → Thu 09:30 = 210 + 30 = 240, ACME-5 5,
        // ACME-6 10 (24x7). Sorted [5, 10, 15, 30, 75, 240]: median the 3rd = 15, p90 the ⌈5.4⌉ = 6th = 240.
        expect(pm.firstResponse).toEqual({ count: 6, median: 15, p90: 240 });
        // P1 ACME-6 10 ≤ 15 met. P2: ACME-3 met; ACME-1 and ACME-4 breached (ACME-4 once, though
        // answered later). P3 ACME-2 met. P4 ACME-5 5 ≤ 480 met. Overall 4 of 6.
        expect(pm.firstResponseAttainment).toEqual({
          P1: { met: 1, breached: 0, rate: 1 },
          P2: { met: 1, breached: 2, rate: 1 / 3 },
          P3: { met: 1, breached: 0, rate: 1 },
          P4: { met: 1, breached: 0, rate: 1 },
        });
        expect(pm.firstResponseAttainmentOverall).toEqual({ met: 4, breached: 2, rate: 4 / 6 });
        expect(pm.unansweredPastThreshold).toBe(0);
      });

      it("resolution excludes the time waiting on the client", () => {
        const pm = result.metrics.provider;
        // ACME-1 135; ACME-2 120; ACME-3 Wed 09:30 → Thu 10:30 = 480 + 90 = 570 business min, less
        // the wait Wed 16:30 → Thu 10:00 (60 + 60 = 120) = 450 ≤ 480 met (570 would have breached);
        // ACME-5 Thu 11:00 → Fri 09:00 = 390; ACME-6 11:00 → 13:00 = 120 (24x7).
        // Sorted [120, 120, 135, 390, 450]: median the 3rd = 135, p90 the ⌈4.5⌉ = 5th = 450.
        expect(pm.resolution).toEqual({ count: 5, median: 135, p90: 450 });
        // ACME-4 unresolved: 480 business min from Wed 14:00 = Wed 210 + Thu 270 → Thu 13:30, breached.
        expect(pm.resolutionAttainment).toEqual({
          P1: { met: 1, breached: 0, rate: 1 },
          P2: { met: 2, breached: 1, rate: 2 / 3 },
          P3: { met: 1, breached: 0, rate: 1 },
          P4: { met: 1, breached: 0, rate: 1 },
        });
        expect(pm.resolutionAttainmentOverall).toEqual({ met: 5, breached: 1, rate: 5 / 6 });
      });

      it("backlog, proactivity and provider calls", () => {
        const pm = result.metrics.provider;
        // ACME-4 open; age Wed 14:00 → Mon 00:00 = 4 days 10 h = 106 h = 6360 min.
        expect(pm.openBacklog).toBe(1);
        expect(pm.oldestOpen).toEqual({ key: "ACME-4", ageMinutes: 6360 });
        // 2 recommendations made for 6 issues received.
        expect(pm).toMatchObject({ recommendationsMade: 2, issuesReceived: 6, missedCalls: 0 });
        expect(pm.proactivity).toBe(2 / 6);
      });

      it("client side: adherence, reporting delay, recommendations, waiting, calls, heads-up", () => {
        const c = result.metrics.client;
        // 5 issues through the channel; ACME-5 came directly: its request.direct and its issue count once.
        expect(c).toMatchObject({ agreedChannelRequests: 5, directRequests: 1 });
        expect(c.processAdherence).toBe(5 / 6);
        // ACME-1 Mon 16:00 → 16:45 = 45 business; ACME-2 Tue 09:00 → 10:00 = 60 business;
        // ACME-6 Sat 10:30 → 11:00 = 30 on its 24x7 clock. Sorted [30, 45, 60]: median 45, p90 60.
        expect(c.reportingDelay).toEqual({ count: 3, median: 45, p90: 60 });
        // ACME-3, ACME-4 and ACME-5 did not say when the problem began.
        expect(c.reports).toEqual({ total: 6, withStart: 3 });
        expect(c.decisions).toEqual({ accepted: 1, declined: 0, riskAccepted: 0, ignored: 0 });
        expect(c.decisionRate).toBe(1);
        // "Move backups off site" made Tue 14:00: 5 days 10 h before the cut-off → 5 whole days, not stale.
        expect(c).toMatchObject({ pendingRecommendations: 1, stalePendingRecommendations: 0 });
        expect(c.oldestPending).toEqual({ title: "Move backups off site", ageDays: 5 });
        // ACME-3 waited Wed 16:30 → Thu 10:00: 17.5 real hours but 60 + 60 = 120 business minutes.
        expect(c.waitingTotalMinutes).toBe(120);
        expect(c.waiting).toEqual({ count: 1, median: 120, p90: 120 });
        expect(c.waitingNow).toBe(0);
        expect(c).toMatchObject({ missedCalls: 1, callsHeld: 1 });
        // Fri 12:00 → Wed 18th 12:00 = 5 days real; working days Fri 13, Mon 16, Tue 17 = 3 < 5: short notice.
        expect(c.headsUpLeadDays).toEqual({ count: 1, median: 5, p90: 5 });
        expect(c.shortNoticeChanges).toBe(1);
      });

      it("shared: 90 minutes of downtime at 200 GBP an hour", () => {
        // 11:00 → 12:30 = 1.5 h; 1.5 × 200 = 300: the cost set on 2 November is in force all week.
        expect(result.metrics.shared).toEqual({
          downtimeHours: 1.5,
          downtimeIncidents: 1,
          downtimeCost: { amount: 300, currency: "GBP" },
        });
      });

      it("builds the digest: three sections, both scores, an 8-week trend and the top actions", () => {
        const d = result.digest;
        expect(d.title).toBe("Weekly digest: Fixit ↔ Acme, week of 2026-11-09");
        expect(d.period.label).toBe("2026-11-09 to 2026-11-15");
        expect(d.quiet).toBe(false);
        expect(d.sections.map((s) => s.heading)).toEqual([
          "Provider: Fixit IT",
          "Client: Acme Dental",
          "Shared",
        ]);
        expect(factsOf(d, "provider")).toEqual({
          "First response": "15 min median, 4 h p90 (n=6)",
          "First response on target": "67% (4 of 6; P1 100%, P2 33%, P3 100%, P4 100%)",
          Resolution: "2 h 15 min median, 7 h 30 min p90 (n=5)",
          "Resolution on target": "83% (5 of 6; P1 100%, P2 67%, P3 100%, P4 100%)",
          "Unanswered > 2 h": "0",
          // 6360 min = 4.42 days.
          "Open backlog": "1 (longest with the provider ACME-4, 4.4 days)",
          Proactivity: "2 recommendations for 6 issues",
          "Calls missed by the provider": "0",
        });
        expect(factsOf(d, "client")).toEqual({
          "Through the agreed channel": "83% (5 of 6; 1 direct)",
          "Reporting delay": "45 min median, 1 h p90 (n=3); 3 of 6 reports said when the problem began",
          "Recommendations decided": "1 accepted, 0 declined, 0 risk accepted, 0 ignored",
          "Recommendations pending": '1 (oldest "Move backups off site", 5 days; 0 waited > 14 days)',
          "Provider waited on the client": "2 h in total; 2 h median, 2 h p90 (n=1)",
          "Calls missed by the client": "1",
          "Change heads-up": "5 days median, 5 days p90 (n=1); 1 with < 5 working days (shown, not scored)",
        });
        // Each side: 100 less weight × shortfall of each figure; a figure without data costs nothing.
        // Provider: first response 2 breached of 6 → 30 × 1/3 = 10; resolution 1 of 6 → 25/6 = 4.17;
        // none unanswered → 0; backlog 4.417 d of 28 → 10 × 4.417/28 = 1.58; proactivity 2 for 6
        // issues ≥ 0.2 → 0; calls (the provider missed 0, 1 held) → 0. 100 − 15.74 = 84.26 → 84.
        // Client: adherence 1 direct of 6 → 25/6 = 4.17; reporting: ACME-1 (45 min) and ACME-2 (60)
        // and ACME-6 (30) full credit, ACME-3, -4 and -5 without a start 0.5 each: 15 × 1.5/6 = 3.75;
        // 0 ignored, 0 stale → 0; ACME-3's 120 min wait → 0; calls 1 missed of 1 held + 1 → 10 × 0.5
        // = 5; heads-up not scored. 100 − 12.92 = 87.08 → 87.
        expect(d.scores).toEqual({ provider: 84, client: 87 });
        // The partnership's record starts this week: the trend does not invent seven perfect weeks
        // before it. 84 and 87: ⌊0.84·8⌋ = ⌊0.87·8⌋ = 6 → ▇.
        expect(d.trend.labels).toEqual(["2026-11-09"]);
        expect(d.trend.provider).toEqual([84]);
        expect(d.trend.client).toEqual([87]);
        expect(d.trend.sparkline).toEqual({ provider: "▇", client: "▇" });
        // The points each figure cost: first response 10; client calls 5; resolution 4.17 and
        // adherence 4.17 (the provider's listed first); reporting 3.75 and backlog 1.58 left out.
        expect(d.actions).toEqual([
          "2 requests missed the first-response target: answer new requests within target",
          "The client missed 1 call: attend scheduled calls or move them ahead of time",
          "1 issue passed the resolution target: resolve or re-prioritise them",
        ]);
        // Last: this hangs on the downtime cost configured on 2 November (see "shared: 90 minutes …").
        expect(factsOf(d, "shared")).toEqual({ Downtime: "1.5 h in 1 outage, est. £300" });
      });

      describe("the week after (2026-11-16 to 2026-11-22), with nothing recorded", () => {
        let after: Awaited<ReturnType<typeof weeklyDigest>>;

        beforeAll(async () => {
          clock.set("2026-11-23T09:00:00Z");
          after = await weeklyDigest(core, p.id);
        });

        it("is quiet, with a short digest of what still waits", () => {
          const { metrics: m, digest: d } = after;
          expect(after.week.label).toBe("2026-11-16");
          expect(m).toMatchObject({ activity: 0, quiet: true, complete: true });
          expect(m.provider.firstResponse.count).toBe(0);
          // ACME-4's resolution breach belongs to the week its target passed, not to this one.
          expect(m.provider.resolutionAttainmentOverall).toEqual(none);
          // ACME-4 still open: Wed 11th 14:00 → Mon 23rd 00:00 = 11 days 10 h = 16440 min.
          expect(m.provider.oldestOpen).toEqual({ key: "ACME-4", ageMinutes: 16440 });
          expect(d.quiet).toBe(true);
          expect(d.sections).toHaveLength(1);
          expect(d.sections[0]).toMatchObject({ heading: "Quiet week", side: "shared" });
          expect(Object.fromEntries(d.sections[0]!.facts.map((f) => [f.label, f.value]))).toEqual({
            Activity: "a quiet week: nothing was reported, decided, held or announced",
            "Open backlog": "1 (longest with the provider ACME-4, 11.4 days)",
            "Recommendations pending": "1",
          });
          // Provider: only the backlog costs anything, 10 × 11.417/28 = 4.08 → 95.92 → 96. Client:
          // "Move backups off site" is 12 days 10 h old, not stale → 100.
          expect(d.scores).toEqual({ provider: 96, client: 100 });
          // 84 → ▇ and 96 → █ (⌊0.96·8⌋ = 7); client 87 → ▇ and 100 → █.
          expect(d.trend.sparkline).toEqual({ provider: "▇█", client: "▇█" });
          expect(d.actions).toEqual([
            "ACME-4 has been with the provider 11 days: resolve it or agree a plan",
          ]);
        });
      });
    });
  });

  // Sunday 2026-10-25, 02:00 BST → 01:00 GMT: the week of Monday 19 October is 169 hours long.
  describe("a week containing the 2026-10-25 DST change in Europe/London", () => {
    let p: Partnership;
    let result: Awaited<ReturnType<typeof weeklyDigest>>;

    beforeAll(async () => {
      clock.set("2026-10-12T09:00:00Z");
      p = await partnershipWith(core, "Fixit ↔ Beacon", "Beacon Legal", {}, 100);
      const at = recorder(clock, p);
      // 00:30 BST on Monday is still Sunday in UTC: it belongs to this week.
      await recommend(core, { ...at(lead, "2026-10-19T00:30:00+01:00"), title: "Replace the firewall" });
      // Thursday 17:00 BST → Friday 09:30 BST: 30 + 30 = 60 business min, on target. (Working hours
      // taken as UTC would give 16:00Z–17:30Z = 90 min, a breach.)
      await reportIssue(core, {
        ...at(staff, "2026-10-22T17:00:00+01:00"),
        via: "command",
        fields: { title: "Shared drive access denied", priority: "P2" },
      }); // BEACON-1
      await respond(core, { ...at(tech, "2026-10-23T09:30:00+01:00"), issue: "BEACON-1", via: "reply" });
      // Resolved 11:00 BST: 30 + 120 = 150 ≤ 480.
      await resolveIssue(core, { ...at(tech, "2026-10-23T11:00:00+01:00"), issue: "BEACON-1" });
      // A P1 across the repeated hour: 00:50 BST → 01:05 GMT is 75 real minutes (23:50Z → 01:05Z).
      // The 24x7 clock runs 00:50 → 02:00 BST (70 min), then stands still through the repeated
      // 01:00–01:05 GMT: 70 min, a breach (at 01:05 BST).
      await reportIssue(core, {
        ...at(staff, "2026-10-25T00:50:00+01:00"),
        via: "command",
        fields: { title: "Case system down", priority: "P1" },
      }); // BEACON-2
      const down = await startDowntime(core, {
        ...at(tech, "2026-10-25T00:50:00+01:00"),
        service: "Case system",
        issue: "BEACON-2",
      });
      await respond(core, { ...at(tech, "2026-10-25T01:05:00+00:00"), issue: "BEACON-2", via: "reply" });
      // Back at 02:20 GMT: 2.5 real hours (23:50Z → 02:20Z), 1.5 h on the office clock.
      await endDowntime(core, { ...at(tech, "2026-10-25T02:20:00+00:00"), downtimeId: down.downtime.id });
      // Resolved 03:55 GMT: 245 real minutes, but 3 h 05 = 185 min on the office clock: on target.
      await resolveIssue(core, { ...at(tech, "2026-10-25T03:55:00+00:00"), issue: "BEACON-2" });
      // Sunday 23:30 GMT: the last half hour of the week.
      await logCall(core, {
        ...at(lead, "2026-10-25T23:30:00Z"),
        scheduledAt: new Date("2026-10-25T23:00:00Z"),
        missedBy: null,
      });
      clock.set("2026-10-26T09:00:00Z");
      result = await weeklyDigest(core, p.id);
    });

    it("spans 169 hours from Monday 00:00 BST to Monday 00:00 GMT", () => {
      expect(result.week.label).toBe("2026-10-19");
      expect(result.week.start.toISOString()).toBe("2026-10-18T23:00:00.000Z");
      expect(result.week.end.toISOString()).toBe("2026-10-26T00:00:00.000Z");
      expect(result.week.end.getTime() - result.week.start.getTime()).toBe(169 * HOUR_MS);
      // recommendation 1, BEACON-1 3, BEACON-2 3, downtime 2, call 1 = 10; the first and last both inside.
      expect(result.metrics.activity).toBe(10);
      expect(result.metrics.provider.recommendationsMade).toBe(1);
      expect(result.metrics.client.callsHeld).toBe(1);
    });

    it("does not shift a minute: business time in local hours, 24x7 time and downtime by the office clock", () => {
      const pm = result.metrics.provider;
      // [60, 70]: median 60, p90 70.
      expect(pm.firstResponse).toEqual({ count: 2, median: 60, p90: 70 });
      expect(pm.firstResponseAttainment.P1).toEqual({ met: 0, breached: 1, rate: 0 });
      expect(pm.firstResponseAttainment.P2).toEqual({ met: 1, breached: 0, rate: 1 });
      // [150, 185]: median 150, p90 185.
      expect(pm.resolution).toEqual({ count: 2, median: 150, p90: 185 });
      expect(pm.resolutionAttainment.P1).toEqual({ met: 1, breached: 0, rate: 1 });
      expect(pm.resolutionAttainment.P2).toEqual({ met: 1, breached: 0, rate: 1 });
      const breach = result.metrics.outcomes.find((o) => o.key === "BEACON-2" && o.kind === "first_response");
      expect(breach?.decidedAt.toISOString()).toBe("2026-10-25T00:05:00.000Z");
      // 1.5 h × 100, though 2.5 real hours passed.
      expect(result.metrics.shared.downtimeHours).toBe(1.5);
      expect(result.metrics.shared.downtimeIncidents).toBe(1);
      expect(result.digest.sections).toHaveLength(3);
      // Last: these hang on the downtime cost configured at set-up (see "shared: 90 minutes …").
      expect(result.metrics.shared.downtimeCost).toEqual({ amount: 150, currency: "GBP" });
      expect(factsOf(result.digest, "shared")).toEqual({ Downtime: "1.5 h in 1 outage, est. £150" });
    });
  });

  // Sunday 2026-11-01, 02:00 EDT → 01:00 EST. The week of Monday 26 October runs from 04:00Z to
  // Monday 2 November 05:00Z (169 h).
  describe("a partnership in America/New_York across 2026-11-01", () => {
    let p: Partnership;
    let first: Awaited<ReturnType<typeof weeklyDigest>>;
    let second: Awaited<ReturnType<typeof weeklyDigest>>;

    beforeAll(async () => {
      clock.set("2026-10-19T12:00:00Z");
      p = await partnershipWith(
        core,
        "Fixit ↔ Hudson",
        "Hudson Dental",
        { timezone: "America/New_York", currency: "USD" },
        1000,
      );
      const at = recorder(clock, p);
      await announceChange(core, {
        ...at(owner, "2026-10-28T12:00:00-04:00"),
        title: "New imaging software",
        effectiveAt: new Date("2026-11-04T12:00:00-05:00"),
      });
      // Friday 17:00 EDT, started 16:00 EDT; its 60 business minutes run Fri 17:00–17:30 EDT and
      // Mon 09:00–09:30 EST, so its first-response outcome belongs to the next week.
      await reportIssue(core, {
        ...at(staff, "2026-10-30T17:00:00-04:00"),
        via: "command",
        fields: {
          title: "Scanner saves to the wrong folder",
          priority: "P2",
          startedAt: new Date("2026-10-30T16:00:00-04:00"),
        },
      }); // HUDSON-1
      // Saturday 23:00 EDT → Sunday 03:00 EST: 5 real hours, 4 h on the office clock.
      const down = await startDowntime(core, { ...at(tech, "2026-10-31T23:00:00-04:00"), service: "Email" });
      // 01:30 EDT → 01:10 EST, 40 real minutes (05:30Z → 06:10Z): the 24x7 clock runs 01:30 → 02:00 EDT
      // (30 min) and stands still through the repeated hour: 30 min, a breach at 01:45 EDT.
      await reportIssue(core, {
        ...at(staff, "2026-11-01T01:30:00-04:00"),
        via: "command",
        fields: { title: "Email down", priority: "P1" },
      }); // HUDSON-2
      await respond(core, { ...at(tech, "2026-11-01T01:10:00-05:00"), issue: "HUDSON-2", via: "reply" });
      // 01:30 EDT → 02:00 EST: 90 real minutes, 30 on the 24x7 clock (the repeated hour once) ≤ 240.
      await resolveIssue(core, { ...at(tech, "2026-11-01T02:00:00-05:00"), issue: "HUDSON-2" });
      await endDowntime(core, { ...at(tech, "2026-11-01T03:00:00-05:00"), downtimeId: down.downtime.id });
      // Monday 09:30 EST: HUDSON-1 answered after 30 + 30 = 60 business min, on target.
      await respond(core, { ...at(tech, "2026-11-02T09:30:00-05:00"), issue: "HUDSON-1", via: "reply" });
      clock.set("2026-11-09T12:00:00Z");
      first = await weeklyDigest(core, p.id, new Date("2026-10-28T12:00:00Z"));
      second = await weeklyDigest(core, p.id, new Date("2026-11-04T12:00:00Z"));
    });

    it("bounds its weeks by New York midnights, 169 h across the change", () => {
      expect(first.week).toMatchObject({ label: "2026-10-26", timezone: "America/New_York" });
      expect(first.week.start.toISOString()).toBe("2026-10-26T04:00:00.000Z");
      expect(first.week.end.toISOString()).toBe("2026-11-02T05:00:00.000Z");
      expect(second.week.label).toBe("2026-11-02");
      expect(first.digest.period.label).toBe("2026-10-26 to 2026-11-01");
    });

    it("counts every local day as 24 h on the 24x7 clock and local working hours on the business clock", () => {
      const pm = first.metrics.provider;
      expect(pm.firstResponse).toEqual({ count: 1, median: 30, p90: 30 });
      expect(pm.firstResponseAttainment.P1).toEqual({ met: 0, breached: 1, rate: 0 });
      // HUDSON-1's deadline (Monday 09:30 EST) is in the next week: no outcome here.
      expect(pm.firstResponseAttainment.P2).toEqual(none);
      expect(pm.resolution).toEqual({ count: 1, median: 30, p90: 30 });
      expect(pm.resolutionAttainment.P1).toEqual({ met: 1, breached: 0, rate: 1 });
      // HUDSON-1 Fri 16:00 → 17:00 EDT = 60 business min; HUDSON-2 gave no start.
      expect(first.metrics.client.reportingDelay).toEqual({ count: 1, median: 60, p90: 60 });
      // Lead time in calendar days: 12:00 EDT (16:00Z) → 12:00 EST (17:00Z) a week later = 7 days
      // (169 real hours: the DST change does not make it 7.04);
      // working days Wed 28, Thu 29, Fri 30, Mon 2, Tue 3 = 5: not short notice.
      expect(first.metrics.client.headsUpLeadDays).toEqual({ count: 1, median: 7, p90: 7 });
      expect(first.metrics.client.shortNoticeChanges).toBe(0);
      // 03:00Z → 08:00Z: 5 real hours, 23:00 → 03:00 = 4 h on the office clock.
      expect(first.metrics.shared.downtimeHours).toBe(4);
      expect(first.metrics.shared.downtimeIncidents).toBe(1);
      // Last: these hang on the downtime cost configured at set-up (see "shared: 90 minutes …").
      // 4 h × 1000 USD.
      expect(first.metrics.shared.downtimeCost).toEqual({ amount: 4000, currency: "USD" });
      expect(factsOf(first.digest, "shared")).toEqual({ Downtime: "4 h in 1 outage, est. US$4,000" });
    });

    it("puts the weekend issue's outcomes in the week after: response met, resolution breached", () => {
      const pm = second.metrics.provider;
      expect(pm.firstResponse).toEqual({ count: 1, median: 60, p90: 60 });
      expect(pm.firstResponseAttainment.P2).toEqual({ met: 1, breached: 0, rate: 1 });
      // 480 business min from Fri 17:00 EDT: 30 on Friday, 450 on Monday from 09:00 EST → 16:30 EST, unresolved.
      expect(pm.resolutionAttainment.P2).toEqual({ met: 0, breached: 1, rate: 0 });
      expect(pm.oldestOpen?.key).toBe("HUDSON-1");
      expect(second.metrics.activity).toBe(1);
      for (const s of [first.digest.scores, second.digest.scores]) {
        expect(s.provider).toBeGreaterThanOrEqual(0);
        expect(s.provider).toBeLessThanOrEqual(100);
        expect(s.client).toBeGreaterThanOrEqual(0);
        expect(s.client).toBeLessThanOrEqual(100);
      }
    });
  });
});
