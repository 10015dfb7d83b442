import { DateTime } from "luxon";
import { RISK_LABELS } from "./card.ts";
import type { PartnershipSettings } from "./partnership.ts";
import {
  parseHolidays,
  parseSlaTargets,
  parseWorkingHours,
  readDigestTime,
  readDigestWeekday,
  readTimezone,
} from "./settings-text.ts";
import {
  PRIORITIES,
  prioritySchema,
  recommendationRiskSchema,
  type Priority,
  type RecommendationRisk,
  type Side,
} from "./vocabulary.ts";

// The forms people fill in, once for both platforms: each field's id, label, kind, limits and
// options, and how a submission is read and checked. An adapter only renders a form document (a
// Slack modal, an Adaptive Card) and hands back what was typed as `FormValues`; the rules of what
// is acceptable, and every sentence that says what to fix, live here.

/** How a field is entered. */
export type FieldKind = "text" | "multiline" | "select" | "radio" | "date" | "datetime";

/** One field of a form. Its `id` is the block id (Slack) and input id (Teams). */
export interface FormField {
  id: string;
  label: string;
  kind: FieldKind;
  /** The sentence shown when a required field is left empty; absent for an optional field. */
  required?: string;
  maxLength?: number;
  placeholder?: string;
  hint?: string;
  options?: { value: string; label: string }[];
  /** What the field starts with: text, an option's value, a date "YYYY-MM-DD". */
  initial?: string | null;
  /** The earliest date a date field offers ("YYYY-MM-DD"). */
  min?: string;
}

/** A form as both platforms show it. */
export interface FormDocument {
  title: string;
  submit: string;
  fields: FormField[];
}

/**
 * What a person submitted, by field id: text as typed, a choice's value, a date "YYYY-MM-DD", and a
 * datetime either as an instant (ISO with a zone, as Slack's picker gives) or as a local
 * "YYYY-MM-DDTHH:mm" in the partnership's timezone (as Teams' date and time inputs give).
 */
export type FormValues = Readonly<Record<string, string | null | undefined>>;

/** A form read: its fields, or what to fix by field id. */
export type FormReading<T> = { fields: T } | { errors: Record<string, string> };

/** The clock a form is read on: now, and the partnership's timezone (days and local times). */
export interface FormClock {
  now: Date;
  timezone: string;
}

/** Slack caps a text input at 3,000 characters; both platforms use the same limit. */
const LONG_TEXT = 3000;
const SHORT_TEXT = 200;

export const ISSUE_FORM = {
  title: "issue_title",
  description: "issue_description",
  priority: "issue_priority",
  startedAt: "issue_started_at",
} as const;
export const RECOMMEND_FORM = {
  title: "rec_title",
  why: "rec_why",
  risk: "rec_risk",
  decideBy: "rec_decide_by",
} as const;
export const CALL_FORM = { when: "call_when", title: "call_title", outcome: "call_outcome" } as const;
export const HEADS_UP_FORM = {
  what: "headsup_what",
  when: "headsup_when",
  detail: "headsup_detail",
} as const;

/** What each priority means, as the issue form offers it. */
export const PRIORITY_CHOICES: Record<Priority, string> = {
  P1: "P1: something the business cannot work without is down",
  P2: "P2: many people or an important task are blocked",
  P3: "P3: one person is hindered",
  P4: "P4: a request that can wait",
};

/** The outcomes a call form offers, and which side missed it. */
export const CALL_OUTCOMES = {
  held: { label: "Held", missedBy: null },
  missed_by_provider: { label: "Missed by the provider", missedBy: "provider" },
  missed_by_client: { label: "Missed by the client", missedBy: "client" },
} as const satisfies Record<string, { label: string; missedBy: Side | null }>;

// ---- the forms ---------------------------------------------------------------------------------

/** The issue form, prefilled when opened from a message. */
export function issueForm(
  initial: { title?: string | null; description?: string | null; priority?: Priority } = {},
): FormDocument {
  return {
    title: "Report an IT issue",
    submit: "Report",
    fields: [
      {
        id: ISSUE_FORM.title,
        label: "What is wrong?",
        kind: "text",
        required: "Say in a few words what is wrong.",
        maxLength: SHORT_TEXT,
        placeholder: "Printer on floor 2 is jammed",
        initial: initial.title ?? null,
      },
      {
        id: ISSUE_FORM.description,
        label: "Details",
        kind: "multiline",
        maxLength: LONG_TEXT,
        hint: "Error messages, who is affected, what you already tried.",
        initial: initial.description ?? null,
      },
      {
        id: ISSUE_FORM.priority,
        label: "Priority",
        kind: "select",
        options: PRIORITIES.map((p) => ({ value: p, label: PRIORITY_CHOICES[p] })),
        initial: initial.priority ?? "P3",
      },
      {
        id: ISSUE_FORM.startedAt,
        label: "When did it start?",
        kind: "datetime",
        hint: "Leave empty if it started just now.",
      },
    ],
  };
}

/** The recommendation form; the decide-by date starts 14 days from today in the partnership's timezone. */
export function recommendForm(clock: FormClock, initial: { title?: string | null } = {}): FormDocument {
  return {
    title: "Make a recommendation",
    submit: "Record",
    fields: [
      {
        id: RECOMMEND_FORM.title,
        label: "Recommendation",
        kind: "text",
        required: "Say what you recommend.",
        maxLength: SHORT_TEXT,
        placeholder: "Replace the unsupported firewall",
        initial: initial.title ?? null,
      },
      {
        id: RECOMMEND_FORM.why,
        label: "Why",
        kind: "multiline",
        maxLength: LONG_TEXT,
        hint: "What it protects against or improves, and what it costs.",
      },
      {
        id: RECOMMEND_FORM.risk,
        label: "Risk if not done",
        kind: "select",
        options: recommendationRiskSchema.options.map((r) => ({ value: r, label: RISK_LABELS[r] })),
        initial: "medium",
      },
      {
        id: RECOMMEND_FORM.decideBy,
        label: "Decide by",
        kind: "date",
        required: "Choose the date the client should decide by.",
        initial: isoDay(clock, DEFAULT_DECISION_DAYS),
        min: isoDay(clock),
      },
    ],
  };
}

/** The call form: a scheduled call that was held or missed. */
export function callForm(): FormDocument {
  return {
    title: "Log a call",
    submit: "Log it",
    fields: [
      {
        id: CALL_FORM.when,
        label: "When was it scheduled?",
        kind: "datetime",
        required: "Choose when the call was scheduled.",
      },
      {
        id: CALL_FORM.title,
        label: "What was it?",
        kind: "text",
        maxLength: SHORT_TEXT,
        placeholder: "Monthly review",
      },
      {
        id: CALL_FORM.outcome,
        label: "What happened?",
        kind: "radio",
        required: "Say whether it was held or missed, and by whom.",
        options: Object.entries(CALL_OUTCOMES).map(([value, o]) => ({ value, label: o.label })),
        initial: "held",
      },
    ],
  };
}

/** The heads-up form: a change the client announces, and the day it happens. */
export function headsUpForm(): FormDocument {
  return {
    title: "Heads-up on a change",
    submit: "Send",
    fields: [
      {
        id: HEADS_UP_FORM.what,
        label: "What is changing?",
        kind: "text",
        required: "Say what is changing.",
        maxLength: SHORT_TEXT,
        placeholder: "New copier on the 2nd floor",
      },
      {
        id: HEADS_UP_FORM.when,
        label: "When?",
        kind: "date",
        required: "Choose the day of the change.",
        hint: "The earlier you say, the better the provider can prepare.",
      },
      { id: HEADS_UP_FORM.detail, label: "Details", kind: "multiline", maxLength: LONG_TEXT },
    ],
  };
}

// ---- reading them --------------------------------------------------------------------------------

/** Reads the issue form into what reporting an issue takes. */
export function readIssueForm(
  values: FormValues,
  clock: FormClock,
): FormReading<{ title: string; detail: string | null; priority: Priority; startedAt: Date | null }> {
  const form = new Reader(issueForm(), values, clock);
  const title = form.text(ISSUE_FORM.title);
  const detail = form.text(ISSUE_FORM.description);
  const priority = form.choice(ISSUE_FORM.priority, prioritySchema, "Choose P1, P2, P3 or P4.") ?? "P3";
  const startedAt = form.instant(ISSUE_FORM.startedAt);
  if (startedAt && startedAt.getTime() > clock.now.getTime()) {
    form.fail(ISSUE_FORM.startedAt, "That is in the future; when did it start?");
  }
  return form.result(() => ({ title: title!, detail, priority, startedAt }));
}

/** Reads the recommendation form into what recommending takes. */
export function readRecommendForm(
  values: FormValues,
  clock: FormClock,
): FormReading<{ title: string; why: string | null; risk: RecommendationRisk; decideBy: string }> {
  const form = new Reader(recommendForm(clock), values, clock);
  const title = form.text(RECOMMEND_FORM.title);
  const why = form.text(RECOMMEND_FORM.why);
  const risk =
    form.choice(RECOMMEND_FORM.risk, recommendationRiskSchema, "Choose low, medium, high or critical.") ??
    "medium";
  const decideBy = form.day(RECOMMEND_FORM.decideBy);
  if (decideBy && decideBy < isoDay(clock))
    form.fail(RECOMMEND_FORM.decideBy, "Choose a date from today on.");
  return form.result(() => ({ title: title!, why, risk, decideBy: decideBy! }));
}

/** Reads the call form into what logging a call takes. */
export function readCallForm(
  values: FormValues,
  clock: FormClock,
): FormReading<{ scheduledAt: Date; title: string | null; missedBy: Side | null }> {
  const form = new Reader(callForm(), values, clock);
  const scheduledAt = form.instant(CALL_FORM.when);
  if (scheduledAt && scheduledAt.getTime() > clock.now.getTime()) {
    form.fail(CALL_FORM.when, "That call is still to come; log it once it was held or missed.");
  }
  const title = form.text(CALL_FORM.title);
  const outcome = form.value(CALL_FORM.outcome);
  if (outcome !== null && !Object.hasOwn(CALL_OUTCOMES, outcome)) {
    form.fail(CALL_FORM.outcome, "Say whether it was held or missed, and by whom.");
  }
  return form.result(() => ({
    scheduledAt: scheduledAt!,
    title,
    missedBy: CALL_OUTCOMES[outcome as keyof typeof CALL_OUTCOMES].missedBy,
  }));
}

/** Reads the heads-up form; the day starts at midnight in the partnership's timezone. */
export function readHeadsUpForm(
  values: FormValues,
  clock: FormClock,
): FormReading<{ title: string; detail: string | null; effectiveAt: Date }> {
  const form = new Reader(headsUpForm(), values, clock);
  const title = form.text(HEADS_UP_FORM.what);
  const detail = form.text(HEADS_UP_FORM.detail);
  const day = form.day(HEADS_UP_FORM.when);
  return form.result(() => ({
    title: title!,
    detail,
    effectiveAt: DateTime.fromISO(day!, { zone: clock.timezone }).toJSDate(),
  }));
}

// ---- the settings part of the set-up form -------------------------------------------------------

/** Field ids of the set-up form's settings (block ids on Slack, input ids on Teams). */
export const SETTINGS_FORM = {
  timezone: "setup_timezone",
  workingHours: "setup_working_hours",
  holidays: "setup_holidays",
  sla: "setup_sla",
  digestDay: "setup_digest_day",
  digestTime: "setup_digest_time",
  autoIntake: "setup_auto_intake",
} as const;

/** Weekday names by ISO number (1 = Monday), for the digest-day menu. */
export const WEEKDAYS = [
  "Monday",
  "Tuesday",
  "Wednesday",
  "Thursday",
  "Friday",
  "Saturday",
  "Sunday",
] as const;

/** The settings a set-up form sets. */
export type SettingsFields = Pick<
  PartnershipSettings,
  "timezone" | "workingHours" | "holidays" | "sla" | "digestWeekday" | "digestTime" | "autoIntake"
>;

/**
 * Reads the settings part of a set-up form: the timezone, working hours, holidays and SLA targets
 * as typed (settings-text.ts), the digest's weekday ("1"–"7") and time ("HH:mm", seconds dropped),
 * and auto-intake ("true" or "on" when ticked).
 */
export function readSettingsForm(values: FormValues): FormReading<SettingsFields> {
  const errors: Record<string, string> = {};
  const text = (id: string) => (values[id] ?? "").trim();
  // Each reader is the one `rapport partnership configure` uses: one sentence per mistake.
  const timezone = readTimezone(text(SETTINGS_FORM.timezone));
  if ("error" in timezone) errors[SETTINGS_FORM.timezone] = timezone.error;
  const hours = parseWorkingHours(text(SETTINGS_FORM.workingHours));
  if ("error" in hours) errors[SETTINGS_FORM.workingHours] = hours.error;
  const holidays = parseHolidays(text(SETTINGS_FORM.holidays));
  if ("error" in holidays) errors[SETTINGS_FORM.holidays] = holidays.error;
  const sla = parseSlaTargets(text(SETTINGS_FORM.sla));
  if ("error" in sla) errors[SETTINGS_FORM.sla] = sla.error;
  const day = readDigestWeekday(text(SETTINGS_FORM.digestDay));
  if ("error" in day) errors[SETTINGS_FORM.digestDay] = day.error;
  const time = readDigestTime(text(SETTINGS_FORM.digestTime));
  if ("error" in time) errors[SETTINGS_FORM.digestTime] = time.error;
  if (
    "error" in timezone ||
    "error" in hours ||
    "error" in holidays ||
    "error" in sla ||
    "error" in day ||
    "error" in time
  ) {
    return { errors };
  }
  return {
    fields: {
      timezone: timezone.value,
      workingHours: hours.hours,
      holidays: holidays.holidays,
      sla: sla.sla,
      digestWeekday: day.value,
      digestTime: time.value,
      autoIntake: ["true", "on"].includes(text(SETTINGS_FORM.autoIntake)),
    },
  };
}

/** How long the client has to decide when the provider names no date. */
export const DEFAULT_DECISION_DAYS = 14;

/** Today (plus `days`) in the partnership's timezone, as "YYYY-MM-DD". */
export function isoDay(clock: FormClock, days = 0): string {
  return DateTime.fromJSDate(clock.now, { zone: clock.timezone }).plus({ days }).toISODate()!;
}

/** Reads the values of one form against its fields, collecting what to fix by field id. */
class Reader {
  private readonly errors: Record<string, string> = {};
  private readonly fields: Map<string, FormField>;

  constructor(
    form: FormDocument,
    private readonly values: FormValues,
    private readonly clock: FormClock,
  ) {
    this.fields = new Map(form.fields.map((f) => [f.id, f]));
  }

  fail(id: string, message: string): void {
    this.errors[id] ??= message;
  }

  /** The field's value trimmed, null when empty; a required empty field is an error. */
  value(id: string): string | null {
    const raw = this.values[id];
    const value = typeof raw === "string" ? raw.trim() : "";
    const required = this.field(id).required;
    if (!value && required) this.fail(id, required);
    return value || null;
  }

  text(id: string): string | null {
    const value = this.value(id);
    const max = this.field(id).maxLength;
    if (value && max && value.length > max) {
      this.fail(id, `Keep it under ${max.toLocaleString("en-GB")} characters.`);
    }
    return value;
  }

  choice<T extends string>(
    id: string,
    schema: { safeParse(v: unknown): { success: boolean; data?: T } },
    message: string,
  ): T | null {
    const value = this.value(id);
    if (value === null) return null;
    const parsed = schema.safeParse(value);
    if (!parsed.success) this.fail(id, message);
    return parsed.success ? (parsed.data as T) : null;
  }

  /** A date "YYYY-MM-DD" in the partnership's timezone. */
  day(id: string): string | null {
    const value = this.value(id);
    if (value === null) return null;
    const day = DateTime.fromISO(value, { zone: this.clock.timezone });
    if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || !day.isValid) {
      this.fail(id, this.field(id).required ?? "Choose a date.");
      return null;
    }
    return value;
  }

  /** An instant: ISO with a zone, or a local "YYYY-MM-DDTHH:mm" in the partnership's timezone. */
  instant(id: string): Date | null {
    const value = this.value(id);
    if (value === null) return null;
    const zoned = /([zZ]|[+-]\d{2}:?\d{2})$/.test(value);
    const at = DateTime.fromISO(value, zoned ? { setZone: true } : { zone: this.clock.timezone });
    if (!at.isValid || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(value)) {
      this.fail(id, this.field(id).required ?? "Choose a day and a time.");
      return null;
    }
    return at.toJSDate();
  }

  result<T>(fields: () => T): FormReading<T> {
    return Object.keys(this.errors).length ? { errors: { ...this.errors } } : { fields: fields() };
  }

  private field(id: string): FormField {
    const field = this.fields.get(id);
    if (!field) throw new Error(`no field ${id} in this form`);
    return field;
  }
}
