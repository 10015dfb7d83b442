/** Stable codes for every error a person or an operator can meet. */
export type ErrorCode =
  | "not_found"
  | "invalid_input"
  | "forbidden"
  | "not_linked"
  | "conflict"
  | "config_invalid"
  | "storage_locked"
  | "storage_unavailable";

/**
 * The one error type of the core. `message` is a sentence for the person who hit it, saying
 * what to do; `code` and `cause` are for logs and adapters.
 */
export class RapportError extends Error {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "RapportError";
    this.code = code;
  }
}

/** True for errors the core raised on purpose (as opposed to bugs and outages). */
export function isRapportError(e: unknown): e is RapportError {
  return e instanceof RapportError;
}
