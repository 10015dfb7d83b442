import type { Clock } from "../ports.ts";
import type { Core } from "../services/core.ts";
import type { JobStores } from "../store/job-stores.ts";
import type { OutboxStatus } from "../store/outbox.ts";
import type { JobResult } from "./job-result.ts";
import { cardDeliveries } from "../services/card-board.ts";
import { sendDueMessages, type Notifiers, type SenderOptions } from "./outbox-sender.ts";
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

/** Options of a pass: the clock (default: the core's) and how the sender behaves. */
export interface RunDueJobsOptions {
  clock?: Clock;
  sender?: SenderOptions;
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
  const jobs = [
    await slaWatch(core, stores, now),
    await recommendationExpiry(core, stores, now),
    await weeklyDigestJob(core, stores, now),
    await sendDueMessages(stores.outbox, notifiers, clock, {
      deliveries: cardDeliveries(core),
      ...options.sender,
    }),
  ];
  return { jobs, outbox: await outboxFigures(stores, clock.now()) };
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
