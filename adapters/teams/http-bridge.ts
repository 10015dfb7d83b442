import type { IncomingMessage, ServerResponse } from "node:http";
import type { Request, Response } from "botbuilder";

/** Bot Framework activities are small; anything bigger is not one. */
export const MAX_ACTIVITY_BYTES = 256 * 1024;

/** Reads a request body as JSON; null when it is too big or not JSON (the caller answers 400 or 413). */
export async function readJson(
  req: IncomingMessage,
): Promise<{ body: Record<string, unknown> } | { error: 400 | 413 }> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_ACTIVITY_BYTES) return { error: 413 };
    chunks.push(chunk as Buffer);
  }
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

/** botbuilder's Response shape (status, header, send, end) over node's response. */
export function botResponse(res: ServerResponse): Response {
  let status = 200;
  return {
    socket: res.socket,
    status(code: number) {
      status = code;
      return this;
    },
    header(name: string, value: unknown) {
      res.setHeader(name, String(value));
      return this;
    },
    send(body?: unknown) {
      if (res.headersSent) return this;
      res.statusCode = status;
      if (body === undefined || body === null) {
        res.end();
      } else if (typeof body === "string" || Buffer.isBuffer(body)) {
        res.end(body);
      } else {
        res.setHeader("content-type", "application/json");
        res.end(JSON.stringify(body));
      }
      return this;
    },
    end() {
      if (!res.writableEnded) {
        res.statusCode = status;
        res.end();
      }
      return this;
    },
  };
}
