import type { Clock } from "../ports.ts";
import type { Core } from "../services/core.ts";
import type { JobStores } from "../store/job-stores.ts";
import type { OutboxStatus, OutboxStore } from "../store/outbox.ts";
import type { Platform } from "../domain/vocabulary.ts";
import { cardDeliveries } from "../services/card-board.ts";
import { describeError, jobResult, type JobResult, type TargetResult } from "./job-result.ts";
import { sendDueMessages, type Notifiers, type SenderOptions } from "./outbox-sender.ts";
import { nudgeDeliveries } from "./unreachable-lead.ts";
import { recommendationExpiry } from "./recommendation-expiry.ts";
import { slaWatch } from "./sla-watch.ts";
import { weeklyDigestJob } from "./weekly-digest.ts";

/** Figures for /metrics after a run: outbox rows by status, and how long the oldest undelivered one has waited. */
export interface OutboxFigures {
  deliveries: Record<OutboxStatus, number>;
  /** Milliseconds, or null when nothing is waiting. */
  oldestPendingAgeMs: number | null;
}

/** What one pass over every job came to: a result per job (each with its targets) and the outbox's figures. */
export interface DueJobsResult {
  jobs: JobResult[];
  /** Null when the figures could not be read (the jobs' results still stand). */
  outbox: OutboxFigures | null;
}

/** Options of a pass: the clock (default: the core's), how the sender behaves, and whether it is a dry run. */
export interface RunDueJobsOptions {
  clock?: Clock;
  sender?: SenderOptions;
  /** Say what would be queued and sent, to whom and why, without sending or recording anything. */
  dryRun?: boolean;
  /** Told the name of each step as it starts (a progress line on a terminal). */
  onStep?: (step: string) => void;
}

/**
 * Runs every job once at the clock's now — SLA watch, recommendation expiry, weekly digest — then
 * sends what is due in the outbox. Never throws; safe to run on several replicas at once (the
 * ledger's sources, the outbox's uniqueness and SKIP LOCKED make each effect happen once).
 */
export async function runDueJobs(
  core: Core,
  stores: JobStores,
  notifiers: Notifiers,
  options: RunDueJobsOptions = {},
): Promise<DueJobsResult> {
  const clock = options.clock ?? core.clock;
  const now = clock.now();
  const run = { dryRun: options.dryRun ?? false };
  const step = options.onStep ?? (() => {});
  const jobs = [
    (step("SLA nudges"), await slaWatch(core, stores, now, run)),
    (step("recommendation expiry"), await recommendationExpiry(core, stores, now, run)),
    (step("weekly digests"), await weeklyDigestJob(core, stores, now, run)),
    (step("the outbox"), run.dryRun)
      ? await plannedSends(stores.outbox, notifiers, now)
      : // One row at a time, in claim order (the pump sends conversations side by side): a failing
        // target costs one call with a time limit, its other rows wait, and rows never tried go first.
        await sendDueMessages(stores.outbox, notifiers, clock, {
          deliveries: { ...cardDeliveries(core), ...nudgeDeliveries(core) },
          ...options.sender,
        }),
  ];
  return { jobs, outbox: await outboxFigures(stores, clock.now()) };
}

/**
 * What the sender would do at `now`, without claiming anything: each due row it would send, and
 * each waiting row of a platform not configured here, which it would set aside.
 */
async function plannedSends(outbox: OutboxStore, notifiers: Notifiers, now: Date): Promise<JobResult> {
  const targets: TargetResult[] = [];
  try {
    const platforms = (Object.keys(notifiers) as Platform[]).filter((p) => notifiers[p]);
    const others = (["slack", "teams"] as const).filter((p) => !platforms.includes(p));
    for (const [rows, outcome] of [
      [await outbox.due(now, platforms), "would_send"],
      [await outbox.due(new Date(8.64e15), others), "unconfigured"],
    ] as const) {
      for (const r of rows) {
        const base = { partnershipId: r.partnershipId, period: r.period, target: r.target, job: r.job };
        targets.push({
          ...base,
          outcome,
          summary: r.message?.summary ?? `${r.job} ${r.period}, drawn when sent`,
        });
      }
    }
  } catch (e) {
    targets.push({
      partnershipId: "*",
      period: "*",
      target: "*",
      outcome: "error",
      detail: describeError(e),
    });
  }
  return jobResult("outbox-sender", targets);
}

/** The outbox's figures at `now`, or null when the database does not answer. */
export async function outboxFigures(stores: JobStores, now: Date): Promise<OutboxFigures | null> {
  try {
    const [deliveries, oldestPendingAgeMs] = await Promise.all([
      stores.outbox.countByStatus(),
      stores.outbox.oldestPendingAge(now),
    ]);
    return { deliveries, oldestPendingAgeMs };
  } catch {
    return null;
  }
}
