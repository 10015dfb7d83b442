import type { CardDocument } from "../domain/card.ts";
import { issueCardDocument, recommendationCardDocument } from "../domain/card-records.ts";
import type { Partnership } from "../domain/partnership.ts";
import type { Issue, Recommendation } from "../domain/records.ts";
import type { Place, Platform } from "../domain/vocabulary.ts";
import type { DeliveryOutcome, Notifier, Notifiers } from "../ports.ts";
import type { MessageLink } from "../store/message-links.ts";
import type { Core } from "./core.ts";

/** What a card shows: an issue or a recommendation. */
export type CardSubject =
  { kind: "issue"; issue: Issue } | { kind: "recommendation"; recommendation: Recommendation };

/** Where a card goes: a channel or conversation, optionally in the thread of one of its messages. */
export interface CardSpot {
  place: Place & { channelId: string };
  threadId?: string;
}

/** A card that could not be redrawn, and why. */
export interface RedrawFailure {
  at: MessageLink;
  reason: string;
}

const subjectId = (s: CardSubject): string => (s.kind === "issue" ? s.issue.id : s.recommendation.id);

/**
 * The cards of issues and recommendations: posting one, remembering where it is, and redrawing
 * every copy after a change happen here, on either platform, through the platform's Notifier.
 */
export class CardBoard {
  private readonly notifiers: Notifiers = {};

  constructor(private readonly core: Core) {}

  /** Posts and redraws through `notifier` on its platform. */
  connect(notifier: Notifier): void {
    this.notifiers[notifier.platform] = notifier;
  }

  /** The card of a subject as it stands now. */
  document(partnership: Partnership, subject: CardSubject): CardDocument {
    return subject.kind === "issue"
      ? issueCardDocument(subject.issue, partnership, { now: this.core.clock.now() })
      : recommendationCardDocument(subject.recommendation, partnership, { now: this.core.clock.now() });
  }

  /** Posts a subject's card and remembers where, so replies in its thread and later changes find it. */
  async post(partnership: Partnership, subject: CardSubject, at: CardSpot): Promise<DeliveryOutcome> {
    const { platform, workspaceId, channelId } = at.place;
    const notifier = this.notifiers[platform];
    if (!notifier) return unconfigured(platform);
    const outcome = await notifier.send(
      {
        kind: "channel",
        platform,
        workspaceId,
        channelId,
        ...(at.threadId ? { threadId: at.threadId } : {}),
      },
      this.document(partnership, subject),
    );
    if (outcome.ok && outcome.messageId) {
      await this.remember(
        partnership,
        subjectId(subject),
        { ...at.place, messageId: outcome.messageId },
        "card",
      );
    }
    return outcome;
  }

  /**
   * Redraws every card of a subject, on every platform, except `except` (a card the platform
   * redraws itself, such as the Teams card whose button was clicked). A card deleted by someone,
   * or in a channel rapport left, does not stop the others; the failures are returned.
   */
  async redraw(
    partnership: Partnership,
    subject: CardSubject,
    options: { except?: { platform: Platform; messageId: string } } = {},
  ): Promise<RedrawFailure[]> {
    const document = this.document(partnership, subject);
    const links = await this.core.messages.ofSubject(partnership.id, subjectId(subject));
    const failures: RedrawFailure[] = [];
    for (const link of links.filter((l) => l.kind === "card")) {
      const { except } = options;
      if (except && link.platform === except.platform && link.messageId === except.messageId) continue;
      const notifier = this.notifiers[link.platform];
      const outcome = notifier ? await notifier.redraw(link, document) : unconfigured(link.platform);
      if (!outcome.ok) failures.push({ at: link, reason: outcome.reason });
    }
    return failures;
  }

  /** Remembers a message as a subject's card, or as the message it came from. */
  async remember(
    partnership: Partnership,
    subject: string,
    at: Place & { channelId: string; messageId: string },
    kind: "card" | "source",
  ): Promise<void> {
    await this.core.messages.remember({
      platform: at.platform,
      workspaceId: at.workspaceId,
      channelId: at.channelId,
      messageId: at.messageId,
      partnershipId: partnership.id,
      subjectId: subject,
      kind,
    });
  }
}

function unconfigured(platform: Platform): DeliveryOutcome {
  return { ok: false, permanent: true, reason: `${platform} is not configured here` };
}
