// Driving load: a sustained run at a fixed number of connections (autocannon, every request built
// fresh by `make`), and a burst of simultaneous requests, each timed on its own.
import { request as httpRequest, type IncomingMessage } from "node:http";
import { performance } from "node:perf_hooks";
import autocannon from "autocannon";
import type { HttpRequest } from "./payloads.ts";

/** What a sustained run came to. */
export interface RunResult {
  /** How long it ran. */
  seconds: number;
  /** Responses of any status per second. */
  rps: number;
  p50: number;
  p99: number;
  responses: number;
  non2xx: number;
  /** Connection errors and timeouts. */
  errors: number;
}

/** `connections` connections sending `make()` requests back to back to `url` for `seconds`. */
export async function sustained(
  url: string,
  make: () => HttpRequest,
  opts: { connections: number; seconds: number },
): Promise<RunResult> {
  const result = await autocannon({
    url,
    connections: opts.connections,
    duration: opts.seconds,
    timeout: 10,
    requests: [
      {
        method: "POST",
        // Called before every request: a fresh trigger_id or event_id, signed with the time of sending.
        setupRequest: (req) => ({ ...req, ...make() }),
      },
    ],
  });
  const responses = result["1xx"] + result["2xx"] + result["3xx"] + result["4xx"] + result["5xx"];
  return {
    seconds: result.duration,
    rps: responses / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    responses,
    non2xx: result.non2xx,
    errors: result.errors,
  };
}

/** One request of a burst: its status (0 when it failed) and how long its answer took. */
export interface BurstResponse {
  status: number;
  ms: number;
}

/**
 * Sends all `requests` at once, each on a connection of its own (as 200 people's Slack clients
 * would reach Slack, and Slack rapport), and times every answer. Nothing is given up before
 * `timeoutMs`, so a slow answer is measured rather than cut off.
 */
export function burst(url: string, requests: HttpRequest[], timeoutMs = 30_000): Promise<BurstResponse[]> {
  const target = new URL(url);
  return Promise.all(
    requests.map(
      (r) =>
        new Promise<BurstResponse>((resolve) => {
          const start = performance.now();
          const req = httpRequest(
            {
              host: target.hostname,
              port: target.port,
              method: r.method,
              path: r.path,
              agent: false,
              timeout: timeoutMs,
              headers: { ...r.headers, "content-length": Buffer.byteLength(r.body) },
            },
            (res: IncomingMessage) => {
              res.resume();
              res.on("end", () => resolve({ status: res.statusCode ?? 0, ms: performance.now() - start }));
            },
          );
          req.on("timeout", () => req.destroy(new Error("timeout")));
          req.on("error", () => resolve({ status: 0, ms: performance.now() - start }));
          req.end(r.body);
        }),
    ),
  );
}

/** Sends one request and returns its status, for the set-up steps that must succeed. */
export async function send(url: string, r: HttpRequest): Promise<number> {
  const res = await fetch(`${url}${r.path}`, { method: r.method, headers: r.headers, body: r.body });
  await res.arrayBuffer();
  return res.status;
}

/** The `q` quantile (0–1) of `values`. */
export function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? NaN;
}
