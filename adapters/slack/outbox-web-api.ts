import { stringify } from "node:querystring";
import {
  WebAPIHTTPError,
  WebAPIPlatformError,
  WebAPIRateLimitedError,
  WebAPIRequestError,
  type ChatPostMessageArguments,
  type ChatPostMessageResponse,
  type ChatUpdateArguments,
  type ChatUpdateResponse,
  type ConversationsHistoryArguments,
  type ConversationsHistoryResponse,
  type ConversationsOpenArguments,
  type ConversationsOpenResponse,
  type ConversationsRepliesArguments,
  type ConversationsRepliesResponse,
} from "@slack/web-api";
import { getGlobalDispatcher, type Dispatcher } from "undici";

/** The Web API methods the outbox calls (a WebClient has them too, with the same arguments). */
export interface OutboxCalls {
  chat: {
    postMessage(args: ChatPostMessageArguments): Promise<ChatPostMessageResponse>;
    update(args: ChatUpdateArguments): Promise<ChatUpdateResponse>;
  };
  conversations: {
    history(args: ConversationsHistoryArguments): Promise<ConversationsHistoryResponse>;
    replies(args: ConversationsRepliesArguments): Promise<ConversationsRepliesResponse>;
    open(args: ConversationsOpenArguments): Promise<ConversationsOpenResponse>;
  };
}

/** Where Slack's Web API is when SLACK_API_URL does not say otherwise. */
const SLACK_API = "https://slack.com/api/";

/**
 * The outbox's Web API client: each call is one POST, made once, given up when Slack has not begun
 * to answer within `timeoutMs` or its answer stalls that long (a connection not made within 10 s,
 * undici's limit, fails too; the outbox gives every attempt its own limit besides). Every card,
 * digest and nudge goes through here, many per second when a whole office reports at once, and
 * WebClient's queue, retry machinery, fetch and logging cost several times the call itself while
 * the outbox needs none of them (it decides about retries itself). The request is what WebClient
 * sends (a form body, nested values as JSON, the token as a bearer; for a write, the same fields
 * as one JSON body) and a failure is the same error WebClient throws, so whatever reads one reads
 * the other.
 */
export class OutboxWebApi implements OutboxCalls {
  private readonly origin: string;
  private readonly path: string;

  constructor(
    private readonly token: string | undefined,
    private readonly options: { apiUrl?: string; dispatcher?: Dispatcher; timeoutMs: number },
  ) {
    const base = new URL(options.apiUrl ?? SLACK_API);
    this.origin = base.origin;
    this.path = base.pathname.endsWith("/") ? base.pathname : `${base.pathname}/`;
  }

  // Slack takes a JSON body for its write methods (a form body for all): the card goes as it is,
  // not as JSON again inside a percent-encoded field. Reads take a form only.
  readonly chat: OutboxCalls["chat"] = {
    postMessage: (args) => this.call("chat.postMessage", args, "json"),
    update: (args) => this.call("chat.update", args, "json"),
  };

  readonly conversations: OutboxCalls["conversations"] = {
    history: (args) => this.call("conversations.history", args),
    replies: (args) => this.call("conversations.replies", args),
    open: (args) => this.call("conversations.open", args),
  };

  /** Calls `method` once; Slack's `ok: false`, a 429, another status or no answer is thrown. */
  async call<T>(method: string, args: object, encoding: "form" | "json" = "form"): Promise<T> {
    const headers: Record<string, string> = { "content-type": CONTENT_TYPES[encoding] };
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    let answer: Dispatcher.ResponseData;
    try {
      // The dispatcher's own request, by origin and path, with its own time limits: a URL to parse
      // and an AbortSignal.timeout per call cost more than the rest of the call together.
      answer = await (this.options.dispatcher ?? getGlobalDispatcher()).request({
        origin: this.origin,
        path: `${this.path}${method}`,
        method: "POST",
        headers,
        body: encoding === "json" ? jsonBody(args) : formBody(args),
        headersTimeout: this.options.timeoutMs,
        bodyTimeout: this.options.timeoutMs,
      });
    } catch (e) {
      throw new WebAPIRequestError(e instanceof Error ? e : new Error(String(e)));
    }
    const { statusCode, headers: received, body } = answer;
    try {
      if (statusCode === 429) {
        await body.dump();
        const seconds = Number.parseInt(String(received["retry-after"] ?? ""), 10);
        throw new WebAPIRateLimitedError(Number.isFinite(seconds) ? seconds : 60);
      }
      if (statusCode !== 200) {
        const text = await body.text();
        throw new WebAPIHTTPError(statusCode, "", flatHeaders(received), text);
      }
      const result = (await body.json()) as { ok?: boolean; error?: string };
      if (!result.ok)
        throw new WebAPIPlatformError({ ...result, ok: false, error: result.error ?? "unknown_error" });
      return result as T;
    } catch (e) {
      if (e instanceof WebAPIRateLimitedError || e instanceof WebAPIHTTPError) throw e;
      if (e instanceof WebAPIPlatformError) throw e;
      // The answer was cut off or was not JSON.
      throw new WebAPIRequestError(e instanceof Error ? e : new Error(String(e)));
    }
  }
}

const CONTENT_TYPES = {
  form: "application/x-www-form-urlencoded",
  json: "application/json; charset=utf-8",
} as const;

/** The arguments as one JSON object, those left unset (undefined or null) left out. */
function jsonBody(args: object): string {
  const fields: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(args))
    if (value !== undefined && value !== null) fields[key] = value;
  return JSON.stringify(fields);
}

/** The arguments as WebClient sends them: strings, numbers and booleans as they are, the rest as JSON. */
function formBody(args: object): string {
  const fields: Record<string, string | number | boolean> = {};
  for (const [key, value] of Object.entries(args)) {
    if (value === undefined || value === null) continue;
    fields[key] =
      typeof value === "string" || typeof value === "number" || typeof value === "boolean"
        ? value
        : JSON.stringify(value);
  }
  return stringify(fields);
}

function flatHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers))
    if (v !== undefined) out[k] = Array.isArray(v) ? v.join(", ") : v;
  return out;
}
