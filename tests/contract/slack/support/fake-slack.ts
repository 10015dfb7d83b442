// A fake Slack on loopback: the Web API at /api/<method>, response_url targets at /response/<id>
// and file upload URLs at /upload/<file id>. It records every request and answers like Slack.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import {
  decodeJsonParams,
  FakeWorkspace,
  type Answer,
  type FakeMessage,
  type FakeUser,
} from "./fake-slack-workspace.ts";

export { IDS, DEFAULT_USERS, type FakeMessage, type FakeUser } from "./fake-slack-workspace.ts";

/** One request the fake received. */
export interface RecordedCall {
  /** The Web API method ("chat.postMessage"), or "response_url", or "file_upload". */
  method: string;
  /** The parsed body: form fields or JSON, with `blocks`, `view`, `files`… decoded from JSON strings. */
  params: Record<string, unknown>;
  /** The token used: the bearer token of the Authorization header, else a `token` param. */
  token: string | null;
  authorization: string | null;
  contentType: string | null;
  path: string;
  /** The HTTP status and JSON (or text) the fake answered with. */
  status: number;
  response: unknown;
  at: Date;
}

/** How the next call(s) of a method fail. */
export interface Failure {
  /** HTTP status; 429 answers `{ ok: false, error: "ratelimited" }` with a Retry-After header. */
  status?: number;
  /** Seconds for Retry-After on a 429; default 1. */
  retryAfter?: number;
  /** A Slack error code answered as HTTP 200 `{ ok: false, error }`, e.g. "channel_not_found". */
  error?: string;
  /** How many calls fail; default 1. */
  times?: number;
  /** Milliseconds to hang before answering (a Slack that does not answer in time); the call is recorded at once. */
  hangMs?: number;
}

/** A canned answer for a method, or a function of the call's params. */
export type Responder = Answer | ((params: Record<string, unknown>) => Answer);

type Reply = { status: number; headers: Record<string, string>; body: unknown; hangMs?: number };
type Waiter = { method: string; predicate: (c: RecordedCall) => boolean; resolve: (c: RecordedCall) => void };

// Methods that authenticate with the app's client id and secret rather than a token.
const TOKENLESS = new Set(["oauth.v2.access", "oauth.v2.exchange", "oauth.access"]);

/** The running fake; start one with `startFakeSlack()`. */
export class FakeSlack {
  /** The Web API base URL to configure as SLACK_API_URL: "http://127.0.0.1:<port>/api/". */
  readonly url: string;
  /** "http://127.0.0.1:<port>". */
  readonly origin: string;
  readonly workspace: FakeWorkspace;
  private readonly recorded: RecordedCall[] = [];
  private readonly failures = new Map<string, Failure[]>();
  private readonly responders = new Map<string, Responder>();
  private everyCall: Failure | null = null;
  private waiters: Waiter[] = [];
  private responseUrls = 0;

  constructor(private readonly server: Server) {
    const { port } = server.address() as AddressInfo;
    this.origin = `http://127.0.0.1:${port}`;
    this.url = `${this.origin}/api/`;
    this.workspace = new FakeWorkspace(this.origin);
  }

  /** Every recorded call, or those of `method`, oldest first. */
  calls(method?: string): RecordedCall[] {
    return method === undefined ? [...this.recorded] : this.recorded.filter((c) => c.method === method);
  }

  /**
   * The first call of `method` (already recorded or still to come) that `predicate` accepts: rapport
   * may call Slack after it has acknowledged the request that caused it.
   */
  waitFor(
    method: string,
    predicate: (call: RecordedCall) => boolean = () => true,
    timeoutMs = 3_000,
  ): Promise<RecordedCall> {
    const found = this.recorded.find((c) => c.method === method && predicate(c));
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        method,
        predicate,
        resolve: (call) => (clearTimeout(timer), resolve(call)),
      };
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        const seen = this.recorded.map((c) => c.method).join(", ") || "none";
        reject(new Error(`fake Slack: no matching ${method} call within ${timeoutMs} ms (calls: ${seen})`));
      }, timeoutMs);
      this.waiters.push(waiter);
    });
  }

  /** Makes the next call(s) of `method` fail as described. Failures queue up in order. */
  failNext(method: string, failure: Failure): void {
    const queue = this.failures.get(method) ?? [];
    for (let i = 0; i < (failure.times ?? 1); i++) queue.push(failure);
    this.failures.set(method, queue);
  }

  /**
   * Makes every Web API call fail as described (`failNext`'s shape; `times` is ignored) until
   * `failEvery(null)` or `reset()`: Slack rate-limiting or down altogether.
   */
  failEvery(failure: Failure | null): void {
    this.everyCall = failure;
  }

  /** Replaces the fake's own answer to `method` (until `reset()`). */
  respondTo(method: string, responder: Responder): void {
    this.responders.set(method, responder);
  }

  /** Sets the messages of a channel (top-level and thread replies alike, in any order). */
  setMessages(channel: string, messages: FakeMessage[]): void {
    this.workspace.messages.set(
      channel,
      messages.map((m) => ({ ...m })),
    );
  }

  /** Adds or replaces a person that `users.info` knows. */
  setUser(user: FakeUser): void {
    this.workspace.users.set(user.id, { ...user });
  }

  /** A response_url that posts back to this fake (recorded as method "response_url"). */
  responseUrl(id: string = String(++this.responseUrls)): string {
    return `${this.origin}/response/${id}`;
  }

  /** Forgets the recorded calls, queued failures and canned answers; state (messages, users) stays. */
  reset(): void {
    this.recorded.length = 0;
    this.failures.clear();
    this.responders.clear();
    this.everyCall = null;
  }

  /** Stops the server, cutting any open connection. */
  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve, reject) => this.server.close((e) => (e ? reject(e) : resolve())));
  }

  /** Handles one request: parse, answer, record. */
  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", this.origin);
    const raw = await readBody(req);
    const contentType = req.headers["content-type"] ?? null;
    const authorization = req.headers.authorization ?? null;
    let method: string;
    let params: Record<string, unknown>;
    let reply: Reply;
    if (url.pathname.startsWith("/api/")) {
      method = decodeURIComponent(url.pathname.slice("/api/".length));
      params = decodeJsonParams({
        ...Object.fromEntries(url.searchParams),
        ...(await parseBody(raw, contentType)),
      });
      reply = this.apiReply(method, params, bearer(authorization) ?? stringOrNull(params.token));
    } else if (url.pathname.startsWith("/response/")) {
      method = "response_url";
      params = await parseBody(raw, contentType);
      reply = json(200, { ok: true });
    } else if (url.pathname.startsWith("/upload/")) {
      method = "file_upload";
      params = await this.upload(url.pathname.slice("/upload/".length), raw, contentType);
      reply = { status: 200, headers: { "content-type": "text/plain" }, body: `OK - ${raw.length}` };
    } else {
      method = `unknown:${req.method} ${url.pathname}`;
      params = {};
      reply = { status: 404, headers: { "content-type": "text/plain" }, body: "Not Found" };
    }
    this.record({
      method,
      params,
      token: bearer(authorization) ?? stringOrNull(params.token),
      authorization,
      contentType,
      path: url.pathname,
      status: reply.status,
      response: reply.body,
      at: new Date(),
    });
    const text = typeof reply.body === "string" ? reply.body : JSON.stringify(reply.body);
    if (reply.hangMs) await new Promise((resolve) => setTimeout(resolve, reply.hangMs));
    if (!res.destroyed) res.writeHead(reply.status, reply.headers).end(text);
  }

  private apiReply(method: string, params: Record<string, unknown>, token: string | null): Reply {
    const failure = this.failures.get(method)?.shift() ?? this.everyCall;
    if (failure) return { ...failureReply(failure), ...(failure.hangMs ? { hangMs: failure.hangMs } : {}) };
    if (!TOKENLESS.has(method) && !token) return json(200, { ok: false, error: "not_authed" });
    // xoxb- bot tokens and the like; xapp- app-level tokens (Socket Mode's apps.connections.open).
    if (!TOKENLESS.has(method) && !/^(xox[bpae]|xapp)-/.test(token ?? "")) {
      return json(200, { ok: false, error: "invalid_auth" });
    }
    const responder = this.responders.get(method);
    const answer = typeof responder === "function" ? responder(params) : (responder ?? null);
    return json(200, answer ?? this.workspace.answer(method, params));
  }

  private async upload(
    fileId: string,
    raw: Buffer,
    contentType: string | null,
  ): Promise<Record<string, unknown>> {
    let bytes = raw;
    let filename: string | null = null;
    if (contentType?.startsWith("multipart/form-data")) {
      const form = await new Request("http://fake/", {
        method: "POST",
        headers: { "content-type": contentType },
        body: raw,
      }).formData();
      const file = [...form.values()].find((v) => typeof v !== "string");
      if (file && typeof file !== "string") {
        bytes = Buffer.from(await file.arrayBuffer());
        filename = file.name;
      }
    }
    const upload = this.workspace.uploads.get(fileId);
    if (upload) upload.bytes = bytes;
    return { file_id: fileId, filename: filename ?? upload?.filename ?? null, bytes };
  }

  private record(call: RecordedCall): void {
    this.recorded.push(call);
    const ready = this.waiters.filter((w) => w.method === call.method && w.predicate(call));
    this.waiters = this.waiters.filter((w) => !ready.includes(w));
    for (const w of ready) w.resolve(call);
  }
}

/** Starts a fake Slack on 127.0.0.1 on a free port. */
export async function startFakeSlack(): Promise<FakeSlack> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const fake = new FakeSlack(server);
  server.on("request", (req: IncomingMessage, res: ServerResponse) => {
    fake.handle(req, res).catch((e: unknown) => {
      if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain" });
      res.end(`fake Slack failed: ${e instanceof Error ? e.stack : String(e)}`);
    });
  });
  return fake;
}

function failureReply(f: Failure): Reply {
  if (f.status === 429) {
    return {
      status: 429,
      headers: { "content-type": "application/json", "retry-after": String(f.retryAfter ?? 1) },
      body: { ok: false, error: "ratelimited" },
    };
  }
  if (f.error) return json(f.status ?? 200, { ok: false, error: f.error });
  return {
    status: f.status ?? 500,
    headers: { "content-type": "text/plain" },
    body: "Internal Server Error",
  };
}

function json(status: number, body: unknown): Reply {
  return { status, headers: { "content-type": "application/json; charset=utf-8" }, body };
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function parseBody(raw: Buffer, contentType: string | null): Promise<Record<string, unknown>> {
  if (raw.length === 0) return {};
  const type = contentType?.split(";")[0]?.trim().toLowerCase();
  if (type === "application/json") {
    const parsed = JSON.parse(raw.toString("utf8")) as unknown;
    return typeof parsed === "object" && parsed !== null
      ? (parsed as Record<string, unknown>)
      : { value: parsed };
  }
  if (type === "multipart/form-data") {
    const form = await new Request("http://fake/", {
      method: "POST",
      headers: { "content-type": contentType! },
      body: raw,
    }).formData();
    const out: Record<string, unknown> = {};
    for (const [key, value] of form) {
      out[key] = typeof value === "string" ? value : Buffer.from(await value.arrayBuffer());
    }
    return out;
  }
  return Object.fromEntries(new URLSearchParams(raw.toString("utf8")));
}

function bearer(authorization: string | null): string | null {
  const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? "");
  return match?.[1] ?? null;
}

function stringOrNull(value: unknown): string | null {
  return typeof value === "string" && value ? value : null;
}
