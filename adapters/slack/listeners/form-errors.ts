import type { z } from "zod";
import type { Logger } from "../../../src/index.ts";
import { parseMetadata, type FormResult } from "../presenters/form-kit.ts";
import { userMessage } from "../replies.ts";

/** Under a field naming someone whose organisation rapport is still asking Slack about. */
export const STILL_ASKING =
  "rapport is still asking Slack which organisation someone here is in. Submit again in a few seconds.";

/** Thrown to show sentences under the form's fields (by block id) instead of closing it. */
export class FormErrors extends Error {
  constructor(readonly errors: Record<string, string>) {
    super("the form has mistakes");
  }
}

/** The fields of a parsed form; its mistakes are thrown to be shown under their fields. */
export function fieldsOf<T>(result: FormResult<T>): T {
  if (result.errors) throw new FormErrors(result.errors);
  return result.fields;
}

/** The form's `private_metadata` read with `schema`; one that does not read is from a form too old to trust. */
export function metadataOf<T>(schema: z.ZodType<T>, metadata: string, firstBlock: string): T {
  const parsed = parseMetadata(schema, metadata);
  if (!parsed) throw new FormErrors({ [firstBlock]: "This form has expired; close it and start again." });
  return parsed;
}

/** What goes back to a form that was not recorded: its mistakes, or the refusal under its first field. */
export function formErrors(e: unknown, firstBlock: string, logger: Logger): Record<string, string> {
  return e instanceof FormErrors ? e.errors : { [firstBlock]: userMessage(e, logger) };
}
