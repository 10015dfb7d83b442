// Sends requests to rapport's Slack endpoint exactly as Slack does: the same body encodings per
// kind of request, the same headers, and the v0 request signature over the raw body.
// https://docs.slack.dev/authentication/verifying-requests-from-slack
import { createHmac } from "node:crypto";
import { readFileSync } from "node:fs";

/** Where Slack posts commands, interactivity and events (one Request URL for all three). */
export const SLACK_EVENTS_PATH = "/slack/events";

/** A JSON value as found in Slack's payloads. */
export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
/** A JSON object: a fixture, an envelope, an interaction payload. */
export type JsonObject = { [key: string]: Json };

/** What overrides may hold: any JSON, or `undefined` to delete a key from the fixture. */
export type Overrides = { [key: string]: Json | Overrides | undefined };

/** rapport's answer, read in full. */
export interface SlackResponse {
  status: number;
  /** The body as text (Slack itself only looks at the status, and at JSON for some acks). */
  body: string;
  headers: Headers;
  /** The body parsed as JSON; throws with the text when it is not JSON. */
  json(): unknown;
}

/** Options every sender takes. */
export interface SendOptions {
  /** Seconds since the epoch to sign with; default now. Five minutes old or more is "stale". */
  timestamp?: number;
  /** Default `/slack/events`. */
  path?: string;
  /** Extra headers, merged last (so they can replace the signature or timestamp). */
  headers?: Record<string, string>;
}

/** Retry headers Slack adds when it redelivers an event it thinks was not acknowledged in time. */
export interface RetryOptions extends SendOptions {
  retryNum?: number;
  /** `http_timeout`, `http_error`, `too_many_redirects`, `connection_failed`, `ssl_error`, `unknown_error`. */
  retryReason?: string;
}

/** Slack's worked example of a signed request (docs.slack.dev/authentication/verifying-requests-from-slack). */
export const SLACK_SIGNING_EXAMPLE = {
  secret: "8f742231b10e8888abcd99yyyzzz85a5",
  timestamp: 1531420618,
  body:
    "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V" +
    "&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=" +
    "&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN" +
    "&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c",
  signature: "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503",
};

/** `v0=` + hex HMAC-SHA256 of `v0:<timestamp>:<raw body>` keyed with the signing secret. */
export function slackSignature(signingSecret: string, timestamp: number | string, rawBody: string): string {
  const hmac = createHmac("sha256", signingSecret).update(`v0:${timestamp}:${rawBody}`, "utf8");
  return `v0=${hmac.digest("hex")}`;
}

/** The headers Slack sends with a body of `contentType`, signed for `rawBody`. */
export function signedHeaders(
  signingSecret: string,
  rawBody: string,
  contentType: string,
  timestamp: number = nowSeconds(),
): Record<string, string> {
  return {
    "content-type": contentType,
    "user-agent": "Slackbot 1.0 (+https://api.slack.com/robots)",
    "x-slack-request-timestamp": String(timestamp),
    "x-slack-signature": slackSignature(signingSecret, timestamp, rawBody),
  };
}

/** Posts a slash command: its fields form-encoded, as Slack does (`text=p1+printer+down`). */
export function sendCommand(
  baseUrl: string,
  signingSecret: string,
  fields: Record<string, Json | undefined>,
  options: SendOptions = {},
): Promise<SlackResponse> {
  const form = new URLSearchParams();
  for (const [key, value] of Object.entries(fields)) {
    if (value !== undefined) form.append(key, typeof value === "string" ? value : JSON.stringify(value));
  }
  return sendSigned(baseUrl, signingSecret, form.toString(), "application/x-www-form-urlencoded", options);
}

/** Posts an interaction (block_actions, view_submission, message_action…) as `payload=<JSON>`. */
export function sendInteraction(
  baseUrl: string,
  signingSecret: string,
  payload: object,
  options: SendOptions = {},
): Promise<SlackResponse> {
  const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
  return sendSigned(baseUrl, signingSecret, body, "application/x-www-form-urlencoded", options);
}

/** Posts an Events API body (event_callback envelope or url_verification) as JSON. */
export function sendEvent(
  baseUrl: string,
  signingSecret: string,
  envelope: object,
  options: RetryOptions = {},
): Promise<SlackResponse> {
  const retry: Record<string, string> = {};
  if (options.retryNum !== undefined) retry["x-slack-retry-num"] = String(options.retryNum);
  if (options.retryReason !== undefined) retry["x-slack-retry-reason"] = options.retryReason;
  return sendSigned(baseUrl, signingSecret, JSON.stringify(envelope), "application/json", {
    ...options,
    headers: { ...retry, ...options.headers },
  });
}

/** Posts exactly `body` with exactly `headers`: for forged, missing or stale signatures. */
export async function sendRaw(
  baseUrl: string,
  request: { body: string; headers: Record<string, string>; path?: string; method?: string },
): Promise<SlackResponse> {
  const res = await fetch(endpoint(baseUrl, request.path ?? SLACK_EVENTS_PATH), {
    method: request.method ?? "POST",
    headers: request.headers,
    body: request.body,
  });
  const body = await res.text();
  return {
    status: res.status,
    body,
    headers: res.headers,
    json: () => {
      try {
        return JSON.parse(body) as unknown;
      } catch {
        throw new Error(`rapport answered ${res.status} with a body that is not JSON: ${body.slice(0, 500)}`);
      }
    },
  };
}

/**
 * Reads `tests/fixtures/slack/<name>.json` and deep-merges `overrides` into it: objects merge key
 * by key, anything else (arrays included) replaces, and an `undefined` value deletes the key.
 */
export function loadFixture<T extends object = JsonObject>(name: string, overrides: Overrides = {}): T {
  const file = new URL(`../../../fixtures/slack/${name.replace(/\.json$/, "")}.json`, import.meta.url);
  const fixture = JSON.parse(readFileSync(file, "utf8")) as JsonObject;
  return deepMerge(fixture, overrides) as T;
}

/** `base` with `overrides` merged in (neither is changed). */
export function deepMerge(base: JsonObject, overrides: Overrides): JsonObject {
  const out: JsonObject = { ...base };
  for (const [key, value] of Object.entries(overrides)) {
    if (value === undefined) {
      delete out[key];
    } else if (isPlainObject(value) && isPlainObject(out[key])) {
      out[key] = deepMerge(out[key] as JsonObject, value as Overrides);
    } else {
      out[key] = stripUndefined(value);
    }
  }
  return out;
}

function stripUndefined(value: Json | Overrides): Json {
  if (!isPlainObject(value)) return value as Json;
  return deepMerge({}, value as Overrides);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function sendSigned(
  baseUrl: string,
  signingSecret: string,
  rawBody: string,
  contentType: string,
  options: SendOptions,
): Promise<SlackResponse> {
  const headers = {
    ...signedHeaders(signingSecret, rawBody, contentType, options.timestamp),
    ...options.headers,
  };
  return sendRaw(baseUrl, { body: rawBody, headers, path: options.path });
}

function endpoint(baseUrl: string, path: string): string {
  return `${baseUrl.replace(/\/+$/, "")}/${path.replace(/^\/+/, "")}`;
}

function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}
