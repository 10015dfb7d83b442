// `setup`: link this conversation to a partnership, say who takes part with which side and role,
// and configure it, in one card that the core saves all or nothing.
import { z } from "zod";
import {
  channelPurposeSchema,
  DEFAULT_SETTINGS,
  formatSlaTargets,
  formatWorkingHours,
  holidaysForForm,
  parseHolidays,
  parseSlaTargets,
  parseWorkingHours,
  partnershipSettingsSchema,
  type ChannelPurpose,
  type Partnership,
  type PartnershipSettings,
  type SetUpPerson,
} from "../../../src/index.ts";
import {
  adaptiveCard,
  inputChoiceSet,
  inputText,
  inputTime,
  inputToggle,
  textBlock,
  type AdaptiveCardJson,
  type CardElement,
} from "./card-kit.ts";
import {
  checkText,
  FORM_VERBS,
  idSchema,
  inputValue,
  isUnreadable,
  readForm,
  submitAction,
  type FormResult,
} from "./form-kit.ts";
import { plainText } from "./plain-text.ts";
import { listedPeopleSchema, parsePeople, peopleInputs, PEOPLE_KEY, type PersonRow } from "./setup-people.ts";

/** Input ids of the set-up form. */
export const SETUP_FORM = {
  name: "setup_name",
  providerOrg: "setup_provider_org",
  clientOrg: "setup_client_org",
  purposes: "setup_purposes",
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

// Room for about 270 dates; a longer list shows its newest and keeps the rest (holidaysForForm).
const HOLIDAYS_MAX_LENGTH = 3000;

const PURPOSES: Record<ChannelPurpose, string> = {
  support: "Support: requests are reported here",
  digest: "Digest: the weekly scorecard is posted here",
};

/** The conversation the form was opened in; its id comes back in the data, to be checked against the submit's. */
export interface SetupConversation {
  conversationId: string;
  /** The channel or chat name, when Teams gives one. */
  name?: string | null;
}

function nameInputs(p: Partnership | null, purposes: readonly ChannelPurpose[]): CardElement[] {
  const chosen = purposes.length ? purposes : ["support"];
  return [
    inputText(SETUP_FORM.name, "Partnership name", {
      required: "Give the partnership a name.",
      maxLength: 100,
      value: p?.name,
      placeholder: "Acme Dental and Northwind IT",
    }),
    inputText(SETUP_FORM.providerOrg, "Provider (the MSP)", {
      required: "Name the provider.",
      maxLength: 100,
      value: p?.providerOrg,
    }),
    inputText(SETUP_FORM.clientOrg, "Client", {
      required: "Name the client.",
      maxLength: 100,
      value: p?.clientOrg,
    }),
    inputChoiceSet(SETUP_FORM.purposes, "This conversation is for", Object.entries(PURPOSES), {
      required: "Choose support, digest, or both.",
      expanded: true,
      multiSelect: true,
      value: chosen.join(","),
    }),
  ];
}

function scheduleInputs(s: PartnershipSettings, holidays: ReturnType<typeof holidaysForForm>): CardElement[] {
  const older = holidays.shownFrom ? `; those before ${holidays.shownFrom} are not shown and stay` : "";
  const days = WEEKDAYS.map((d, i) => [String(i + 1), d] as const);
  return [
    inputText(SETUP_FORM.timezone, "Timezone (an IANA name such as Europe/London)", {
      required: "Give the timezone, such as Europe/London.",
      maxLength: 64,
      value: s.timezone,
    }),
    inputText(
      SETUP_FORM.workingHours,
      'Working hours, like "Mon-Fri 09:00-17:30"; days not named are closed',
      {
        required: "Give the working hours.",
        maxLength: 500,
        value: formatWorkingHours(s.workingHours),
      },
    ),
    inputText(
      SETUP_FORM.holidays,
      `Holidays: days off as YYYY-MM-DD, one per line or comma-separated${older}`,
      {
        maxLength: HOLIDAYS_MAX_LENGTH,
        multiline: true,
        value: holidays.text,
        placeholder: "2026-12-25",
      },
    ),
    inputText(
      SETUP_FORM.sla,
      "SLA targets: first response / resolution per priority (d = working day of 8 h)",
      {
        required: "Give the SLA targets.",
        maxLength: 300,
        value: formatSlaTargets(s.sla),
      },
    ),
    inputChoiceSet(SETUP_FORM.digestDay, "Weekly digest day", days, { value: String(s.digestWeekday) }),
    inputTime(SETUP_FORM.digestTime, "Weekly digest time", {
      required: "Choose a time.",
      value: s.digestTime,
    }),
    inputToggle(
      SETUP_FORM.autoIntake,
      "Auto-intake",
      "Turn client messages in support channels into requests",
      s.autoIntake,
    ),
  ];
}

/** The set-up form for a conversation, prefilled from its partnership when the conversation is already linked. */
export function setupFormCard(opts: {
  partnership: Partnership | null;
  conversation: SetupConversation;
  purposes?: readonly ChannelPurpose[];
  /** The people to list with their side and role; without them the form leaves people as they are. */
  people?: readonly PersonRow[];
}): AdaptiveCardJson {
  const { partnership, conversation } = opts;
  const where = conversation.name ? plainText(conversation.name, 100) : "This conversation";
  const intro = partnership
    ? `${where} is linked to ${plainText(partnership.name, 100)}. Change anything and save.`
    : `Link ${where === "This conversation" ? "this conversation" : where} to a new partnership between an IT provider and its client.`;
  const settings = partnership ?? DEFAULT_SETTINGS;
  const holidays = holidaysForForm(settings.holidays, HOLIDAYS_MAX_LENGTH);
  return setupCard({
    intro,
    names: partnership,
    purposes: opts.purposes ?? [],
    settings,
    holidays,
    context: {
      conversationId: conversation.conversationId,
      ...(partnership ? { partnershipId: partnership.id } : {}),
      ...(holidays.shownFrom ? { holidaysShownFrom: holidays.shownFrom } : {}),
      ...(opts.people ? { [PEOPLE_KEY]: opts.people.map((r) => r.person) } : {}),
    },
    people: opts.people ?? [],
  });
}

/**
 * The form as it was submitted, rebuilt from its data (for showing it again with what to fix:
 * `formWithErrors` puts the submitted values back); null when the data is not a set-up form's.
 */
export function setupFormAgain(data: unknown): AdaptiveCardJson | null {
  const context = setupContextSchema.safeParse(data);
  if (!context.success) return null;
  const { conversationId, partnershipId, holidaysShownFrom, people } = context.data;
  return setupCard({
    intro: "Nothing was saved yet: fix what is marked and save again.",
    names: null,
    purposes: [],
    settings: DEFAULT_SETTINGS,
    holidays: { text: "", shownFrom: holidaysShownFrom ?? null },
    context: {
      conversationId,
      ...(partnershipId ? { partnershipId } : {}),
      ...(holidaysShownFrom ? { holidaysShownFrom } : {}),
      ...(people ? { [PEOPLE_KEY]: people } : {}),
    },
    people: (people ?? []).map((person) => ({ person, standing: "none" })),
  });
}

function setupCard(parts: {
  intro: string;
  names: Partnership | null;
  purposes: readonly ChannelPurpose[];
  settings: PartnershipSettings;
  holidays: ReturnType<typeof holidaysForForm>;
  context: Record<string, unknown>;
  people: readonly PersonRow[];
}): AdaptiveCardJson {
  return adaptiveCard(
    "Partnership set-up",
    [
      textBlock(parts.intro, { isSubtle: true }),
      ...nameInputs(parts.names, parts.purposes),
      ...peopleInputs(parts.people),
      ...scheduleInputs(parts.settings, parts.holidays),
    ],
    [submitAction("conversation", "Save", FORM_VERBS.setup, parts.context)],
  );
}

const setupContextSchema = z.object({
  partnershipId: idSchema.nullish(),
  conversationId: idSchema,
  holidaysShownFrom: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/)
    .nullish(),
  [PEOPLE_KEY]: listedPeopleSchema.optional(),
});

const setupFormSchema = setupContextSchema.extend({
  [SETUP_FORM.name]: inputValue,
  [SETUP_FORM.providerOrg]: inputValue,
  [SETUP_FORM.clientOrg]: inputValue,
  [SETUP_FORM.purposes]: inputValue,
  [SETUP_FORM.timezone]: inputValue,
  [SETUP_FORM.workingHours]: inputValue,
  [SETUP_FORM.holidays]: inputValue,
  [SETUP_FORM.sla]: inputValue,
  [SETUP_FORM.digestDay]: inputValue,
  [SETUP_FORM.digestTime]: inputValue,
  [SETUP_FORM.autoIntake]: inputValue,
});
type SetupData = z.infer<typeof setupFormSchema>;

/** Everything the set-up form says, typed and checked. */
export interface SetupFields {
  /** Null when the form creates a partnership. */
  partnershipId: string | null;
  conversationId: string;
  /** The first holiday the form showed when older ones did not fit; saving keeps those. */
  holidaysShownFrom: string | null;
  name: string;
  providerOrg: string;
  clientOrg: string;
  purposes: ChannelPurpose[];
  /** The people listed with a side and role; null when the form listed nobody. */
  people: SetUpPerson[] | null;
  settings: Pick<
    PartnershipSettings,
    "timezone" | "workingHours" | "holidays" | "sla" | "digestWeekday" | "digestTime" | "autoIntake"
  >;
}

function purposes(form: SetupData, errors: string[]): ChannelPurpose[] {
  const chosen = (form[SETUP_FORM.purposes] ?? "").split(",").flatMap((v) => {
    const p = channelPurposeSchema.safeParse(v.trim());
    return p.success ? [p.data] : [];
  });
  if (chosen.length === 0) errors.push("Choose what this conversation is for: support, digest, or both.");
  return [...new Set(chosen)];
}

function settings(form: SetupData, errors: string[]): SetupFields["settings"] {
  const timezone = form[SETUP_FORM.timezone]?.trim() ?? "";
  if (!partnershipSettingsSchema.shape.timezone.safeParse(timezone).success) {
    errors.push("Use an IANA timezone name such as Europe/London or America/New_York.");
  }
  const hours = parseWorkingHours(form[SETUP_FORM.workingHours] ?? "");
  if ("error" in hours) errors.push(`Working hours: ${hours.error}.`);
  const holidays = parseHolidays(form[SETUP_FORM.holidays] ?? "");
  if ("error" in holidays) errors.push(`Holidays: ${holidays.error}.`);
  const sla = parseSlaTargets(form[SETUP_FORM.sla] ?? "");
  if ("error" in sla) errors.push(`SLA targets: ${sla.error}.`);
  const day = Number(form[SETUP_FORM.digestDay]);
  if (!Number.isInteger(day) || day < 1 || day > 7) errors.push("Choose the day of the week for the digest.");
  // Teams may send seconds ("09:00:00"); the digest runs on minutes.
  const time = (form[SETUP_FORM.digestTime] ?? "").slice(0, 5);
  if (!partnershipSettingsSchema.shape.digestTime.safeParse(time).success)
    errors.push("Choose the digest time.");
  return {
    timezone,
    workingHours: "hours" in hours ? hours.hours : {},
    holidays: "holidays" in holidays ? holidays.holidays : [],
    sla: "sla" in sla ? sla.sla : DEFAULT_SETTINGS.sla,
    digestWeekday: day,
    digestTime: time,
    autoIntake: form[SETUP_FORM.autoIntake] === "true",
  };
}

/** Reads a submitted set-up form, or says what to fix. */
export function parseSetupForm(data: unknown): FormResult<SetupFields> {
  const form = readForm(setupFormSchema, data);
  if (isUnreadable(form)) return { errors: form.unreadable };
  const errors: string[] = [];
  const [name, providerOrg, clientOrg] = (
    [
      [SETUP_FORM.name, "the partnership name", "Give the partnership a name."],
      [SETUP_FORM.providerOrg, "the provider's name", "Name the provider."],
      [SETUP_FORM.clientOrg, "the client's name", "Name the client."],
    ] as const
  ).map(([id, name, empty]) => checkText(form[id], 100, errors, { name, empty }));
  const fields: SetupFields = {
    partnershipId: form.partnershipId ?? null,
    conversationId: form.conversationId,
    holidaysShownFrom: form.holidaysShownFrom ?? null,
    name: name ?? "",
    providerOrg: providerOrg ?? "",
    clientOrg: clientOrg ?? "",
    purposes: purposes(form, errors),
    people: parsePeople(form[PEOPLE_KEY], data, errors),
    settings: settings(form, errors),
  };
  return errors.length ? { errors } : { fields };
}
