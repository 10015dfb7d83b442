// Card forms submitted with Action.Execute (the form is a card in the conversation, so Teams sends
// an adaptiveCard/action invoke with the inputs merged into the data): the issue form records and
// answers with the issue card; a form with a missing title answers with what to fix.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { VERBS } from "../../../adapters/teams/ids.ts";
import { FORM_VERBS } from "../../../adapters/teams/presenters/form-kit.ts";
import { expectValidCard } from "../../unit/adapters/teams/presenters/valid-card.ts";
import { startTeamsHarness, type TeamsHarness } from "./support/harness.ts";
import { PEOPLE } from "./support/teams-ids.ts";
import {
  actionData,
  cardAction,
  cardsIn,
  cardText,
  channelMessage,
  invokeCard,
  invokeMessage,
  newInvokeId,
  post,
  verbsOf,
} from "./support/teams-kit.ts";

describe("Teams card forms (Action.Execute)", () => {
  let h: TeamsHarness;
  let formData: Record<string, unknown>;
  beforeAll(async () => {
    h = await startTeamsHarness();
    // The form as `issue` alone sends it: its submit action's data is what Teams sends back.
    const before = h.connector.count;
    await post(h, channelMessage(h, "issue"));
    const [form] = cardsIn(h.connector.posted(before));
    expectValidCard(form);
    formData = actionData(form, FORM_VERBS.issue);
  }, 60_000);
  afterAll(() => h?.stop());

  it("form.issue with its inputs records the issue and answers with its card", async () => {
    const data = {
      ...formData,
      issue_title: "Shared drive S: is missing",
      issue_description: "Since this morning for everyone on floor 3",
      issue_priority: "P2",
      issue_started_date: "",
      issue_started_time: "",
    };
    const id = newInvokeId();
    const res = await post(h, cardAction(h, FORM_VERBS.issue, data, { from: PEOPLE.staff, id }));
    expect(res.status).toBe(200);
    const card = invokeCard(res);
    expectValidCard(card);
    expect(cardText(card)).toContain("CLIENT-1 · Shared drive S: is missing");
    expect(cardText(card)).toContain("Since this morning for everyone on floor 3");
    expect(cardText(card)).toMatch(/🟠 P2: /);
    expect(cardText(card)).toContain("by Sam Staff");
    expect(verbsOf(card)).toContain(VERBS.acknowledge);

    // The same submission delivered again records nothing new: the same issue comes back.
    const again = invokeCard(
      await post(h, cardAction(h, FORM_VERBS.issue, data, { from: PEOPLE.staff, id })),
    );
    expect(cardText(again)).toContain("CLIENT-1 · Shared drive S: is missing");
    const next = invokeCard(
      await post(h, cardAction(h, FORM_VERBS.issue, { ...data, issue_title: "Teams calls echo" })),
    );
    expect(cardText(next)).toContain("CLIENT-2 · Teams calls echo");
  });

  it("form.issue without a title answers with what to fix and records nothing", async () => {
    const res = await post(
      h,
      cardAction(
        h,
        FORM_VERBS.issue,
        { ...formData, issue_title: "  ", issue_priority: "P3" },
        { from: PEOPLE.staff },
      ),
    );
    expect(res.status).toBe(200);
    expect(invokeMessage(res)).toBe("Say in a few words what is wrong.");
    const next = invokeCard(
      await post(h, cardAction(h, FORM_VERBS.issue, { ...formData, issue_title: "Wi-Fi is slow" })),
    );
    expect(cardText(next)).toContain("CLIENT-3 · Wi-Fi is slow");
  });

  it("form.issue with a start date but no time, or data that is not the form's, says so", async () => {
    const noTime = await post(
      h,
      cardAction(h, FORM_VERBS.issue, {
        ...formData,
        issue_title: "Printer",
        issue_started_date: "2024-06-03",
      }),
    );
    expect(invokeMessage(noTime)).toBe("Give the time it started too, or leave the date empty.");
    const foreign = await post(h, cardAction(h, FORM_VERBS.issue, { issue_title: "Printer" }));
    expect(foreign.status).toBe(200);
    expect(invokeMessage(foreign)).toBe("This form could not be read. Please open it again.");
  });
});
