// The issue form: `issue` without text, and "Report as IT issue" on a message (in its dialog).
import { issueForm, readIssueForm, type FormClock, type Priority } from "../../../src/index.ts";
import type { AdaptiveCardJson } from "./card-kit.ts";
import { FORM_VERBS, type FormContext, type FormResult, type FormSurface } from "./form-kit.ts";
import { formCard, readCardForm, type FormComeback } from "./render-form.ts";

/** What the issue form says: the partnership, and the fields `reportIssue` takes. */
export interface IssueFormFields {
  partnershipId: string;
  title: string;
  detail: string | null;
  priority: Priority;
  startedAt: Date | null;
}

/** The issue form, prefilled when opened from a message (its text, as the title or description). */
export function issueFormCard(
  opts: FormContext & {
    initial?: { title?: string; description?: string; priority?: Priority };
    surface?: FormSurface;
    comeback?: FormComeback;
  },
): AdaptiveCardJson {
  return formCard(issueForm(opts.initial), FORM_VERBS.issue, opts);
}

/** Reads a submitted issue form (the action's data with the inputs merged in), or says what to fix. */
export function parseIssueForm(data: unknown, clock: FormClock): FormResult<IssueFormFields> {
  return readCardForm(issueForm(), data, (values) => readIssueForm(values, clock));
}
