// Reads the submitted set-up form into the set-up command the core takes (`Rapport.setUp`): names,
// settings, the channel's purposes, and the people listed by Slack user id.
import {
  channelPurposeSchema,
  DEFAULT_SETTINGS,
  readSettingsForm,
  type ChannelPurpose,
  type PartnershipSettings,
  type Role,
  type Side,
} from "../../../src/index.ts";
import {
  checkedValues,
  element,
  isUnreadable,
  readState,
  selectedUsers,
  selectedValue,
  textValue,
  type FormResult,
  type StateValues,
} from "./form-kit.ts";
import { SETUP_FORM } from "./setup-modal.ts";

/** One person's place in the partnership: admins outrank leads, who outrank technicians and staff. */
export interface SetupMember {
  userId: string;
  side: Side;
  role: Role;
}

/** Everything the set-up form says, typed and checked. */
export interface SetupFields {
  name: string;
  providerOrg: string;
  clientOrg: string;
  purposes: ChannelPurpose[];
  members: SetupMember[];
  settings: Pick<
    PartnershipSettings,
    "timezone" | "workingHours" | "holidays" | "sla" | "digestWeekday" | "digestTime" | "autoIntake"
  >;
}

type Errors = Record<string, string>;

function names(state: StateValues, errors: Errors): Pick<SetupFields, "name" | "providerOrg" | "clientOrg"> {
  const [name, providerOrg, clientOrg] = [SETUP_FORM.name, SETUP_FORM.providerOrg, SETUP_FORM.clientOrg].map(
    (id) => {
      const value = textValue(state, id);
      if (!value) errors[id] = "This cannot be empty.";
      else if (value.length > 100) errors[id] = "Keep it under 100 characters.";
      return value;
    },
  );
  return { name: name ?? "", providerOrg: providerOrg ?? "", clientOrg: clientOrg ?? "" };
}

function members(state: StateValues, errors: Errors): SetupMember[] {
  const provider = selectedUsers(state, SETUP_FORM.providerMembers);
  const client = selectedUsers(state, SETUP_FORM.clientMembers);
  const leads = new Set(selectedUsers(state, SETUP_FORM.leads));
  const admins = new Set(selectedUsers(state, SETUP_FORM.admins));
  const both = client.filter((u) => provider.includes(u));
  if (both.length)
    errors[SETUP_FORM.clientMembers] =
      `${both.length === 1 ? "One person is" : `${both.length} people are`} in both teams; keep each person on one side.`;
  const inTeam = (u: string) => provider.includes(u) || client.includes(u);
  if ([...leads].some((u) => !inTeam(u)))
    errors[SETUP_FORM.leads] = "Add every lead to the provider or client team too.";
  if ([...admins].some((u) => !inTeam(u)))
    errors[SETUP_FORM.admins] = "Add every admin to the provider or client team too.";
  const role = (u: string, side: Side): Role =>
    admins.has(u) ? "admin" : leads.has(u) ? "lead" : side === "provider" ? "tech" : "staff";
  return [
    ...provider.map((userId) => ({ userId, side: "provider" as const, role: role(userId, "provider") })),
    ...client
      .filter((u) => !provider.includes(u))
      .map((userId) => ({ userId, side: "client" as const, role: role(userId, "client") })),
  ];
}

function purposes(state: StateValues, errors: Errors): ChannelPurpose[] {
  const chosen = checkedValues(state, SETUP_FORM.purposes).flatMap((v) => {
    const p = channelPurposeSchema.safeParse(v);
    return p.success ? [p.data] : [];
  });
  if (chosen.length === 0) errors[SETUP_FORM.purposes] = "Choose support, digest, or both.";
  return chosen;
}

function settings(state: StateValues, errors: Errors): SetupFields["settings"] {
  const read = readSettingsForm({
    [SETUP_FORM.timezone]: textValue(state, SETUP_FORM.timezone),
    [SETUP_FORM.workingHours]: textValue(state, SETUP_FORM.workingHours),
    [SETUP_FORM.holidays]: textValue(state, SETUP_FORM.holidays),
    [SETUP_FORM.sla]: textValue(state, SETUP_FORM.sla),
    [SETUP_FORM.digestDay]: selectedValue(state, SETUP_FORM.digestDay),
    [SETUP_FORM.digestTime]: element(state, SETUP_FORM.digestTime)?.selected_time ?? "",
    [SETUP_FORM.autoIntake]: checkedValues(state, SETUP_FORM.autoIntake).includes("on") ? "on" : "",
  });
  if ("errors" in read) {
    Object.assign(errors, read.errors);
    return { ...DEFAULT_SETTINGS };
  }
  return read.fields;
}

/** Reads a submitted set-up form, or errors by block_id for `response_action: "errors"`. */
export function parseSetupForm(values: unknown): FormResult<SetupFields> {
  const state = readState(values, SETUP_FORM.name);
  if (isUnreadable(state)) return { errors: state };
  const errors: Errors = {};
  const fields: SetupFields = {
    ...names(state, errors),
    purposes: purposes(state, errors),
    members: members(state, errors),
    settings: settings(state, errors),
  };
  return Object.keys(errors).length ? { errors } : { fields };
}
