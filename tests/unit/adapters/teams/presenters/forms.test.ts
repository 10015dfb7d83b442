import { describe, expect, it } from "vitest";
import { VERBS } from "../../../../../adapters/teams/ids.ts";
import { cardBytes, TEAMS_LIMITS } from "../../../../../adapters/teams/presenters/card-kit.ts";
import { callForm } from "../../../../../src/index.ts";
import {
  CALL_FORM,
  callFormCard,
  dateInputId,
  directRequestFormCard,
  FORM_KEY,
  FORM_VERBS,
  formValues,
  formWithErrors,
  headsUpFormCard,
  ISSUE_FORM,
  issueFormCard,
  recommendFormCard,
  SETUP_FORM,
  setupFormCard,
  timeInputId,
} from "../../../../../adapters/teams/presenters/forms.ts";
import { NOW, partnership } from "./fixtures.ts";
import { expectValidCard } from "./valid-card.ts";

const clock = { now: NOW, timezone: partnership.timezone };
const ctx = { partnershipId: partnership.id };
const conversation = { conversationId: "19:support@thread.tacv2", name: "Acme support" };
const partnerships = [
  { id: partnership.id, name: partnership.name },
  { id: "p-2", name: "Contoso Law and Northwind IT" },
];

const cards = {
  issue: issueFormCard(ctx),
  "issue, prefilled in a dialog": issueFormCard({
    ...ctx,
    initial: { title: "<at>Sam</at> printer jammed", priority: "P1" },
    surface: "dialog",
  }),
  "setup, new": setupFormCard({
    partnership: null,
    conversation: { conversationId: conversation.conversationId },
  }),
  "setup, linked": setupFormCard({
    partnership: { ...partnership, holidays: ["2026-12-25", "2026-12-28", "2027-01-01"] },
    conversation,
    purposes: ["support", "digest"],
  }),
  "direct request, one partnership": directRequestFormCard({
    messageText: "Can you reset my password?",
    requesterName: "Dana Reyes",
    partnerships: partnerships.slice(0, 1),
  }),
  "direct request, several partnerships": directRequestFormCard({
    messageText: "Can you reset my password?",
    requesterName: null,
    partnerships,
  }),
  "direct request, no partnership": directRequestFormCard({
    messageText: "x",
    requesterName: "Dana",
    partnerships: [],
  }),
  recommend: recommendFormCard({ ...ctx, title: "Enable MFA" }, clock),
  call: callFormCard(ctx),
  "heads-up": headsUpFormCard(ctx),
};

describe("form cards", () => {
  it.each(Object.entries(cards))("renders the %s form as a valid card", (_name, card) => {
    expectValidCard(card);
    expect(cardBytes(card)).toBeLessThan(TEAMS_LIMITS.messageBytes);
    expect(card).toMatchSnapshot();
  });

  it("submits with Action.Execute in a conversation and Action.Submit in a dialog", () => {
    expect(cards.issue.actions).toEqual([
      expect.objectContaining({ type: "Action.Execute", verb: VERBS.submitIssue, data: ctx }),
    ]);
    expect(cards["issue, prefilled in a dialog"].actions).toEqual([
      expect.objectContaining({ type: "Action.Submit", data: { ...ctx, [FORM_KEY]: VERBS.submitIssue } }),
    ]);
    expect(cards["setup, linked"].actions?.[0]).toMatchObject({
      verb: VERBS.submitSetup,
      data: { conversationId: conversation.conversationId, partnershipId: partnership.id },
    });
    expect(cards["direct request, one partnership"].actions?.[0]).toMatchObject({
      type: "Action.Submit",
      data: { partnershipId: partnership.id, [FORM_KEY]: FORM_VERBS.directRequest },
    });
    expect(cards["direct request, no partnership"].actions).toBeUndefined();
  });

  it("prefills the set-up form's holidays one per line", () => {
    expect(cards["setup, linked"].body).toContainEqual(
      expect.objectContaining({
        id: SETUP_FORM.holidays,
        isMultiline: true,
        value: "2026-12-25\n2026-12-28\n2027-01-01",
      }),
    );
    expect(cards["setup, new"].body).toContainEqual(expect.objectContaining({ id: SETUP_FORM.holidays }));
    expect(cards["setup, new"].body).not.toContainEqual(
      expect.objectContaining({ id: SETUP_FORM.holidays, value: expect.anything() }),
    );
  });

  it("shows the newest holidays that fit and sends back from which date, for saving", () => {
    const holidays = Array.from({ length: 400 }, (_, i) =>
      new Date(Date.UTC(2020, 0, 1 + i * 7)).toISOString().slice(0, 10),
    );
    const card = setupFormCard({ partnership: { ...partnership, holidays }, conversation });
    expectValidCard(card);
    const input = card.body.find((el) => "id" in el && el.id === SETUP_FORM.holidays) as {
      value: string;
      label: string;
    };
    const shown = input.value.split("\n");
    expect(shown).toEqual(holidays.slice(holidays.length - shown.length));
    expect(shown.length).toBeGreaterThan(250);
    expect(input.label).toContain(`those before ${shown[0]} are not shown and stay`);
    expect(card.actions?.[0]).toMatchObject({ data: { holidaysShownFrom: shown[0] } });
  });

  it("never prefills a mention tag", () => {
    expect(JSON.stringify(cards["issue, prefilled in a dialog"])).toContain('"value":"@Sam printer jammed"');
  });

  it("shows the form again with its errors and what was entered", () => {
    const card = issueFormCard({
      ...ctx,
      comeback: {
        submitted: { ...ctx, [ISSUE_FORM.description]: "It beeps", [ISSUE_FORM.priority]: "P1" },
        errors: ["Say in a few words what is wrong."],
      },
    });
    expectValidCard(card);
    expect(card.actions).toEqual(cards.issue.actions);
    expect(card.body[0]).toMatchObject({ type: "Container", style: "attention" });
    expect(JSON.stringify(card)).toContain("Say in a few words what is wrong.");
    expect(card.body).toContainEqual(
      expect.objectContaining({ id: ISSUE_FORM.description, value: "It beeps" }),
    );
    expect(card.body).toContainEqual(expect.objectContaining({ id: ISSUE_FORM.priority, value: "P1" }));
  });

  it("keeps what was typed in a set-up form that comes back", () => {
    const card = formWithErrors(cards["setup, new"], ["Give the partnership a name."], {
      [SETUP_FORM.holidays]: "2026-12-25",
    });
    expectValidCard(card);
    expect(card.body[0]).toMatchObject({ type: "Container", style: "attention" });
    expect(JSON.stringify(card)).toContain('"value":"2026-12-25"');
  });

  it("renders a datetime as a date and a time side by side, and an emptied input as empty", () => {
    const card = callFormCard({
      ...ctx,
      comeback: {
        submitted: { [dateInputId(CALL_FORM.when)]: "2026-03-03", [CALL_FORM.outcome]: "" },
        errors: ["Choose when the call was scheduled."],
      },
    });
    expectValidCard(card);
    expect(card.body[1]).toMatchObject({
      type: "ColumnSet",
      columns: [
        {
          items: [
            { type: "Input.Date", id: dateInputId(CALL_FORM.when), value: "2026-03-03", isRequired: true },
          ],
        },
        { items: [{ type: "Input.Time", id: timeInputId(CALL_FORM.when), isRequired: true }] },
      ],
    });
    expect(card.body).toContainEqual(expect.objectContaining({ id: CALL_FORM.outcome, style: "expanded" }));
    expect(card.body).not.toContainEqual(expect.objectContaining({ id: CALL_FORM.outcome, value: "held" }));
  });
});

describe("formValues", () => {
  it("joins a datetime's date and time into a local time, and passes either alone on", () => {
    const form = callForm();
    const date = dateInputId(CALL_FORM.when);
    const time = timeInputId(CALL_FORM.when);
    expect(
      formValues({ [date]: "2026-03-03", [time]: "10:00:00", [CALL_FORM.title]: " Review " }, form),
    ).toEqual({
      [CALL_FORM.when]: "2026-03-03T10:00",
      [CALL_FORM.title]: "Review",
      [CALL_FORM.outcome]: null,
    });
    expect(formValues({ [date]: "2026-03-03" }, form)[CALL_FORM.when]).toBe("2026-03-03");
    expect(formValues({ [time]: "10:00" }, form)[CALL_FORM.when]).toBe("10:00");
    expect(formValues("nonsense", form)[CALL_FORM.when]).toBeNull();
  });
});
