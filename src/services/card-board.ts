import type { CardDocument } from "../domain/card.ts";
import { issueCardDocument, recommendationCardDocument } from "../domain/card-records.ts";
import type { Partnership } from "../domain/partnership.ts";
import type { Issue, Recommendation } from "../domain/records.ts";
import type { Place, Platform } from "../domain/vocabulary.ts";
import type { JobResult } from "../jobs/job-result.ts";
import { OutboxPump } from "../jobs/outbox-pump.ts";
import { nudgeDeliveries } from "../jobs/unreachable-lead.ts";
import type { JobDelivery } from "../jobs/outbox-sender.ts";
import type { Destination, Notifier, Notifiers } from "../ports.ts";
import type { OutboxItem } from "../store/outbox.ts";
import type { Core } from "./core.ts";

/** What a card shows: an issue or a recommendation. */
export type CardSubject =
  { kind: "issue"; issue: Issue } | { kind: "recommendation"; recommendation: Recommendation };

/** Where a card goes: a channel or conversation, optionally in the thread of one of its messages. */
export interface CardSpot {
  place: Place & { channelId: string };
  threadId?: string;
}

/** The outbox jobs of cards: a new card, and a card drawn again in place after a change. */
export const CARD_JOBS = { post: "card", redraw: "card-redraw" } as const;

const subjectId = (s: CardSubject): string => (s.kind === "issue" ? s.issue.id : s.recommendation.id);

/** A card row's period names its subject ("issue:<id>" or "recommendation:<id>"). */
const periodOf = (s: CardSubject): string => `${s.kind}:${subjectId(s)}`;

/**
 * The cards of issues and recommendations: posting one, remembering where it is, and redrawing
 * every copy after a change happen here, on either platform. Each is a row in the outbox, queued
 * before the person who acted hears back and sent at once by the pump (or by the next pass of
 * the jobs, on any replica): a crash right after the acknowledgement still posts the card, once.
 * A card is drawn when it is sent, so it shows its subject as it stands then.
 */
export class CardBoard {
  private readonly notifiers: Notifiers = {};
  private pump: OutboxPump | null = null;

  constructor(
    private readonly core: Core,
    private readonly onPass: (result: JobResult) => void = () => {},
  ) {}

  /** Posts and redraws through `notifier` on its platform. */
  connect(notifier: Notifier): void {
    this.notifiers[notifier.platform] = notifier;
    void this.pump?.stop();
    this.pump = new OutboxPump(
      this.core.outbox,
      this.notifiers,
      this.core.clock,
      { deliveries: { ...cardDeliveries(this.core), ...nudgeDeliveries(this.core) } },
      this.onPass,
    );
  }

  /** Stops sending; resolves once a pass in progress has finished. */
  async stop(): Promise<void> {
    await this.pump?.stop();
  }

  /** The card of a subject as it stands now. */
  document(partnership: Partnership, subject: CardSubject): CardDocument {
    return cardDocument(this.core, partnership, subject);
  }

  /** Queues a subject's card for `at`; once posted, where it went is remembered for replies and redraws. */
  async post(partnership: Partnership, subject: CardSubject, at: CardSpot): Promise<void> {
    const { platform, workspaceId, channelId } = at.place;
    const destination: Destination = {
      kind: "channel",
      platform,
      workspaceId,
      channelId,
      ...(at.threadId ? { threadId: at.threadId } : {}),
    };
    await this.core.outbox.enqueue(
      {
        job: CARD_JOBS.post,
        period: periodOf(subject),
        partnershipId: partnership.id,
        destination,
        message: this.document(partnership, subject),
      },
      this.core.clock.now(),
    );
    this.pump?.wake();
  }

  /**
   * Queues a redraw of every card of a subject, on every platform, except `except` (a card the
   * platform redraws itself, such as the Teams card whose button was clicked). Returns how many.
   */
  async redraw(
    partnership: Partnership,
    subject: CardSubject,
    options: { except?: { platform: Platform; messageId: string } } = {},
  ): Promise<number> {
    const { except } = options;
    const links = (await this.core.messages.ofSubject(partnership.id, subjectId(subject))).filter(
      (l) =>
        l.kind === "card" && !(except && l.platform === except.platform && l.messageId === except.messageId),
    );
    const message = this.document(partnership, subject);
    const now = this.core.clock.now();
    for (const link of links) {
      await this.core.outbox.enqueue(
        {
          job: CARD_JOBS.redraw,
          period: `${periodOf(subject)}:${link.messageId}`,
          partnershipId: partnership.id,
          destination: {
            kind: "channel",
            platform: link.platform,
            workspaceId: link.workspaceId,
            channelId: link.channelId,
            replaces: link.messageId,
          },
          message,
          again: true,
        },
        now,
      );
    }
    if (links.length > 0) this.pump?.wake();
    return links.length;
  }

  /** Remembers a message as a subject's card, or as the message it came from. */
  async remember(
    partnership: Partnership,
    subject: string,
    at: Place & { channelId: string; messageId: string },
    kind: "card" | "source",
  ): Promise<void> {
    await rememberMessage(this.core, partnership.id, subject, at, kind);
  }
}

/** Ties a chat message to a subject: its card, or the message it came from. */
function rememberMessage(
  core: Core,
  partnershipId: string,
  subjectId: string,
  at: Place & { channelId: string; messageId: string },
  kind: "card" | "source",
  options: { relaxed?: boolean } = {},
): Promise<void> {
  const { platform, workspaceId, channelId, messageId } = at;
  return core.messages.remember(
    {
      platform,
      workspaceId,
      channelId,
      messageId,
      partnershipId,
      subjectId,
      kind,
    },
    options,
  );
}

function cardDocument(core: Core, partnership: Partnership, subject: CardSubject): CardDocument {
  return subject.kind === "issue"
    ? issueCardDocument(subject.issue, partnership, { now: core.clock.now() })
    : recommendationCardDocument(subject.recommendation, partnership, { now: core.clock.now() });
}

/**
 * How the outbox sends card rows, wherever it runs (the pump, `rapport jobs run`): each card is
 * drawn from its subject as it stands when sent, and a new card's place is remembered once posted.
 */
export function cardDeliveries(core: Core): Record<string, JobDelivery> {
  const render = async (item: OutboxItem): Promise<CardDocument | null> => {
    const found = await subjectOf(core, item);
    return found ? cardDocument(core, found.partnership, found.subject) : null;
  };
  return {
    [CARD_JOBS.post]: {
      render,
      delivered: async (item, messageId) => {
        const to = item.destination;
        if (!messageId || to.kind !== "channel") return;
        const subjectId = item.period.split(":")[1]!;
        await rememberMessage(core, item.partnershipId, subjectId, { ...to, messageId }, "card", {
          relaxed: true,
        });
      },
    },
    [CARD_JOBS.redraw]: { render },
  };
}

/** The subject a card row is about, as it stands now, or null when it cannot be found. */
async function subjectOf(
  core: Core,
  item: OutboxItem,
): Promise<{ partnership: Partnership; subject: CardSubject } | null> {
  const [kind, id] = item.period.split(":");
  const partnership = await core.partnerships.find(item.partnershipId);
  if (!partnership || !id) return null;
  if (kind === "issue") {
    const issue = await core.records.issue(partnership.id, id);
    return issue ? { partnership, subject: { kind, issue } } : null;
  }
  const recommendation = await core.records.recommendation(partnership.id, id);
  return recommendation ? { partnership, subject: { kind: "recommendation", recommendation } } : null;
}
