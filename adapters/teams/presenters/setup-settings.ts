// The schedule part of the set-up form: the partnership's timezone, working hours, holidays, SLA
// targets, weekly digest and auto-intake, shown as text the person can edit and read back with the
// core's own parsers.
import {
  DEFAULT_SETTINGS,
  formatSlaTargets,
  formatWorkingHours,
  holidaysForForm,
  parseHolidays,
  parseSlaTargets,
  parseWorkingHours,
  partnershipSettingsSchema,
  type PartnershipSettings,
} from "../../../src/index.ts";
import { inputChoiceSet, inputText, inputTime, inputToggle, type CardElement } from "./card-kit.ts";
import { inputValue } from "./form-kit.ts";

/** Input ids of the schedule. */
export const SETTINGS_FORM = {
  timezone: "setup_timezone",
  workingHours: "setup_working_hours",
  holidays: "setup_holidays",
  sla: "setup_sla",
  digestDay: "setup_digest_day",
  digestTime: "setup_digest_time",
  autoIntake: "setup_auto_intake",
} as const;

/** Weekday names by ISO number, for the digest-day menu. */
export const WEEKDAYS = [
  "Monday",
  "Tuesday",
  "Wednesday",
  "Thursday",
  "Friday",
  "Saturday",
  "Sunday",
] as const;

/** Room for about 270 dates; a longer list shows its newest and keeps the rest (holidaysForForm). */
export const HOLIDAYS_MAX_LENGTH = 3000;

/** The settings the set-up form changes. */
export type SettingsFields = Pick<
  PartnershipSettings,
  "timezone" | "workingHours" | "holidays" | "sla" | "digestWeekday" | "digestTime" | "autoIntake"
>;

/** The schedule's inputs as Teams submits them. */
export const settingsShape = {
  [SETTINGS_FORM.timezone]: inputValue,
  [SETTINGS_FORM.workingHours]: inputValue,
  [SETTINGS_FORM.holidays]: inputValue,
  [SETTINGS_FORM.sla]: inputValue,
  [SETTINGS_FORM.digestDay]: inputValue,
  [SETTINGS_FORM.digestTime]: inputValue,
  [SETTINGS_FORM.autoIntake]: inputValue,
};
type SettingsData = Partial<Record<(typeof SETTINGS_FORM)[keyof typeof SETTINGS_FORM], string>>;

/** The form's schedule: timezone, working hours, holidays, SLA targets, digest, auto-intake. */
export function settingsInputs(
  s: PartnershipSettings,
  holidays: ReturnType<typeof holidaysForForm>,
): CardElement[] {
  const older = holidays.shownFrom ? `; those before ${holidays.shownFrom} are not shown and stay` : "";
  const days = WEEKDAYS.map((d, i) => [String(i + 1), d] as const);
  return [
    inputText(SETTINGS_FORM.timezone, "Timezone (an IANA name such as Europe/London)", {
      required: "Give the timezone, such as Europe/London.",
      maxLength: 64,
      value: s.timezone,
    }),
    inputText(
      SETTINGS_FORM.workingHours,
      'Working hours, like "Mon-Fri 09:00-17:30"; days not named are closed',
      {
        required: "Give the working hours.",
        maxLength: 500,
        value: formatWorkingHours(s.workingHours),
      },
    ),
    inputText(
      SETTINGS_FORM.holidays,
      `Holidays: days off as YYYY-MM-DD, one per line or comma-separated${older}`,
      {
        maxLength: HOLIDAYS_MAX_LENGTH,
        multiline: true,
        value: holidays.text,
        placeholder: "2026-12-25",
      },
    ),
    inputText(
      SETTINGS_FORM.sla,
      "SLA targets: first response / resolution per priority (d = working day of 8 h)",
      {
        required: "Give the SLA targets.",
        maxLength: 300,
        value: formatSlaTargets(s.sla),
      },
    ),
    inputChoiceSet(SETTINGS_FORM.digestDay, "Weekly digest day", days, { value: String(s.digestWeekday) }),
    inputTime(SETTINGS_FORM.digestTime, "Weekly digest time", {
      required: "Choose a time.",
      value: s.digestTime,
    }),
    inputToggle(
      SETTINGS_FORM.autoIntake,
      "Auto-intake",
      "Turn client messages in support channels into requests",
      s.autoIntake,
    ),
  ];
}

/** Reads the schedule of a submitted set-up form; what is wrong goes to `errors`. */
export function parseSettings(form: SettingsData, errors: string[]): SettingsFields {
  const timezone = form[SETTINGS_FORM.timezone]?.trim() ?? "";
  if (!partnershipSettingsSchema.shape.timezone.safeParse(timezone).success) {
    errors.push("Use an IANA timezone name such as Europe/London or America/New_York.");
  }
  const hours = parseWorkingHours(form[SETTINGS_FORM.workingHours] ?? "");
  if ("error" in hours) errors.push(`Working hours: ${hours.error}.`);
  const holidays = parseHolidays(form[SETTINGS_FORM.holidays] ?? "");
  if ("error" in holidays) errors.push(`Holidays: ${holidays.error}.`);
  const sla = parseSlaTargets(form[SETTINGS_FORM.sla] ?? "");
  if ("error" in sla) errors.push(`SLA targets: ${sla.error}.`);
  const day = Number(form[SETTINGS_FORM.digestDay]);
  if (!Number.isInteger(day) || day < 1 || day > 7) errors.push("Choose the day of the week for the digest.");
  // Teams may send seconds ("09:00:00"); the digest runs on minutes.
  const time = (form[SETTINGS_FORM.digestTime] ?? "").slice(0, 5);
  if (!partnershipSettingsSchema.shape.digestTime.safeParse(time).success)
    errors.push("Choose the digest time.");
  return {
    timezone,
    workingHours: "hours" in hours ? hours.hours : {},
    holidays: "holidays" in holidays ? holidays.holidays : [],
    sla: "sla" in sla ? sla.sla : DEFAULT_SETTINGS.sla,
    digestWeekday: day,
    digestTime: time,
    autoIntake: form[SETTINGS_FORM.autoIntake] === "true",
  };
}
