import type { CardDocument } from "../domain/card.ts";
import type { Platform } from "../domain/vocabulary.ts";
import type { Clock, DeliveryMark, DeliveryOutcome, LookOutcome, Notifier, Notifiers } from "../ports.ts";
import type { OutboxItem, OutboxStore } from "../store/outbox.ts";
import { describeError, jobResult, type JobResult, type TargetResult } from "./job-result.ts";

// Rows for a platform without a notifier wait.
export type { Notifiers };

/**
 * What a job's rows need beyond sending their stored message: drawn afresh when sent (a card shows
 * its issue as it stands then), and something done once delivered (remember where a card went).
 */
export interface JobDelivery {
  /** The message to send now; null sends the stored one. */
  render?(item: OutboxItem): Promise<CardDocument | null>;
  /** Called after the platform took the message, with the id it gave it. */
  delivered?(item: OutboxItem, messageId: string | null): Promise<void>;
}

/** How the sender claims and retries. */
export interface SenderOptions {
  /** What rows of particular jobs need (by job name). */
  deliveries?: Record<string, JobDelivery>;
  /** Rows claimed at a time. */
  batchSize?: number;
  /** Batches per run at most, so one run ends even when rows keep coming. */
  maxBatches?: number;
  /** Rows of a batch sent at the same time (each to its own conversation, or in order within one). */
  concurrency?: number;
  /** How long a claim holds: well above any one send, or a slow send is sent twice. */
  leaseMs?: number;
  /** Attempts after which a transient failure is recorded as permanent. */
  maxAttempts?: number;
  /** First retry delay without Retry-After; doubled each attempt, up to `maxBackoffMs`. */
  baseBackoffMs?: number;
  maxBackoffMs?: number;
  /** A number in [0, 1): tests pass a constant to make jitter predictable. */
  random?: () => number;
}

const DEFAULTS: Required<SenderOptions> = {
  deliveries: {},
  concurrency: 1,
  batchSize: 25,
  maxBatches: 20,
  leaseMs: 5 * 60_000,
  maxAttempts: 10,
  baseBackoffMs: 30_000,
  maxBackoffMs: 60 * 60_000,
  random: Math.random,
};

/**
 * How long to wait before attempt `attempts + 1`: the platform's Retry-After when it gave one (plus
 * up to a second of jitter, so replicas do not return in step), else exponential backoff with
 * jitter (between half and all of base × 2^(attempts−1), capped).
 */
export function retryDelayMs(
  attempts: number,
  retryAfterMs: number | undefined,
  options: SenderOptions = {},
): number {
  const o = { ...DEFAULTS, ...options };
  if (retryAfterMs !== undefined && retryAfterMs >= 0) return retryAfterMs + Math.floor(o.random() * 1000);
  const ceiling = Math.min(o.maxBackoffMs, o.baseBackoffMs * 2 ** Math.max(0, attempts - 1));
  return Math.floor(ceiling / 2 + (o.random() * ceiling) / 2);
}

/**
 * Claims due outbox rows and delivers each through its platform's notifier: ok → sent, permanent
 * → failed with the reason, transient → retried later (failed after `maxAttempts`). Never throws.
 */
export async function sendDueMessages(
  outbox: OutboxStore,
  notifiers: Notifiers,
  clock: Clock,
  options: SenderOptions = {},
): Promise<JobResult> {
  const o = { ...DEFAULTS, ...options };
  const platforms = (Object.keys(notifiers) as Platform[]).filter((p) => notifiers[p]);
  const targets: TargetResult[] = [];
  try {
    for (let batch = 0; batch < o.maxBatches; batch++) {
      const claimed = await outbox.claimDue(o.batchSize, clock.now(), o.leaseMs, platforms);
      targets.push(...(await deliverAll(claimed, (item) => deliver(outbox, notifiers, clock, item, o), o)));
      if (claimed.length < o.batchSize) break;
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

/**
 * Delivers a batch `concurrency` rows at a time; rows for the same conversation go one after
 * another, in the order they were claimed, so a thread's messages keep their order.
 */
async function deliverAll(
  items: OutboxItem[],
  send: (item: OutboxItem) => Promise<TargetResult>,
  o: Required<SenderOptions>,
): Promise<TargetResult[]> {
  if (o.concurrency <= 1) {
    const results: TargetResult[] = [];
    for (const item of items) results.push(await send(item));
    return results;
  }
  const lanes = new Map<string, OutboxItem[]>();
  for (const item of items) lanes.set(item.target, [...(lanes.get(item.target) ?? []), item]);
  const queue = [...lanes.values()];
  const results: TargetResult[] = [];
  const worker = async () => {
    for (let lane = queue.shift(); lane; lane = queue.shift()) {
      for (const item of lane) results.push(await send(item));
    }
  };
  await Promise.all(Array.from({ length: Math.min(o.concurrency, queue.length) }, worker));
  return results;
}

/** The mark a row's posts carry: the same on every attempt, new when the row is queued again. */
export function deliveryMark(item: Pick<OutboxItem, "id" | "createdAt">): DeliveryMark {
  return { deliveryId: `${item.id}.${item.createdAt.getTime()}` };
}

/** A redraw replaces a message in place, so doing it twice does no harm; a post would show twice. */
function isPost(item: OutboxItem): boolean {
  const to = item.destination;
  return !(to.kind === "channel" && to.replaces);
}

async function attempt(notifier: Notifier, item: OutboxItem, job: JobDelivery): Promise<DeliveryOutcome> {
  try {
    const message = (await job.render?.(item)) ?? item.message;
    const to = item.destination;
    if (to.kind === "channel" && to.replaces) {
      const at = { platform: to.platform, workspaceId: to.workspaceId, channelId: to.channelId };
      return await notifier.redraw({ ...at, messageId: to.replaces }, message);
    }
    return await notifier.send(to, message, deliveryMark(item));
  } catch (e) {
    // A notifier should return outcomes; one that throws is treated as a transient failure.
    return { ok: false, permanent: false, reason: describeError(e) };
  }
}

async function deliver(
  outbox: OutboxStore,
  notifiers: Notifiers,
  clock: Clock,
  item: OutboxItem,
  o: Required<SenderOptions>,
): Promise<TargetResult> {
  const base = { partnershipId: item.partnershipId, period: item.period, target: item.target };
  try {
    const job = o.deliveries[item.job] ?? {};
    const notifier = notifiers[item.destination.platform]!;
    if (item.unsure && isPost(item)) {
      const looked = await lookBeforeSending(outbox, notifier, clock, item, job, o);
      if (looked) return { ...base, ...looked };
    }
    const outcome = await attempt(notifier, item, job);
    const now = clock.now();
    if (outcome.ok) {
      await outbox.markSent(item, outcome.messageId, now);
      await job.delivered?.(item, outcome.messageId);
      return { ...base, outcome: "sent" };
    }
    if (outcome.permanent || item.attempts >= o.maxAttempts) {
      const reason = outcome.permanent
        ? outcome.reason
        : `gave up after ${item.attempts} attempts: ${outcome.reason}`;
      await outbox.markFailed(item, reason);
      return { ...base, outcome: "failed", detail: reason };
    }
    const nextAt = new Date(now.getTime() + retryDelayMs(item.attempts, outcome.retryAfterMs, o));
    await outbox.markRetry(item, outcome.reason, nextAt);
    return {
      ...base,
      outcome: "retry",
      detail: `${outcome.reason}; next attempt at ${nextAt.toISOString()}`,
    };
  } catch (e) {
    // The row stays claimed; its lease lapses and another run picks it up.
    return { ...base, outcome: "error", detail: describeError(e) };
  }
}

/**
 * A post whose earlier attempt has an unknown outcome (its sender died, or failed to record it)
 * is not repeated blindly: the notifier looks for the mark it carried. Found: recorded as sent.
 * Not there: null, and it is sent. The look failed: looked again later; a platform where looking
 * can never work: recorded as failed rather than risk showing it twice.
 */
async function lookBeforeSending(
  outbox: OutboxStore,
  notifier: Notifier,
  clock: Clock,
  item: OutboxItem,
  job: JobDelivery,
  o: Required<SenderOptions>,
): Promise<Pick<TargetResult, "outcome" | "detail"> | null> {
  let look: LookOutcome;
  try {
    look = notifier.findDelivered
      ? await notifier.findDelivered(item.destination, deliveryMark(item))
      : { found: null, permanent: true, reason: `${notifier.platform} offers no way to look` };
  } catch (e) {
    look = { found: null, permanent: false, reason: describeError(e) };
  }
  if (look.found === false) return null;
  if (look.found) {
    await outbox.markSent(item, look.messageId, clock.now());
    await job.delivered?.(item, look.messageId);
    return { outcome: "sent", detail: "an earlier attempt had delivered it; not sent again" };
  }
  if (look.permanent || item.attempts >= o.maxAttempts) {
    const reason = `not sent again: an earlier attempt may have delivered it, and whether it did cannot be known (${look.reason})`;
    await outbox.markFailed(item, reason);
    return { outcome: "failed", detail: reason };
  }
  const nextAt = new Date(clock.now().getTime() + retryDelayMs(item.attempts, undefined, o));
  const reason = `could not look whether an earlier attempt delivered it: ${look.reason}`;
  await outbox.markUnsure(item, reason, nextAt);
  return { outcome: "retry", detail: `${reason}; next look at ${nextAt.toISOString()}` };
}
