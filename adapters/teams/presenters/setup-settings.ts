// The schedule part of the set-up form: the partnership's timezone, working hours, holidays, SLA
// targets, weekly digest and auto-intake, shown as text the person can edit and read back with the
// core's own parsers.
import {
  DEFAULT_SETTINGS,
  formatSlaTargets,
  formatWorkingHours,
  holidaysForForm,
  readSettingsForm,
  SETTINGS_FORM,
  WEEKDAYS,
  type PartnershipSettings,
  type SettingsFields,
} from "../../../src/index.ts";
import { inputChoiceSet, inputText, inputTime, inputToggle, type CardElement } from "./card-kit.ts";
import { inputValue } from "./form-kit.ts";

export { SETTINGS_FORM, WEEKDAYS, type SettingsFields };

const ABOUT: Record<string, string> = {
  [SETTINGS_FORM.workingHours]: "Working hours",
  [SETTINGS_FORM.holidays]: "Holidays",
  [SETTINGS_FORM.sla]: "SLA targets",
};

/** Room for about 270 dates; a longer list shows its newest and keeps the rest (holidaysForForm). */
export const HOLIDAYS_MAX_LENGTH = 3000;

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
  const read = readSettingsForm(form);
  if ("fields" in read) return read.fields;
  // A card shows its errors together, so each says which setting it is about.
  for (const [id, message] of Object.entries(read.errors)) {
    const about = ABOUT[id];
    errors.push(about ? `${about}: ${message}.` : message);
  }
  return { ...DEFAULT_SETTINGS };
}
