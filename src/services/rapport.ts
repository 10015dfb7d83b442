import { RapportError } from "../domain/errors.ts";
import type { MessageRef } from "../domain/events.ts";
import type { Partnership } from "../domain/partnership.ts";
import type { Issue, Recommendation } from "../domain/records.ts";
import {
  type EventSource,
  type Place,
  type Platform,
  type PlatformUser,
  type Priority,
} from "../domain/vocabulary.ts";
import type { Conversation } from "../store/conversations.ts";
import { type CardActionId, type CardDocument, type CardSubject as CardClaim } from "../domain/card.ts";
import type { JobResult } from "../jobs/job-result.ts";
import type { Answering, Notifier } from "../ports.ts";
import { DECISIONS, issueChangeOf, UNREADABLE_ACTION } from "./card-actions.ts";
import { CardBoard, type CardSpot, type CardSubject } from "./card-board.ts";
import { authorize, standingActor, type Access } from "./access.ts";
import { REMIND_AFTER_DAYS, remindMe, type Reminder } from "./remind-me.ts";
import { announceChange, type AnnounceChangeInput } from "./announce-change.ts";
import { changePriority } from "./change-priority.ts";
import { clientReplied } from "./client-replied.ts";
import type { IssueActionResult } from "./command.ts";
import type { Core } from "./core.ts";
import { decideRecommendation, type Decision } from "./decide-recommendation.ts";
import { exportPartnershipFor, type PartnershipExport } from "./export-partnership.ts";
import { logCall, type LogCallInput } from "./log-call.ts";
import { logDirectRequest, type LogDirectRequestInput } from "./log-direct-request.ts";
import { recommend, type RecommendationResult, type RecommendInput } from "./recommend.ts";
import { reopenIssue } from "./reopen.ts";
import { reportIssue, type ReportIssueInput, type ReportIssueResult } from "./report-issue.ts";
import { resolveIssue } from "./resolve.ts";
import { respond } from "./respond.ts";
import { setUp, setupFormFor, type SetUpCommand, type SetUpResult, type SetupView } from "./set-up.ts";
import { waitOnClient } from "./wait-on-client.ts";
import { weeklyDigest, type WeeklyDigest } from "./weekly-digest.ts";
import { mapConcurrently } from "./concurrently.ts";

/**
 * Every use case's first three answers: where it happened, who did it, and the platform's own id
 * for the action (recording the same source twice records once). `partnershipId` is what the
 * action's card or form claims; the core checks it against the place and the person.
 */
export interface Request {
  place: Place;
  by: PlatformUser;
  source: EventSource;
  partnershipId?: string | null;
  /** When it happened in the world (a message's own timestamp); defaults to now. */
  occurredAt?: Date;
}

/** Where an action happened and who did it, for use cases that record nothing. */
export interface Visit {
  place: Place;
  by: PlatformUser;
  partnershipId?: string | null;
}

/** What can be done to an issue from its card or a command. */
export type IssueChange =
  | { kind: "acknowledge" }
  | { kind: "waitOnClient" }
  | { kind: "resolve" }
  | { kind: "reopen" }
  | { kind: "priority"; priority: Priority };

/** A partnership's scorecard for the week so far. */
export interface Scorecard {
  partnership: Partnership;
  digest: WeeklyDigest["digest"];
}

export { REMIND_AFTER_DAYS };

/** At most this many partnerships are shown where a person sees all of theirs (App Home, status). */
export const MAX_SHOWN_PARTNERSHIPS = 10;

/** Scorecards computed at once when a person sees several partnerships. */
const SCORECARDS_AT_ONCE = 4;

type Recorded<T> = Omit<T, "partnershipId" | "by" | "source" | "place" | "occurredAt" | "purpose">;

/**
 * rapport's application interface: one method per use case, the only way in for the chat
 * adapters. Each takes the place, the person and the command; each checks who may do it there
 * (`authorize`) before anything is recorded, and returns what the adapter needs to show, so no
 * adapter reads the database afterwards.
 */
export class Rapport {
  private readonly board: CardBoard;

  /**
   * `onDelivery` hears how each pass sending cards went (for the log and /metrics); with
   * `answering`, the requests this process answers, cards wait for a pause between them.
   */
  constructor(
    private readonly core: Core,
    onDelivery?: (result: JobResult) => void,
    answering?: Answering,
  ) {
    this.board = new CardBoard(core, onDelivery, answering);
  }

  /** Stops sending cards; resolves once a delivery in progress has finished. */
  stop(): Promise<void> {
    return this.board.stop();
  }

  /** The core's clock: cards and forms show times relative to it. */
  now(): Date {
    return this.core.clock.now();
  }

  // ---- where and who -------------------------------------------------------------------------

  /**
   * The partnership an action at `place` would be about, and the person's side in it, or a refusal
   * that says how to link the place. Adapters ask before opening a form for a linked place.
   */
  locate(visit: Visit & { purpose?: "support" | "digest" }): Promise<Access> {
    return authorize(this.core, visit);
  }

  /** The partnerships a person takes part in (a member, or of a provider's workspace or tenant). */
  async partnershipsOf(by: PlatformUser, options: { side?: "provider" } = {}): Promise<Partnership[]> {
    const all = await this.core.partnerships.listFor(by.platform, by.workspaceId, by.userId);
    if (!options.side) return all;
    const mine: Partnership[] = [];
    for (const p of all) if ((await standingActor(this.core, p, by)).side === options.side) mine.push(p);
    return mine;
  }

  // ---- issues --------------------------------------------------------------------------------

  /**
   * Records a new issue from typed text or form fields; the place must be linked for support.
   * With `card`, the issue's card is queued in the same write and sent at once.
   */
  async report(
    request: Request & Recorded<ReportIssueInput> & ({ text: string } | { fields: ReportFields }),
  ): Promise<ReportIssueResult> {
    const result = await reportIssue(this.core, {
      ...request,
      ...this.claim(request),
      purpose: "support",
    } as ReportIssueInput);
    return this.cardWritten(result, request);
  }

  /** Sends at once a card written with its issue (`card`), rather than on the pump's next pass. */
  private cardWritten(result: ReportIssueResult, request: { card?: unknown }): ReportIssueResult {
    if (request.card && result.created) this.board.wake();
    return result;
  }

  /** Acknowledges, puts on hold, resolves, reopens or re-prioritises an issue. */
  changeIssue(request: Request & { issue: string; change: IssueChange }): Promise<IssueActionResult> {
    const input = { ...request, ...this.claim(request), issue: request.issue };
    switch (request.change.kind) {
      case "acknowledge":
        return respond(this.core, { ...input, via: "button" });
      case "waitOnClient":
        return waitOnClient(this.core, input);
      case "resolve":
        return resolveIssue(this.core, input);
      case "reopen":
        return reopenIssue(this.core, input);
      case "priority":
        return changePriority(this.core, { ...input, priority: request.change.priority });
    }
  }

  /**
   * A reply in the thread of an issue's card or source message: the provider's first reply is its
   * response; a client's reply to an issue waiting on the client restarts the provider's clock.
   * Null when the thread belongs to no issue of the place's partnership.
   */
  async replyInThread(request: Request & { threadId: string }): Promise<IssueActionResult | null> {
    const { place } = request;
    if (!place.channelId) return null;
    const access = await authorize(this.core, { place, by: request.by, purpose: "support" });
    const link = await this.core.messages.find(
      place.platform,
      place.workspaceId,
      place.channelId,
      request.threadId,
    );
    if (!link || link.partnershipId !== access.partnership.id) return null;
    const issue = await this.core.records.issue(access.partnership.id, link.subjectId);
    if (!issue) return null;
    const input = { ...request, partnershipId: access.partnership.id, decided: access, issue: issue.id };
    return access.actor.side === "provider"
      ? respond(this.core, { ...input, via: "reply" })
      : clientReplied(this.core, input);
  }

  /**
   * A top-level message in a support channel with auto-intake on: a client's message becomes an
   * issue. Null when nothing is to be recorded (auto-intake off, a provider's message).
   */
  async intake(
    request: Request & { text: string; message: MessageRef } & Pick<ReportIssueInput, "card" | "linkMessage">,
  ): Promise<ReportIssueResult | null> {
    const access = await authorize(this.core, { place: request.place, by: request.by, purpose: "support" });
    if (!access.partnership.autoIntake || access.actor.side !== "client") return null;
    const input = { ...request, partnershipId: null, decided: access, via: "auto_intake" as const };
    return this.cardWritten(await reportIssue(this.core, input), request);
  }

  /** Logs a request a client sent a technician directly, and opens an issue for it. */
  logDirectRequest(request: Request & Recorded<LogDirectRequestInput>) {
    return logDirectRequest(this.core, { ...request, ...this.claim(request) });
  }

  // ---- recommendations, calls, changes --------------------------------------------------------

  /** The provider recommends something for the client to decide on. */
  recommend(request: Request & Recorded<RecommendInput>): Promise<RecommendationResult> {
    return recommend(this.core, { ...request, ...this.claim(request) });
  }

  /** The client accepts, declines or accepts the risk of a recommendation. */
  decide(request: Request & { recommendationId: string; decision: Decision; note?: string | null }) {
    return decideRecommendation(this.core, { ...request, ...this.claim(request) });
  }

  /** "Remind me" on a recommendation: a direct message on the third day at 09:00, on either platform. */
  remindMe(request: Visit & { recommendationId: string }): Promise<Reminder> {
    return remindMe(this.core, request);
  }

  /** Logs a scheduled call as held or missed. */
  logCall(request: Request & Recorded<LogCallInput>) {
    return logCall(this.core, { ...request, ...this.claim(request) });
  }

  /** The client gives the provider a heads-up about a change. */
  announceChange(request: Request & Recorded<AnnounceChangeInput>) {
    return announceChange(this.core, { ...request, ...this.claim(request) });
  }

  // ---- reading -------------------------------------------------------------------------------

  /**
   * The scorecard of the week so far: of the place's partnership, or, at a place linked to
   * nothing (a personal chat, App Home), of every partnership the person takes part in. With
   * `sharedPlace` the answer is seen by everyone there (a Teams channel or group chat), so a place
   * linked to nothing is refused with how to link it rather than showing the person's others.
   */
  async status(visit: Visit & { sharedPlace?: boolean }): Promise<Scorecard[]> {
    const linked = await this.linkedAt(visit.place);
    const partnerships =
      linked || visit.sharedPlace
        ? [(await authorize(this.core, visit)).partnership]
        : (await this.partnershipsOf(visit.by)).slice(0, MAX_SHOWN_PARTNERSHIPS);
    // A few at once: each waits on the database for part of its time, and App Home has seconds.
    return mapConcurrently(partnerships, SCORECARDS_AT_ONCE, async (partnership) => ({
      partnership,
      digest: (await weeklyDigest(this.core, partnership.id, this.now())).digest,
    }));
  }

  /** The last complete week's digest of the place's partnership. */
  async digest(visit: Visit): Promise<WeeklyDigest & { partnership: Partnership }> {
    const { partnership } = await authorize(this.core, visit);
    return { ...(await weeklyDigest(this.core, partnership.id)), partnership };
  }

  /** A partnership's whole record, for its admins and leads. */
  async export(visit: Visit): Promise<PartnershipExport> {
    const { partnership } = await authorize(this.core, visit);
    return exportPartnershipFor(this.core, partnership.id, visit.by);
  }

  // ---- set-up --------------------------------------------------------------------------------

  /** What the set-up form shows at a place: the linked partnership (if any), its people and links. */
  setupForm(visit: Visit): Promise<SetupView> {
    return setupFormFor(this.core, visit);
  }

  /** Creates or changes a partnership, links the place and records its people, all or nothing. */
  setUp(visit: Visit & { command: SetUpCommand }): Promise<SetUpResult> {
    return setUp(this.core, visit);
  }

  // ---- card buttons --------------------------------------------------------------------------

  /**
   * A button or menu on an issue or recommendation card, by its neutral id: runs the use case it
   * stands for, redraws every card of the subject after a change (except `redrawnByPlatform`, the
   * card a platform redraws in its own answer), and returns what to show the clicker: the card as
   * it now stands, or a sentence.
   */
  async cardAction(
    request: Request & {
      action: CardActionId;
      subject: CardClaim;
      /** The chosen option of a menu (a priority). */
      choice?: string | null;
      redrawnByPlatform?: { platform: Platform; messageId: string };
    },
  ): Promise<{ card: CardDocument; text?: undefined } | { card?: undefined; text: string }> {
    const { action, subject, choice, redrawnByPlatform, ...rest } = request;
    const claim = { ...rest, partnershipId: subject.partnershipId };
    const options = redrawnByPlatform ? { except: redrawnByPlatform } : {};
    if ("issueId" in subject) {
      const change = issueChangeOf(action, choice);
      const { issue, partnership, created } = await this.changeIssue({
        ...claim,
        issue: subject.issueId,
        change,
      });
      if (created) await this.redrawCards(partnership, { kind: "issue", issue }, options);
      return { card: this.cardOf(partnership, { kind: "issue", issue }) };
    }
    if (action === "recommendation.remind") {
      return { text: (await this.remindMe({ ...claim, recommendationId: subject.recommendationId })).text };
    }
    const decision = DECISIONS[action];
    if (!decision) throw new RapportError("invalid_input", UNREADABLE_ACTION);
    const { recommendation, partnership, created } = await this.decide({
      ...claim,
      recommendationId: subject.recommendationId,
      decision,
    });
    const drawn = { kind: "recommendation" as const, recommendation };
    if (created) await this.redrawCards(partnership, drawn, options);
    return { card: this.cardOf(partnership, drawn) };
  }

  // ---- cards ---------------------------------------------------------------------------------

  /** Posts and redraws cards through `notifier` on its platform (the composition root connects each). */
  connect(notifier: Notifier): void {
    this.board.connect(notifier);
  }

  /** The card of an issue or recommendation as it stands now (a platform that redraws in place draws it). */
  cardOf(partnership: Partnership, subject: CardSubject): CardDocument {
    return this.board.document(partnership, subject);
  }

  /**
   * Queues the card of an issue or recommendation for `at`: it is posted at once, or by the next
   * pass of the jobs if this process stops first, and where it went is remembered.
   */
  postCard(partnership: Partnership, subject: CardSubject, at: CardSpot): Promise<void> {
    return this.board.post(partnership, subject, at);
  }

  /**
   * Queues a redraw of every card of an issue or recommendation after it changed, on both
   * platforms; `except` is a card the platform redraws itself. Returns how many were queued.
   */
  redrawCards(
    partnership: Partnership,
    subject: CardSubject,
    options: { except?: { platform: Platform; messageId: string } } = {},
  ): Promise<number> {
    return this.board.redraw(partnership, subject, options);
  }

  /**
   * Remembers where a card was posted (by a platform that posts within its own reply), or the
   * message an issue came from, so replies in its thread and later changes find it.
   */
  rememberMessage(
    message: { place: Place & { channelId: string }; messageId: string },
    subject: { partnership: Partnership; subjectId: string; kind: "source" | "card" },
  ): Promise<void> {
    return this.board.remember(
      subject.partnership,
      subject.subjectId,
      { ...message.place, messageId: message.messageId },
      subject.kind,
    );
  }

  /** The support channels of a partnership on one platform (where a logged direct request's card goes). */
  async supportChannels(partnership: Partnership, platform: Platform): Promise<Place[]> {
    const channels = await this.core.partnerships.channels(partnership.id);
    return channels
      .filter((c) => c.platform === platform && c.purposes.includes("support"))
      .map((c) => ({ platform: c.platform, workspaceId: c.workspaceId, channelId: c.channelId }));
  }

  // ---- conversations rapport may post into on its own (Teams) -------------------------------

  /** Remembers (or refreshes) a conversation rapport was installed in or added to. */
  rememberConversation(conversation: Omit<Conversation, "gone">): Promise<void> {
    return this.core.conversations.remember(conversation);
  }

  /** Forgets a conversation of a workspace (tenant) rapport was removed from. */
  conversationGone(platform: Platform, workspaceId: string, conversationId: string): Promise<void> {
    return this.core.conversations.markGone(platform, workspaceId, conversationId, this.now());
  }

  /** The conversation that reaches a person or channel, or null when none is known. */
  conversationFor(platform: Platform, workspaceId: string, targetId: string): Promise<Conversation | null> {
    return this.core.conversations.reach(platform, workspaceId, targetId);
  }

  /**
   * The channels and group chats rapport was added to in a workspace (a Teams tenant): where it
   * can open a personal chat with someone who shares one of them.
   */
  conversationsSharedIn(platform: Platform, workspaceId: string): Promise<Conversation[]> {
    return this.core.conversations.sharedIn(platform, workspaceId);
  }

  // ---- internals -----------------------------------------------------------------------------

  private claim(request: { partnershipId?: string | null }): { partnershipId: string | null } {
    return { partnershipId: request.partnershipId ?? null };
  }

  private async linkedAt(place: Place): Promise<boolean> {
    if (!place.channelId) return false;
    return (
      (await this.core.partnerships.findChannel(place.platform, place.workspaceId, place.channelId)) !== null
    );
  }
}

/** The fields of an issue form. */
export type ReportFields = Extract<ReportIssueInput, { fields: unknown }>["fields"];

/** The issue a result is about, for adapters that draw cards of either kind. */
export type IssueOrRecommendation =
  { kind: "issue"; issue: Issue } | { kind: "recommendation"; recommendation: Recommendation };
