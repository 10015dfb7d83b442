import type { RespondFn } from "@slack/bolt";
import type { Logger, Place, Rapport } from "../../src/index.ts";
import { isRapportError } from "../../src/index.ts";
import type { SlackPeople } from "./people.ts";

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
    return e.message;
  }
  logger.error({ err: e }, "a Slack request failed");
  return "Something went wrong on rapport's side; nothing already recorded was lost. Please try again in a minute.";
}

/**
 * Runs what a click or a shortcut asked for, then acknowledges Slack: the record is committed
 * before Slack hears back. A refusal or failure goes to the person alone, as an ephemeral message
 * that never replaces the card, and nothing is recorded.
 */
export async function acting(
  deps: SlackDeps,
  ack: () => Promise<void>,
  respond: RespondFn,
  work: () => Promise<void>,
): Promise<void> {
  try {
    await work();
    await ack();
  } catch (e) {
    await ack();
    await respond({
      response_type: "ephemeral",
      replace_original: false,
      text: userMessage(e, deps.logger),
    }).catch((err: unknown) =>
      deps.logger.warn({ err }, "could not tell a Slack user why their action was refused"),
    );
  }
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
