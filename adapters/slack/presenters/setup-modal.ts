// `/itpartner setup`: link this channel to a partnership and configure it in one form.
import type { Checkboxes, KnownBlock, ModalView, MultiUsersSelect } from "@slack/web-api";
import { z } from "zod";
import {
  DEFAULT_SETTINGS,
  formatSlaTargets,
  formatWorkingHours,
  holidaysForForm,
  SETTINGS_FORM,
  WEEKDAYS,
  type ChannelPurpose,
  type Partnership,
} from "../../../src/index.ts";
import { VIEWS } from "../ids.ts";
import { input, modal, textInput } from "./form-kit.ts";
import { context, LIMITS, option } from "./kit.ts";

/** Block ids (and action ids: each equals its block id) of the set-up form. */
export const SETUP_FORM = {
  name: "setup_name",
  providerOrg: "setup_provider_org",
  clientOrg: "setup_client_org",
  purposes: "setup_purposes",
  providerMembers: "setup_provider_members",
  clientMembers: "setup_client_members",
  leads: "setup_leads",
  admins: "setup_admins",
  ...SETTINGS_FORM,
} as const;

/**
 * The set-up form's `private_metadata`: the channel (in the view's workspace), its partnership when
 * already linked (a claim), and the first holiday shown when older ones did not fit in the form
 * (saving keeps those).
 */
export const setupMetadataSchema = z.object({
  partnershipId: z.string().min(1).nullable(),
  channelId: z.string().min(1),
  holidaysShownFrom: z.string().min(1).optional(),
});
/** The parsed set-up metadata. */
export type SetupMetadata = z.infer<typeof setupMetadataSchema>;

/** Who is in the partnership now (Slack user ids), to prefill the people menus. */
export interface SetupPeople {
  provider: string[];
  client: string[];
  leads: string[];
  admins: string[];
}

const PURPOSES: Record<ChannelPurpose, string> = {
  support: "Support: requests are reported here",
  digest: "Digest: the weekly scorecard is posted here",
};

function people(blockId: string, label: string, users: readonly string[], hint: string): KnownBlock {
  const el: MultiUsersSelect = { type: "multi_users_select", action_id: blockId };
  if (users.length) el.initial_users = [...users];
  return input(blockId, label, el, { optional: true, hint });
}

function checkboxes(values: Record<string, string>, checked: readonly string[]): Checkboxes {
  const options = Object.entries(values).map(([value, text]) => option(text, value));
  const initial = options.filter((o) => checked.includes(o.value ?? ""));
  return initial.length
    ? { type: "checkboxes", options, initial_options: initial }
    : { type: "checkboxes", options };
}

function namesBlocks(p: Partnership | null, purposes: readonly ChannelPurpose[]): KnownBlock[] {
  return [
    input(
      SETUP_FORM.name,
      "Partnership name",
      textInput({ maxLength: 100, initial: p?.name, placeholder: "Acme Dental and Northwind IT" }),
    ),
    input(
      SETUP_FORM.providerOrg,
      "Provider (the MSP)",
      textInput({ maxLength: 100, initial: p?.providerOrg }),
    ),
    input(SETUP_FORM.clientOrg, "Client", textInput({ maxLength: 100, initial: p?.clientOrg })),
    input(
      SETUP_FORM.purposes,
      "This channel is for",
      checkboxes(PURPOSES, purposes.length ? purposes : ["support"]),
    ),
  ];
}

function peopleBlocks(team: SetupPeople): KnownBlock[] {
  return [
    people(
      SETUP_FORM.providerMembers,
      "Provider team",
      team.provider,
      "Technicians and account managers of the MSP.",
    ),
    people(SETUP_FORM.clientMembers, "Client team", team.client, "Staff of the client business."),
    people(
      SETUP_FORM.leads,
      "Leads",
      team.leads,
      "Nudged about unanswered requests, missed calls and pending recommendations. Pick from the teams above.",
    ),
    people(SETUP_FORM.admins, "Admins", team.admins, "May change this set-up. Pick from the teams above."),
  ];
}

function holidaysBlock(holidays: ReturnType<typeof holidaysForForm>): KnownBlock {
  const older = holidays.shownFrom ? ` Holidays before ${holidays.shownFrom} are not shown and stay.` : "";
  return input(
    SETUP_FORM.holidays,
    "Holidays",
    textInput({ maxLength: LIMITS.text, multiline: true, initial: holidays.text, placeholder: "2026-12-25" }),
    { optional: true, hint: `Days off as YYYY-MM-DD, one per line or comma-separated.${older}` },
  );
}

function scheduleBlocks(
  s: Partnership | typeof DEFAULT_SETTINGS,
  holidays: ReturnType<typeof holidaysForForm>,
): KnownBlock[] {
  const days = WEEKDAYS.map((d, i) => option(d, String(i + 1)));
  return [
    input(SETUP_FORM.timezone, "Timezone", textInput({ maxLength: 64, initial: s.timezone }), {
      hint: "An IANA name such as Europe/London or America/New_York.",
    }),
    input(
      SETUP_FORM.workingHours,
      "Working hours",
      textInput({ maxLength: 500, initial: formatWorkingHours(s.workingHours) }),
      {
        hint: 'Like "Mon-Fri 09:00-17:30" or "Mon-Thu 08:00-12:00,13:00-17:00; Fri 08:00-15:00". Days not named are closed.',
      },
    ),
    holidaysBlock(holidays),
    input(SETUP_FORM.sla, "SLA targets", textInput({ maxLength: 300, initial: formatSlaTargets(s.sla) }), {
      hint: "First response / resolution per priority; d is a working day of 8 h; 24x7 runs around the clock.",
    }),
    input(SETUP_FORM.digestDay, "Weekly digest day", {
      type: "static_select",
      options: days,
      initial_option: days[s.digestWeekday - 1],
    }),
    input(SETUP_FORM.digestTime, "Weekly digest time", { type: "timepicker", initial_time: s.digestTime }),
    input(
      SETUP_FORM.autoIntake,
      "Auto-intake",
      checkboxes(
        { on: "Turn client messages in support channels into requests" },
        s.autoIntake ? ["on"] : [],
      ),
      { optional: true },
    ),
  ];
}

/** The set-up form for `channelId`, prefilled from its partnership when the channel is already linked. */
export function setupModal(opts: {
  metadata: SetupMetadata;
  partnership: Partnership | null;
  purposes?: readonly ChannelPurpose[];
  people?: SetupPeople;
}): ModalView {
  const { metadata, partnership } = opts;
  const team = opts.people ?? { provider: [], client: [], leads: [], admins: [] };
  const intro = partnership
    ? `<#${metadata.channelId}> is linked to this partnership. Change anything and save.`
    : `Link <#${metadata.channelId}> to a new partnership between an IT provider and its client.`;
  const settings = partnership ?? DEFAULT_SETTINGS;
  const holidays = holidaysForForm(settings.holidays, LIMITS.text);
  const blocks: KnownBlock[] = [
    context(intro),
    ...namesBlocks(partnership, opts.purposes ?? []),
    ...peopleBlocks(team),
    ...scheduleBlocks(settings, holidays),
  ];
  const meta: SetupMetadata = holidays.shownFrom
    ? { ...metadata, holidaysShownFrom: holidays.shownFrom }
    : metadata;
  return modal(VIEWS.setup, "Partnership set-up", blocks, meta);
}
