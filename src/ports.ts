import type { CardDocument } from "./domain/card.ts";
import type { Platform } from "./domain/vocabulary.ts";

/** The time as the core sees it; tests substitute a clock they control. */
export interface Clock {
  now(): Date;
}

/** The wall clock. */
export const systemClock: Clock = { now: () => new Date() };

/**
 * Where a message goes: a linked channel (in the thread of one of its messages, or in place of a
 * message rapport posted there earlier: `replaces`), or one person by direct message.
 */
export type Destination =
  | {
      kind: "channel";
      platform: Platform;
      workspaceId: string;
      channelId: string;
      threadId?: string;
      replaces?: string;
    }
  | { kind: "person"; platform: Platform; workspaceId: string; userId: string };

/** A message rapport posted earlier, to redraw. */
export interface PostedMessage {
  platform: Platform;
  workspaceId: string;
  channelId: string;
  messageId: string;
}

/** What a delivery attempt came to; `permanent` failures are recorded, not retried. */
export type DeliveryOutcome =
  | { ok: true; messageId: string | null }
  | { ok: false; permanent: boolean; reason: string; retryAfterMs?: number };

/**
 * What a post carries so that it can be recognised later: the outbox's id for this delivery, the
 * same on every attempt. A sender that cannot tell whether an earlier attempt arrived looks for it.
 */
export interface DeliveryMark {
  deliveryId: string;
}

/**
 * Whether an earlier post carrying a mark is in its conversation: found (with its id), not there,
 * or unknown: the platform could not be asked (`permanent` when asking can never work there, e.g.
 * a missing permission, or a platform that keeps no history a bot may read).
 */
export type LookOutcome =
  | { found: true; messageId: string | null }
  | { found: false }
  | { found: null; permanent: boolean; reason: string };

/**
 * Posts and redraws card documents on one chat platform: the one port through which rapport's
 * cards, digests and nudges reach people. Implemented by each adapter (SlackNotifier, TeamsNotifier).
 */
export interface Notifier {
  readonly platform: Platform;
  /** Posts a message; with a `mark`, marked so that `findDelivered` can recognise it. */
  send(to: Destination, message: CardDocument, mark?: DeliveryMark): Promise<DeliveryOutcome>;
  /**
   * Looks whether a post marked `mark` is already in `to`'s conversation. A notifier without it
   * cannot look, and a post whose outcome is unknown is then not repeated.
   */
  findDelivered?(to: Destination, mark: DeliveryMark): Promise<LookOutcome>;
  /** Replaces a message rapport posted with a new drawing of its card. */
  redraw(at: PostedMessage, message: CardDocument): Promise<DeliveryOutcome>;
}

/** The notifier of each platform that is configured here. */
export type Notifiers = Partial<Record<Platform, Notifier>>;

/**
 * The requests this process is answering. Work that can follow later (sending the outbox) waits
 * for a pause between them: when a whole office reports at once, every report is answered first
 * and the cards follow, rather than the two sharing the process turn by turn.
 */
export interface Answering {
  /** Resolves once no request is being answered, or after `atMostMs` at the latest. */
  pause(atMostMs: number): Promise<void>;
}
