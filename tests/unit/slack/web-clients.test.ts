import { describe, expect, it } from "vitest";
import { retryAfterMs, slackErrorCode, slackUnavailable } from "../../../adapters/slack/slack-errors.ts";
import type { SlackConfig } from "../../../adapters/slack/settings.ts";
import { slackClientOptions } from "../../../adapters/slack/web-clients.ts";

const config: SlackConfig = {
  signingSecret: "secret",
  auth: { kind: "single", botToken: "xoxb-test" },
  appToken: null,
  apiUrl: "http://127.0.0.1:9/api/",
  proxy: null,
};

describe("slackClientOptions", () => {
  it("request-path clients keep SLACK_API_URL, never retry or wait on a 429, and time out in 2 s", () => {
    expect(slackClientOptions(config).requestPath()).toEqual({
      slackApiUrl: "http://127.0.0.1:9/api/",
      retryConfig: { retries: 0 },
      rejectRateLimitedCalls: true,
      timeout: 2_000,
    });
  });

  it("Socket Mode's connection gets the address, one try per attempt, and a fresh object each time it asks", () => {
    const options = slackClientOptions(config);
    const first = options.connection();
    expect(first).toEqual({
      slackApiUrl: "http://127.0.0.1:9/api/",
      retryConfig: { retries: 0 },
      rejectRateLimitedCalls: true,
      timeout: 5_000,
    });
    // The Socket Mode client writes its own retries into the object it is given.
    first.retryConfig = { retries: 100 };
    expect(options.connection().retryConfig).toEqual({ retries: 0 });
  });

  it("without SLACK_API_URL, Slack's own address is left to the client", () => {
    expect(slackClientOptions({ ...config, apiUrl: null }).api()).toEqual({});
  });

  it("with HTTPS_PROXY every client fetches through one proxy agent, also given to the WebSocket", () => {
    const options = slackClientOptions({ ...config, proxy: { url: "http://127.0.0.1:9/", noProxy: null } });
    expect(typeof options.api().fetch).toBe("function");
    expect(options.requestPath().fetch).toBe(options.connection().fetch);
    expect(options.dispatcher()).toBeDefined();
    expect(slackClientOptions(config).dispatcher()).toBeUndefined();
  });
});

describe("reading a failed Web API call", () => {
  const platform = (error: string) =>
    Object.assign(new Error(error), { code: "slack_webapi_platform_error", data: { ok: false, error } });

  it("names Slack's own error code", () => {
    expect(slackErrorCode(platform("not_in_channel"))).toBe("not_in_channel");
    expect(slackErrorCode(new Error("boom"))).toBeNull();
  });

  it("tells Slack being busy or out of reach from a refusal of the request", () => {
    expect(slackUnavailable({ code: "slack_webapi_rate_limited_error", retryAfter: 5 })).toBe(true);
    expect(slackUnavailable({ code: "slack_webapi_request_error" })).toBe(true);
    expect(slackUnavailable({ code: "slack_webapi_http_error", statusCode: 503 })).toBe(true);
    expect(slackUnavailable(platform("internal_error"))).toBe(true);
    expect(slackUnavailable(platform("channel_not_found"))).toBe(false);
    expect(slackUnavailable({ code: "slack_webapi_http_error", statusCode: 400 })).toBe(false);
    expect(slackUnavailable(new Error("boom"))).toBe(false);
  });

  it("reads a 429's Retry-After in milliseconds", () => {
    expect(retryAfterMs({ code: "slack_webapi_rate_limited_error", retryAfter: 5 })).toBe(5_000);
    expect(retryAfterMs(platform("internal_error"))).toBeNull();
  });
});
