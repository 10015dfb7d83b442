import type { CardDocument } from "../domain/card.ts";
import { issueCardDocument, recommendationCardDocument } from "../domain/card-records.ts";
import { groupBy } from "../domain/group-by.ts";
import type { Partnership } from "../domain/partnership.ts";
import type { Issue, Recommendation } from "../domain/records.ts";
import type { Place, Platform } from "../domain/vocabulary.ts";
import type { JobResult } from "../jobs/job-result.ts";
import { OutboxPump } from "../jobs/outbox-pump.ts";
import { nudgeDeliveries } from "../jobs/unreachable-lead.ts";
import { givingWayTo, type JobDelivery } from "../jobs/outbox-sender.ts";
import type { Answering, Destination, Notifier, Notifiers } from "../ports.ts";
import type { MessageLink } from "../store/message-links.ts";
import type { OutboxEntry, OutboxItem } from "../store/outbox.ts";
import type { RecordRef } from "../store/records.ts";
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

  /**
   * `onPass` hears how each pass went; with `answering`, the requests this process answers, cards
   * wait for a pause between them (see `givingWayTo`).
   */
  constructor(
    private readonly core: Core,
    private readonly onPass: (result: JobResult) => void = () => {},
    private readonly answering?: Answering,
  ) {}

  /** Posts and redraws through `notifier` on its platform. */
  connect(notifier: Notifier): void {
    this.notifiers[notifier.platform] = notifier;
    void this.pump?.stop();
    this.pump = new OutboxPump(
      this.core.outbox,
      this.notifiers,
      this.core.clock,
      {
        deliveries: { ...cardDeliveries(this.core), ...nudgeDeliveries(this.core) },
        ...(this.answering ? { giveWay: givingWayTo(this.answering) } : {}),
      },
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
    const entry = cardEntry(partnership.id, periodOf(subject), at);
    await this.core.outbox.enqueue(
      { ...entry, message: this.document(partnership, subject) },
      this.core.clock.now(),
    );
    this.wake();
  }

  /** Sends what was queued without `post` (a card written with its issue) now rather than on the next pass. */
  wake(): void {
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
    await this.core.messages.remember(linkOf(partnership.id, subject, at, kind));
  }
}

/**
 * The outbox row of a new issue's card at `at`, queued in the same write as the issue (whose key
 * that write assigns): it stores no card, which is drawn when sent, as every card is.
 */
export function newIssueCard(partnershipId: string, issueId: string, at: CardSpot): OutboxEntry {
  return { ...cardEntry(partnershipId, `issue:${issueId}`, at), message: null };
}

function cardEntry(partnershipId: string, period: string, at: CardSpot): Omit<OutboxEntry, "message"> {
  const { platform, workspaceId, channelId } = at.place;
  const destination: Destination = {
    kind: "channel",
    platform,
    workspaceId,
    channelId,
    ...(at.threadId ? { threadId: at.threadId } : {}),
  };
  return { job: CARD_JOBS.post, period, partnershipId, destination };
}

/** The tie of a chat message to a subject: its card, or the message it came from. */
export function linkOf(
  partnershipId: string,
  subjectId: string,
  at: Place & { channelId: string; messageId: string },
  kind: "card" | "source",
): MessageLink {
  const { platform, workspaceId, channelId, messageId } = at;
  return { platform, workspaceId, channelId, messageId, partnershipId, subjectId, kind };
}

function cardDocument(core: Core, partnership: Partnership, subject: CardSubject): CardDocument {
  return subject.kind === "issue"
    ? issueCardDocument(subject.issue, partnership, { now: core.clock.now() })
    : recommendationCardDocument(subject.recommendation, partnership, { now: core.clock.now() });
}

/**
 * How the outbox sends card rows, wherever it runs (the pump, `rapport jobs run`): each card is
 * drawn from its subject as it stands when its batch is sent (the batch's subjects read together),
 * and a new card's place is remembered once posted (the batch's places written together).
 */
export function cardDeliveries(core: Core): Record<string, JobDelivery> {
  const render = async (items: readonly OutboxItem[]) => {
    const drawn = new Map<string, CardDocument | null>();
    const subjects = await subjectsOf(core, items);
    for (const [partnershipId, rows] of groupBy(items, (item) => item.partnershipId)) {
      const partnership = await core.partnerships.find(partnershipId);
      if (!partnership) continue;
      for (const item of rows) {
        const subject = subjects.get(`${partnershipId}:${subjectKey(item)}`);
        drawn.set(item.id, subject ? cardDocument(core, partnership, subject) : null);
      }
    }
    return drawn;
  };
  return {
    [CARD_JOBS.post]: {
      render,
      delivered: async (sent) => {
        const links = sent.flatMap(({ item, messageId }) => {
          const to = item.destination;
          if (!messageId || to.kind !== "channel") return [];
          const subjectId = item.period.split(":")[1]!;
          return [linkOf(item.partnershipId, subjectId, { ...to, messageId }, "card")];
        });
        await core.messages.rememberAll(links, { relaxed: true });
      },
    },
    [CARD_JOBS.redraw]: { render },
  };
}

/** What a card row is about: its period's first two parts (a redraw's period then names the message). */
const subjectKey = (item: OutboxItem): string => item.period.split(":").slice(0, 2).join(":");

/**
 * The subjects card rows are about, as they stand now, by partnership and `subjectKey`
 * ("<partnership id>:issue:<id>"): one read per kind for the whole batch, whatever partnerships
 * its rows belong to. A subject not found (or not of the row's partnership) is left out.
 */
async function subjectsOf(core: Core, items: readonly OutboxItem[]): Promise<Map<string, CardSubject>> {
  const wanted = { issue: [] as RecordRef[], recommendation: [] as RecordRef[] };
  for (const item of items) {
    const [kind, id] = subjectKey(item).split(":");
    if ((kind === "issue" || kind === "recommendation") && id)
      wanted[kind].push({ partnershipId: item.partnershipId, id });
  }
  const subjects = new Map<string, CardSubject>();
  const add = (partnershipId: string, subject: CardSubject) =>
    subjects.set(`${partnershipId}:${periodOf(subject)}`, subject);
  for (const issue of await core.records.issuesByRef(wanted.issue))
    add(issue.partnershipId, { kind: "issue", issue });
  for (const recommendation of await core.records.recommendationsByRef(wanted.recommendation))
    add(recommendation.partnershipId, { kind: "recommendation", recommendation });
  return subjects;
}
