// Message actions (a message extension of type action, context message): "Report as IT issue"
// and "Log direct request", each a composeExtension/fetchTask (the dialog's card) followed by a
// composeExtension/submitAction (what the dialog submitted), answered in the HTTP body.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FORM_VERBS } from "../../../adapters/teams/presenters/form-kit.ts";
import { expectValidCard } from "../../unit/adapters/teams/presenters/valid-card.ts";
import { startTeamsHarness, type TeamsHarness } from "./support/harness.ts";
import { IDS, PEOPLE } from "./support/teams-ids.ts";
import {
  ADAPTIVE_CARD,
  cardsIn,
  cardText,
  inputIdsOf,
  messageAction,
  post,
  type TeamsResponse,
} from "./support/teams-kit.ts";

type Card = Record<string, unknown>;

/** The dialog a fetchTask answers with (a "continue" task with an Adaptive Card); fails otherwise. */
function dialogOf(res: TeamsResponse): { title: string; card: Card } {
  expect(res.status).toBe(200);
  const body = res.body as {
    task?: { type?: string; value?: { title?: string; card?: { contentType?: string; content?: Card } } };
  };
  expect(body.task?.type, res.text).toBe("continue");
  expect(body.task?.value?.card?.contentType).toBe(ADAPTIVE_CARD);
  const card = body.task!.value!.card!.content!;
  expectValidCard(card);
  return { title: body.task!.value!.title ?? "", card };
}

/** The popup message a submitAction (or a refused fetchTask) answers with; fails otherwise. */
function popupOf(res: TeamsResponse): string {
  expect(res.status).toBe(200);
  const body = res.body as { task?: { type?: string; value?: unknown } };
  expect(body.task?.type, res.text).toBe("message");
  return String(body.task?.value);
}

/** The data of the card's Action.Submit (dialogs cannot run Action.Execute). */
function submitData(card: Card): Record<string, unknown> {
  const submit = (card.actions as { type: string; data?: Record<string, unknown> }[]).find(
    (a) => a.type === "Action.Submit",
  );
  if (!submit) throw new Error(`the dialog has no Action.Submit: ${JSON.stringify(card.actions)}`);
  return submit.data ?? {};
}

/** The value of the card's input `id`. */
function inputValue(card: Card, id: string): unknown {
  let found: unknown;
  const walk = (n: unknown): void => {
    if (Array.isArray(n)) return n.forEach(walk);
    if (typeof n !== "object" || n === null) return;
    const o = n as Record<string, unknown>;
    if (o.id === id && typeof o.type === "string" && o.type.startsWith("Input.")) found = o.value;
    Object.values(o).forEach(walk);
  };
  walk(card);
  return found;
}

describe("Teams message actions", () => {
  let h: TeamsHarness;
  beforeAll(async () => {
    h = await startTeamsHarness();
  }, 60_000);
  afterAll(() => h?.stop());

  describe("Report as IT issue", () => {
    it("fetchTask in the linked channel opens the issue form with the message's text as the title", async () => {
      const before = h.connector.count;
      const { title, card } = dialogOf(await post(h, messageAction(h, "invoke-fetch-task-report-issue")));
      expect(title).toBe("Report as IT issue");
      expect(inputIdsOf(card)).toEqual([
        "issue_title",
        "issue_description",
        "issue_priority",
        "issue_started_at_date",
        "issue_started_at_time",
      ]);
      // Teams' HTML is gone; &nbsp; and &amp; are plain text again.
      expect(inputValue(card, "issue_title")).toBe(
        "The VPN keeps dropping every 10 minutes & Outlook then asks for my password again",
      );
      expect(submitData(card)).toEqual({
        partnershipId: h.partnershipId,
        timezone: "Europe/London",
        form: FORM_VERBS.issue,
      });
      expect(h.connector.posted(before)).toEqual([]);
    });

    it("fetchTask in a channel that is not linked answers with how to link it", async () => {
      const res = await post(
        h,
        messageAction(h, "invoke-fetch-task-report-issue", {
          overrides: {
            conversation: { id: `${IDS.team};messageid=1717403900550` },
            channelData: { channel: { id: IDS.team } },
          },
        }),
      );
      expect(popupOf(res)).toMatch(/^This channel is not linked to a partnership yet\./);
    });

    it("submitAction records the issue for the message's author, pops up the key and posts the card in the channel", async () => {
      const data = {
        partnershipId: h.partnershipId,
        timezone: "Europe/London",
        form: FORM_VERBS.issue,
        issue_title: "The VPN keeps dropping every 10 minutes",
        issue_description: "Outlook then asks for the password again",
        issue_priority: "P2",
      };
      const before = h.connector.count;
      const res = await post(h, messageAction(h, "invoke-submit-action-report-issue", { data }));
      expect(popupOf(res)).toBe("Recorded as CLIENT-1.");
      // The card is queued and posted after the answer, in the reported message's thread.
      const posted = await h.connector.waitForPosted(before);
      expect(posted).toHaveLength(1);
      expect(posted[0]!.kind).toBe("send");
      expect(posted[0]!.conversationId).toBe(`${IDS.supportChannel};messageid=1717403900550`);
      const [card] = cardsIn(posted);
      expectValidCard(card);
      const text = cardText(card);
      expect(text).toContain("CLIENT-1 · The VPN keeps dropping every 10 minutes");
      expect(text).toContain("Outlook then asks for the password again");
      expect(text).toMatch(/🟠 P2: /);
      // The reporter is who wrote the message (Sam), not who used the action (Tess).
      expect(text).toContain("by Sam Staff");

      // The same message reported again (a new invoke) is the same issue, and no second card: the
      // next report's card is the only one posted after it.
      const again = h.connector.count;
      const twice = await post(h, messageAction(h, "invoke-submit-action-report-issue", { data }));
      expect(popupOf(twice)).toBe("Recorded as CLIENT-1.");
      const other = messageAction(h, "invoke-submit-action-report-issue", {
        data: { ...data, issue_title: "The printer on floor 2 is jammed" },
        overrides: { value: { messagePayload: { id: "1717403900777" } } },
      });
      expect(popupOf(await post(h, other))).toBe("Recorded as CLIENT-2.");
      const next = await h.connector.waitForPosted(again);
      expect(next).toHaveLength(1);
      expect(cardText(cardsIn(next)[0])).toContain("CLIENT-2 · The printer on floor 2 is jammed");
    });

    it("submitAction without a title answers with the dialog again: what to fix, and what was chosen", async () => {
      const before = h.connector.count;
      const data = {
        partnershipId: h.partnershipId,
        timezone: "Europe/London",
        form: FORM_VERBS.issue,
        issue_priority: "P1",
        issue_description: "Everyone on floor 2",
      };
      const res = await post(
        h,
        messageAction(h, "invoke-submit-action-report-issue", {
          data,
          overrides: { value: { messagePayload: { id: "1717403999999" } } },
        }),
      );
      const { title, card } = dialogOf(res);
      expect(title).toBe("Report as IT issue");
      expect(cardText(card)).toContain("⚠️ Say in a few words what is wrong.");
      expect(inputValue(card, "issue_priority")).toBe("P1");
      expect(inputValue(card, "issue_description")).toBe("Everyone on floor 2");
      expect(submitData(card)).toEqual({
        partnershipId: h.partnershipId,
        timezone: "Europe/London",
        form: FORM_VERBS.issue,
      });
      expect(h.connector.posted(before)).toEqual([]);
    });
  });

  describe("Log direct request", () => {
    it("fetchTask by a provider member in a chat opens the direct-request form with the message and its author", async () => {
      const { title, card } = dialogOf(await post(h, messageAction(h, "invoke-fetch-task-direct-request")));
      expect(title).toBe("Log direct request");
      expect(inputIdsOf(card)).toEqual(["direct_request_text"]);
      expect(inputValue(card, "direct_request_text")).toBe(
        "Hi Tess, could you quickly add the new starter Priya to the Finance shared mailbox?\nThanks!",
      );
      expect(cardText(card)).toContain("Asked by **Sam Staff**");
      expect(submitData(card)).toEqual({ partnershipId: h.partnershipId, form: FORM_VERBS.directRequest });
    });

    it("fetchTask by a client member says there is no partnership they can log for", async () => {
      const { card } = dialogOf(
        await post(
          h,
          messageAction(h, "invoke-fetch-task-direct-request", {
            overrides: {
              from: { id: PEOPLE.staff.id, name: PEOPLE.staff.name, aadObjectId: PEOPLE.staff.aad },
            },
          }),
        ),
      );
      expect(inputIdsOf(card)).toEqual([]);
      expect(cardText(card)).toContain("You are not in any partnership yet");
    });

    it("submitAction logs the request as an issue and pops up its key; a redelivery logs it once", async () => {
      const data = {
        partnershipId: h.partnershipId,
        form: FORM_VERBS.directRequest,
        direct_request_text: "Add the new starter Priya to the Finance shared mailbox",
      };
      const before = h.connector.count;
      const res = await post(h, messageAction(h, "invoke-submit-action-direct-request", { data }));
      const popup = popupOf(res);
      expect(popup).toMatch(
        /^Logged as CLIENT-\d+; it will be answered and measured like any other request\.$/,
      );
      const again = popupOf(await post(h, messageAction(h, "invoke-submit-action-direct-request", { data })));
      expect(again).toBe(popup);
      // Logged off the agreed channel: nothing is posted into the chat with the client.
      expect(h.connector.posted(before)).toEqual([]);
    });

    it("submitAction without the request's text answers with what to fix", async () => {
      const res = await post(
        h,
        messageAction(h, "invoke-submit-action-direct-request", {
          data: { partnershipId: h.partnershipId, form: FORM_VERBS.directRequest, direct_request_text: "" },
        }),
      );
      expect(popupOf(res)).toBe("Say what the client asked for.");
    });
  });
});
