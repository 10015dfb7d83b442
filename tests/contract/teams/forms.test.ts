// Card forms submitted with Action.Execute (the form is a card in the conversation, so Teams sends
// an adaptiveCard/action invoke with the inputs merged into the data): the issue form records and
// answers with the issue card; a form with something to fix, or one the core refuses, answers with
// the form again, saying why on top and keeping what was typed.
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
  valueOf,
  verbsOf,
} from "./support/teams-kit.ts";

/** The sentences on top of a form that came back with something to fix. */
function noticeOf(card: Record<string, unknown>): string[] {
  const [notice] = card.body as { type: string; style?: string; items?: { text: string }[] }[];
  expect(notice).toMatchObject({ type: "Container", style: "attention" });
  return notice!.items!.map((i) => i.text);
}

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
      issue_started_at_date: "",
      issue_started_at_time: "",
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
    const again = invokeCard(res);
    expectValidCard(again);
    expect(noticeOf(again)).toEqual(["⚠️ Say in a few words what is wrong."]);
    expect(valueOf(again, "Priority")).toBe("P3");
    expect(actionData(again, FORM_VERBS.issue)).toEqual(formData);
    const next = invokeCard(
      await post(h, cardAction(h, FORM_VERBS.issue, { ...formData, issue_title: "Wi-Fi is slow" })),
    );
    expect(cardText(next)).toContain("CLIENT-3 · Wi-Fi is slow");
  });

  it("a form the core refuses (a client recommending) comes back with the refusal and what was typed", async () => {
    const before = h.connector.count;
    await post(h, channelMessage(h, "recommend", { from: PEOPLE.tech }));
    const [form] = cardsIn(h.connector.posted(before));
    const data = {
      ...actionData(form, FORM_VERBS.recommend),
      rec_title: "Move the files to SharePoint",
      rec_why: "The NAS is out of support",
      rec_risk: "high",
      rec_decide_by: "2999-01-31",
    };
    const again = invokeCard(
      await post(h, cardAction(h, FORM_VERBS.recommend, data, { from: PEOPLE.staff })),
    );
    expectValidCard(again);
    expect(noticeOf(again)[0]).toMatch(/^⚠️ Only Provider IT \(the provider side\) can /);
    expect(valueOf(again, "Recommendation")).toBe("Move the files to SharePoint");
    expect(valueOf(again, "Risk if not done")).toBe("high");
    expect(valueOf(again, "Decide by")).toBe("2999-01-31");
    const recorded = invokeCard(
      await post(h, cardAction(h, FORM_VERBS.recommend, data, { from: PEOPLE.tech })),
    );
    expect(cardText(recorded)).toContain("💡 Recommendation: Move the files to SharePoint");
  });

  it("form.issue with a start date but no time, or data that is not the form's, says so", async () => {
    const noTime = await post(
      h,
      cardAction(h, FORM_VERBS.issue, {
        ...formData,
        issue_title: "Printer",
        issue_started_at_date: "2024-06-03",
      }),
    );
    const again = invokeCard(noTime);
    expect(noticeOf(again)).toEqual(["⚠️ Choose a day and a time."]);
    expect(valueOf(again, "What is wrong?")).toBe("Printer");
    const foreign = await post(h, cardAction(h, FORM_VERBS.issue, { issue_title: "Printer" }));
    expect(foreign.status).toBe(200);
    expect(invokeMessage(foreign)).toBe("This form could not be read. Please open it again.");
  });
});
