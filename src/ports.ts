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
 * Posts and redraws card documents on one chat platform: the one port through which rapport's
 * cards, digests and nudges reach people. Implemented by each adapter (SlackNotifier, TeamsNotifier).
 */
export interface Notifier {
  readonly platform: Platform;
  send(to: Destination, message: CardDocument): Promise<DeliveryOutcome>;
  /** Replaces a message rapport posted with a new drawing of its card. */
  redraw(at: PostedMessage, message: CardDocument): Promise<DeliveryOutcome>;
}

/** The notifier of each platform that is configured here. */
export type Notifiers = Partial<Record<Platform, Notifier>>;
