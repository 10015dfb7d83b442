// Every HTTP request for Bolt passes here first, and only here is its signature checked (Bolt's
// receiver is built with signatureVerification: false, so the HMAC is computed once per request).
// Bolt also trusts the shape of a signed body: a view_submission without `view` throws inside Bolt
// (HTTP 500, as if rapport had failed) and a payload of no known type waits 3 s for an ack
// nobody will give, then answers 404. rapport checks the envelope once, after the signature and
// before Bolt, and answers 400 at once to a signed body that is not a Slack request.
import { createHmac, timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { parse as parseForm, stringify as stringifyForm } from "node:querystring";
import { HTTPModuleFunctions } from "@slack/bolt";
import { z } from "zod";
import { storableJson, type Logger } from "../../src/index.ts";

/**
 * The longest id rapport takes: Slack's own are a dozen characters, and it caps the ids an app
 * chooses (`callback_id`, `action_id`) at 255. A longer one would be kept in memory and in
 * database indexes for nothing.
 */
const MAX_ID = 255;
// eslint-disable-next-line no-control-regex -- an id with a control character is not Slack's
const PRINTABLE = /^[^\u0000-\u001f\u007f]*$/;
const id = z.string().min(1).max(MAX_ID).regex(PRINTABLE);
/** A Slack message timestamp: seconds and microseconds, "1794819600.000100". */
const ts = z.string().regex(/^\d{1,12}\.\d{1,9}$/);
/** A team id where one is given: a string, or null (Slack writes null for "none"). */
const team = z.string().max(MAX_ID).nullish();
/** A user id where one may be missing (a message from an integration). */
const someone = z.string().max(MAX_ID).optional();
const user = z.object({ id, team_id: team }).loose();
const view = z
  .object({ id, callback_id: z.string().max(MAX_ID), team_id: team, private_metadata: z.string().optional() })
  .loose();
/** The message an action or shortcut was used on: its fields are read as the author's. */
const message = z
  .object({ ts, user: someone, user_team: team, team: team, text: z.string().optional() })
  .loose();

const interactionSchema = z.discriminatedUnion("type", [
  z
    .object({
      type: z.literal("block_actions"),
      user,
      team: z.object({ id }).loose().nullish(),
      channel: z.object({ id }).loose().nullish(),
      message: message.optional(),
      actions: z
        .array(
          z
            .object({
              action_id: id,
              value: z.string().optional(),
              selected_option: z.object({ value: z.string() }).loose().nullish(),
            })
            .loose(),
        )
        .min(1),
    })
    .loose(),
  z
    .object({
      type: z.literal("view_submission"),
      user,
      view: view.extend({ state: z.object({ values: z.record(z.string(), z.unknown()) }).loose() }),
    })
    .loose(),
  z.object({ type: z.literal("view_closed"), user, view }).loose(),
  z
    .object({
      type: z.literal("message_action"),
      user,
      callback_id: id,
      trigger_id: id,
      // What rapport says back after a shortcut goes to this URL: without it there is no answer.
      response_url: z.url(),
      team: z.object({ id }).loose().nullish(),
      channel: z.object({ id }).loose(),
      message,
    })
    .loose(),
  z.object({ type: z.literal("shortcut"), user, callback_id: id, trigger_id: id }).loose(),
]);

const commandSchema = z
  .object({
    command: z.string().startsWith("/").max(MAX_ID),
    team_id: id,
    channel_id: id,
    user_id: id,
    trigger_id: id,
    text: z.string().optional(),
    user_name: z.string().optional(),
  })
  .loose();

/**
 * What Bolt reads of every event, whatever its type, to find its channel and user before any
 * listener runs (`'channel' in event.item`, `event.user.id`, `event.subteam.created_by`): where
 * present, each must be what Slack sends, or the event fails after it was acknowledged.
 */
const readByBolt = z
  .object({
    channel: z.union([z.string().max(MAX_ID), z.object({}).loose()]).optional(),
    user: z.union([z.string().max(MAX_ID), z.object({}).loose()]).optional(),
    item: z.object({}).loose().optional(),
    subteam: z.object({}).loose().optional(),
  })
  .loose();

// The events rapport listens to carry what its listeners read; any other event only needs a type.
const LISTENED = ["message", "reaction_added", "app_home_opened", "tokens_revoked"];
const listenedOrNot = z.union([
  z
    .object({
      type: z.literal("message"),
      channel: id,
      ts,
      thread_ts: ts.optional(),
      subtype: z.string().optional(),
      user: someone,
      user_team: team,
      team: team,
      text: z.string().nullish(),
      bot_id: z.string().nullish(),
    })
    .loose(),
  z
    .object({
      type: z.literal("reaction_added"),
      reaction: id,
      user: id,
      item: z.object({ type: id, channel: id.optional(), ts: ts.optional() }).loose(),
    })
    .loose()
    .refine((e) => e.item.type !== "message" || (e.item.channel && e.item.ts)),
  z.object({ type: z.literal("app_home_opened"), user: id, tab: z.string().optional() }).loose(),
  z
    .object({
      type: z.literal("tokens_revoked"),
      tokens: z.object({ bot: z.array(z.string()).optional() }).loose(),
    })
    .loose(),
  z
    .object({ type: id })
    .loose()
    .refine((e) => !LISTENED.includes(e.type)),
]);
const eventSchema = readByBolt.and(listenedOrNot);

/** Who the event was delivered for: Bolt reads the first authorization's team and enterprise. */
const authorization = z
  .object({ team_id: team, enterprise_id: team, is_enterprise_install: z.boolean().nullish() })
  .loose();

const eventsApiSchema = z.discriminatedUnion("type", [
  z
    .object({
      type: z.literal("event_callback"),
      team_id: id,
      event_id: id,
      event: eventSchema,
      authorizations: z.array(authorization).optional(),
    })
    .loose(),
  z.object({ type: z.literal("url_verification"), challenge: z.string() }).loose(),
  z.object({ type: z.literal("app_rate_limited") }).loose(),
]);

/** Every body Slack sends to the Request URL: a slash command, an interaction, an Events API body, an SSL check. */
export const slackRequestSchema = z.union([
  commandSchema,
  interactionSchema,
  eventsApiSchema,
  z.object({ ssl_check: z.literal("1") }).loose(),
]);

/**
 * Why a well-formed request is answered 200 at once, without Bolt, or null when Bolt handles it:
 * Slack's notice that it is holding back events (`app_rate_limited`, answered 200 as Slack asks),
 * and a global shortcut (rapport has only message shortcuts, and a global one carries no message).
 */
function answeredAtOnce(body: unknown): string | null {
  const type = (body as { type?: unknown }).type;
  if (type === "app_rate_limited") return "Slack is holding back events (app_rate_limited)";
  if (type === "shortcut") return "a global shortcut rapport does not offer";
  return null;
}

type Listener = (req: IncomingMessage, res: ServerResponse) => void;

/** Slack's rule: a request whose timestamp is more than five minutes away from now, either way, is refused. */
const MAX_SKEW_SECONDS = 5 * 60;

type Verdict = "pass" | { status: 200 | 400 | 401 | 413; reason: string };

/**
 * The one door to Bolt's request listener, which is built without signature verification: this
 * buffers the body once, answers 401 to a missing or forged signature and to a timestamp more
 * than five minutes old or ahead, 413 to a body over Bolt's limit, 400 to a signed body that is
 * not a Slack request (or whose fields rapport reads have the wrong type), 200 at once to what
 * rapport never handles, and hands everything else, already buffered (`req.rawBody`), to Bolt.
 */
export function guardSlackRequests(bolt: Listener, signingSecret: string, logger: Logger): Listener {
  return (req, res) => {
    screen(req, signingSecret).then(
      (verdict) => {
        if (verdict === "pass") return bolt(req, res);
        if (verdict.status === 200) {
          logger.info(
            { component: "slack", reason: verdict.reason },
            "acknowledged a Slack request it ignores",
          );
          return void res.writeHead(200).end();
        }
        const level = verdict.status === 401 ? "info" : "warn";
        logger[level]({ component: "slack", reason: verdict.reason }, "refused a Slack request");
        res.writeHead(verdict.status).end();
      },
      (err: unknown) => {
        logger.error({ err, component: "slack" }, "could not screen a Slack request");
        if (!res.headersSent) res.writeHead(500).end();
      },
    );
  };
}

async function screen(req: IncomingMessage, signingSecret: string): Promise<Verdict> {
  let buffered: Awaited<ReturnType<typeof HTTPModuleFunctions.bufferIncomingMessage>>;
  try {
    // Bolt reuses the buffered body (req.rawBody) instead of reading the stream again.
    buffered = await HTTPModuleFunctions.bufferIncomingMessage(req, HTTPModuleFunctions.defaultBodyLimit);
  } catch (e) {
    return HTTPModuleFunctions.isRawBodyError(e) && e.statusCode === 413
      ? { status: 413, reason: "too large" }
      : { status: 400, reason: "unreadable body" };
  }
  // An ssl_check is let through unsigned, with anything else in its body dropped.
  if (isSslCheck(buffered)) {
    buffered.rawBody = Buffer.from(SSL_CHECK);
    return "pass";
  }
  const unsigned = signatureFault(buffered, signingSecret, Date.now() / 1000);
  if (unsigned) return { status: 401, reason: unsigned };
  let parsedBody: unknown;
  try {
    parsedBody = HTTPModuleFunctions.parseHTTPRequestBody(buffered);
  } catch {
    return { status: 400, reason: "unparsable body" };
  }
  // What rapport keeps must be storable: Bolt reads the body again from rawBody, so it gets the
  // storable one.
  const body = storableJson(parsedBody);
  if (body === null) return { status: 400, reason: "nested deeper than any Slack request" };
  if (body !== parsedBody) buffered.rawBody = Buffer.from(serialised(body, buffered), "utf8");
  const parsed = slackRequestSchema.safeParse(body);
  if (!parsed.success) return { status: 400, reason: `not a Slack request: ${firstIssue(parsed.error)}` };
  const ignored = answeredAtOnce(body);
  return ignored ? { status: 200, reason: ignored } : "pass";
}

// Which field was wrong, for the log line (never the value: it may be a person's text).
function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  return issue ? `${issue.path.join(".") || "body"}: ${issue.code}` : "unknown";
}

// `body` in the encoding the request came in, as Bolt's parseHTTPRequestBody reads it back: a
// command's form fields, an interaction's `payload=` field, or JSON.
function serialised(body: unknown, req: IncomingMessage & { rawBody: Buffer }): string {
  if (req.headers["content-type"] !== "application/x-www-form-urlencoded") return JSON.stringify(body);
  if (typeof parseForm(req.rawBody.toString()).payload === "string")
    return `payload=${encodeURIComponent(JSON.stringify(body))}`;
  return stringifyForm(body as Record<string, string | string[]>);
}

const SSL_CHECK = "ssl_check=1";

/** Slack's check that the app's address answers: a form with `ssl_check=1`, which Slack does not sign. */
function isSslCheck(req: IncomingMessage & { rawBody: Buffer }): boolean {
  if (req.headers["content-type"] !== "application/x-www-form-urlencoded") return false;
  if (!req.rawBody.includes(SSL_CHECK)) return false;
  return parseForm(req.rawBody.toString()).ssl_check === "1";
}

/**
 * What is wrong with a request's signature, or null when Slack signed it: `v0=` and the hex
 * HMAC-SHA256, keyed with the signing secret, of `v0:<timestamp>:<body as sent>`, with a
 * timestamp within five minutes of now, either way.
 * https://docs.slack.dev/authentication/verifying-requests-from-slack
 */
export function signatureFault(
  req: IncomingMessage & { rawBody: Buffer },
  signingSecret: string,
  nowSeconds: number,
): string | null {
  if (!signingSecret) return "no signing secret is set";
  const timestamp = req.headers["x-slack-request-timestamp"];
  const signature = req.headers["x-slack-signature"];
  if (typeof timestamp !== "string" || !/^\d{1,12}$/.test(timestamp)) return "no timestamp";
  if (typeof signature !== "string") return "no signature";
  const sent = Number(timestamp);
  if (sent < nowSeconds - MAX_SKEW_SECONDS) return "stale timestamp";
  if (sent > nowSeconds + MAX_SKEW_SECONDS) return "timestamp in the future";
  const expected = Buffer.from(
    `v0=${createHmac("sha256", signingSecret).update(`v0:${timestamp}:`).update(req.rawBody).digest("hex")}`,
  );
  const given = Buffer.from(signature);
  return given.length === expected.length && timingSafeEqual(given, expected) ? null : "signature mismatch";
}
