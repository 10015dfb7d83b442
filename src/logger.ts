import { hostname } from "node:os";
import { pino, type DestinationStream, type Logger as PinoLogger } from "pino";
import type { LogLevel } from "./config.ts";

/** The structured logger every part of rapport takes; `child()` adds fields to every line. */
export type Logger = PinoLogger;

/** What a logger needs from configuration. */
export interface LoggerOptions {
  level: LogLevel;
}

/** A logger writing one JSON object per line to stdout (or to `destination`, for tests). */
export function createLogger(options: LoggerOptions, destination?: DestinationStream): Logger {
  const settings = {
    level: options.level,
    // Several replicas can share one log sink; hostname tells them apart.
    base: { service: "rapport", pid: process.pid, hostname: hostname() },
    timestamp: pino.stdTimeFunctions.isoTime,
    // Level names rather than numbers: log tooling and people both read them without a table.
    formatters: { level: (label: string) => ({ level: label }) },
    // Platform requests carry bearer tokens and signed cookies; they must never reach the log.
    redact: {
      paths: ["req.headers.authorization", "req.headers.cookie", "headers.authorization", "headers.cookie"],
      censor: "[redacted]",
    },
  };
  return destination ? pino(settings, destination) : pino(settings);
}

/** A logger that writes nothing: for tests and for commands whose output is their result. */
export const silentLogger: Logger = pino({ level: "silent" });
