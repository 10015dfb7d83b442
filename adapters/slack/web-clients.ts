import type { Authorize } from "@slack/bolt";
import { WebClient, type WebClientOptions } from "@slack/web-api";
import { EnvHttpProxyAgent, fetch as proxiedFetch, type Dispatcher } from "undici";
import type { Logger } from "../../src/index.ts";
import { boltLogger } from "./bolt-logger.ts";
import type { SlackConfig } from "./settings.ts";
import { slackErrorCode } from "./slack-errors.ts";

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

/** How long Socket Mode's apps.connections.open may take before the attempt counts as failed. */
export const CONNECTION_TIMEOUT_MS = 5_000;

/** The Web API options of each kind of client rapport makes; each call returns fresh objects. */
export interface SlackClientOptions {
  /** Where the Web API is (SLACK_API_URL, or Slack's own), and the proxy on the way (HTTPS_PROXY). */
  api(): WebClientOptions;
  /** The proxy for Socket Mode's WebSocket (HTTPS_PROXY), or undefined to connect directly. */
  dispatcher(): Dispatcher | undefined;
  /**
   * For calls made while Slack waits for rapport's answer (the listeners' `client`, OAuth's token
   * exchange): no built-in retries, no waiting out a 429, and a timeout short enough to answer in time.
   */
  requestPath(): WebClientOptions;
  /**
   * For Socket Mode's apps.connections.open: the same address and proxy, one try per attempt (the
   * connection decides when to try again), and a timeout that keeps a reconnection short.
   */
  connection(): WebClientOptions;
}

/** The Web API options rapport's Slack clients are built with, from its settings. */
export function slackClientOptions(config: SlackConfig): SlackClientOptions {
  // One agent for every client: proxied connections are pooled, not opened per client.
  const dispatcher = config.proxy
    ? new EnvHttpProxyAgent({
        httpProxy: config.proxy.url,
        httpsProxy: config.proxy.url,
        ...(config.proxy.noProxy ? { noProxy: config.proxy.noProxy } : {}),
      })
    : undefined;
  const fetch = dispatcher
    ? (((url: string, init: object) =>
        proxiedFetch(url, { ...init, dispatcher })) as unknown as WebClientOptions["fetch"])
    : undefined;
  const api = (): WebClientOptions => ({
    ...(config.apiUrl ? { slackApiUrl: config.apiUrl } : {}),
    ...(fetch ? { fetch } : {}),
  });
  return {
    api,
    dispatcher: () => dispatcher,
    requestPath: () => ({
      ...api(),
      retryConfig: { retries: 0 },
      rejectRateLimitedCalls: true,
      timeout: REQUEST_PATH_TIMEOUT_MS,
    }),
    connection: () => ({
      ...api(),
      retryConfig: { retries: 0 },
      rejectRateLimitedCalls: true,
      timeout: CONNECTION_TIMEOUT_MS,
    }),
  };
}

/** What becomes of the one bot token's auth.test, asked in the background. */
export interface BotTokenCheck {
  /** Ends the asking (rapport stops): no timer or request is left to keep the process alive. */
  signal: AbortSignal;
  /** Slack refused SLACK_BOT_TOKEN: the sentence to report (the log, /readyz). */
  onRefused: (reason: string) => void;
}

/** Slack's answers to auth.test that mean the bot token will never work. */
const REFUSED_BOT_TOKEN = new Set([
  "not_authed",
  "invalid_auth",
  "account_inactive",
  "token_revoked",
  "token_expired",
]);

/**
 * Authorizes every request with the one bot token, at once. Bolt's own single-token authorization
 * calls auth.test when the app is built and keeps the answer, a failure included, for good: with
 * a client that does not retry, one 429 at start-up would refuse every request until a restart.
 * Here auth.test is asked in the background, again after each failure (1 s doubling to 5 min)
 * until Slack answers; a refusal of the token is reported, not retried. Until it answers, Bolt
 * only cannot tell rapport's own bot's events from others (rapport's listeners skip bot messages
 * anyway). The team goes into the result so that Bolt gives listeners a client holding the token.
 */
export function singleWorkspaceAuthorize(
  botToken: string,
  options: SlackClientOptions,
  logger: Logger,
  check: BotTokenCheck,
): Authorize<boolean> {
  let bot: { botId?: string; botUserId?: string } = {};
  const base = options.api();
  const fetch = base.fetch ?? globalThis.fetch;
  const client = new WebClient(botToken, {
    ...base,
    // One request per try, cut short when rapport stops; the tries are spaced out below.
    fetch: (url, init) =>
      fetch(url, {
        ...init,
        signal: init?.signal ? AbortSignal.any([init.signal, check.signal]) : check.signal,
      }),
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: 10_000,
    logger: boltLogger(logger),
  });
  const ask = (attempt: number): void => {
    if (check.signal.aborted) return;
    client.auth.test().then(
      (r) =>
        (bot = { ...(r.bot_id ? { botId: r.bot_id } : {}), ...(r.user_id ? { botUserId: r.user_id } : {}) }),
      (err: unknown) => {
        if (check.signal.aborted) return;
        const code = slackErrorCode(err);
        if (code && REFUSED_BOT_TOKEN.has(code)) {
          const reason = `Slack refused SLACK_BOT_TOKEN (${code}): copy the Bot User OAuth Token (xoxb-…) from the app's OAuth & Permissions page into SLACK_BOT_TOKEN`;
          logger.error({ component: "slack", code }, reason);
          check.onRefused(reason);
          return;
        }
        const wait = Math.min(300_000, 1_000 * 2 ** attempt);
        logger.warn({ err, component: "slack", retryInMs: wait }, "auth.test failed; asking Slack again");
        setTimeout(() => ask(attempt + 1), wait).unref();
      },
    );
  };
  ask(0);
  return async (source) => ({
    botToken,
    ...bot,
    ...(source.teamId ? { teamId: source.teamId } : {}),
    ...(source.enterpriseId ? { enterpriseId: source.enterpriseId } : {}),
  });
}
