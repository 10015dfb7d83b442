import type { IncomingMessage, ServerResponse } from "node:http";
import type { Request, Response } from "botbuilder";
import type { Logger } from "../../src/index.ts";

/** Bot Framework activities are small; anything bigger is not one. */
export const MAX_ACTIVITY_BYTES = 256 * 1024;

/**
 * How much of an oversized body is read (and dropped) before the 413 goes out: a client that is
 * still sending reads an answer only once it has sent, and cutting it off would leave it with a
 * reset connection instead. Past this, the connection is cut.
 */
const MAX_DRAINED_BYTES = 8 * 1024 * 1024;

/** Reads a request body as JSON; null when it is too big or not JSON (the caller answers 400 or 413). */
export async function readJson(
  req: IncomingMessage,
): Promise<{ body: Record<string, unknown> } | { error: 400 | 413 }> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_DRAINED_BYTES) return { error: 413 };
    if (size <= MAX_ACTIVITY_BYTES) chunks.push(chunk as Buffer);
  }
  if (size > MAX_ACTIVITY_BYTES) return { error: 413 };
  try {
    const body: unknown = JSON.parse(Buffer.concat(chunks).toString("utf8"));
    return body && typeof body === "object" && !Array.isArray(body)
      ? { body: body as Record<string, unknown> }
      : { error: 400 };
  } catch {
    return { error: 400 };
  }
}

/** botbuilder's Request shape over node's request, with the body already parsed. */
export function botRequest(req: IncomingMessage, body: Record<string, unknown>): Request {
  return { body, headers: req.headers as Record<string, string | string[] | undefined>, method: req.method };
}

/** What a caller is told when its request was refused or failed: never botbuilder's own error text. */
const PLAIN_ANSWERS: Record<number, { error: string }> = {
  401: { error: "unauthorized" },
  500: { error: "internal_error" },
  503: { error: "unavailable" },
};

/**
 * botbuilder's Response shape (status, header, send, end) over node's response. CloudAdapter
 * answers a failed turn with the error's own message (a connector URL, a DNS failure) and a 500
 * even when the token could not be verified: here a failure before the turn began (`turnBegan`
 * false) is a 401, and a 401 or 5xx carries only a plain word, the cause going to the log.
 */
export function botResponse(res: ServerResponse, turnBegan: () => boolean, logger: Logger): Response {
  let status = 200;
  const answer = (body: unknown) => {
    if (res.headersSent) return;
    if (status >= 500 && !turnBegan()) status = 401;
    if (status === 401 || status >= 500) {
      const level = status === 401 ? "info" : "error";
      logger[level](
        { status, detail: typeof body === "string" ? body : undefined },
        "a Teams request failed",
      );
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(PLAIN_ANSWERS[status] ?? PLAIN_ANSWERS[500]));
      return;
    }
    res.statusCode = status;
    if (body === undefined || body === null) {
      res.end();
    } else if (typeof body === "string" || Buffer.isBuffer(body)) {
      res.end(body);
    } else {
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify(body));
    }
  };
  return {
    socket: res.socket,
    status(code: number) {
      status = code;
      return this;
    },
    header(name: string, value: unknown) {
      if (!res.headersSent) res.setHeader(name, String(value));
      return this;
    },
    send(body?: unknown) {
      answer(body);
      return this;
    },
    end() {
      if (!res.writableEnded) answer(undefined);
      return this;
    },
  };
}

/** Answers 503 (try again shortly) with a plain word, when a request could not be verified in time. */
export function answerUnavailable(res: ServerResponse): void {
  if (res.headersSent) return;
  res.writeHead(503, { "content-type": "application/json", "retry-after": "5" });
  res.end(JSON.stringify(PLAIN_ANSWERS[503]));
}
