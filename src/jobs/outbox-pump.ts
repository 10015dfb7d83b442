import type { Platform } from "../domain/vocabulary.ts";
import type { Clock, Notifiers } from "../ports.ts";
import type { OutboxStore } from "../store/outbox.ts";
import type { JobResult } from "./job-result.ts";
import { SEND_CONCURRENCY, sendDueMessages, type SenderOptions } from "./outbox-sender.ts";

/** The longest the pump sleeps while rows wait for a later attempt; the scheduled jobs also send them. */
const LONGEST_SLEEP_MS = 60_000;
/**
 * How often a pass also sets aside the rows of platforms not configured here: once a minute, as the
 * scheduled jobs do, rather than after every card queued.
 */
const SET_ASIDE_EVERY_MS = 60_000;

/**
 * Sends what a request just queued (a card, a redraw) at once rather than at the next scheduled
 * tick, and what waits for a later attempt when it falls due. One pass runs at a time; a wake
 * during a pass runs one more after it, and so does a pass that stopped at its limit. Rows stay in
 * the outbox until sent, so a crash loses nothing: the next pass, here or on another replica,
 * sends them.
 */
export class OutboxPump {
  private running: Promise<void> | null = null;
  private again = false;
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;
  private setAsideAt: number | null = null;

  constructor(
    private readonly outbox: OutboxStore,
    private readonly notifiers: Notifiers,
    private readonly clock: Clock,
    private readonly options: SenderOptions,
    private readonly onPass: (result: JobResult) => void = () => {},
  ) {}

  /** Sends what is due, now or right after the pass in progress. */
  wake(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.pass()
      .catch(() => {
        // A pass never throws (the sender returns failures); if the database is gone, sleep on it.
        this.sleepUntil(new Date(this.clock.now().getTime() + 5_000));
      })
      .finally(() => {
        this.running = null;
        if (this.again) {
          this.again = false;
          this.wake();
        }
      });
  }

  /** Stops waking, and resolves once the pass in progress has finished. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }

  private async pass(): Promise<void> {
    const now = this.clock.now().getTime();
    const setAside = this.setAsideAt === null || now - this.setAsideAt >= SET_ASIDE_EVERY_MS;
    if (setAside) this.setAsideAt = now;
    const options = { concurrency: SEND_CONCURRENCY, setAside, ...this.options };
    const result = await sendDueMessages(this.outbox, this.notifiers, this.clock, options);
    this.onPass(result);
    // Woken during the pass (more was queued): the next pass starts at once, no need to ask when.
    if (this.again) return;
    const platforms = (Object.keys(this.notifiers) as Platform[]).filter((p) => this.notifiers[p]);
    const next = await this.outbox.nextDue(platforms);
    if (next && next.getTime() <= this.clock.now().getTime() && result.targets.length > 0) {
      // Stopped at its limit with rows still due: go on.
      this.again = true;
    } else if (next) this.sleepUntil(next);
  }

  private sleepUntil(at: Date): void {
    if (this.stopped) return;
    const ms = Math.min(LONGEST_SLEEP_MS, Math.max(250, at.getTime() - this.clock.now().getTime()));
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.wake();
    }, ms);
    this.timer.unref();
  }
}
