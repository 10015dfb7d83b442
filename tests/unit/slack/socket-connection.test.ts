import { describe, expect, it } from "vitest";
import { backoffMs, MAX_BACKOFF_MS, refusal } from "../../../adapters/slack/socket-connection.ts";
import { inboxRetryDelayMs, INBOX_MAX_ATTEMPTS } from "../../../src/services/inbox.ts";

const platform = (error: string) =>
  Object.assign(new Error(`An API error occurred: ${error}`), {
    code: "slack_webapi_platform_error",
    data: { ok: false, error },
  });

describe("Socket Mode's reconnection", () => {
  it("waits 250 ms after a first failure, doubling, never more than 5 s", () => {
    for (let i = 0; i < 50; i++) {
      expect(backoffMs(1)).toBeGreaterThanOrEqual(200);
      expect(backoffMs(1)).toBeLessThanOrEqual(250);
      expect(backoffMs(3)).toBeGreaterThanOrEqual(800);
      expect(backoffMs(3)).toBeLessThanOrEqual(1_000);
      expect(backoffMs(100)).toBeLessThanOrEqual(MAX_BACKOFF_MS);
      expect(backoffMs(100)).toBeGreaterThanOrEqual(MAX_BACKOFF_MS * 0.8);
    }
  });

  it("names SLACK_APP_TOKEN when Slack refuses it, and treats anything else as worth another try", () => {
    for (const code of ["invalid_auth", "not_authed", "token_revoked", "account_inactive"]) {
      const e = refusal(platform(code));
      expect(e?.code).toBe("config_invalid");
      expect(e?.message).toMatch(
        new RegExp(`^Slack refused SLACK_APP_TOKEN \\(${code}\\): .*set SLACK_APP_TOKEN`),
      );
    }
    expect(refusal(platform("missing_scope"))?.message).toMatch(/connections:write/);
    expect(refusal(platform("internal_error"))).toBeNull();
    expect(refusal({ code: "slack_webapi_request_error" })).toBeNull();
    expect(refusal(new Error("socket hang up"))).toBeNull();
  });
});

describe("the inbox's retries", () => {
  it("wait 1 s, doubling, at most 5 minutes, for about an hour in all", () => {
    expect([1, 2, 3, 4].map(inboxRetryDelayMs)).toEqual([1_000, 2_000, 4_000, 8_000]);
    expect(inboxRetryDelayMs(30)).toBe(300_000);
    let total = 0;
    for (let attempt = 1; attempt < INBOX_MAX_ATTEMPTS; attempt++) total += inboxRetryDelayMs(attempt);
    expect(total / 60_000).toBeGreaterThan(50);
    expect(total / 60_000).toBeLessThan(120);
  });
});
