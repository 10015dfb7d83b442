import type { FormResult } from "../presenters/form-kit.ts";
import { userMessage, type SlackDeps } from "../replies.ts";

/** Thrown to show a sentence under one field of the form instead of closing it. */
export class FieldError extends Error {
  constructor(
    readonly blockId: string,
    message: string,
  ) {
    super(message);
  }
}

/** The fields of a parsed form; its errors are thrown to be shown under their fields. */
export function fieldsOf<T>(result: FormResult<T>): T {
  if ("errors" in result) throw Object.assign(new Error("form errors"), { formErrors: result.errors });
  return result.fields;
}

/** A refusal as form errors: under the field it is about, or under the first field. */
export function formErrors(e: unknown, firstBlock: string, deps: SlackDeps): Record<string, string> {
  const listed = (e as { formErrors?: Record<string, string> }).formErrors;
  if (listed) return listed;
  if (e instanceof FieldError) return { [e.blockId]: e.message };
  return { [firstBlock]: userMessage(e, deps.logger) };
}
