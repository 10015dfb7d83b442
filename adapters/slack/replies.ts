import type { RespondFn } from "@slack/bolt";
import type { Logger, Place, Rapport } from "../../src/index.ts";
import { fitText, isRapportError, storedText } from "../../src/index.ts";
import type { SlackPeople } from "./people.ts";
import { slackUnavailable } from "./slack-errors.ts";

/** What every Slack listener works with: the core's use cases, a logger, and who Slack users are. */
export interface SlackDeps {
  rapport: Rapport;
  logger: Logger;
  people: SlackPeople;
}

/** Where a Slack action happened: the workspace (team) and the channel, if any. */
export function slackPlace(
  workspaceId: string | null | undefined,
  channelId: string | null | undefined,
): Place {
  return { platform: "slack", workspaceId: workspaceId ?? "", channelId: channelId ?? null };
}

/**
 * The sentence a person sees when something they did was refused or failed. The core's own errors
 * already say what to do; anything else is rapport's fault and is logged with its cause.
 */
export function userMessage(e: unknown, logger: Logger): string {
  if (isRapportError(e)) {
    logger.info({ code: e.code, err: e }, "refused a Slack request");
    return replyText(e.message);
  }
  if (slackUnavailable(e)) {
    logger.warn({ err: e }, "Slack was busy or out of reach during a Slack request");
    return SLACK_BUSY;
  }
  logger.error({ err: e }, "a Slack request failed");
  return "Something went wrong on rapport's side; nothing already recorded was lost. Please try again in a minute.";
}

/**
 * What a person typed in Slack (a message, a command's text), as rapport keeps it: mentions as
 * names where rapport knows them, links as "label (address)", nothing that pings anyone.
 */
export function chatText(deps: Pick<SlackDeps, "people">, text: string): string {
  return storedText(text, { markup: "mrkdwn", nameOf: (id) => deps.people.nameOf(id) });
}

/** Slack's limit on a message's `text`: 40,000 characters (it cuts longer text itself, or refuses it). */
export const SLACK_TEXT_LIMIT = { chars: 40_000 } as const;

/** Any text rapport sends a person in Slack, within Slack's limit on a message's text. */
export function replyText(text: string): string {
  return fitText(text, SLACK_TEXT_LIMIT);
}

/** What a person is told when Slack itself did not answer in time. */
export const SLACK_BUSY = "Slack is busy; try again in a minute.";

/**
 * Starts `work` without making Slack's answer wait for it: with processBeforeResponse, Bolt answers
 * only when the listener's promise settles, so whatever the listener awaits delays the answer.
 * A failure is logged.
 */
/**
 * Queues a card (a row in the outbox, no call to Slack) before Slack is answered, so a crash right
 * after the answer still posts it. Queueing again what was queued already queues nothing, so a
 * redelivery queues too, in case the first delivery stopped before it could. A failure is logged:
 * what was recorded stays recorded.
 */
export async function queueing(logger: Logger, failure: string, work: () => Promise<unknown>): Promise<void> {
  await Promise.resolve()
    .then(work)
    .catch((err: unknown) => logger.error({ err, component: "slack" }, failure));
}

export function inBackground(logger: Logger, failure: string, work: () => Promise<unknown>): void {
  Promise.resolve()
    .then(work)
    .catch((err: unknown) => logger.warn({ err, component: "slack" }, failure));
}

/**
 * Runs what a click or a shortcut asked for, then acknowledges Slack: the record is committed
 * before Slack hears back. What `work` returns is then said to the person alone, as an ephemeral
 * message that never replaces the card; so is a refusal or failure, and nothing is recorded.
 */
export async function acting(
  deps: SlackDeps,
  ack: () => Promise<void>,
  respond: RespondFn,
  work: () => Promise<string | null | void>,
): Promise<void> {
  let text: string | null;
  try {
    text = (await work()) ?? null;
  } catch (e) {
    text = userMessage(e, deps.logger);
  }
  await ack();
  if (!text) return;
  const reply = { response_type: "ephemeral" as const, replace_original: false, text: replyText(text) };
  inBackground(deps.logger, "could not tell a Slack user what became of their action", () => respond(reply));
}

/**
 * What rapport records about a Slack message an issue comes from: the platform's id for it (the
 * same message by shortcut, reaction or intake is one issue), a link back, when it was sent, and where.
 */
export function fromMessage(at: { workspaceId: string; channelId: string; ts: string }) {
  const url = `https://slack.com/archives/${at.channelId}/p${at.ts.replace(".", "")}`;
  return {
    source: { platform: "slack" as const, id: `msg:${at.channelId}:${at.ts}`, url },
    occurredAt: tsToDate(at.ts),
    message: {
      platform: "slack" as const,
      workspaceId: at.workspaceId,
      channelId: at.channelId,
      messageId: at.ts,
    },
  };
}

/** A Slack message timestamp ("1700000000.000100") as the instant it names. */
export function tsToDate(ts: string): Date {
  return new Date(Math.round(Number(ts) * 1000));
}
