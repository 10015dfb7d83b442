import type { Authorize } from "@slack/bolt";
import { WebClient, type WebClientOptions } from "@slack/web-api";
import type { Logger } from "../../src/index.ts";
import { boltLogger } from "./bolt-logger.ts";
import type { SlackConfig } from "./settings.ts";

/**
 * How long a Web API call made while Slack waits for rapport's answer may take: short enough that
 * an answer saying so still reaches Slack within its 3 seconds (and a trigger_id's).
 */
export const REQUEST_PATH_TIMEOUT_MS = 2_000;

/**
 * How long one Web API call made for the outbox may take: a little under the outbox's own limit
 * per attempt, so Slack's error, not the outbox's, says what happened.
 */
export const OUTBOX_CALL_TIMEOUT_MS = 15_000;

/** The Web API options of each kind of client rapport makes; each call returns fresh objects. */
export interface SlackClientOptions {
  /** Where the Web API is (SLACK_API_URL, or Slack's own). */
  api(): WebClientOptions;
  /**
   * For calls made while Slack waits for rapport's answer (the listeners' `client`, OAuth's token
   * exchange): no built-in retries, no waiting out a 429, and a timeout short enough to answer in time.
   */
  requestPath(): WebClientOptions;
  /**
   * For Socket Mode's apps.connections.open: the same address and timeout, and the client's own
   * reconnection retries (it adds them to the object it is given, so each receiver gets its own).
   */
  connection(): WebClientOptions;
}

/** The Web API options rapport's Slack clients are built with, from its settings. */
export function slackClientOptions(config: SlackConfig): SlackClientOptions {
  const api = (): WebClientOptions => (config.apiUrl ? { slackApiUrl: config.apiUrl } : {});
  return {
    api,
    requestPath: () => ({
      ...api(),
      retryConfig: { retries: 0 },
      rejectRateLimitedCalls: true,
      timeout: REQUEST_PATH_TIMEOUT_MS,
    }),
    connection: () => ({ ...api(), timeout: REQUEST_PATH_TIMEOUT_MS }),
  };
}

/**
 * Authorizes every request with the one bot token, at once. Bolt's own single-token authorization
 * calls auth.test when the app is built and keeps the answer, a failure included, for good: with
 * a client that does not retry, one 429 at start-up would refuse every request until a restart.
 * Here auth.test is asked in the background, with retries; until it answers, Bolt only cannot tell
 * rapport's own bot's events from others (rapport's listeners skip bot messages anyway). The
 * team goes into the result so that Bolt gives listeners a client holding the token.
 */
export function singleWorkspaceAuthorize(
  botToken: string,
  options: SlackClientOptions,
  logger: Logger,
): Authorize<boolean> {
  let bot: { botId?: string; botUserId?: string } = {};
  const client = new WebClient(botToken, { ...options.api(), timeout: 10_000, logger: boltLogger(logger) });
  client.auth.test().then(
    (r) =>
      (bot = { ...(r.bot_id ? { botId: r.bot_id } : {}), ...(r.user_id ? { botUserId: r.user_id } : {}) }),
    (err: unknown) => logger.warn({ err, component: "slack" }, "auth.test failed: is SLACK_BOT_TOKEN right?"),
  );
  return async (source) => ({
    botToken,
    ...bot,
    ...(source.teamId ? { teamId: source.teamId } : {}),
    ...(source.enterpriseId ? { enterpriseId: source.enterpriseId } : {}),
  });
}
