import type { CardDocument } from "./domain/card.ts";
import type { Platform } from "./domain/vocabulary.ts";

/** The time as the core sees it; tests substitute a clock they control. */
export interface Clock {
  now(): Date;
}

/** The wall clock. */
export const systemClock: Clock = { now: () => new Date() };

/** Where a message goes: a linked channel, or one person by direct message. */
export type Destination =
  | { kind: "channel"; platform: Platform; workspaceId: string; channelId: string }
  | { kind: "person"; platform: Platform; workspaceId: string; userId: string };

/** What a delivery attempt came to; `permanent` failures are recorded, not retried. */
export type DeliveryOutcome =
  | { ok: true; messageId: string | null }
  | { ok: false; permanent: boolean; reason: string; retryAfterMs?: number };

/** Sends card documents on one chat platform. Implemented by each adapter (SlackNotifier, TeamsNotifier). */
export interface Notifier {
  readonly platform: Platform;
  send(to: Destination, message: CardDocument): Promise<DeliveryOutcome>;
}
