import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NUDGE_WINDOW_MS } from "../../src/domain/nudges.ts";
import { runDueJobs, type DueJobsResult } from "../../src/jobs/run-due-jobs.ts";
import type { Core } from "../../src/services/core.ts";
import { seedDemo } from "../../src/services/seed-demo.ts";
import { createJobStores, type JobStores } from "../../src/store/job-stores.ts";
import { RecordingNotifier } from "./support/recording-notifier.ts";
import { backend, openTestCore, type ManualClock } from "./support/test-store.ts";

// Monday 2026-11-16 09:00 London: the demo fills the 13 weeks before it, calls missed and requests
// left unanswered among them.
const NOW = "2026-11-16T09:00:00Z";

describe(`nudges after \`rapport demo\` on ${backend}`, () => {
  let core: Core;
  let clock: ManualClock;
  let stores: JobStores;
  let dispose: () => Promise<void>;
  let partnershipId: string;
  const slack = new RecordingNotifier("slack");
  const teams = new RecordingNotifier("teams");

  beforeAll(async () => {
    const t = await openTestCore(NOW);
    ({ core, clock } = t);
    dispose = t.store.dispose;
    stores = createJobStores(t.store);
    partnershipId = (await seedDemo(core)).partnership.id;
  });
  afterAll(() => dispose());

  const run = (dryRun = false): Promise<DueJobsResult> =>
    runDueJobs(core, stores, { slack, teams }, { dryRun, sender: { random: () => 0 } });

  /** When the fact a nudge period names happened in the world. */
  async function factTime(period: string): Promise<Date> {
    const [kind, id] = period.split(":") as [string, string];
    if (kind === "call") {
      const call = (await core.records.calls(partnershipId)).find((c) => c.id === id);
      return call!.scheduledAt;
    }
    if (kind === "rec") {
      const rec = await core.records.recommendation(partnershipId, id);
      return new Date(`${rec!.decideBy}T23:59:59Z`);
    }
    // A request's threshold is crossed after it was reported.
    const issue = (await core.records.issues(partnershipId)).find((i) => i.id === id);
    return issue!.reportedAt;
  }

  it("a dry run lists only news and records nothing; the real run sends exactly that, each fact once", async () => {
    const rowsBefore = await stores.outbox.list();
    const plan = await run(true);
    expect(await stores.outbox.list()).toEqual(rowsBefore);
    const planned = plan.jobs
      .filter((j) => j.job === "sla-watch" || j.job === "recommendation-expiry")
      .flatMap((j) => j.targets)
      .filter((t) => t.outcome === "would_queue");
    expect(slack.sent.length + teams.sent.length).toBe(0);
    // The demo's quarter holds several missed calls; only last week's is news.
    const missed = (await core.records.calls(partnershipId)).filter((c) => c.status === "missed");
    const callNudges = new Set(planned.filter((t) => t.period.startsWith("call:")).map((t) => t.period));
    expect(missed.length).toBeGreaterThan(callNudges.size);
    expect(callNudges.size).toBeGreaterThanOrEqual(1);

    await run();
    await run();
    clock.advance(60_000);
    await run();
    const nudges = (await stores.outbox.list()).filter(
      (r) => r.destination.kind === "person" && (r.job === "sla-watch" || r.job === "recommendation-expiry"),
    );
    expect(nudges.map((r) => `${r.period} ${r.target}`).sort()).toEqual(
      planned.map((t) => `${t.period} ${t.target}`).sort(),
    );
    for (const row of nudges) {
      const happened = await factTime(row.period);
      expect(happened.getTime(), row.period).toBeGreaterThanOrEqual(
        new Date(NOW).getTime() - NUDGE_WINDOW_MS,
      );
    }
    // Each fact reached each lead once.
    const sent = [...slack.to("person"), ...teams.to("person")].map(
      (s) => `${JSON.stringify(s.to)} ${s.message.title as string}`,
    );
    expect(new Set(sent).size).toBe(sent.length);
  });
});
