import { LogLevel, type Logger as BoltLogger } from "@slack/bolt";
import type { Logger } from "../../src/index.ts";

// Slack's SDKs log request bodies and results as plain strings at debug level (oauth.v2.access
// carries the client secret in its body, and a result or a URL can carry a token), where the
// logger's field redaction cannot see them: every line is scrubbed by pattern before it is written.
const SECRET_PATTERNS: readonly [RegExp, string][] = [
  // "client_secret":"…", "signing_secret":"…", "access_token":"…" and the like, in JSON.
  [/("[\w-]*(?:secret|token|password|code_verifier)[\w-]*"\s*:\s*)"(?:[^"\\]|\\.)*"/gi, '$1"[redacted]"'],
  // client_secret=…, token=…, refresh_token=… in URLs and form bodies.
  [/\b([\w-]*(?:secret|token|password)[\w-]*=)[^&\s"',}]+/gi, "$1[redacted]"],
  // Bearer credentials in a header written out.
  [/\b(Bearer\s+)[^\s"',}]+/gi, "$1[redacted]"],
  // Slack tokens wherever they stand: bot, user, app-level, configuration and refresh tokens.
  [/\bxox[a-z]-[A-Za-z0-9-]+/g, "[redacted]"],
  [/\bxapp-[A-Za-z0-9-]+/g, "[redacted]"],
];

/** `text` with every credential-looking value (Slack tokens, secrets, `token=`) replaced. */
export function redactSecrets(text: string): string {
  return SECRET_PATTERNS.reduce((t, [pattern, replacement]) => t.replace(pattern, replacement), text);
}

const line = (msg: unknown[]) => redactSecrets(msg.map(String).join(" "));

/**
 * Bolt's logger interface over rapport's structured logger, so Bolt's lines land in the same log.
 * A line below LOG_LEVEL is neither joined nor scrubbed: Bolt writes several debug lines for every
 * request, and at the usual level all of them are dropped.
 */
export function boltLogger(logger: Logger): BoltLogger {
  const child = logger.child({ component: "slack" });
  let level = LogLevel.INFO;
  const at =
    (write: "debug" | "info" | "warn" | "error") =>
    (...msg: unknown[]) => {
      if (child.isLevelEnabled(write)) child[write](line(msg));
    };
  return {
    debug: at("debug"),
    info: at("info"),
    warn: at("warn"),
    error: at("error"),
    // rapport's LOG_LEVEL decides what is written; Bolt only asks.
    setLevel: (l: LogLevel) => void (level = l),
    getLevel: () => level,
    setName: () => {},
  };
}
