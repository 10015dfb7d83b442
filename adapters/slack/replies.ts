import type { Core, Logger } from "../../src/index.ts";
import { isRapportError } from "../../src/index.ts";
import type { SlackPeople } from "./people.ts";

/** What every Slack listener works with. */
export interface SlackDeps {
  core: Core;
  logger: Logger;
  people: SlackPeople;
}

/** The words that tell a Slack user how to link a channel to a partnership. */
export const HOW_TO_LINK =
  "An admin can link it with `/itpartner setup` in this channel (or `rapport partnership link` on the server).";

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

/** The link to a Slack message, for the record (works in any workspace the user is in). */
export function messageUrl(channelId: string, ts: string): string {
  return `https://slack.com/archives/${channelId}/p${ts.replace(".", "")}`;
}

/** A Slack message timestamp ("1700000000.000100") as the instant it names. */
export function tsToDate(ts: string): Date {
  return new Date(Math.round(Number(ts) * 1000));
}
