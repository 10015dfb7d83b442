import { describe, expect, it } from "vitest";
import {
  CALL_FORM,
  dateInputId,
  DIRECT_REQUEST_FORM,
  HEADS_UP_FORM,
  ISSUE_FORM,
  parseCallForm,
  parseDirectRequestForm,
  parseHeadsUpForm,
  parseIssueForm,
  parseRecommendForm,
  parseSetupForm,
  RECOMMEND_FORM,
  SETUP_FORM,
  timeInputId,
} from "../../../../../adapters/teams/presenters/forms.ts";
import { NOW, partnership } from "./fixtures.ts";

// NOW is Wed 4 Mar 2026, 15:30 UTC; New York is five hours behind then, London on GMT.
const london = { now: NOW, timezone: "Europe/London" };
const newYork = { now: NOW, timezone: "America/New_York" };
const partnershipId = partnership.id;
// A datetime field is entered in a date and a time input side by side.
const startedDate = dateInputId(ISSUE_FORM.startedAt);
const startedTime = timeInputId(ISSUE_FORM.startedAt);
const callDate = dateInputId(CALL_FORM.when);
const callTime = timeInputId(CALL_FORM.when);

describe("parseIssueForm", () => {
  it("reads a good submission, the start in the partnership's timezone", () => {
    const data = {
      partnershipId,
      form: "form.issue",
      [ISSUE_FORM.title]: "  Printer jammed ",
      [ISSUE_FORM.description]: "Tray stuck",
      [ISSUE_FORM.priority]: "P2",
      [startedDate]: "2026-03-04",
      [startedTime]: "09:00",
    };
    expect(parseIssueForm(data, newYork)).toEqual({
      fields: {
        partnershipId,
        title: "Printer jammed",
        detail: "Tray stuck",
        priority: "P2",
        startedAt: new Date("2026-03-04T14:00:00Z"),
      },
    });
  });

  it("defaults the priority and start; a time alone is not a start", () => {
    expect(parseIssueForm({ partnershipId, [ISSUE_FORM.title]: "VPN down" }, london).fields).toEqual({
      partnershipId,
      title: "VPN down",
      detail: null,
      priority: "P3",
      startedAt: null,
    });
    const timeOnly = { partnershipId, [ISSUE_FORM.title]: "VPN down", [startedTime]: "08:15" };
    expect(parseIssueForm(timeOnly, london).errors).toEqual(["Choose a day and a time."]);
  });

  it("says what to fix, in sentences", () => {
    const data = {
      partnershipId,
      [ISSUE_FORM.title]: " ",
      [ISSUE_FORM.priority]: "P7",
      [startedDate]: "2026-03-05",
      [startedTime]: "09:00",
    };
    expect(parseIssueForm(data, london)).toEqual({
      errors: [
        "Say in a few words what is wrong.",
        "Choose P1, P2, P3 or P4.",
        "That is in the future; when did it start?",
      ],
    });
    const dateOnly = { partnershipId, [ISSUE_FORM.title]: "x", [startedDate]: "2026-03-04" };
    expect(parseIssueForm(dateOnly, london).errors).toEqual(["Choose a day and a time."]);
    const garbled = {
      partnershipId,
      [ISSUE_FORM.title]: "x",
      [startedDate]: "2026-03-04",
      [startedTime]: "9 o'clock",
    };
    expect(parseIssueForm(garbled, london).errors).toEqual(["Choose a day and a time."]);
  });

  it("refuses data that is not this form's", () => {
    expect(parseIssueForm({ [ISSUE_FORM.title]: "x" }, london).errors).toEqual([
      "This form could not be read. Please open it again.",
    ]);
    expect(parseIssueForm({ partnershipId, [ISSUE_FORM.title]: 42 }, london).errors).toHaveLength(1);
    expect(parseIssueForm("nonsense", london).errors).toHaveLength(1);
  });
});

const setup = {
  conversationId: "19:support@thread.tacv2",
  [SETUP_FORM.name]: "Acme Dental and Northwind IT",
  [SETUP_FORM.providerOrg]: "Northwind IT",
  [SETUP_FORM.clientOrg]: "Acme Dental",
  [SETUP_FORM.purposes]: "support,digest",
  [SETUP_FORM.timezone]: "Europe/London",
  [SETUP_FORM.workingHours]: "Mon-Thu 08:00-12:00,13:00-17:00; Fri 08:00-15:00",
  [SETUP_FORM.holidays]: "2026-12-28\n2026-12-25, 2026-12-28",
  [SETUP_FORM.sla]: "P1 15m/4h 24x7, P2 1h/8h, P3 4h/3d, P4 8h/10d",
  [SETUP_FORM.digestDay]: "5",
  [SETUP_FORM.digestTime]: "16:30",
  [SETUP_FORM.autoIntake]: "true",
};

describe("parseSetupForm", () => {
  it("reads a good submission for a new partnership", () => {
    const { fields } = parseSetupForm(setup);
    expect(fields).toMatchObject({
      partnershipId: null,
      conversationId: setup.conversationId,
      name: "Acme Dental and Northwind IT",
      purposes: ["support", "digest"],
      settings: { timezone: "Europe/London", digestWeekday: 5, digestTime: "16:30", autoIntake: true },
    });
    expect(fields?.settings.workingHours["5"]).toEqual([{ start: "08:00", end: "15:00" }]);
    expect(fields?.settings.holidays).toEqual(["2026-12-25", "2026-12-28"]);
    expect(fields?.holidaysShownFrom).toBeNull();
    expect(fields?.settings.sla.P1).toEqual({
      firstResponseMinutes: 15,
      resolutionMinutes: 240,
      clock: "24x7",
    });
  });

  it("keeps the linked partnership and reads an unticked toggle and seconds", () => {
    const data = {
      ...setup,
      partnershipId,
      [SETUP_FORM.autoIntake]: "false",
      [SETUP_FORM.digestTime]: "09:00:00",
    };
    expect(parseSetupForm(data).fields).toMatchObject({
      partnershipId,
      settings: { autoIntake: false, digestTime: "09:00" },
    });
  });

  it("says what to fix, in sentences", () => {
    const data = {
      ...setup,
      [SETUP_FORM.name]: "",
      [SETUP_FORM.purposes]: "",
      [SETUP_FORM.timezone]: "Mars/Olympus",
      [SETUP_FORM.workingHours]: "weekdays 9-5",
      [SETUP_FORM.holidays]: "2026-12-25\n2026-02-30",
      [SETUP_FORM.sla]: "P1 15m/4h",
      [SETUP_FORM.digestDay]: "8",
    };
    expect(parseSetupForm(data).errors).toEqual([
      "Give the partnership a name.",
      "Choose what this conversation is for: support, digest, or both.",
      "Use an IANA timezone name such as Europe/London or America/New_York.",
      'Working hours: "weekdays" is not a weekday (Mon, Tue, … Sun).',
      'Holidays: "2026-02-30" is not a real date.',
      "SLA targets: Give targets for every priority; missing: P2, P3, P4.",
      "Choose the day of the week for the digest.",
    ]);
  });

  it("reads a holidays field left empty (absent from the data) as no holidays, and the date it showed from", () => {
    const { [SETUP_FORM.holidays]: _omit, ...data } = setup;
    expect(parseSetupForm({ ...data, partnershipId, holidaysShownFrom: "2024-01-01" }).fields).toMatchObject({
      holidaysShownFrom: "2024-01-01",
      settings: { holidays: [] },
    });
  });

  it("refuses data without the conversation", () => {
    const { conversationId: _omit, ...rest } = setup;
    expect(parseSetupForm(rest).errors).toHaveLength(1);
  });
});

describe("parseDirectRequestForm", () => {
  it("reads the partnership from the data or from the menu", () => {
    expect(
      parseDirectRequestForm({ partnershipId, [DIRECT_REQUEST_FORM.text]: " Reset my password " }),
    ).toEqual({
      fields: { text: "Reset my password", partnershipId },
    });
    const chosen = { [DIRECT_REQUEST_FORM.text]: "x", [DIRECT_REQUEST_FORM.partnership]: "p-2" };
    expect(parseDirectRequestForm(chosen).fields?.partnershipId).toBe("p-2");
  });

  it("says what to fix", () => {
    expect(parseDirectRequestForm({ [DIRECT_REQUEST_FORM.text]: "" }).errors).toEqual([
      "Say what the client asked for.",
      "Choose the partnership this request belongs to.",
    ]);
    expect(
      parseDirectRequestForm({ partnershipId, [DIRECT_REQUEST_FORM.text]: "x".repeat(3001) }).errors,
    ).toEqual(["Keep the request under 3,000 characters."]);
  });
});

describe("parseRecommendForm", () => {
  it("reads a good submission", () => {
    const data = {
      partnershipId,
      [RECOMMEND_FORM.title]: "Enable MFA",
      [RECOMMEND_FORM.risk]: "high",
      [RECOMMEND_FORM.decideBy]: "2026-03-18",
    };
    expect(parseRecommendForm(data, london)).toEqual({
      fields: { partnershipId, title: "Enable MFA", why: null, risk: "high", decideBy: "2026-03-18" },
    });
  });

  it("says what to fix", () => {
    const data = {
      partnershipId,
      [RECOMMEND_FORM.risk]: "apocalyptic",
      [RECOMMEND_FORM.decideBy]: "2026-03-01",
    };
    expect(parseRecommendForm(data, london).errors).toEqual([
      "Say what you recommend.",
      "Choose low, medium, high or critical.",
      "Choose a date from today on.",
    ]);
    expect(parseRecommendForm({ partnershipId, [RECOMMEND_FORM.title]: "x" }, london).errors).toEqual([
      "Choose the date the client should decide by.",
    ]);
  });
});

describe("parseCallForm", () => {
  it("reads a call missed by the client, in the partnership's timezone", () => {
    const data = {
      partnershipId,
      [callDate]: "2026-03-03",
      [callTime]: "10:00",
      [CALL_FORM.outcome]: "missed_by_client",
    };
    expect(parseCallForm(data, newYork)).toEqual({
      fields: {
        partnershipId,
        scheduledAt: new Date("2026-03-03T15:00:00Z"),
        title: null,
        missedBy: "client",
      },
    });
  });

  it("says what to fix", () => {
    expect(parseCallForm({ partnershipId, [callTime]: "10:00" }, london).errors).toEqual([
      "Choose when the call was scheduled.",
      "Say whether it was held or missed, and by whom.",
    ]);
    const future = {
      partnershipId,
      [callDate]: "2026-03-05",
      [callTime]: "10:00",
      [CALL_FORM.outcome]: "held",
    };
    expect(parseCallForm(future, london).errors).toEqual([
      "That call is still to come; log it once it was held or missed.",
    ]);
  });
});

describe("parseHeadsUpForm", () => {
  it("reads a change, its day starting in the partnership's timezone", () => {
    const data = { partnershipId, [HEADS_UP_FORM.what]: "New copier", [HEADS_UP_FORM.when]: "2026-04-01" };
    expect(parseHeadsUpForm(data, newYork)).toEqual({
      fields: {
        partnershipId,
        title: "New copier",
        detail: null,
        effectiveAt: new Date("2026-04-01T04:00:00Z"),
      },
    });
  });

  it("says what to fix", () => {
    expect(parseHeadsUpForm({ partnershipId, [HEADS_UP_FORM.when]: "soon" }, london).errors).toEqual([
      "Say what is changing.",
      "Choose the day of the change.",
    ]);
  });
});
