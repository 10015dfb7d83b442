import { setTimeout as sleep } from "node:timers/promises";
import type { CardDocument } from "../../../src/domain/card.ts";
import type { Platform } from "../../../src/domain/vocabulary.ts";
import type {
  DeliveryMark,
  DeliveryOutcome,
  Destination,
  LookOutcome,
  Notifier,
  PostedMessage,
} from "../../../src/ports.ts";

/**
 * A Notifier that records each post and redraw and answers with scripted outcomes (then ok,
 * with message ids m1, m2, …), optionally after a delay. Like Slack, it can look for a post by
 * the mark it carried.
 */
export class RecordingNotifier implements Notifier {
  readonly sent: Array<{ to: Destination; message: CardDocument; mark?: DeliveryMark; id: string }> = [];
  readonly redrawn: Array<{ at: PostedMessage; message: CardDocument }> = [];
  constructor(
    readonly platform: Platform,
    private readonly script: DeliveryOutcome[] = [],
    private readonly delayMs = 0,
  ) {}

  async send(to: Destination, message: CardDocument, mark?: DeliveryMark): Promise<DeliveryOutcome> {
    if (this.delayMs) await sleep(this.delayMs);
    const outcome = this.script.shift() ?? { ok: true, messageId: `m${this.sent.length + 1}` };
    if (outcome.ok) this.sent.push({ to, message, ...(mark ? { mark } : {}), id: outcome.messageId ?? "" });
    return outcome;
  }

  async findDelivered(_to: Destination, mark: DeliveryMark): Promise<LookOutcome> {
    const found = this.sent.find((s) => s.mark?.deliveryId === mark.deliveryId);
    return found ? { found: true, messageId: found.id } : { found: false };
  }

  async redraw(at: PostedMessage, message: CardDocument): Promise<DeliveryOutcome> {
    this.redrawn.push({ at, message });
    return { ok: true, messageId: at.messageId };
  }

  /** What was sent to channels, or to people. */
  to(kind: Destination["kind"]) {
    return this.sent.filter((s) => s.to.kind === kind);
  }
}
