import type { LedgerEvent } from "../domain/events.ts";
import { systemClock, type Clock } from "../ports.ts";
import type { Store } from "../store/database.ts";
import { Ledger } from "../store/ledger.ts";
import { PartnershipStore } from "../store/partnerships.ts";
import { RecordStore } from "../store/records.ts";
import { MessageLinkStore } from "../store/message-links.ts";
import { ConversationStore } from "../store/conversations.ts";
import { OutboxStore } from "../store/outbox.ts";
import { WeekFiguresStore } from "../store/week-figures.ts";

/** What every service works with: the ledger, the read side and the clock. */
export interface Core {
  ledger: Ledger;
  partnerships: PartnershipStore;
  records: RecordStore;
  /** Which chat messages are the sources and cards of which issues and recommendations. */
  messages: MessageLinkStore;
  /** Conversations rapport may post into on its own (Teams). */
  conversations: ConversationStore;
  /** Messages waiting to be sent (reminders a person asked for). */
  outbox: OutboxStore;
  /** The figures of ended weeks, kept, and the ledger reads a digest's weeks need. */
  figures: WeekFiguresStore;
  clock: Clock;
}

/** Builds the core on an open store; `onRecorded` hears of each event really recorded. */
export function createCore(
  store: Store,
  options: {
    clock?: Clock;
    onRecorded?: (event: LedgerEvent) => void;
    /** Hears of a write nobody waited on that failed (figures kept for reuse). */
    onLaterWriteFailed?: (err: unknown) => void;
  } = {},
): Core {
  const clock = options.clock ?? systemClock;
  return {
    ledger: new Ledger(store, () => clock.now(), options.onRecorded),
    partnerships: new PartnershipStore(store),
    records: new RecordStore(store),
    messages: new MessageLinkStore(store),
    conversations: new ConversationStore(store),
    outbox: new OutboxStore(store),
    figures: new WeekFiguresStore(store, options.onLaterWriteFailed),
    clock,
  };
}
