// The issue form: `/itissue` without text, and "Report as IT issue" on a message.
import type { ModalView } from "@slack/web-api";
import { issueForm, readIssueForm, type FormClock, type Priority } from "../../../src/index.ts";
import { VIEWS } from "../ids.ts";
import { unescapeText } from "./escape.ts";
import { formMetadataSchema, type FormMetadata } from "./form-kit.ts";
import { formModal, readForm } from "./render-form.ts";

/** The issue form's `private_metadata`: the partnership and the channel it was opened from. */
export const issueFormMetadataSchema = formMetadataSchema;
/** The parsed issue-form metadata. */
export type IssueFormMetadata = FormMetadata;

/** The issue form, prefilled when opened from a message (its text, as Slack sends it, escaped). */
export function issueModal(
  metadata: IssueFormMetadata,
  initial: { title?: string; description?: string; priority?: Priority } = {},
): ModalView {
  const form = issueForm({
    title: initial.title ? unescapeText(initial.title) : null,
    description: initial.description ? unescapeText(initial.description) : null,
    priority: initial.priority,
  });
  return formModal(VIEWS.issueForm, form, metadata);
}

/** Reads a submitted issue form with the core's reader, or errors by block_id. */
export function parseIssueForm(values: unknown, clock: FormClock) {
  return readForm(values, issueForm(), (v) => readIssueForm(v, clock));
}
