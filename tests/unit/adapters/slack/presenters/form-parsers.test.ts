import { describe, expect, it } from "vitest";
import {
  DIRECT_REQUEST_FORM,
  parseDirectRequestForm,
} from "../../../../../adapters/slack/presenters/direct-request-modal.ts";
import {
  parseCallForm,
  parseHeadsUpForm,
  parseRecommendForm,
} from "../../../../../adapters/slack/presenters/forms-modal.ts";
import { parseIssueForm } from "../../../../../adapters/slack/presenters/issue-modal.ts";
import { parseSetupForm } from "../../../../../adapters/slack/presenters/setup-form.ts";
import { SETUP_FORM } from "../../../../../adapters/slack/presenters/setup-modal.ts";
import { CALL_FORM, HEADS_UP_FORM, ISSUE_FORM, RECOMMEND_FORM } from "../../../../../src/index.ts";
import { NOW, partnership, stateOf } from "./fixtures.ts";

const clock = { now: NOW, timezone: partnership.timezone };
const unix = (iso: string) => Math.floor(new Date(iso).getTime() / 1000);

describe("parseIssueForm", () => {
  it("reads a good submission", () => {
    const values = stateOf({
      [ISSUE_FORM.title]: { type: "plain_text_input", value: "  Printer jammed " },
      [ISSUE_FORM.description]: { type: "plain_text_input", value: null },
      [ISSUE_FORM.priority]: { type: "static_select", selected_option: { value: "P2" } },
      [ISSUE_FORM.startedAt]: { type: "datetimepicker", selected_date_time: unix("2026-03-04T09:00:00Z") },
    });
    expect(parseIssueForm(values, clock)).toEqual({
      fields: {
        title: "Printer jammed",
        detail: null,
        priority: "P2",
        startedAt: new Date("2026-03-04T09:00:00Z"),
      },
    });
  });

  it("defaults the priority and start", () => {
    const values = stateOf({ [ISSUE_FORM.title]: { type: "plain_text_input", value: "VPN down" } });
    expect(parseIssueForm(values, clock).fields).toEqual({
      title: "VPN down",
      detail: null,
      priority: "P3",
      startedAt: null,
    });
  });

  it("keys errors by block_id", () => {
    const values = stateOf({
      [ISSUE_FORM.title]: { type: "plain_text_input", value: " " },
      [ISSUE_FORM.priority]: { type: "static_select", selected_option: { value: "P7" } },
      [ISSUE_FORM.startedAt]: { type: "datetimepicker", selected_date_time: unix("2026-03-05T09:00:00Z") },
    });
    expect(Object.keys(parseIssueForm(values, clock).errors ?? {}).sort()).toEqual(
      [ISSUE_FORM.title, ISSUE_FORM.priority, ISSUE_FORM.startedAt].sort(),
    );
  });

  it("reports a payload that is not a form on its first block", () => {
    expect(parseIssueForm({ x: "y" }, clock).errors).toHaveProperty(ISSUE_FORM.title);
  });
});

describe("parseDirectRequestForm", () => {
  const metadata = { partnershipId: null, workspaceId: "T", channelId: "D", messageTs: "1.2" };

  it("reads a good submission", () => {
    const values = stateOf({
      [DIRECT_REQUEST_FORM.text]: { type: "plain_text_input", value: "Reset my password" },
      [DIRECT_REQUEST_FORM.requester]: { type: "users_select", selected_user: "U0CLIENT1" },
      [DIRECT_REQUEST_FORM.partnership]: {
        type: "static_select",
        selected_option: { value: partnership.id },
      },
    });
    expect(parseDirectRequestForm(values, metadata)).toEqual({
      fields: { text: "Reset my password", requesterUserId: "U0CLIENT1", partnershipId: partnership.id },
    });
  });

  it("keys errors by block_id", () => {
    const values = stateOf({ [DIRECT_REQUEST_FORM.text]: { type: "plain_text_input", value: "" } });
    expect(Object.keys(parseDirectRequestForm(values, metadata).errors ?? {}).sort()).toEqual(
      [DIRECT_REQUEST_FORM.text, DIRECT_REQUEST_FORM.requester, DIRECT_REQUEST_FORM.partnership].sort(),
    );
  });
});

function setupValues(overrides: Record<string, Record<string, unknown>> = {}) {
  return stateOf({
    [SETUP_FORM.name]: { type: "plain_text_input", value: "Acme Dental and Northwind IT" },
    [SETUP_FORM.providerOrg]: { type: "plain_text_input", value: "Northwind IT" },
    [SETUP_FORM.clientOrg]: { type: "plain_text_input", value: "Acme Dental" },
    [SETUP_FORM.purposes]: {
      type: "checkboxes",
      selected_options: [{ value: "support" }, { value: "digest" }],
    },
    [SETUP_FORM.providerMembers]: { type: "multi_users_select", selected_users: ["U0TECH1", "U0LEAD1"] },
    [SETUP_FORM.clientMembers]: { type: "multi_users_select", selected_users: ["U0CLIENT1", "U0OWNER"] },
    [SETUP_FORM.leads]: { type: "multi_users_select", selected_users: ["U0LEAD1", "U0OWNER"] },
    [SETUP_FORM.admins]: { type: "multi_users_select", selected_users: ["U0LEAD1"] },
    [SETUP_FORM.timezone]: { type: "plain_text_input", value: "America/New_York" },
    [SETUP_FORM.workingHours]: { type: "plain_text_input", value: "Mon-Fri 08:00-17:00" },
    [SETUP_FORM.holidays]: { type: "plain_text_input", value: "2026-12-28, 2026-12-25\n2026-12-25\n" },
    [SETUP_FORM.sla]: { type: "plain_text_input", value: "P1 15m/4h 24x7, P2 1h/8h, P3 4h/3d, P4 8h/10d" },
    [SETUP_FORM.digestDay]: { type: "static_select", selected_option: { value: "5" } },
    [SETUP_FORM.digestTime]: { type: "timepicker", selected_time: "16:00" },
    [SETUP_FORM.autoIntake]: { type: "checkboxes", selected_options: [{ value: "on" }] },
    ...overrides,
  });
}

describe("parseSetupForm", () => {
  it("reads a good submission into names, purposes, members with roles, and settings", () => {
    const result = parseSetupForm(setupValues());
    expect(result.errors).toBeUndefined();
    expect(result.fields).toMatchSnapshot();
    expect(result.fields?.members).toEqual([
      { userId: "U0TECH1", side: "provider", role: "tech" },
      { userId: "U0LEAD1", side: "provider", role: "admin" },
      { userId: "U0CLIENT1", side: "client", role: "staff" },
      { userId: "U0OWNER", side: "client", role: "lead" },
    ]);
    expect(result.fields?.settings.holidays).toEqual(["2026-12-25", "2026-12-28"]);
    expect(result.fields?.settings.digestWeekday).toBe(5);
    expect(result.fields?.settings.autoIntake).toBe(true);
  });

  it("keys every error by its block_id", () => {
    const text = (value: string) => ({ type: "plain_text_input", value });
    const result = parseSetupForm(
      setupValues({
        [SETUP_FORM.name]: text(""),
        [SETUP_FORM.purposes]: { type: "checkboxes", selected_options: [] },
        [SETUP_FORM.clientMembers]: { type: "multi_users_select", selected_users: ["U0TECH1"] },
        [SETUP_FORM.leads]: { type: "multi_users_select", selected_users: ["U0STRANGER"] },
        [SETUP_FORM.timezone]: text("Mars/Olympus_Mons"),
        [SETUP_FORM.workingHours]: text("whenever"),
        [SETUP_FORM.holidays]: text("2026-12-25\n25/12/2026"),
        [SETUP_FORM.sla]: text("P1 fast"),
        [SETUP_FORM.digestTime]: { type: "timepicker", selected_time: null },
      }),
    );
    expect(Object.keys(result.errors ?? {}).sort()).toEqual(
      [
        SETUP_FORM.name,
        SETUP_FORM.purposes,
        SETUP_FORM.clientMembers,
        SETUP_FORM.leads,
        SETUP_FORM.timezone,
        SETUP_FORM.workingHours,
        SETUP_FORM.holidays,
        SETUP_FORM.sla,
        SETUP_FORM.digestTime,
      ].sort(),
    );
    expect(result.errors?.[SETUP_FORM.holidays]).toBe(
      '"25/12/2026" is not a date like 2026-12-25 (YYYY-MM-DD)',
    );
  });

  it("reads an empty holidays field as no holidays", () => {
    const result = parseSetupForm(
      setupValues({ [SETUP_FORM.holidays]: { type: "plain_text_input", value: null } }),
    );
    expect(result.fields?.settings.holidays).toEqual([]);
  });
});

describe("parseRecommendForm", () => {
  it("reads a good submission", () => {
    const values = stateOf({
      [RECOMMEND_FORM.title]: { type: "plain_text_input", value: "Enable MFA on email" },
      [RECOMMEND_FORM.why]: { type: "plain_text_input", value: "Stops most account takeovers." },
      [RECOMMEND_FORM.risk]: { type: "static_select", selected_option: { value: "critical" } },
      [RECOMMEND_FORM.decideBy]: { type: "datepicker", selected_date: "2026-03-18" },
    });
    expect(parseRecommendForm(values, clock)).toEqual({
      fields: {
        title: "Enable MFA on email",
        why: "Stops most account takeovers.",
        risk: "critical",
        decideBy: "2026-03-18",
      },
    });
  });

  it("keys errors by block_id", () => {
    const values = stateOf({
      [RECOMMEND_FORM.title]: { type: "plain_text_input", value: "" },
      [RECOMMEND_FORM.risk]: { type: "static_select", selected_option: { value: "toString" } },
      [RECOMMEND_FORM.decideBy]: { type: "datepicker", selected_date: "2026-03-01" },
    });
    expect(Object.keys(parseRecommendForm(values, clock).errors ?? {}).sort()).toEqual(
      [RECOMMEND_FORM.title, RECOMMEND_FORM.risk, RECOMMEND_FORM.decideBy].sort(),
    );
  });
});

describe("parseCallForm", () => {
  it("reads a call missed by the client", () => {
    const values = stateOf({
      [CALL_FORM.when]: { type: "datetimepicker", selected_date_time: unix("2026-03-03T14:00:00Z") },
      [CALL_FORM.title]: { type: "plain_text_input", value: "Monthly review" },
      [CALL_FORM.outcome]: { type: "radio_buttons", selected_option: { value: "missed_by_client" } },
    });
    expect(parseCallForm(values, clock)).toEqual({
      fields: { scheduledAt: new Date("2026-03-03T14:00:00Z"), title: "Monthly review", missedBy: "client" },
    });
  });

  it("keys errors by block_id", () => {
    const values = stateOf({
      [CALL_FORM.when]: { type: "datetimepicker", selected_date_time: unix("2026-03-09T14:00:00Z") },
      [CALL_FORM.outcome]: { type: "radio_buttons", selected_option: null },
    });
    expect(Object.keys(parseCallForm(values, clock).errors ?? {}).sort()).toEqual(
      [CALL_FORM.when, CALL_FORM.outcome].sort(),
    );
  });
});

describe("parseHeadsUpForm", () => {
  it("reads a change, starting its day in the partnership's timezone", () => {
    const values = stateOf({
      [HEADS_UP_FORM.what]: { type: "plain_text_input", value: "New copier on floor 2" },
      [HEADS_UP_FORM.when]: { type: "datepicker", selected_date: "2026-06-01" },
    });
    expect(parseHeadsUpForm(values, { now: NOW, timezone: "Europe/London" })).toEqual({
      fields: { title: "New copier on floor 2", detail: null, effectiveAt: new Date("2026-05-31T23:00:00Z") },
    });
  });

  it("keys errors by block_id", () => {
    const values = stateOf({ [HEADS_UP_FORM.what]: { type: "plain_text_input", value: "" } });
    expect(
      Object.keys(parseHeadsUpForm(values, { now: NOW, timezone: "Europe/London" }).errors ?? {}).sort(),
    ).toEqual([HEADS_UP_FORM.what, HEADS_UP_FORM.when].sort());
  });
});
