// Socket Mode's connection to Slack, kept open. @slack/socket-mode speaks the protocol (apps.
// connections.open, hello, envelopes, acks, pings); this decides when to connect. Its own
// reconnection is off: it waits before every reconnection (5 s, then 10 s, …), closes on a
// `disconnect` message before a new connection is there, and an invalid token while reconnecting
// ends in an unhandled rejection. Here a `disconnect` opens the next connection first and closes
// the old one once the new one said hello; a lost connection is replaced at once; failed attempts
// wait 250 ms doubling up to 5 s (or Slack's Retry-After); a refused token is fatal, named.
import type { Logger as BoltLogger } from "@slack/bolt";
import { SocketModeClient, type SocketModeDispatcher } from "@slack/socket-mode";
import type { WebClientOptions } from "@slack/web-api";
import { RapportError, type Logger } from "../../src/index.ts";
import { slackErrorCode } from "./slack-errors.ts";

/** What one envelope brings: Bolt's receiver reads the same fields. */
export interface SocketEnvelope {
  ack: (response?: Record<string, unknown>) => Promise<void>;
  envelope_id: string;
  type: string;
  body: Record<string, unknown>;
  retry_num?: number;
  retry_reason?: string;
  accepts_response_payload?: boolean;
}

/** How the connection is made and whom it tells. */
export interface SocketOptions {
  appToken: string;
  /** For apps.connections.open: address, proxy, timeout; one try per attempt. */
  clientOptions: WebClientOptions;
  dispatcher?: SocketModeDispatcher | undefined;
  logger: Logger;
  boltLogger: BoltLogger;
  onEnvelope: (envelope: SocketEnvelope) => void;
  /** Slack refused the token, or Socket Mode is off for the app: nothing here can fix it. */
  onFatal: (error: RapportError) => void;
  /** How long an attempt may take from apps.connections.open to Slack's hello. Default 15 s. */
  attemptTimeoutMs?: number;
}

/** The longest wait between two failed attempts (unless Slack asks for longer with Retry-After). */
export const MAX_BACKOFF_MS = 5_000;

/** Slack's answers to apps.connections.open that mean the app-level token will never work. */
const REFUSED_TOKEN = new Set([
  "not_authed",
  "invalid_auth",
  "account_inactive",
  "token_revoked",
  "token_expired",
  "user_removed_from_team",
  "team_disabled",
  "not_allowed_token_type",
  "missing_scope",
]);

/** One Socket Mode connection that reports Slack's `disconnect` message instead of closing at once. */
class Connection extends SocketModeClient {
  lastError: unknown = null;

  protected override async onWebSocketMessage(data: string | ArrayBuffer, isBinary: boolean): Promise<void> {
    if (!isBinary) {
      const text = typeof data === "string" ? data : new TextDecoder().decode(data);
      if (text.includes('"disconnect"')) {
        const message = parse(text);
        if (message?.type === "disconnect") {
          this.emit("slack_disconnect", typeof message.reason === "string" ? message.reason : "");
          return;
        }
      }
    }
    return super.onWebSocketMessage(data, isBinary);
  }
}

/** rapport's Socket Mode link to Slack: connected, or saying why not. */
export class SlackSocket {
  private readonly live = new Set<Connection>();
  private readonly retiring = new Set<Connection>();
  private opening: Promise<void> | null = null;
  private failures = 0;
  private retryTimer: NodeJS.Timeout | null = null;
  private stopped = false;
  private problem = "not connected to Slack yet";
  private downSince: number | null = Date.now();
  private connecting: Connection | null = null;
  /** Cuts an apps.connections.open in flight when rapport stops. */
  private readonly stopping = new AbortController();

  constructor(private readonly options: SocketOptions) {}

  /** Null while a connection is open, else why not (for /readyz). */
  unready(): string | null {
    return this.live.size > 0 ? null : this.problem;
  }

  /**
   * Makes the first attempt. Resolves once it has connected, or failed and a retry is planned (or
   * `signal` aborted the wait); rejects when Slack refused the token.
   */
  async start(signal?: AbortSignal): Promise<void> {
    const outcome: { fatal: RapportError | null } = { fatal: null };
    const first = this.attempt((e) => (outcome.fatal = e));
    if (signal) {
      const aborted = new Promise<void>((resolve) => signal.addEventListener("abort", () => resolve()));
      await Promise.race([first, aborted]);
    } else await first;
    if (outcome.fatal) throw outcome.fatal;
  }

  /** Closes every connection and stops reconnecting. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.stopping.abort();
    const all = [...this.live, ...this.retiring, ...(this.connecting ? [this.connecting] : [])];
    this.live.clear();
    this.retiring.clear();
    await Promise.all(all.map((c) => closeQuietly(c)));
  }

  /** One attempt, unless one is under way; failures plan the next. */
  private attempt(fatal: (e: RapportError) => void = this.options.onFatal): Promise<void> {
    if (this.stopped) return Promise.resolve();
    this.opening ??= this.open()
      .catch((e: unknown) => this.failed(e, fatal))
      .finally(() => (this.opening = null));
    return this.opening;
  }

  private async open(): Promise<void> {
    const { options } = this;
    const c = new Connection({
      appToken: options.appToken,
      autoReconnectEnabled: false,
      clientOptions: {
        ...options.clientOptions,
        fetch: abortable(options.clientOptions.fetch ?? globalThis.fetch, this.stopping.signal),
      },
      ...(options.dispatcher ? { dispatcher: options.dispatcher } : {}),
      logger: options.boltLogger,
    });
    c.on("error", (e: unknown) => (c.lastError = e));
    c.on("slack_event", (envelope: SocketEnvelope) => options.onEnvelope(envelope));
    this.connecting = c;
    try {
      await withTimeout(c.start(), options.attemptTimeoutMs ?? 15_000);
    } catch (e) {
      await closeQuietly(c);
      throw e ?? c.lastError ?? new Error("the WebSocket closed before Slack said hello");
    } finally {
      this.connecting = null;
    }
    if (this.stopped) return void (await closeQuietly(c));
    c.on("slack_disconnect", (reason: string) => this.refresh(c, reason));
    c.once("disconnected", () => this.closed(c));
    this.live.add(c);
    const after = this.downSince === null ? null : Date.now() - this.downSince;
    this.failures = 0;
    this.downSince = null;
    options.logger.info(
      { component: "slack", downMs: after, connections: this.live.size },
      "Slack Socket Mode is connected",
    );
    // The connections Slack asked to replace go only now that this one is there.
    for (const old of this.retiring) {
      this.live.delete(old);
      void closeQuietly(old);
    }
    this.retiring.clear();
  }

  private failed(e: unknown, fatal: (e: RapportError) => void): void {
    if (this.stopped) return;
    const refused = refusal(e);
    if (refused) {
      this.problem = refused.message;
      this.stopped = true;
      fatal(refused);
      return;
    }
    this.failures += 1;
    const wait = Math.max(backoffMs(this.failures), retryAfterMs(e));
    this.problem = `cannot connect to Slack (${describe(e)}); trying again`;
    this.options.logger.warn(
      { component: "slack", reason: describe(e), attempt: this.failures, retryInMs: wait },
      "could not open a Slack Socket Mode connection (check SLACK_API_URL, HTTPS_PROXY and the network); trying again",
    );
    this.later(wait);
  }

  private later(ms: number): void {
    if (this.stopped || this.retryTimer) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      void this.attempt();
    }, ms);
  }

  private refresh(c: Connection, reason: string): void {
    if (this.stopped) return;
    if (reason === "link_disabled") {
      const e = new RapportError(
        "config_invalid",
        "Slack turned Socket Mode off for this app (link_disabled): turn Socket Mode on in the app's settings, or unset SLACK_APP_TOKEN to use HTTP mode",
      );
      this.problem = e.message;
      this.stopped = true;
      this.options.onFatal(e);
      return;
    }
    this.options.logger.info(
      { component: "slack", reason },
      "Slack asked for a new Socket Mode connection; opening it before the old one closes",
    );
    // Until the new one is there the old one still carries envelopes, and counts as connected.
    this.retiring.add(c);
    void this.attempt();
  }

  private closed(c: Connection): void {
    this.live.delete(c);
    this.retiring.delete(c);
    if (this.stopped || this.live.size > 0) return;
    this.problem = "the Socket Mode connection closed; reconnecting";
    this.downSince ??= Date.now();
    this.options.logger.warn({ component: "slack" }, "the Slack Socket Mode connection closed; reconnecting");
    if (!this.opening && !this.retryTimer) void this.attempt();
  }
}

/** The wait after the `failures`-th failed attempt in a row: 250 ms, doubling, at most 5 s, with jitter. */
export function backoffMs(failures: number): number {
  const base = Math.min(MAX_BACKOFF_MS, 250 * 2 ** Math.max(0, failures - 1));
  return Math.round(base * (0.8 + Math.random() * 0.2));
}

/** The fatal error a refused app-level token stands for, or null when trying again may help. */
export function refusal(e: unknown): RapportError | null {
  const code = slackErrorCode(e);
  if (!code || !REFUSED_TOKEN.has(code)) return null;
  const what =
    code === "missing_scope" || code === "not_allowed_token_type"
      ? "SLACK_APP_TOKEN is not an app-level token with the connections:write scope"
      : "Slack refused SLACK_APP_TOKEN";
  return new RapportError(
    "config_invalid",
    `${what} (${code}): create an app-level token with the connections:write scope (the Slack app's Basic Information, App-Level Tokens) and set SLACK_APP_TOKEN to it`,
    { cause: e },
  );
}

function retryAfterMs(e: unknown): number {
  const seconds = (e as { retryAfter?: unknown } | null)?.retryAfter;
  return typeof seconds === "number" && Number.isFinite(seconds) ? seconds * 1000 : 0;
}

/** A failure in a few words: Slack's error code, or the innermost cause (`connect ECONNREFUSED …`). */
function describe(e: unknown): string {
  const code = slackErrorCode(e);
  if (code) return code;
  let inner: unknown = e;
  for (let depth = 0; depth < 5; depth++) {
    const next =
      (inner as { original?: unknown; cause?: unknown } | null)?.original ??
      (inner as { cause?: unknown } | null)?.cause;
    if (!(next instanceof Error)) break;
    inner = next;
  }
  return inner instanceof Error ? inner.message : String(e);
}

/** `fetch` whose requests also end when `signal` aborts. */
function abortable(
  fetch: NonNullable<WebClientOptions["fetch"]>,
  signal: AbortSignal,
): NonNullable<WebClientOptions["fetch"]> {
  return (url, init) =>
    fetch(url, { ...init, signal: init?.signal ? AbortSignal.any([init.signal, signal]) : signal });
}

function parse(text: string): { type?: unknown; reason?: unknown } | null {
  try {
    const value = JSON.parse(text) as unknown;
    return typeof value === "object" && value !== null ? value : null;
  } catch {
    return null;
  }
}

async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no hello from Slack within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Closes a connection without waiting long for the peer's half of the close handshake. */
async function closeQuietly(c: Connection): Promise<void> {
  c.removeAllListeners("slack_event");
  c.removeAllListeners("slack_disconnect");
  c.removeAllListeners("disconnected");
  await withTimeout(c.disconnect(), 2_000).catch(() => {});
}
