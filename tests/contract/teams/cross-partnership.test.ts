// The ids an Adaptive Card's data or a dialog carries are claims: the place decides the
// partnership. Two partnerships in two tenants: people of B send every card button, form and
// message action of partnership A (with A's ids in them) from B's group chat, from a chat linked to
// nothing, and from a tenant rapport does not know naming A's channel. Each is refused with a
// sentence, and A's record is unchanged.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FORM_KEY, FORM_VERBS } from "../../../adapters/teams/presenters/form-kit.ts";
import { VERBS } from "../../../adapters/teams/ids.ts";
import { readDatabase } from "../support/database.ts";
import { startTeamsHarness, type TeamsHarness } from "./support/harness.ts";
import { IDS, PEOPLE, type TeamsPerson } from "./support/teams-ids.ts";
import {
  actionData,
  cardAction,
  cardsIn,
  channelMessage,
  deepMerge,
  groupMessage,
  inputsOf,
  invokeCard,
  invokeMessage,
  loadFixture,
  messageAction,
  newInvokeId,
  post,
  type TeamsResponse,
} from "./support/teams-kit.ts";

type Json = Record<string, unknown>;

const B = { tenant: "tenant-bee", chat: "19:bee0bee0bee0bee0bee0bee0bee0bee0@thread.v2" };
const BEA: TeamsPerson = {
  id: "29:1BeaTechTeamsUserIdOnTheBeeTenant",
  aad: "6f1c2a10-1b2c-4d3e-8f40-0000000000b1",
  name: "Bea Tech",
  tenant: B.tenant,
};
const BO: TeamsPerson = {
  id: "29:1BoOwnerTeamsUserIdOnTheBeeTenant",
  aad: "6f1c2a10-1b2c-4d3e-8f40-0000000000b2",
  name: "Bo Owner",
  tenant: B.tenant,
};
const UMA: TeamsPerson = {
  id: "29:1UmaTeamsUserIdOnAnUnknownTenant",
  aad: "6f1c2a10-1b2c-4d3e-8f40-0000000000f1",
  name: "Uma Unknown",
  tenant: "tenant-unknown",
};

/** Where forged actions come from: a conversation, and the people of its side who act there. */
interface Origin {
  conversation: string;
  type: "channel" | "groupChat";
  provider: TeamsPerson;
  client: TeamsPerson;
}

const ORIGINS: [string, Origin][] = [
  ["B's group chat", { conversation: B.chat, type: "groupChat", provider: BEA, client: BO }],
  [
    "a group chat linked to nothing",
    {
      conversation: "19:00000000000000000000000000000000@thread.v2",
      type: "groupChat",
      provider: BEA,
      client: BO,
    },
  ],
  [
    "an unknown tenant naming A's channel",
    { conversation: IDS.supportChannel, type: "channel", provider: UMA, client: UMA },
  ],
];

/** Every refusal says that nothing was recorded, or that the conversation is not linked. */
const REFUSED = /nothing was recorded|not linked to a partnership/;

/** `activity` as Teams would send it from `where`, by `who` (their tenant is the activity's). */
function at(where: Origin, who: TeamsPerson, activity: Json): Json {
  const channel = where.type === "channel";
  return deepMerge(activity, {
    from: { id: who.id, name: who.name, aadObjectId: who.aad },
    conversation: {
      id: channel ? `${where.conversation};messageid=1717409999000` : where.conversation,
      conversationType: where.type,
      tenantId: who.tenant,
      isGroup: true,
    },
    channelData: {
      tenant: { id: who.tenant },
      channel: channel ? { id: where.conversation } : undefined,
      team: channel ? { id: IDS.team } : undefined,
    },
  });
}

/** Every input of a card with the value it shows, as Teams merges them into the submit's data. */
function inputValues(card: unknown): Record<string, string> {
  const values: Record<string, string> = {};
  for (const input of inputsOf(card)) {
    if (typeof input.value === "string" && input.value) values[input.id as string] = input.value;
  }
  return values;
}

/** The sentences on top of a form that came back refused. */
function noticeOf(card: Json): string {
  const [notice] = card.body as { type: string; style?: string; items?: { text: string }[] }[];
  expect(notice).toMatchObject({ type: "Container", style: "attention" });
  return notice!.items!.map((i) => i.text).join(" ");
}

type Pack = Json & { events: { id: string }[] };

describe("Teams actions carrying another partnership's ids", () => {
  let h: TeamsHarness;
  let partnershipB: string;
  let issueData: Json;
  let recData: Json;
  /** Every form of A, as A's own people get it, filled in so that only the claim can stop it. */
  const forms: Record<string, { data: Json; side: "provider" | "client" }> = {};
  let before: Pack;

  beforeAll(async () => {
    h = await startTeamsHarness();
    partnershipB = await setUpB();
    issueData = actionData(await cardFrom(channelMessage(h, "issue printer jammed p2")), VERBS.resolve);
    recData = actionData(
      await cardFrom(channelMessage(h, "recommend Replace the firewall", { from: PEOPLE.tech })),
      VERBS.accept,
    );
    const form = async (text: string, from: TeamsPerson, verb: string, fill: Json) => {
      const card = await cardFrom(channelMessage(h, text, { from }));
      expect(actionData(card, verb)).toMatchObject({ partnershipId: h.partnershipId });
      return { ...actionData(card, verb), ...inputValues(card), ...fill };
    };
    forms[FORM_VERBS.issue] = {
      data: await form("issue", PEOPLE.staff, FORM_VERBS.issue, { issue_title: "forged issue" }),
      side: "client",
    };
    forms[FORM_VERBS.recommend] = {
      data: await form("recommend", PEOPLE.tech, FORM_VERBS.recommend, {
        rec_title: "forged recommendation",
      }),
      side: "provider",
    };
    forms[FORM_VERBS.call] = {
      data: await form("call", PEOPLE.tech, FORM_VERBS.call, {
        call_when_date: "2024-05-31",
        call_when_time: "10:00",
        call_outcome: "missed_by_client",
      }),
      side: "provider",
    };
    forms[FORM_VERBS.headsUp] = {
      data: await form("headsup", PEOPLE.staff, FORM_VERBS.headsUp, {
        headsup_what: "forged change",
        headsup_when: "2030-01-07",
      }),
      side: "client",
    };
    forms[FORM_VERBS.setup] = {
      data: await form("setup", PEOPLE.admin, FORM_VERBS.setup, { setup_name: "Taken over" }),
      side: "provider",
    };
    before = await exportOfA();
    expect(before.events.length).toBeGreaterThan(0);
  }, 120_000);
  afterAll(() => h?.stop());

  /** The one card rapport posts in answer to `activity` (in the turn, or queued after it). */
  async function cardFrom(activity: Json): Promise<Json> {
    const count = h.connector.count;
    expect((await post(h, activity)).status).toBe(200);
    const [card] = cardsIn(await h.connector.waitForPosted(count));
    if (!card) throw new Error("rapport posted no card");
    return card;
  }

  /** Bea sets up partnership B in B's group chat with the set-up card: she is its admin, Bo its client. */
  async function setUpB(): Promise<string> {
    h.connector.setRoster(B.chat, [
      { id: BEA.id, name: BEA.name, aadObjectId: BEA.aad, tenantId: B.tenant },
      { id: BO.id, name: BO.name, aadObjectId: BO.aad, tenantId: B.tenant },
    ]);
    const chat = ORIGINS[0]![1];
    const card = await cardFrom(at(chat, BEA, groupMessage(h, "setup")));
    const bo = inputsOf(card).find((i) => i.label === BO.name)!;
    const data = {
      ...actionData(card, VERBS.submitSetup),
      ...inputValues(card),
      setup_name: "Bee Co support",
      setup_provider_org: "Bee IT",
      setup_client_org: "Bee Co",
      [bo.id as string]: "client:staff",
    };
    invokeCard(await post(h, at(chat, BEA, cardAction(h, VERBS.submitSetup, data))));
    const again = await cardFrom(at(chat, BEA, groupMessage(h, "setup")));
    const id = actionData(again, VERBS.submitSetup).partnershipId;
    expect(id).toEqual(expect.any(String));
    expect(id).not.toBe(h.partnershipId);
    return id as string;
  }

  /** Partnership A's whole record, as its lead exports it (the file Teams is given to upload). */
  async function exportOfA(): Promise<Pack> {
    const activity = deepMerge(loadFixture("message-personal", { serviceUrl: h.connector.url }), {
      id: newInvokeId(),
      from: { id: IDS.lead.id, name: IDS.lead.name, aadObjectId: IDS.lead.aad },
      text: undefined,
    });
    const count = h.connector.count;
    await post(h, {
      ...activity,
      type: "invoke",
      name: "fileConsent/invoke",
      value: {
        type: "fileUpload",
        action: "accept",
        context: { partnershipId: h.partnershipId },
        uploadInfo: {
          name: "a.json",
          uploadUrl: h.connector.uploadUrl("a.json"),
          contentUrl: "https://provider.sharepoint.com/a.json",
        },
      },
    });
    const upload = h.connector
      .calls()
      .slice(count)
      .find((c) => c.kind === "upload");
    if (!upload) throw new Error("the export was not uploaded");
    const { exportedAt: _, ...pack } = upload.body as Pack;
    return pack as Pack;
  }

  const expectRefused = (res: TeamsResponse) => expect(invokeMessage(res)).toMatch(REFUSED);

  describe.each(ORIGINS)("from %s", (_origin, where) => {
    const click = (who: TeamsPerson, verb: string, data: Json) =>
      post(h, at(where, who, cardAction(h, verb, data)));

    it.each([VERBS.acknowledge, VERBS.waitOnClient, VERBS.resolve, VERBS.reopen])(
      "the %s button is refused",
      async (verb) => expectRefused(await click(where.provider, verb, issueData)),
    );

    it("the priority menu is refused", async () => {
      expectRefused(await click(where.provider, VERBS.priority, { ...issueData, priority: "P1" }));
    });

    it.each([VERBS.accept, VERBS.decline, VERBS.acceptRisk, VERBS.remind])(
      "the %s button is refused",
      async (verb) => expectRefused(await click(where.client, verb, recData)),
    );

    it.each(Object.values(FORM_VERBS).filter((v) => v !== FORM_VERBS.directRequest))(
      "the %s form comes back refused",
      async (verb) => {
        const form = forms[verb]!;
        // A forger can name their own conversation in the set-up card's data too.
        const data =
          verb === FORM_VERBS.setup ? { ...form.data, conversationId: where.conversation } : form.data;
        const res = await click(where[form.side], verb, data);
        expect(noticeOf(invokeCard(res))).toMatch(REFUSED);
      },
    );

    it("Report as IT issue, submitted with A's partnership, comes back refused", async () => {
      const activity = messageAction(h, "invoke-submit-action-report-issue", {
        data: {
          partnershipId: h.partnershipId,
          timezone: "Europe/London",
          [FORM_KEY]: FORM_VERBS.issue,
          issue_title: "forged by message action",
        },
        overrides: {
          value: {
            messagePayload: { from: { user: { id: where.client.aad, displayName: where.client.name } } },
          },
        },
      });
      const res = await post(h, at(where, where.provider, activity));
      const body = res.body as { task: { type: string; value: { card: { content: Json } } } };
      expect(body.task.type).toBe("continue");
      expect(noticeOf(body.task.value.card.content)).toMatch(REFUSED);
    });

    it("Log direct request, submitted with A's partnership, is refused", async () => {
      const activity = messageAction(h, "invoke-submit-action-direct-request", {
        data: {
          partnershipId: h.partnershipId,
          [FORM_KEY]: FORM_VERBS.directRequest,
          direct_request_text: "forged",
        },
        overrides: {
          value: {
            messagePayload: { from: { user: { id: where.client.aad, displayName: where.client.name } } },
          },
        },
      });
      const res = await post(h, at(where, where.provider, activity));
      const body = res.body as { task: { type: string; value: string } };
      expect(body.task).toMatchObject({ type: "message", value: expect.stringMatching(REFUSED) });
    });

    it("the message actions' dialogs never offer A", async () => {
      const report = await post(
        h,
        at(where, where.provider, messageAction(h, "invoke-fetch-task-report-issue")),
      );
      const logged = await post(
        h,
        at(where, where.provider, messageAction(h, "invoke-fetch-task-direct-request")),
      );
      expect(report.text).not.toContain(h.partnershipId);
      expect(logged.text).not.toContain(h.partnershipId);
      if (where.conversation === B.chat) expect(report.text).toContain(partnershipB);
      else expect((report.body as { task: { value: string } }).task.value).toMatch(REFUSED);
    });
  });

  it("partnership A's record did not change: no event, member, link, setting or record", async () => {
    const after = await exportOfA();
    expect(after.events.map((e) => e.id)).toEqual(before.events.map((e) => e.id));
    expect(after).toEqual(before);
  });

  // Last: reading the database stops rapport.
  it("and the database holds no reminder and no event of A beyond those exported before", async () => {
    const { events, outbox } = await readDatabase(h, async ({ core }) => ({
      events: await core.ledger.events(h.partnershipId),
      outbox: await core.outbox.list({ partnershipId: h.partnershipId }),
    }));
    expect(events.map((e) => e.id)).toEqual(before.events.map((e) => e.id));
    // Only the cards of A's own issue and recommendation, posted before anything was forged.
    expect(outbox.map((o) => `${o.job} ${o.period}`).sort()).toEqual([
      `card issue:${String(issueData.issueId)}`,
      `card recommendation:${String(recData.recommendationId)}`,
    ]);
  });
});
