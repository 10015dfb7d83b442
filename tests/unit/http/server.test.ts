import { connect } from "node:net";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createHttpServer, type HttpServer, type HttpServerOptions } from "../../../src/http/server.ts";
import { createLogger } from "../../../src/logger.ts";
import { Telemetry } from "../../../src/telemetry.ts";

const open: HttpServer[] = [];

afterEach(async () => {
  await Promise.all(open.splice(0).map((server) => server.close()));
});

async function start(overrides: Partial<HttpServerOptions> = {}) {
  const telemetry = new Telemetry({ defaultMetrics: false });
  const logs: Array<Record<string, unknown>> = [];
  const logger = createLogger(
    { level: "debug" },
    { write: (line: string) => void logs.push(JSON.parse(line)) },
  );
  const server = createHttpServer({
    logger,
    telemetry,
    ready: async () => true,
    shutdownTimeoutMs: 1_000,
    ...overrides,
  });
  const { port } = await server.listen(0, "127.0.0.1");
  open.push(server);
  return { server, telemetry, logs, port, url: (path: string) => `http://127.0.0.1:${port}${path}` };
}

function deferred<T = void>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

function connectionRefused(port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve("connected");
    });
    socket.once("error", (err: NodeJS.ErrnoException) => resolve(err.code ?? "error"));
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("built-in routes", () => {
  it("answers /healthz with ok, for GET and HEAD", async () => {
    const { url } = await start();
    const res = await fetch(url("/healthz"));
    expect(res.status).toBe(200);
    expect(await res.text()).toBe("ok");
    expect((await fetch(url("/healthz"), { method: "HEAD" })).status).toBe(200);
  });

  it("answers /readyz with 200 when ready() is true", async () => {
    const { url } = await start({ ready: async () => true });
    const res = await fetch(url("/readyz"));
    expect(res.status).toBe(200);
    expect(await res.text()).toBe("ready");
  });

  it("answers /readyz with 503 when ready() is false", async () => {
    const { url } = await start({ ready: async () => false });
    const res = await fetch(url("/readyz"));
    expect(res.status).toBe(503);
    expect(await res.text()).toBe("not ready");
  });

  it("answers /readyz with 503, and keeps serving, when ready() throws", async () => {
    const { url, logs } = await start({
      ready: () => {
        throw new Error("database unreachable at 10.0.0.5");
      },
    });
    const res = await fetch(url("/readyz"));
    expect(res.status).toBe(503);
    expect(await res.text()).toBe("readiness check failed");
    expect(logs.some((l) => l.msg === "readiness check failed")).toBe(true);
    expect((await fetch(url("/healthz"))).status).toBe(200);
  });

  it("answers /readyz with 503 when ready() is too slow, sharing one pending check", async () => {
    let calls = 0;
    const { url } = await start({
      readyTimeoutMs: 100,
      ready: () => {
        calls += 1;
        return new Promise<boolean>(() => {});
      },
    });
    const started = Date.now();
    const [a, b] = await Promise.all([fetch(url("/readyz")), fetch(url("/readyz"))]);
    expect(Date.now() - started).toBeLessThan(1_000);
    expect([a.status, b.status]).toEqual([503, 503]);
    expect(await a.text()).toBe("readiness check timed out");
    expect(calls).toBe(1);
  });

  it("serves Prometheus text counting requests by route pattern, never the raw URL", async () => {
    const { url, server } = await start();
    server.route("POST", "/slack/events", (_req, res) => void res.end());
    await fetch(url("/healthz?probe=kubelet"));
    await fetch(url("/healthz"));
    await fetch(url("/slack/events"), { method: "POST", body: "{}" });
    await fetch(url("/no/such/thing/12345"));
    await fetch(url("/healthz"), { method: "DELETE" });
    const res = await fetch(url("/metrics"));
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await res.text();
    expect(text).toContain('rapport_http_requests_total{route="/healthz",method="GET",status="200"} 2');
    expect(text).toContain('rapport_http_requests_total{route="/slack/events",method="POST",status="200"} 1');
    expect(text).toContain('rapport_http_requests_total{route="unmatched",method="GET",status="404"} 1');
    expect(text).toContain('rapport_http_requests_total{route="/healthz",method="DELETE",status="405"} 1');
    expect(text).toContain('rapport_http_request_duration_seconds_count{route="/healthz",method="GET"} 2');
    expect(text).not.toContain("12345");
    expect(text).not.toContain("probe=kubelet");
  });
});

describe("routing", () => {
  it("answers unknown paths with a 404 JSON body", async () => {
    const { url } = await start();
    const res = await fetch(url("/nope"));
    expect(res.status).toBe(404);
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    expect(await res.json()).toEqual({ error: "not_found" });
  });

  it("answers a wrong method on a known path with 405 and an Allow header", async () => {
    const { url, server } = await start();
    server.route("POST", "/api/messages", (_req, res) => void res.end());
    const res = await fetch(url("/api/messages"));
    expect(res.status).toBe(405);
    expect(res.headers.get("allow")).toBe("POST");
    expect(await res.json()).toEqual({ error: "method_not_allowed" });
  });

  it("hands handlers the request body unread", async () => {
    const { url, server } = await start();
    server.route("POST", "/echo", async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      res.end(Buffer.concat(chunks));
    });
    const body = JSON.stringify({ token: "x".repeat(100_000) });
    const res = await fetch(url("/echo?x=1"), { method: "POST", body });
    expect(await res.text()).toBe(body);
  });

  it("refuses to mount the same route twice", async () => {
    const { server } = await start();
    expect(() => server.route("GET", "/healthz", () => {})).toThrow(/already mounted/);
    expect(() => server.route("get", "healthz", () => {})).toThrow(/must start with/);
  });

  it("answers 500 with a generic body and logs the error when a handler throws", async () => {
    const { url, server, logs } = await start();
    server.route("GET", "/boom", () => {
      throw new Error("secret internals");
    });
    server.route("GET", "/async-boom", async () => {
      await sleep(1);
      throw new Error("later internals");
    });
    for (const path of ["/boom", "/async-boom"]) {
      const res = await fetch(url(path));
      expect(res.status).toBe(500);
      const text = await res.text();
      expect(JSON.parse(text)).toEqual({ error: "internal_error" });
      expect(text).not.toContain("internals");
    }
    const failures = logs.filter((l) => l.msg === "HTTP handler failed");
    expect(failures.map((l) => l.route)).toEqual(["/boom", "/async-boom"]);
    expect(failures[0]).toMatchObject({ level: "error", err: { message: "secret internals" } });
    expect((await fetch(url("/healthz"))).status).toBe(200);
  });
});

describe("close", () => {
  it("lets an in-flight request finish while refusing new connections", async () => {
    const { url, server, port } = await start();
    const entered = deferred();
    const release = deferred();
    server.route("GET", "/slow", async (_req, res) => {
      entered.resolve();
      await release.promise;
      res.end("done");
    });
    await fetch(url("/healthz")); // leaves an idle keep-alive connection, which must not hold close open
    const response = fetch(url("/slow"));
    await entered.promise;

    let closed = false;
    const closing = server.close().then(() => {
      closed = true;
    });
    expect(await connectionRefused(port)).toBe("ECONNREFUSED");
    await sleep(50);
    expect(closed).toBe(false);

    release.resolve();
    const res = await response;
    expect(res.status).toBe(200);
    expect(res.headers.get("connection")).toBe("close");
    expect(await res.text()).toBe("done");
    await closing;
    expect(closed).toBe(true);
  });

  it("cuts requests still running after the shutdown timeout", async () => {
    const { url, server, telemetry } = await start({ shutdownTimeoutMs: 100 });
    const entered = deferred();
    server.route("GET", "/stuck", () => {
      entered.resolve();
      return new Promise<void>(() => {});
    });
    const response = fetch(url("/stuck"));
    await entered.promise;
    const started = Date.now();
    await server.close();
    expect(Date.now() - started).toBeLessThan(1_000);
    await expect(response).rejects.toThrow();
    // The cut response's "close" event lands on a later tick than the server's.
    await vi.waitFor(async () =>
      expect(await telemetry.metricsText()).toContain(
        'rapport_http_requests_total{route="/stuck",method="GET",status="aborted"} 1',
      ),
    );
  });

  it("is safe to call twice and before listening", async () => {
    const { server } = await start();
    await Promise.all([server.close(), server.close()]);
    const idle = createHttpServer({
      logger: createLogger({ level: "silent" }),
      telemetry: new Telemetry({ defaultMetrics: false }),
      ready: async () => true,
    });
    await idle.close();
    await expect(idle.listen(0, "127.0.0.1")).rejects.toThrow(/closed/);
  });
});

describe("a request whose body stalls half-way", () => {
  it("is answered 408 and cut off once the request timeout passes, not held for minutes", async () => {
    const { server, port } = await start({ requestTimeoutMs: 500 });
    let bodyRead = false;
    server.route("POST", "/slow", async (req, res) => {
      for await (const _chunk of req) void _chunk;
      bodyRead = true;
      res.writeHead(200).end("ok");
    });
    const socket = connect(port, "127.0.0.1");
    const started = Date.now();
    const answer = new Promise<string>((resolve) => {
      let text = "";
      socket.on("data", (d) => (text += d.toString()));
      socket.on("close", () => resolve(text));
      socket.on("error", () => resolve(text));
    });
    socket.write(
      "POST /slow HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n",
    );
    socket.write('{"type":"message","te');
    const text = await answer;
    expect(text).toMatch(/^HTTP\/1\.1 408/);
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(bodyRead).toBe(false);
  });
});

describe("pause: work that can wait gives way to the requests being answered", () => {
  it("resolves at once when no request is being answered", async () => {
    const { server } = await start();
    const started = performance.now();
    await server.pause(60_000);
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  /** A request the server is answering until `release` is called. */
  async function heldRequest() {
    const { server, url } = await start();
    const arrived = deferred();
    const released = deferred();
    server.route("POST", "/held", async (_req, res) => {
      arrived.resolve();
      await released.promise;
      res.end("done");
    });
    const answer = fetch(url("/held"), { method: "POST" });
    await arrived.promise;
    return { server, answer, release: () => released.resolve() };
  }

  it("waits while a request is being answered, and resolves as soon as its answer ends", async () => {
    const { server, answer, release } = await heldRequest();
    let resumed = false;
    const paused = server.pause(60_000).then(() => (resumed = true));
    await sleep(50);
    expect(resumed).toBe(false);
    release();
    expect(await (await answer).text()).toBe("done");
    await paused;
    expect(resumed).toBe(true);
  });

  it("resolves after `atMostMs` when requests never pause", async () => {
    const { server, answer, release } = await heldRequest();
    const started = performance.now();
    await server.pause(30);
    expect(performance.now() - started).toBeGreaterThanOrEqual(25);
    release();
    await answer;
  });
});
