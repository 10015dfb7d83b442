// Events API payloads (messages, reactions, uninstalls) are acknowledged as soon as they are
// stored in the core's inbox, and processed from there by Bolt's listeners: a listener that fails
// (the database down, Slack busy) is tried again later instead of losing the event, in HTTP mode
// and in Socket Mode alike. A payload that cannot be stored is not acknowledged, so Slack
// delivers it again. Commands and interactions do not come here: Slack waits for what they answer.
import type { IncomingMessage, ServerResponse } from "node:http";
import { AuthorizationError, HTTPModuleFunctions, type App } from "@slack/bolt";
import type { Inbox, Logger } from "../../src/index.ts";
import { slackRequestSchema } from "./request-guard.ts";

/** The inbox's name for Slack's events. */
export const SLACK_INBOX = "slack";

/** What is stored of an event: Slack's body, and its redelivery count and reason when it has one. */
interface StoredEvent {
  body: Record<string, unknown>;
  retryNum?: number;
  retryReason?: string;
}

/** Takes Events API payloads in: `take` stores one (throws when it cannot), the inbox has Bolt process it. */
export interface SlackEventIntake {
  /** Stores an event_callback under its event_id; false for one already taken in. */
  take(body: Record<string, unknown>, retry?: { num?: number; reason?: string }): Promise<boolean>;
}

/** Wires Bolt's listeners behind the inbox and returns the way in. */
export function slackEventIntake(app: App, inbox: Inbox, logger: Logger): SlackEventIntake {
  inbox.serve(
    SLACK_INBOX,
    async (payload) => {
      const stored = payload as StoredEvent;
      try {
        await app.processEvent({
          body: stored.body,
          // Slack was answered when the event was stored.
          ack: async () => {},
          ...(stored.retryNum !== undefined ? { retryNum: stored.retryNum } : {}),
          ...(stored.retryReason !== undefined ? { retryReason: stored.retryReason } : {}),
        });
      } catch (e) {
        // No install for the workspace (uninstalled meanwhile): trying again cannot help.
        if (e instanceof AuthorizationError) {
          logger.info({ err: e, component: "slack" }, "a Slack event from a workspace without an install");
          return;
        }
        throw e;
      }
    },
    conversationOf,
  );
  return {
    take: (body, retry) =>
      inbox.receive(SLACK_INBOX, eventId(body), {
        body,
        ...(retry?.num !== undefined ? { retryNum: retry.num } : {}),
        ...(retry?.reason !== undefined ? { retryReason: retry.reason } : {}),
      } satisfies StoredEvent),
  };
}

/**
 * The conversation an event belongs to, so that the inbox keeps each one's events in order and
 * processes different ones side by side: a message and the replies in its thread (its thread's
 * first message, `thread_ts` or its own `ts`), a :ticket: reaction with the message it is on, a
 * person's App Home (their id). A channel's threads are apart: when a whole office writes in one
 * channel, each request and its replies are one conversation, not the whole channel.
 */
export function conversationOf(payload: unknown): string {
  const body = (payload as StoredEvent).body;
  const event = (body.event ?? {}) as {
    channel?: unknown;
    user?: unknown;
    ts?: unknown;
    thread_ts?: unknown;
    item?: { channel?: unknown; ts?: unknown };
  };
  const where = event.channel ?? event.item?.channel ?? event.user;
  const thread = event.thread_ts ?? event.ts ?? event.item?.ts;
  return [body.team_id, where, thread].map((part) => (typeof part === "string" ? part : "")).join(" ");
}

/** Whether a payload is an Events API event callback rapport can process. */
export function isEventCallback(body: unknown): body is Record<string, unknown> {
  return (
    typeof body === "object" &&
    body !== null &&
    (body as { type?: unknown }).type === "event_callback" &&
    slackRequestSchema.safeParse(body).success
  );
}

type Listener = (req: IncomingMessage, res: ServerResponse) => void;

/**
 * HTTP mode: an event callback (already verified by the request guard) is stored and answered
 * 200, or answered 500 when it cannot be stored; every other request goes on to Bolt.
 */
export function eventsThroughInbox(bolt: Listener, intake: SlackEventIntake, logger: Logger): Listener {
  return (req, res) => {
    const body = eventCallbackOf(req);
    if (!body) return bolt(req, res);
    const num = Number(req.headers["x-slack-retry-num"]);
    const reason = req.headers["x-slack-retry-reason"];
    intake
      .take(body, {
        ...(Number.isInteger(num) ? { num } : {}),
        ...(typeof reason === "string" ? { reason } : {}),
      })
      .then(
        () => res.writeHead(200).end(),
        (err: unknown) => {
          logger.warn(
            { err, component: "slack" },
            "could not store a Slack event; answered 500 so that Slack delivers it again",
          );
          if (!res.headersSent) res.writeHead(500).end();
        },
      );
  };
}

function eventCallbackOf(req: IncomingMessage): Record<string, unknown> | null {
  const raw = (req as { rawBody?: Buffer }).rawBody;
  if (!raw || !String(req.headers["content-type"] ?? "").startsWith("application/json")) return null;
  try {
    const body = HTTPModuleFunctions.parseHTTPRequestBody(req as never) as unknown;
    return isEventCallback(body) ? body : null;
  } catch {
    return null;
  }
}

function eventId(body: Record<string, unknown>): string {
  return String(body.event_id);
}
