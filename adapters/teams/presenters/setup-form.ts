// `setup`: link this conversation to a partnership, say who takes part with which side and role,
// and configure it, in one card that the core saves all or nothing.
import { z } from "zod";
import {
  channelPurposeSchema,
  DEFAULT_SETTINGS,
  holidaysForForm,
  type ChannelPurpose,
  type Partnership,
  type PartnershipSettings,
  type SetUpPerson,
} from "../../../src/index.ts";
import {
  adaptiveCard,
  inputChoiceSet,
  inputText,
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
import {
  HOLIDAYS_MAX_LENGTH,
  parseSettings,
  SETTINGS_FORM,
  settingsInputs,
  settingsShape,
  type SettingsFields,
} from "./setup-settings.ts";

/** Input ids of the set-up form (its people's menus are `personInputId(i)`). */
export const SETUP_FORM = {
  name: "setup_name",
  providerOrg: "setup_provider_org",
  clientOrg: "setup_client_org",
  purposes: "setup_purposes",
  ...SETTINGS_FORM,
} as const;

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
      ...settingsInputs(parts.settings, parts.holidays),
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
  ...settingsShape,
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
  settings: SettingsFields;
}

function purposes(form: SetupData, errors: string[]): ChannelPurpose[] {
  const chosen = (form[SETUP_FORM.purposes] ?? "").split(",").flatMap((v) => {
    const p = channelPurposeSchema.safeParse(v.trim());
    return p.success ? [p.data] : [];
  });
  if (chosen.length === 0) errors.push("Choose what this conversation is for: support, digest, or both.");
  return [...new Set(chosen)];
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
    settings: parseSettings(form, errors),
  };
  return errors.length ? { errors } : { fields };
}
