// Bolt trusts the shape of a signed body: a view_submission without `view` throws inside Bolt
// (HTTP 500, as if rapport had failed) and a payload of no known type waits 3 s for an ack
// nobody will give, then answers 404. rapport checks the envelope once, after the signature and
// before Bolt, and answers 400 at once to a signed body that is not a Slack request.
import type { IncomingMessage, ServerResponse } from "node:http";
import { HTTPModuleFunctions } from "@slack/bolt";
import { z } from "zod";
import type { Logger } from "../../src/index.ts";

const id = z.string().min(1);
const user = z.object({ id }).loose();
const view = z.object({ id, callback_id: z.string() }).loose();

const interactionSchema = z.discriminatedUnion("type", [
  z
    .object({
      type: z.literal("block_actions"),
      user,
      actions: z.array(z.object({ action_id: id }).loose()).min(1),
    })
    .loose(),
  z
    .object({ type: z.literal("view_submission"), user, view: view.extend({ state: z.object({}).loose() }) })
    .loose(),
  z.object({ type: z.literal("view_closed"), user, view }).loose(),
  z
    .object({
      type: z.literal("message_action"),
      user,
      callback_id: id,
      trigger_id: id,
      channel: z.object({ id }).loose(),
      message: z.object({ ts: id }).loose(),
    })
    .loose(),
  z.object({ type: z.literal("shortcut"), user, callback_id: id, trigger_id: id }).loose(),
]);

const commandSchema = z
  .object({ command: z.string().startsWith("/"), team_id: id, channel_id: id, user_id: id, trigger_id: id })
  .loose();

// The events rapport listens to carry what its listeners read; any other event only needs a type.
const LISTENED = ["message", "reaction_added", "app_home_opened", "tokens_revoked"];
const eventSchema = z.union([
  z.object({ type: z.literal("message"), channel: id, ts: id }).loose(),
  z
    .object({
      type: z.literal("reaction_added"),
      reaction: id,
      item: z.object({ type: id, channel: id.optional(), ts: id.optional() }).loose(),
    })
    .loose()
    .refine((e) => e.item.type !== "message" || (e.item.channel && e.item.ts)),
  z.object({ type: z.literal("app_home_opened"), user: id }).loose(),
  z.object({ type: z.literal("tokens_revoked"), tokens: z.object({}).loose() }).loose(),
  z
    .object({ type: id })
    .loose()
    .refine((e) => !LISTENED.includes(e.type)),
]);

const eventsApiSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("event_callback"), team_id: id, event_id: id, event: eventSchema }).loose(),
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

type Listener = (req: IncomingMessage, res: ServerResponse) => void;

/**
 * Wraps Bolt's request listener: a correctly signed body that is not a Slack request gets 400.
 * Anything unsigned, stale or unparsable is left to Bolt, which answers it (401, 400).
 */
export function guardSlackRequests(bolt: Listener, signingSecret: string, logger: Logger): Listener {
  return (req, res) => {
    screen(req, signingSecret).then(
      (verdict) => {
        if (verdict === "pass") return bolt(req, res);
        logger.warn({ component: "slack", reason: verdict }, "refused a malformed Slack request");
        res.writeHead(verdict === "too large" ? 413 : 400).end();
      },
      (err: unknown) => {
        logger.error({ err, component: "slack" }, "could not screen a Slack request");
        if (!res.headersSent) res.writeHead(500).end();
      },
    );
  };
}

async function screen(req: IncomingMessage, signingSecret: string): Promise<string> {
  let buffered: Awaited<ReturnType<typeof HTTPModuleFunctions.bufferIncomingMessage>>;
  try {
    // Bolt reuses the buffered body (req.rawBody) instead of reading the stream again.
    buffered = await HTTPModuleFunctions.bufferIncomingMessage(req, HTTPModuleFunctions.defaultBodyLimit);
  } catch (e) {
    return HTTPModuleFunctions.isRawBodyError(e) && e.statusCode === 413 ? "too large" : "unreadable body";
  }
  try {
    await HTTPModuleFunctions.parseAndVerifyHTTPRequest({ enabled: true, signingSecret }, buffered);
    const body: unknown = HTTPModuleFunctions.parseHTTPRequestBody(buffered);
    return slackRequestSchema.safeParse(body).success ? "pass" : "not a Slack request";
  } catch {
    return "pass";
  }
}
