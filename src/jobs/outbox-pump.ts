import type { Clock, Notifiers } from "../ports.ts";
import type { OutboxStore } from "../store/outbox.ts";
import type { JobResult } from "./job-result.ts";
import { sendDueMessages, type SenderOptions } from "./outbox-sender.ts";

/** How soon a row the platform asked to wait for is tried again when nothing else wakes the pump. */
const RETRY_WAKE_MS = 5_000;

/**
 * Sends what a request just queued (a card, a redraw) at once rather than at the next scheduled
 * tick. One pass runs at a time; a wake during a pass runs one more after it. Rows stay in the
 * outbox until sent, so a crash loses nothing: the next pass, here or on another replica, sends them.
 */
export class OutboxPump {
  private running: Promise<void> | null = null;
  private again = false;
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;

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
    this.running = this.pass().finally(() => {
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
    await this.running;
  }

  private async pass(): Promise<void> {
    const result = await sendDueMessages(this.outbox, this.notifiers, this.clock, this.options);
    this.onPass(result);
    if (result.targets.some((t) => t.outcome === "retry") && !this.timer && !this.stopped) {
      this.timer = setTimeout(() => {
        this.timer = null;
        this.wake();
      }, RETRY_WAKE_MS);
      this.timer.unref();
    }
  }
}
