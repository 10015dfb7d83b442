// The issue form: `/itissue` without text, and "Report as IT issue" on a message.
import type { KnownBlock, ModalView, PlainTextOption } from "@slack/web-api";
import { DEFAULT_PRIORITY, PRIORITIES, type IssueFields, type Priority } from "../../../src/index.ts";
import { VIEWS } from "../ids.ts";
import { unescapeText } from "./escape.ts";
import {
  formMetadataSchema,
  input,
  isUnreadable,
  modal,
  readState,
  selectedValue,
  textInput,
  textValue,
  element,
  type FormMetadata,
  type FormResult,
} from "./form-kit.ts";
import { option } from "./kit.ts";

/** Block ids (and action ids: each equals its block id) of the issue form. */
export const ISSUE_FORM = {
  title: "issue_title",
  description: "issue_description",
  priority: "issue_priority",
  startedAt: "issue_started_at",
} as const;

/** The issue form's `private_metadata`: the partnership and the channel it was opened from. */
export const issueFormMetadataSchema = formMetadataSchema;
/** The parsed issue-form metadata. */
export type IssueFormMetadata = FormMetadata;

const PRIORITY_LABELS: Record<Priority, string> = {
  P1: "P1: something the business cannot work without is down",
  P2: "P2: many people or an important task are blocked",
  P3: "P3: one person is hindered",
  P4: "P4: a request that can wait",
};

/** Priority options, with what each level means. */
function priorityOptions(): PlainTextOption[] {
  return PRIORITIES.map((p) => option(PRIORITY_LABELS[p], p));
}

function priorityInput(priority: Priority): KnownBlock {
  const options = priorityOptions();
  const initial = options.find((o) => o.value === priority);
  return input(ISSUE_FORM.priority, "Priority", { type: "static_select", options, initial_option: initial });
}

/** The issue form, prefilled when opened from a message (its text, as the title or description). */
export function issueModal(
  metadata: IssueFormMetadata,
  initial: { title?: string; description?: string; priority?: Priority } = {},
): ModalView {
  const title = initial.title ? unescapeText(initial.title) : null;
  const description = initial.description ? unescapeText(initial.description) : null;
  const blocks: KnownBlock[] = [
    input(
      ISSUE_FORM.title,
      "What is wrong?",
      textInput({ maxLength: 200, initial: title, placeholder: "Printer on floor 2 is jammed" }),
    ),
    input(
      ISSUE_FORM.description,
      "Details",
      // Slack caps a text input at 3,000 characters, below the 4,000 an issue may hold.
      textInput({ maxLength: 3000, initial: description, multiline: true }),
      {
        optional: true,
        hint: "Error messages, who is affected, what you already tried.",
      },
    ),
    priorityInput(initial.priority ?? DEFAULT_PRIORITY),
    input(
      ISSUE_FORM.startedAt,
      "When did it start?",
      { type: "datetimepicker" },
      {
        optional: true,
        hint: "Leave empty if it started just now.",
      },
    ),
  ];
  return modal(VIEWS.issueForm, "Report an IT issue", blocks, metadata, "Report");
}

/** Reads a submitted issue form into the fields `reportIssue` takes, or errors by block_id. */
export function parseIssueForm(
  values: unknown,
  { now }: { now: Date },
): FormResult<Required<Omit<IssueFields, "category">>> {
  const state = readState(values, ISSUE_FORM.title);
  if (isUnreadable(state)) return { errors: state };
  const errors: Record<string, string> = {};
  const title = textValue(state, ISSUE_FORM.title);
  const detail = textValue(state, ISSUE_FORM.description);
  if (!title) errors[ISSUE_FORM.title] = "Say in a few words what is wrong.";
  else if (title.length > 200)
    errors[ISSUE_FORM.title] = "Keep the title under 200 characters; put the rest in the details.";
  if (detail.length > 4000) errors[ISSUE_FORM.description] = "Keep the details under 4,000 characters.";
  const priority = selectedValue(state, ISSUE_FORM.priority) ?? DEFAULT_PRIORITY;
  if (!(PRIORITIES as readonly string[]).includes(priority))
    errors[ISSUE_FORM.priority] = "Choose P1, P2, P3 or P4.";
  const unix = element(state, ISSUE_FORM.startedAt)?.selected_date_time;
  const startedAt = unix == null ? null : new Date(unix * 1000);
  if (startedAt && startedAt.getTime() > now.getTime()) {
    errors[ISSUE_FORM.startedAt] = "That is in the future; when did it start?";
  }
  if (Object.keys(errors).length) return { errors };
  return { fields: { title, detail: detail || null, priority: priority as Priority, startedAt } };
}
