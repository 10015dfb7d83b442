import { groupBy } from "../domain/group-by.ts";
import type { Clock } from "../ports.ts";
import type { InboxItem, InboxStore } from "../store/inbox.ts";

/** Processes one event taken in; throws to have it tried again later. */
export type InboxHandler = (
  payload: unknown,
  delivery: { deliveryId: string; attempt: number },
) => Promise<void>;

/**
 * The conversation an event belongs to (a channel, a person's App Home): events of one are
 * processed in the order they arrived, events of different ones side by side.
 */
export type InboxOrder = (payload: unknown) => string;

/** Where the inbox says what went wrong (rapport's logger fits). */
export interface InboxLog {
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

/** Rows one pass claims. */
const BATCH = 32;
/** Conversations processed side by side in a pass; each conversation's events one after another. */
const LANES = 8;
/** How long a claim holds a row: far longer than any listener runs. */
const LEASE_MS = 60_000;
/** Attempts before an event is given up (kept, with its reason): about an hour of retries. */
export const INBOX_MAX_ATTEMPTS = 20;
/** The longest the pump sleeps; rows another replica left behind are picked up within it. */
const LONGEST_SLEEP_MS = 30_000;
/** How long a processed event is remembered, so that a redelivery is still recognised. */
const REMEMBER_MS = 7 * 24 * 3_600_000;

/** How long a processed event may wait to be marked done with the others of its pass. */
const MARK_WITHIN_MS = 1_000;

/**
 * The events of a pass processed so far, marked done together: at the end of the pass, or once
 * the first has waited MARK_WITHIN_MS (a long pass must not leave finished events leased for its
 * whole length). Should marking fail, or the process die first, their leases lapse and they are
 * processed again, which records nothing twice.
 */
class DoneMarks {
  private items: InboxItem[] = [];
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly store: InboxStore,
    private readonly clock: Clock,
    private readonly logger: InboxLog,
  ) {}

  add(item: InboxItem): void {
    this.items.push(item);
    this.timer ??= setTimeout(() => {
      this.flush().catch((err: unknown) =>
        this.logger.warn(
          { err, component: "inbox" },
          "could not mark events done; they will be processed again",
        ),
      );
    }, MARK_WITHIN_MS);
  }

  async flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const items = this.items.splice(0);
    if (items.length > 0) await this.store.markAllDone(items, this.clock.now());
  }
}

/** The wait before attempt `attempts + 1`: 1 s, doubling, at most 5 minutes. */
export function inboxRetryDelayMs(attempts: number): number {
  return Math.min(300_000, 1_000 * 2 ** Math.max(0, attempts - 1));
}

/**
 * Events a platform delivers and rapport acknowledges before it has processed them: each is
 * first stored (`receive`, which throws when it cannot be, so the caller does not acknowledge),
 * then processed by the pump, once, with retries. A listener that fails (the database down, the
 * platform busy) leaves the event in the inbox for a later attempt; a crash mid-way leaves it
 * for the next pass here or on another replica. Processing twice records nothing twice: the
 * ledger is idempotent on the platform's ids.
 */
export class Inbox {
  private readonly handlers = new Map<string, { handle: InboxHandler; order: InboxOrder }>();
  private running: Promise<void> | null = null;
  private again = false;
  private timer: NodeJS.Timeout | null = null;
  private started = false;
  private stopped = false;
  private lastPurge = 0;

  constructor(
    private readonly store: InboxStore,
    private readonly clock: Clock,
    private readonly logger: InboxLog,
  ) {}

  /**
   * Names the handler of `platform`'s events, and which conversation each belongs to (by default
   * all to one: processed strictly in the order received).
   */
  serve(platform: string, handler: InboxHandler, order: InboxOrder = () => ""): void {
    this.handlers.set(platform, { handle: handler, order });
  }

  /**
   * Stores an event under the platform's id for it and wakes the pump; false when that id was
   * already taken in (a redelivery). Throws when it cannot be stored: do not acknowledge it then.
   */
  async receive(platform: string, deliveryId: string, payload: unknown): Promise<boolean> {
    const fresh = await this.store.receive(platform, deliveryId, payload, this.clock.now());
    if (fresh) this.wake();
    return fresh;
  }

  /** Starts processing (what earlier processes left, then whatever arrives). */
  start(): void {
    this.started = true;
    this.wake();
  }

  /** Stops waking, and resolves once the pass in progress has finished. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }

  /** Processes what is due, now or right after the pass in progress. */
  wake(): void {
    if (!this.started || this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.pass()
      .catch((err: unknown) => {
        // The database is out of reach: the rows wait there; try again shortly.
        this.logger.warn({ err, component: "inbox" }, "could not read the inbox; trying again in 5 s");
        this.sleep(5_000);
      })
      .finally(() => {
        this.running = null;
        if (this.again) {
          this.again = false;
          this.wake();
        }
      });
  }

  private async pass(): Promise<void> {
    const platforms = [...this.handlers.keys()];
    const claimed = await this.store.claimDue(BATCH, this.clock.now(), LEASE_MS, platforms);
    // A whole office reporting at once is many conversations: each one's events in order, up to
    // LANES of them at a time, rather than every event of every conversation one by one.
    const queues = [...this.conversations(claimed).values()];
    const done = new DoneMarks(this.store, this.clock, this.logger);
    const lane = async () => {
      for (let queue = queues.shift(); queue; queue = queues.shift()) {
        for (const item of queue) {
          if (this.stopped) return;
          if (await this.process(item)) done.add(item);
        }
      }
    };
    const lanes = await Promise.allSettled(Array.from({ length: Math.min(LANES, queues.length) }, lane));
    await done.flush();
    const failed = lanes.find((l) => l.status === "rejected");
    if (failed) throw failed.reason;
    await this.purgeNowAndThen();
    if (claimed.length === BATCH && !this.stopped) {
      this.again = true;
      return;
    }
    const next = await this.store.nextDue(platforms);
    this.sleep(next ? next.getTime() - this.clock.now().getTime() : LONGEST_SLEEP_MS);
  }

  /** The claimed rows by conversation, each in claim order (the order received). */
  private conversations(claimed: readonly InboxItem[]): Map<string, InboxItem[]> {
    return groupBy(claimed, (item) => {
      try {
        return `${item.platform} ${this.handlers.get(item.platform)!.order(item.payload)}`;
      } catch {
        return item.platform;
      }
    });
  }

  /** Processes one event; true once it was, false when it was put back for a retry or given up. */
  private async process(item: InboxItem): Promise<boolean> {
    const handler = this.handlers.get(item.platform)!.handle;
    try {
      await handler(item.payload, { deliveryId: item.deliveryId, attempt: item.attempts });
      return true;
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      const log = { err, component: "inbox", platform: item.platform, id: item.deliveryId };
      if (item.attempts >= INBOX_MAX_ATTEMPTS) {
        this.logger.error({ ...log, attempts: item.attempts }, "gave up an event after its last attempt");
        await this.store.markFailed(item, reason, this.clock.now());
        return false;
      }
      const delay = inboxRetryDelayMs(item.attempts);
      this.logger.warn(
        { ...log, attempt: item.attempts, retryInMs: delay },
        "an event failed; it will be retried",
      );
      await this.store.markRetry(item, reason, new Date(this.clock.now().getTime() + delay));
      return false;
    }
  }

  private async purgeNowAndThen(): Promise<void> {
    const now = this.clock.now().getTime();
    if (now - this.lastPurge < 3_600_000) return;
    this.lastPurge = now;
    await this.store.purge(new Date(now - REMEMBER_MS));
  }

  private sleep(ms: number): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(
      () => {
        this.timer = null;
        this.wake();
      },
      Math.min(LONGEST_SLEEP_MS, Math.max(50, ms)),
    );
    this.timer.unref();
  }
}
