import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Logger } from "../logger.ts";
import type { Answering } from "../ports.ts";
import { unmatchedRoute, type Telemetry } from "../telemetry.ts";

/** Handles one request. It receives the body unread, so platform SDKs can verify signatures. */
export type RouteHandler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

/** What the HTTP server needs from the rest of rapport. */
export interface HttpServerOptions {
  logger: Logger;
  telemetry: Telemetry;
  /**
   * Resolves true when rapport can do useful work (database reachable, migrations applied), else
   * false or the reason it cannot (answered with the 503).
   */
  ready: () => Promise<boolean | string>;
  /** How long /readyz waits for `ready()` before answering 503. Default 2 s. */
  readyTimeoutMs?: number;
  /** How long `close()` lets in-flight requests run before cutting their connections. Default 10 s. */
  shutdownTimeoutMs?: number;
  /**
   * How long a client has to send a whole request, headers and body, before it is answered 408
   * and cut off. Default 10 s: Slack and Teams send small bodies at once, and a body that stalls
   * half-way must not hold a connection for Node's default 300 s.
   */
  requestTimeoutMs?: number;
}

/** rapport's one HTTP server: built-in probes and metrics, plus whatever routes adapters mount. */
export interface HttpServer extends Answering {
  /** Mounts `handler` on exactly `path` (query string ignored); throws if that route exists. */
  route(method: string, path: string, handler: RouteHandler): void;
  /** Starts listening; resolves with the bound port (useful when `port` is 0). */
  listen(port: number, host: string): Promise<{ port: number }>;
  /** Stops accepting, lets in-flight requests finish (up to the timeout), then resolves. */
  close(): Promise<void>;
}

type RouteTable = Map<string, Map<string, RouteHandler>>;

/** Creates the server with GET /healthz, /readyz and /metrics already mounted. */
export function createHttpServer(options: HttpServerOptions): HttpServer {
  const { logger, telemetry } = options;
  const routes: RouteTable = new Map();
  const inFlight = new Set<ServerResponse>();
  const waiting = new Set<() => void>();
  let closing = false;
  let closed: Promise<void> | undefined;

  const server = createServer(timeouts(options.requestTimeoutMs ?? 10_000), (req, res) => {
    const started = process.hrtime.bigint();
    const { route, handler } = resolveRoute(routes, req);
    inFlight.add(res);
    res.once("close", () => {
      inFlight.delete(res);
      if (inFlight.size === 0) for (const resume of waiting) resume();
      const status = res.writableFinished ? res.statusCode : "aborted";
      const durationSeconds = Number(process.hrtime.bigint() - started) / 1e9;
      telemetry.recordHttpRequest({ route, method: req.method ?? "GET", status, durationSeconds });
      logger.debug({ route, method: req.method, status, durationSeconds }, "http request");
      // A keep-alive connection that just went idle would otherwise hold shutdown open.
      if (closing) setImmediate(() => server.closeIdleConnections());
    });
    if (closing) res.setHeader("connection", "close");
    void runHandler(handler, req, res, route, logger);
  });

  const http: HttpServer = {
    route: (method, path, handler) => addRoute(routes, method, path, handler),
    listen: (port, host) =>
      closing ? Promise.reject(new Error("The HTTP server has been closed.")) : listen(server, port, host),
    pause: (atMostMs) => (inFlight.size === 0 ? Promise.resolve() : pauseOrTimeout(waiting, atMostMs)),
    close: () => {
      closing = true;
      closed ??= shutdown(server, inFlight, options.shutdownTimeoutMs ?? 10_000, logger);
      return closed;
    },
  };
  http.route("GET", "/healthz", (_req, res) => sendText(res, 200, "ok"));
  http.route(
    "GET",
    "/readyz",
    readinessHandler(options, () => closing),
  );
  http.route("GET", "/metrics", async (_req, res) => {
    const text = await telemetry.metricsText();
    res.writeHead(200, { "content-type": telemetry.contentType }).end(text);
  });
  return http;
}

/** Waits to be resumed (`waiting` is run when no request is in flight), or `atMostMs`. */
function pauseOrTimeout(waiting: Set<() => void>, atMostMs: number): Promise<void> {
  return new Promise((resolve) => {
    const resume = () => {
      clearTimeout(timer);
      waiting.delete(resume);
      resolve();
    };
    const timer = setTimeout(resume, atMostMs);
    waiting.add(resume);
  });
}

// How often Node looks for requests past their timeout: its default, 30 s, would triple the wait.
function timeouts(requestTimeout: number) {
  return { requestTimeout, headersTimeout: requestTimeout, connectionsCheckingInterval: 1_000 };
}

function addRoute(routes: RouteTable, method: string, path: string, handler: RouteHandler): void {
  if (!path.startsWith("/")) throw new Error(`Route path must start with "/": ${path}`);
  const verb = method.toUpperCase();
  const byMethod = routes.get(path) ?? new Map<string, RouteHandler>();
  if (byMethod.has(verb)) throw new Error(`Route ${verb} ${path} is already mounted.`);
  routes.set(path, byMethod.set(verb, handler));
}

function resolveRoute(routes: RouteTable, req: IncomingMessage): { route: string; handler: RouteHandler } {
  const path = (req.url ?? "/").split("?", 1)[0] ?? "/";
  const byMethod = routes.get(path);
  if (!byMethod)
    return { route: unmatchedRoute, handler: (_req, res) => sendJson(res, 404, { error: "not_found" }) };
  const method = req.method ?? "GET";
  // HEAD is GET without a body; node's ServerResponse drops the body for HEAD by itself.
  const handler = byMethod.get(method) ?? (method === "HEAD" ? byMethod.get("GET") : undefined);
  if (handler) return { route: path, handler };
  const allow = [...byMethod.keys()].join(", ");
  return {
    route: path,
    handler: (_req, res) => {
      res.setHeader("allow", allow);
      sendJson(res, 405, { error: "method_not_allowed" });
    },
  };
}

async function runHandler(
  handler: RouteHandler,
  req: IncomingMessage,
  res: ServerResponse,
  route: string,
  logger: Logger,
): Promise<void> {
  try {
    await handler(req, res);
  } catch (err) {
    logger.error({ err, route, method: req.method }, "HTTP handler failed");
    if (!res.headersSent) sendJson(res, 500, { error: "internal_error" });
    // Half a response is worse than none: cut it so the client sees a failure, not a hang.
    else if (!res.writableEnded) res.destroy();
  }
}

function readinessHandler(options: HttpServerOptions, isClosing: () => boolean): RouteHandler {
  const timeoutMs = options.readyTimeoutMs ?? 2_000;
  // Probes that arrive while a check is still running share it, so a hung database cannot
  // pile up one pending check per probe.
  let pending: Promise<boolean | string> | undefined;
  const check = () =>
    (pending ??= Promise.resolve()
      .then(options.ready)
      .finally(() => {
        pending = undefined;
      }));
  return async (_req, res) => {
    if (isClosing()) return sendText(res, 503, "shutting down");
    const reason = await probe(check, timeoutMs).catch((err: unknown) => {
      options.logger.warn({ err }, "readiness check failed");
      return "readiness check failed";
    });
    if (reason) sendText(res, 503, reason);
    else sendText(res, 200, "ready");
  };
}

// Null when ready, otherwise a short reason fit for a probe's log.
async function probe(check: () => Promise<boolean | string>, timeoutMs: number): Promise<string | null> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<"timeout">((resolve) => {
    timer = setTimeout(resolve, timeoutMs, "timeout");
  });
  try {
    const outcome = await Promise.race([check(), timeout]);
    if (outcome === "timeout") return "readiness check timed out";
    if (outcome === true) return null;
    return typeof outcome === "string" && outcome ? outcome : "not ready";
  } finally {
    clearTimeout(timer);
  }
}

function listen(
  server: ReturnType<typeof createServer>,
  port: number,
  host: string,
): Promise<{ port: number }> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve({ port: (server.address() as AddressInfo).port });
    });
  });
}

async function shutdown(
  server: ReturnType<typeof createServer>,
  inFlight: Set<ServerResponse>,
  timeoutMs: number,
  logger: Logger,
): Promise<void> {
  if (!server.listening) return;
  // Tell keep-alive clients not to send another request down a connection that is going away.
  for (const res of inFlight) if (!res.headersSent) res.setHeader("connection", "close");
  const done = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  const timer = setTimeout(() => {
    logger.warn({ inFlight: inFlight.size, timeoutMs }, "shutdown timed out; closing open connections");
    server.closeAllConnections();
  }, timeoutMs);
  await done;
  clearTimeout(timer);
}

function sendText(res: ServerResponse, status: number, body: string): void {
  res
    .writeHead(status, { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" })
    .end(body);
}

function sendJson(res: ServerResponse, status: number, body: object): void {
  res.writeHead(status, { "content-type": "application/json; charset=utf-8" }).end(JSON.stringify(body));
}
