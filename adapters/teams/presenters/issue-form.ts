// The issue form: `issue` without text, and "Report as IT issue" on a message (in its dialog).
import { z } from "zod";
import { DEFAULT_PRIORITY, PRIORITIES, prioritySchema, type Priority } from "../../../src/index.ts";
import {
  adaptiveCard,
  column,
  columnSet,
  inputChoiceSet,
  inputDate,
  inputText,
  inputTime,
  type AdaptiveCardJson,
} from "./card-kit.ts";
import {
  checkText,
  formContext,
  FORM_VERBS,
  idSchema,
  inputValue,
  isUnreadable,
  readForm,
  submitAction,
  type FormContext,
  type FormResult,
  type FormSurface,
} from "./form-kit.ts";
import { readDateTime } from "./dates.ts";
import { neutraliseMentions } from "./plain-text.ts";

/** Input ids of the issue form. */
export const ISSUE_FORM = {
  title: "issue_title",
  description: "issue_description",
  priority: "issue_priority",
  startedDate: "issue_started_date",
  startedTime: "issue_started_time",
} as const;

const PRIORITY_LABELS: Record<Priority, string> = {
  P1: "P1: something the business cannot work without is down",
  P2: "P2: many people or an important task are blocked",
  P3: "P3: one person is hindered",
  P4: "P4: a request that can wait",
};

/** The issue form, prefilled when opened from a message (its text, as the title or description). */
export function issueFormCard(
  opts: FormContext & {
    initial?: { title?: string; description?: string; priority?: Priority };
    surface?: FormSurface;
  },
): AdaptiveCardJson {
  const { initial = {} } = opts;
  const priorities = PRIORITIES.map((p) => [p, PRIORITY_LABELS[p]] as const);
  const title = initial.title ? neutraliseMentions(initial.title) : null;
  const description = initial.description ? neutraliseMentions(initial.description) : null;
  const started = columnSet([
    column([inputDate(ISSUE_FORM.startedDate, "When did it start? (leave empty for just now)")]),
    column([inputTime(ISSUE_FORM.startedTime, "At")]),
  ]);
  return adaptiveCard(
    "Report an IT issue",
    [
      inputText(ISSUE_FORM.title, "What is wrong?", {
        required: "Say in a few words what is wrong.",
        maxLength: 200,
        value: title,
        placeholder: "Printer on floor 2 is jammed",
      }),
      inputText(ISSUE_FORM.description, "Details: error messages, who is affected, what you tried", {
        maxLength: 4000,
        multiline: true,
        value: description,
      }),
      inputChoiceSet(ISSUE_FORM.priority, "Priority", priorities, {
        value: initial.priority ?? DEFAULT_PRIORITY,
      }),
      started,
    ],
    [submitAction(opts.surface ?? "conversation", "Report", FORM_VERBS.issue, formContext(opts))],
  );
}

const issueFormSchema = z.object({
  partnershipId: idSchema,
  [ISSUE_FORM.title]: inputValue,
  [ISSUE_FORM.description]: inputValue,
  [ISSUE_FORM.priority]: inputValue,
  [ISSUE_FORM.startedDate]: inputValue,
  [ISSUE_FORM.startedTime]: inputValue,
});

/** What the issue form says: the partnership, and the fields `reportIssue` takes. */
export interface IssueFormFields {
  partnershipId: string;
  title: string;
  detail: string | null;
  priority: Priority;
  startedAt: Date | null;
}

/** Reads a submitted issue form (the action's data with the inputs merged in), or says what to fix. */
export function parseIssueForm(
  data: unknown,
  clock: { now: Date; timezone: string },
): FormResult<IssueFormFields> {
  const form = readForm(issueFormSchema, data);
  if (isUnreadable(form)) return { errors: form.unreadable };
  const errors: string[] = [];
  const title = checkText(form[ISSUE_FORM.title], 200, errors, {
    name: "the title",
    empty: "Say in a few words what is wrong.",
  });
  const detail = checkText(form[ISSUE_FORM.description], 4000, errors, { name: "the details" });
  const priority = prioritySchema.safeParse(form[ISSUE_FORM.priority] || DEFAULT_PRIORITY);
  if (!priority.success) errors.push("Choose P1, P2, P3 or P4.");
  const startedAt = readDateTime(form[ISSUE_FORM.startedDate], form[ISSUE_FORM.startedTime], clock);
  if (startedAt === "no time") errors.push("Give the time it started too, or leave the date empty.");
  else if (startedAt === "unreadable") errors.push("The start could not be read; choose a date and a time.");
  else if (startedAt && startedAt.getTime() > clock.now.getTime()) {
    errors.push("The start is in the future; when did it start?");
  }
  if (errors.length || !priority.success || typeof startedAt === "string") return { errors };
  return {
    fields: {
      partnershipId: form.partnershipId,
      title,
      detail: detail || null,
      priority: priority.data,
      startedAt,
    },
  };
}
