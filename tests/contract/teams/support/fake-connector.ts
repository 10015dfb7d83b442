// A fake Bot Framework connector (the service at an activity's serviceUrl) on loopback: it records
// what rapport sends into conversations (new messages, replies, updates, new personal chats) and
// answers like the real one, or fails on demand the way Teams does (403 bot removed, 404
// conversation gone, 429, 5xx), or is down until told to recover. It also lists a conversation's members from a roster the test
// sets, and stands in for the OneDrive upload session a file consent hands the bot.
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";

/** One request the connector received. */
export interface ConnectorCall {
  method: "POST" | "PUT" | string;
  /** The raw path, e.g. "/v3/conversations/19%3A…/activities/1700000000000". */
  path: string;
  /**
   * "send" (new message in the conversation), "reply" (to an activity), "update", "create" (a new
   * conversation), "members" (a member lookup), "upload" (a file written to an upload URL), or "other".
   */
  kind: "send" | "reply" | "update" | "create" | "members" | "upload" | "other";
  /** The conversation id, decoded (it may carry ";messageid=…"). */
  conversationId: string | null;
  /** The activity replied to (reply) or updated (update). */
  activityId: string | null;
  /** The activity rapport sent. */
  body: Record<string, unknown>;
  authorization: string | null;
  /** What the fake answered. */
  status: number;
  response: unknown;
}

/** How the next call fails. */
export interface ConnectorFailure {
  status: 403 | 404 | 412 | 429 | 500 | 502 | 503 | 504;
  /** Seconds for Retry-After on a 429 (1 unless told) or a 503 (none unless told). */
  retryAfter?: number;
  /**
   * How many calls in a row fail; default 1. The connector client of rapport's request path
   * retries 429 and 5xx by itself, so a failure it is to see must outlast those retries (the
   * outbox's client makes each call once).
   */
  times?: number;
}

const ROUTE = /^\/v3\/conversations\/([^/]+)\/activities(?:\/([^/]+))?\/?$/;
const CREATE = /^\/v3\/conversations\/?$/;
const MEMBERS = /^\/v3\/conversations\/([^/]+)\/(?:pagedmembers|members\/([^/]+))\/?$/;
const UPLOAD = /^\/upload\/([^/]+)$/;

/** A member as the connector lists them. */
export interface RosterMember {
  id: string;
  name: string;
  aadObjectId: string;
  tenantId: string;
}

/** The running fake; start one with `startFakeConnector()`. */
export class FakeConnector {
  /** "http://127.0.0.1:<port>/": put it in activities' serviceUrl. */
  readonly url: string;
  private readonly recorded: ConnectorCall[] = [];
  private readonly failures: ConnectorFailure[] = [];
  private down: ConnectorFailure | null = null;
  private readonly broken = new Map<string, Omit<ConnectorFailure, "times">>();
  private readonly slow = new Map<string, number>();
  private readonly rosters = new Map<string, RosterMember[]>();

  constructor(private readonly server: Server) {
    const { port } = server.address() as AddressInfo;
    this.url = `http://127.0.0.1:${port}/`;
  }

  /** Every recorded call (or those of one kind), oldest first. */
  calls(kind?: ConnectorCall["kind"]): ConnectorCall[] {
    return kind ? this.recorded.filter((c) => c.kind === kind) : [...this.recorded];
  }

  /** The activities rapport posted (sends and replies) since call number `from`. */
  posted(from = 0): ConnectorCall[] {
    return this.recorded.slice(from).filter((c) => c.kind === "send" || c.kind === "reply");
  }

  /** How many calls have been recorded: pass it to `posted(from)` to see only what comes next. */
  get count(): number {
    return this.recorded.length;
  }

  /** Makes the next call (or the next `failure.times` calls) fail with `failure`. */
  failNext(failure: ConnectorFailure): void {
    for (let i = 0; i < (failure.times ?? 1); i++) this.failures.push(failure);
  }

  /** Fails every call with `failure` until `recover()`. */
  failAll(failure: Omit<ConnectorFailure, "times">): void {
    this.down = failure;
  }

  /** Fails every call into one conversation (a broken chat) with `failure` until `recover()`. */
  failConversation(conversationId: string, failure: Omit<ConnectorFailure, "times">): void {
    this.broken.set(conversationId, failure);
  }

  /** Answers calls into one conversation only after `ms` (a chat that hangs) until `recover()`. */
  slowConversation(conversationId: string, ms: number): void {
    this.slow.set(conversationId, ms);
  }

  /** Answers normally again, also dropping the failures `failNext` left pending. */
  recover(): void {
    this.down = null;
    this.failures.length = 0;
    this.broken.clear();
    this.slow.clear();
  }

  /**
   * Polls the calls recorded since call number `from` until `check` finds what it looks for, and
   * returns that: what rapport queues is sent after the turn's answer. Throws after `timeoutMs`
   * saying what it waited for.
   */
  async waitFor<T>(
    from: number,
    what: string,
    check: (calls: ConnectorCall[]) => T | null | undefined | false,
    timeoutMs = 30_000,
  ): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = check(this.recorded.slice(from));
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`waited ${timeoutMs} ms for ${what}`);
      await sleep(20);
    }
  }

  /**
   * Waits until rapport has posted `n` activities (sends and replies answered 2xx) since call
   * number `from`, and returns those.
   */
  waitForPosted(from: number, n = 1, timeoutMs = 30_000): Promise<ConnectorCall[]> {
    return this.waitFor(
      from,
      `${n} posted activities`,
      () => {
        const posted = this.posted(from).filter((c) => c.status < 300);
        return posted.length >= n && posted;
      },
      timeoutMs,
    );
  }

  /** The members the connector lists for a conversation (a team's id for its channels). */
  setRoster(conversationId: string, members: RosterMember[]): void {
    this.rosters.set(conversationId, members);
  }

  /** An upload URL, as a file consent's uploadInfo gives one: a PUT there is recorded as an "upload". */
  uploadUrl(name: string): string {
    return `${this.url}upload/${encodeURIComponent(name)}`;
  }

  /** Forgets what was recorded and any failure still pending. */
  reset(): void {
    this.recorded.length = 0;
    this.failures.length = 0;
    this.down = null;
    this.broken.clear();
    this.slow.clear();
  }

  /** Forgets every roster: a new personal chat then opens with anyone. */
  clearRosters(): void {
    this.rosters.clear();
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  /** @internal */
  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString("utf8");
    let body: Record<string, unknown> = {};
    try {
      body = text ? (JSON.parse(text) as Record<string, unknown>) : {};
    } catch {
      body = { unparsable: text };
    }
    const path = req.url ?? "/";
    const route = path.split("?")[0] ?? "";
    const match = ROUTE.exec(route);
    const members = MEMBERS.exec(route);
    const method = req.method ?? "GET";
    const kind: ConnectorCall["kind"] = match
      ? method === "PUT" && match[2]
        ? "update"
        : method === "POST"
          ? match[2]
            ? "reply"
            : "send"
          : "other"
      : method === "POST" && CREATE.test(route)
        ? "create"
        : method === "GET" && members
          ? "members"
          : method === "PUT" && UPLOAD.test(route)
            ? "upload"
            : "other";
    const conversation = match ? decodeURIComponent(match[1]!).split(";messageid=")[0]! : "";
    const failure = this.down ?? this.broken.get(conversation) ?? this.failures.shift();
    const delay = this.slow.get(conversation);
    if (delay) await sleep(delay);
    let status: number;
    let response: unknown;
    const headers: Record<string, string> = { "content-type": "application/json" };
    if (failure) {
      status = failure.status;
      response = { error: { code: failureCode(failure.status), message: `fake connector: ${status}` } };
      if (failure.status === 429) headers["retry-after"] = String(failure.retryAfter ?? 1);
      else if (failure.retryAfter !== undefined) headers["retry-after"] = String(failure.retryAfter);
    } else if (kind === "members") {
      const roster = this.rosters.get(decodeURIComponent(members![1]!).split(";messageid=")[0]!) ?? [];
      const one = members![2] ? roster.find((m) => m.id === decodeURIComponent(members![2]!)) : null;
      status = members![2] && !one ? 404 : 200;
      response = members![2] ? (one ?? { error: { code: "MemberNotFound" } }) : { members: roster };
    } else if (kind === "other") {
      status = 404;
      response = { error: { code: "NotFound", message: `no such route: ${method} ${path}` } };
    } else if (kind === "create") {
      // Like Teams: a personal chat opens with anyone who shares a team with the bot (once the test
      // sets rosters), and is refused with 403 for anyone else.
      const member = ((body.members as Array<{ id?: string }> | undefined) ?? [])[0]?.id ?? "";
      const known = [...this.rosters.values()].some((r) =>
        r.some((m) => m.aadObjectId === member || m.id === member),
      );
      if (this.rosters.size > 0 && !known) {
        status = 403;
        response = { error: { code: "Forbidden", message: "Bot is not installed in user's personal scope" } };
      } else {
        status = 201;
        response = { id: `a:fake-${randomUUID()}` };
      }
    } else if (kind === "upload") {
      status = 201;
      response = { id: `file-${randomUUID()}` };
    } else {
      status = kind === "update" ? 200 : 201;
      response = { id: kind === "update" ? match![2] : `fake-${randomUUID()}` };
    }
    this.recorded.push({
      method,
      path,
      kind,
      conversationId: match ? decodeURIComponent(match[1]!) : null,
      activityId: match?.[2] ? decodeURIComponent(match[2]) : null,
      body,
      authorization: req.headers.authorization ?? null,
      status,
      response,
    });
    res.writeHead(status, headers).end(JSON.stringify(response));
  }
}

function failureCode(status: number): string {
  if (status === 403) return "BotNotInConversationRoster";
  if (status === 404) return "ConversationNotFound";
  if (status === 429) return "TooManyRequests";
  return "ServiceError";
}

/** Starts a fake connector on 127.0.0.1 with a free port. */
export async function startFakeConnector(): Promise<FakeConnector> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const fake = new FakeConnector(server);
  server.on("request", (req: IncomingMessage, res: ServerResponse) => {
    fake.handle(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500).end();
    });
  });
  return fake;
}
