// How the listeners read a failed Web API call. The clients on a request path neither retry nor
// wait on a 429 (see slack-app.ts), so these failures reach the listener at once.

/** Slack's answers that mean "busy, try again": they say nothing about the request itself. */
const BUSY_ANSWERS = new Set([
  "ratelimited",
  "internal_error",
  "fatal_error",
  "service_unavailable",
  "request_timeout",
]);

/** Slack's own error code of a call it answered with `ok: false` ("not_in_channel"), or null. */
export function slackErrorCode(e: unknown): string | null {
  if (!isCoded(e) || e.code !== "slack_webapi_platform_error") return null;
  const data = (e as { data?: { error?: unknown } }).data;
  return typeof data?.error === "string" ? data.error : null;
}

/** Whether a call failed because Slack was busy or out of reach (429, 5xx, timeout, network), not because of what it asked. */
export function slackUnavailable(e: unknown): boolean {
  if (!isCoded(e)) return false;
  switch (e.code) {
    case "slack_webapi_rate_limited_error":
    case "slack_webapi_request_error":
      return true;
    case "slack_webapi_http_error":
      return ((e as { statusCode?: number }).statusCode ?? 500) >= 500;
    default:
      return BUSY_ANSWERS.has(slackErrorCode(e) ?? "");
  }
}

/** How long Slack asked to wait, for a call it rate-limited; null for any other failure. */
export function retryAfterMs(e: unknown): number | null {
  if (!isCoded(e) || e.code !== "slack_webapi_rate_limited_error") return null;
  const seconds = (e as { retryAfter?: unknown }).retryAfter;
  return typeof seconds === "number" && Number.isFinite(seconds) ? seconds * 1000 : 60_000;
}

function isCoded(e: unknown): e is { code: string } {
  return typeof e === "object" && e !== null && typeof (e as { code?: unknown }).code === "string";
}
