import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { WebClient } from "@slack/web-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OutboxWebApi } from "../../../../adapters/slack/outbox-web-api.ts";
import { deliveryFailure } from "../../../../adapters/slack/notifier.ts";
import { retryAfterMs, slackErrorCode, slackUnavailable } from "../../../../adapters/slack/slack-errors.ts";

// The outbox's own Web API client against a Slack stand-in on loopback, beside WebClient: the same
// request on the wire, and the same errors for each way Slack can answer.

interface Seen {
  path: string;
  headers: IncomingMessage["headers"];
  body: string;
}

type Answer = (res: ServerResponse) => void;

let server: ReturnType<typeof createServer>;
let url: string;
const seen: Seen[] = [];
let answer: Answer = (res) => json(res, 200, { ok: true, ts: "1794819600.000100", channel: "C0SUPPORT" });

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(JSON.stringify(body));
}

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (c: string) => (body += c));
    req.on("end", () => {
      seen.push({ path: req.url ?? "", headers: req.headers, body });
      answer(res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const outbox = (timeoutMs = 5_000) => new OutboxWebApi("xoxb-outbox", { apiUrl: url, timeoutMs });
const webClient = () =>
  new WebClient("xoxb-outbox", {
    slackApiUrl: url,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: 5_000,
  });

const message = {
  channel: "C0SUPPORT",
  text: "ACME-7 · Printer jammed & <urgent>",
  blocks: [{ type: "section", text: { type: "mrkdwn", text: "*ACME-7* · Printer jammed" } }],
  thread_ts: "1794819600.000100",
  metadata: { event_type: "rapport_delivery", event_payload: { delivery_id: "d-1" } },
  unfurl_links: false,
};

/** What each client throws for the same answer. */
async function failures(respond: Answer): Promise<[unknown, unknown]> {
  answer = respond;
  try {
    const mine = await outbox()
      .chat.postMessage(message)
      .then(
        () => null,
        (e: unknown) => e,
      );
    const theirs = await webClient()
      .chat.postMessage(message)
      .then(
        () => null,
        (e: unknown) => e,
      );
    return [mine, theirs];
  } finally {
    answer = (res) => json(res, 200, { ok: true, ts: "1794819600.000100", channel: "C0SUPPORT" });
  }
}

describe("the outbox's Web API client", () => {
  it("sends what WebClient sends: the method's path, the same fields (a write's as one JSON body), the token as a bearer", async () => {
    seen.length = 0;
    const mine = await outbox().chat.postMessage({ ...message, icon_url: undefined });
    const theirs = await webClient().chat.postMessage(message);
    expect(mine).toMatchObject({ ok: true, ts: "1794819600.000100" });
    expect(theirs).toMatchObject({ ok: true, ts: "1794819600.000100" });
    const [a, b] = seen as [Seen, Seen];
    expect(a.path).toBe("/api/chat.postMessage");
    expect(a.path).toBe(b.path);
    expect(a.headers["content-type"]).toBe("application/json; charset=utf-8");
    const sent = JSON.parse(a.body) as Record<string, unknown>;
    const form = Object.fromEntries(new URLSearchParams(b.body));
    expect(Object.keys(sent).sort()).toEqual(Object.keys(form).sort());
    for (const [key, value] of Object.entries(sent))
      expect(typeof value === "object" ? JSON.stringify(value) : String(value), key).toBe(form[key]);
    expect(a.headers.authorization).toBe("Bearer xoxb-outbox");
  });

  it("sends a read as WebClient does, as a form", async () => {
    seen.length = 0;
    const args = { channel: "C0SUPPORT", limit: 200, include_all_metadata: true, cursor: undefined };
    await outbox().conversations.history(args);
    await webClient().conversations.history(args);
    const [a, b] = seen as [Seen, Seen];
    expect(a.path).toBe("/api/conversations.history");
    expect(a.headers["content-type"]).toBe(b.headers["content-type"]);
    expect(Object.fromEntries(new URLSearchParams(a.body))).toEqual(
      Object.fromEntries(new URLSearchParams(b.body)),
    );
  });

  it("throws Slack's own error for ok: false, read the same way as WebClient's", async () => {
    const [mine, theirs] = await failures((res) => json(res, 200, { ok: false, error: "not_in_channel" }));
    expect(slackErrorCode(mine)).toBe("not_in_channel");
    expect(slackErrorCode(mine)).toBe(slackErrorCode(theirs));
    expect(deliveryFailure(mine)).toEqual(deliveryFailure(theirs));
    expect(deliveryFailure(mine)).toMatchObject({ ok: false, permanent: true, reason: "not_in_channel" });
  });

  it("throws a rate limit with Slack's Retry-After, at once, as WebClient does when told not to wait", async () => {
    const [mine, theirs] = await failures((res) => json(res, 429, { ok: false }, { "retry-after": "7" }));
    expect(retryAfterMs(mine)).toBe(7_000);
    expect(retryAfterMs(mine)).toBe(retryAfterMs(theirs));
    expect(deliveryFailure(mine)).toEqual(deliveryFailure(theirs));
    expect(slackUnavailable(mine)).toBe(true);
  });

  it("throws an HTTP error with its status for anything but 200 and 429", async () => {
    const [mine, theirs] = await failures((res) => json(res, 503, { ok: false }));
    expect(mine).toMatchObject({ code: "slack_webapi_http_error", statusCode: 503 });
    expect((theirs as { code: string }).code).toBe("slack_webapi_http_error");
    expect(slackUnavailable(mine)).toBe(true);
    expect(deliveryFailure(mine)).toMatchObject({ ok: false, permanent: false });
  });

  it("gives up after its time limit with a request error, which the outbox tries again later", async () => {
    answer = () => {}; // never answers
    try {
      const started = Date.now();
      const e = await outbox(300)
        .chat.update({ channel: "C0SUPPORT", ts: "1794819600.000100", text: "x" })
        .then(
          () => null,
          (err: unknown) => err,
        );
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(e).toMatchObject({ code: "slack_webapi_request_error" });
      expect(slackUnavailable(e)).toBe(true);
      expect(deliveryFailure(e)).toMatchObject({ ok: false, permanent: false });
    } finally {
      answer = (res) => json(res, 200, { ok: true, ts: "1794819600.000100", channel: "C0SUPPORT" });
      server.closeAllConnections();
    }
  });

  it("throws a request error when nothing listens, and for an answer that is not JSON", async () => {
    const closed = new OutboxWebApi("xoxb-outbox", { apiUrl: "http://127.0.0.1:9/api/", timeoutMs: 2_000 });
    const refused = await closed.conversations.open({ users: "U0LEAD" }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(refused).toMatchObject({ code: "slack_webapi_request_error" });
    answer = (res) => {
      res.writeHead(200, { "content-type": "text/html" });
      res.end("<html>gateway</html>");
    };
    try {
      const garbled = await outbox()
        .conversations.history({ channel: "C0SUPPORT", limit: 200, include_all_metadata: true })
        .then(
          () => null,
          (e: unknown) => e,
        );
      expect(garbled).toMatchObject({ code: "slack_webapi_request_error" });
    } finally {
      answer = (res) => json(res, 200, { ok: true, ts: "1794819600.000100", channel: "C0SUPPORT" });
    }
  });
});
