import type { CardDocument } from "../domain/card.ts";
import { groupBy } from "../domain/group-by.ts";
import type { Platform } from "../domain/vocabulary.ts";
import type {
  Answering,
  Clock,
  DeliveryMark,
  DeliveryOutcome,
  LookOutcome,
  Notifier,
  Notifiers,
} from "../ports.ts";
import type { OutboxItem, OutboxStore } from "../store/outbox.ts";
import { describeError, jobResult, type JobResult, type TargetResult } from "./job-result.ts";

// Rows for a platform without a notifier are set aside as unconfigured.
export type { Notifiers };

/**
 * What a job's rows need beyond sending their stored message: drawn afresh when sent (a card shows
 * its issue as it stands then), and something done once delivered (remember where a card went).
 * Both take a whole batch of the job's rows, so that a batch costs a read and a write, not one per row.
 */
export interface JobDelivery {
  /** The messages to send now, by row id; a row left out (or null) sends its stored message. */
  render?(items: readonly OutboxItem[]): Promise<ReadonlyMap<string, CardDocument | null>>;
  /** Called after the platform took the messages, with the ids it gave them, before they are marked sent. */
  delivered?(sent: readonly Delivered[]): Promise<void>;
  /** Called once a row is recorded as failed for good, with the reason. */
  failed?(item: OutboxItem, reason: string): Promise<void>;
}

/** A row the platform took, and the id it gave the message (null where it gives none). */
export interface Delivered {
  item: OutboxItem;
  messageId: string | null;
}

/** How the sender claims and retries. */
export interface SenderOptions {
  /** What rows of particular jobs need (by job name). */
  deliveries?: Record<string, JobDelivery>;
  /** Rows claimed at a time. */
  batchSize?: number;
  /** Batches per run at most, so one run ends even when rows keep coming. */
  maxBatches?: number;
  /**
   * Whether the run first sets aside the rows of platforms with no notifier here (the default).
   * The pump, which runs after every queued card, does it only now and then.
   */
  setAside?: boolean;
  /** Rows of a batch sent at the same time (each to its own conversation, or in order within one). */
  concurrency?: number;
  /** How long a claim holds: well above any one send, or a slow send is sent twice. */
  leaseMs?: number;
  /** How long one delivery attempt may take before it counts as a transient failure. */
  attemptTimeoutMs?: number;
  /** Attempts after which a transient failure is recorded as permanent. */
  maxAttempts?: number;
  /** First retry delay without Retry-After; doubled each attempt, up to `maxBackoffMs`. */
  baseBackoffMs?: number;
  maxBackoffMs?: number;
  /** A number in [0, 1): tests pass a constant to make jitter predictable. */
  random?: () => number;
  /**
   * Waited for before each send: the requests this process is answering, when it answers any
   * (see `givingWayTo`). By default nothing is waited for.
   */
  giveWay?: () => Promise<void>;
}

/**
 * While requests are being answered, each of a run's lanes waits for a pause between them before
 * it sends, `GIVE_WAY_MS` at most: cards follow their reports rather than slowing their answers,
 * and still go out (eight lanes send 160 a second at the least) when requests never pause.
 */
export const GIVE_WAY_MS = 50;

/** The `giveWay` option of a sender in a process that answers requests. */
export function givingWayTo(answering: Answering): () => Promise<void> {
  return () => answering.pause(GIVE_WAY_MS);
}

/** Rows the scheduled jobs and the pump send at the same time (each conversation's in order). */
export const SEND_CONCURRENCY = 8;

/** How long one attempt may take: the platform clients time out a little sooner (see the adapters). */
export const ATTEMPT_TIMEOUT_MS = 20_000;

const DEFAULTS: Required<SenderOptions> = {
  deliveries: {},
  concurrency: 1,
  batchSize: 25,
  maxBatches: 20,
  setAside: true,
  leaseMs: 5 * 60_000,
  attemptTimeoutMs: ATTEMPT_TIMEOUT_MS,
  maxAttempts: 10,
  baseBackoffMs: 30_000,
  maxBackoffMs: 60 * 60_000,
  random: Math.random,
  giveWay: async () => {},
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

/** What one run has learnt so far: rows it tried that may fall due again, and targets backing off. */
interface RunState {
  /**
   * Rows claimed in this run and not (yet) taken by the platform nor failed for good: one given
   * back to be retried may fall due again before the run ends, and is not claimed twice in a run.
   * Rows sent or failed are no longer due: leaving them out keeps the claim short and its text
   * the same from one claim to the next.
   */
  tried: Set<string>;
  /** Target key → when it may be tried again, for targets that failed in this run. */
  backingOff: Map<string, Date>;
}

/**
 * Sets aside rows for platforms with no notifier here, then claims due outbox rows and delivers
 * each through its platform's notifier: ok → sent, permanent → failed with the reason, transient →
 * retried later (failed after `maxAttempts`). A row is tried at most once per run, and a target
 * that failed is not tried again in the run: its other rows wait with it, the rest go on. Never
 * throws.
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
  const run: RunState = { tried: new Set(), backingOff: new Map() };
  try {
    const setAside = o.setAside ? await outbox.setAsideUnconfigured(platforms, clock.now()) : [];
    for (const item of setAside) {
      const base = { partnershipId: item.partnershipId, period: item.period, target: item.target };
      const detail = item.lastError ?? "not configured";
      targets.push({ ...base, job: item.job, outcome: "unconfigured", detail });
    }
    for (let batch = 0; batch < o.maxBatches; batch++) {
      const claimed = await outbox.claimDue(o.batchSize, clock.now(), o.leaseMs, platforms, {
        exceptIds: [...run.tried],
        exceptTargets: [...run.backingOff.keys()],
      });
      for (const item of claimed) run.tried.add(item.id);
      targets.push(...(await sendBatch(outbox, notifiers, clock, claimed, o, run)));
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
 * The longest a post the platform took waits to be recorded with others of its batch: until its
 * card's place is recorded, a reply in the card's thread cannot be tied to its issue.
 */
const RECORD_WITHIN_MS = 200;

/** A delivery the platform took, waiting to be recorded with the rest of its batch. */
interface Taken extends Delivered {
  sentAt: Date;
  result: TargetResult;
}

/**
 * Sends one claimed batch: the messages of each job's rows drawn in one go, then delivered
 * `concurrency` rows at a time, and the rows the platforms took recorded together (what follows
 * each post, such as where a card went, then the marks sent): at the end of the batch, or sooner
 * once the first of them has waited `RECORD_WITHIN_MS`. Until then those rows stay leased; if
 * recording fails, or the process dies first, their next claim looks on the platform before
 * sending again, as for any send whose outcome was not recorded.
 */
async function sendBatch(
  outbox: OutboxStore,
  notifiers: Notifiers,
  clock: Clock,
  items: OutboxItem[],
  o: Required<SenderOptions>,
  run: RunState,
): Promise<TargetResult[]> {
  if (items.length === 0) return [];
  const batch: Batch = { drawn: await drawAll(items, o.deliveries), taken: [] };
  const send = (item: OutboxItem) => deliverOrWait(outbox, notifiers, clock, item, o, run, batch);
  const results = await deliverAll(items, send, o);
  await recordTaken(outbox, batch, o.deliveries);
  return results;
}

/** What a batch has drawn, and what the platforms took of it so far. */
interface Batch {
  /** Row id → the message drawn now, or the error that stopped drawing it. */
  drawn: Map<string, CardDocument | null | { failed: unknown }>;
  taken: Taken[];
}

/** Draws the messages of a batch, one call per job that draws its own. */
async function drawAll(
  items: readonly OutboxItem[],
  deliveries: Record<string, JobDelivery>,
): Promise<Batch["drawn"]> {
  const drawn: Batch["drawn"] = new Map();
  for (const [job, rows] of groupBy(items, (item) => item.job)) {
    const render = deliveries[job]?.render;
    if (!render) continue;
    try {
      for (const [id, message] of await render(rows)) drawn.set(id, message);
    } catch (e) {
      // Each row fails as a send would: a transient failure, tried again later.
      for (const item of rows) drawn.set(item.id, { failed: e });
    }
  }
  return drawn;
}

/**
 * Records what the platforms took so far in a batch: each job's follow-up for its rows, then every
 * row marked sent. Never throws: rows it could not record count as errors (and stay leased).
 */
async function recordTaken(
  outbox: OutboxStore,
  batch: Batch,
  deliveries: Record<string, JobDelivery>,
): Promise<void> {
  const taken = batch.taken.splice(0);
  if (taken.length === 0) return;
  try {
    for (const [job, rows] of groupBy(taken, (t) => t.item.job)) await deliveries[job]?.delivered?.(rows);
    await outbox.markAllSent(taken.map((t) => ({ claim: t.item, messageId: t.messageId, sentAt: t.sentAt })));
  } catch (e) {
    const detail = `sent, but not recorded (looked for before it is sent again): ${describeError(e)}`;
    for (const { result } of taken) Object.assign(result, { outcome: "error", detail });
  }
}

/**
 * Delivers a batch `concurrency` rows at a time; rows for the same conversation go one after
 * another, in the order they were claimed, so a thread's messages keep their order.
 */
async function deliverAll(
  items: OutboxItem[],
  send: (item: OutboxItem) => Promise<TargetResult | null>,
  o: Required<SenderOptions>,
): Promise<TargetResult[]> {
  const results: TargetResult[] = [];
  const keep = (r: TargetResult | null) => {
    if (r) results.push(r);
  };
  const sendWhenFree = async (item: OutboxItem) => {
    await o.giveWay();
    keep(await send(item));
  };
  if (o.concurrency <= 1) {
    for (const item of items) await sendWhenFree(item);
    return results;
  }
  const queue = [...groupBy(items, (item) => item.target).values()];
  const worker = async () => {
    for (let lane = queue.shift(); lane; lane = queue.shift()) {
      for (const item of lane) await sendWhenFree(item);
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

/** Delivers a row, or gives it back untried when its target failed earlier in this run (null). */
async function deliverOrWait(
  outbox: OutboxStore,
  notifiers: Notifiers,
  clock: Clock,
  item: OutboxItem,
  o: Required<SenderOptions>,
  run: RunState,
  batch: Batch,
): Promise<TargetResult | null> {
  const waitUntil = run.backingOff.get(item.target);
  if (waitUntil) {
    try {
      await outbox.release(item, waitUntil);
    } catch {
      // The claim lapses on its own.
    }
    return null;
  }
  const result = await deliver(outbox, notifiers, clock, item, o, batch);
  if (result.outcome === "sent" || result.outcome === "failed") run.tried.delete(item.id);
  // A permanent failure is about its own row (a deleted message to redraw): the target's other rows go on.
  if (result.outcome === "retry" && result.retryAt) run.backingOff.set(item.target, result.retryAt);
  else if (result.outcome === "error") {
    run.backingOff.set(item.target, new Date(clock.now().getTime() + o.baseBackoffMs));
  }
  delete result.retryAt;
  return result;
}

async function attempt(
  notifier: Notifier,
  item: OutboxItem,
  drawn: Batch["drawn"],
  timeoutMs: number,
): Promise<DeliveryOutcome> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<DeliveryOutcome>((resolve) => {
    timer = setTimeout(
      () => resolve({ ok: false, permanent: false, reason: `no answer within ${timeoutMs} ms` }),
      timeoutMs,
    );
  });
  try {
    return await Promise.race([send(notifier, item, drawn.get(item.id)), timedOut]);
  } finally {
    clearTimeout(timer);
  }
}

/** Why a row that stores no message, and whose subject could not be drawn, is given up. */
const NOTHING_TO_SEND = "nothing to send: its card could not be drawn (its issue or recommendation is gone)";

async function send(
  notifier: Notifier,
  item: OutboxItem,
  drawn: CardDocument | null | { failed: unknown } | undefined,
): Promise<DeliveryOutcome> {
  try {
    if (drawn && "failed" in drawn) throw drawn.failed;
    const message = drawn ?? item.message;
    if (!message) return { ok: false, permanent: true, reason: NOTHING_TO_SEND };
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
  batch: Batch,
): Promise<TargetResult & { retryAt?: Date }> {
  const base = {
    partnershipId: item.partnershipId,
    period: item.period,
    target: item.target,
    job: item.job,
  };
  try {
    const job = o.deliveries[item.job] ?? {};
    const notifier = notifiers[item.destination.platform]!;
    if (item.unsure && isPost(item)) {
      const looked = await lookBeforeSending(outbox, notifier, clock, item, job, o);
      if (looked) return { ...base, ...looked };
    }
    const outcome = await attempt(notifier, item, batch.drawn, o.attemptTimeoutMs);
    const now = clock.now();
    if (outcome.ok) {
      // Recorded with the rest of the batch (sendBatch): what follows a post (its card's place)
      // before the post is marked sent. Both are written without waiting for the disk; commits
      // reach the disk in order, so if the mark is kept, so is the place, and if not, the row is
      // looked for and found, and both are written again.
      const result: TargetResult = { ...base, outcome: "sent" };
      batch.taken.push({ item, messageId: outcome.messageId, sentAt: now, result });
      const waited = now.getTime() - batch.taken[0]!.sentAt.getTime();
      if (waited >= RECORD_WITHIN_MS) await recordTaken(outbox, batch, o.deliveries);
      return result;
    }
    if (outcome.permanent || item.attempts >= o.maxAttempts) {
      const reason = outcome.permanent
        ? outcome.reason
        : `gave up after ${item.attempts} attempts: ${outcome.reason}`;
      if (await outbox.markFailed(item, reason)) await job.failed?.(item, reason);
      return { ...base, outcome: "failed", detail: reason };
    }
    const retryAt = new Date(now.getTime() + retryDelayMs(item.attempts, outcome.retryAfterMs, o));
    await outbox.markRetry(item, outcome.reason, retryAt);
    return {
      ...base,
      outcome: "retry",
      detail: `${outcome.reason}; next attempt at ${retryAt.toISOString()}`,
      retryAt,
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
    await job.delivered?.([{ item, messageId: look.messageId }]);
    await outbox.markSent(item, look.messageId, clock.now());
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
