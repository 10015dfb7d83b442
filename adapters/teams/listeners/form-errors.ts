import type { FormResult } from "../presenters/forms.ts";

/** Thrown with what a person must fix in a form. */
export class FormErrors extends Error {
  constructor(readonly errors: readonly string[]) {
    super(errors.join(" "));
  }
}

/** The fields of a parsed form, or FormErrors. */
export function fieldsOf<T>(result: FormResult<T>): T {
  if ("errors" in result) throw new FormErrors(result.errors ?? []);
  return result.fields;
}
