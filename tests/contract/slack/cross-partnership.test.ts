// The ids a card button, a menu or a form carries are claims: the place decides the partnership.
// Two partnerships in two workspaces; people of B send every button, menu and form of partnership
// A (with A's ids in them) from B's channel, from a channel linked to nothing, and from B's
// workspace naming A's channel id. Each is refused with a sentence, and A's record is unchanged.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readDatabase } from "../support/database.ts";
import { IDS, type RecordedCall } from "./support/fake-slack.ts";
import { seedPartnership, startSlackHarness, type SlackHarness } from "./support/harness.ts";
import { loadFixture, type Json, type JsonObject } from "./support/signed-request.ts";
import {
  buttonClick,
  buttonValue,
  command,
  interact,
  introduce,
  newTriggerId,
  newTs,
  openedView,
  priorityOptionValue,
  stateFromView,
  viewSubmission,
  waitForCard,
} from "./support/slack-kit.ts";

const B = { team: "T0BEE", clientTeam: "T0BEECLIENT", channel: "C0BEESUPPORT" };
const B_PEOPLE = {
  tech: { id: "U0BEETECH", team_id: B.team, name: "bea.tech" },
  owner: { id: "U0BEEOWNER", team_id: B.clientTeam, name: "bo.owner" },
};

/** Where a forged action comes from: a workspace (team) and a channel. */
interface Origin {
  team: string;
  channel: string;
}

const ORIGINS: [string, Origin][] = [
  ["B's support channel", { team: B.team, channel: B.channel }],
  ["a channel linked to no partnership", { team: B.team, channel: "C0NOWHERE" }],
  ["B's workspace naming A's channel id", { team: B.team, channel: IDS.channel }],
];

/** Every refusal says that nothing was recorded, or that the channel is not linked. */
const REFUSED = /nothing was recorded|not linked to a partnership/;

const pastMinute = () => Math.floor(Date.now() / 1000) - 3600;

/** What each form of partnership A is filled in with, so that only the claim can stop it. */
const FORMS: [string, Record<string, JsonObject>, "tech" | "owner"][] = [
  ["issue_form", { issue_title: { value: "forged issue" } }, "owner"],
  ["recommend_form", { rec_title: { value: "forged recommendation" } }, "tech"],
  ["call_form", { call_when: { selected_date_time: pastMinute() } }, "tech"],
  [
    "headsup_form",
    { headsup_what: { value: "forged change" }, headsup_when: { selected_date: "2030-01-07" } },
    "owner",
  ],
  ["direct_request_form", {}, "tech"],
  ["partnership_setup", { setup_name: { value: "Taken over" } }, "tech"],
];

type Pack = Record<string, unknown> & { events: { id: string }[] };

describe("Slack actions carrying another partnership's ids", () => {
  let h: SlackHarness & { seeded: { a: string; b: string } };
  let issueCard: RecordedCall;
  let recCard: RecordedCall;
  const views: Record<string, JsonObject> = {};
  let before: Pack;

  beforeAll(async () => {
    h = await startSlackHarness({
      seed: async (env) => ({
        a: (await seedPartnership(env)).partnershipId,
        b: (await seedPartnership(env, partnershipB())).partnershipId,
      }),
    });
    for (const p of Object.values(B_PEOPLE)) h.fake.setUser(p);
    // rapport learns each person's organisation the first time they use it (busy-slack.test.ts).
    await introduce(h, IDS.lead, IDS.owner);
    await command(h, { text: "p2 the shared drive is read-only" });
    issueCard = await waitForCard(h, "CLIENT-1");
    await command(h, { command: "/itpartner", text: "recommend Replace the firewall", user_id: IDS.lead });
    recCard = await h.fake.waitFor("chat.postMessage", (c) =>
      String(c.params.text).includes("Replace the firewall"),
    );
    // Every form of A, as A's own people open it (with A's ids in its metadata).
    views.issue_form = await opened({ text: "" });
    views.recommend_form = await opened({ command: "/itpartner", text: "recommend", user_id: IDS.lead });
    views.call_form = await opened({ command: "/itpartner", text: "call", user_id: IDS.lead });
    views.headsup_form = await opened({ command: "/itpartner", text: "headsup", user_id: IDS.owner });
    views.partnership_setup = await opened({ command: "/itpartner", text: "setup", user_id: IDS.owner });
    views.direct_request_form = await directRequestForm();
    for (const v of Object.values(views))
      expect(JSON.parse(String(v.private_metadata))).toMatchObject({ partnershipId: h.seeded.a });
    before = await exportOfA();
    expect(before.events.length).toBeGreaterThan(0);
  }, 120_000);
  afterAll(() => h?.stop());

  async function opened(overrides: Record<string, Json>): Promise<JsonObject> {
    const trigger = newTriggerId();
    const res = await command(h, { ...overrides, trigger_id: trigger });
    expect(res.status).toBe(200);
    return openedView(await h.fake.waitFor("views.open", (c) => c.params.trigger_id === trigger));
  }

  async function directRequestForm(): Promise<JsonObject> {
    const trigger = newTriggerId();
    const ts = newTs();
    await interact(
      h,
      loadFixture("message-action-shortcut", {
        callback_id: "log_direct_request",
        trigger_id: trigger,
        response_url: h.fake.responseUrl(),
        channel: { id: "D0TECHDM", name: "directmessage" },
        message_ts: ts,
        message: { ts, text: "Can you reset my VPN password?", user: IDS.staff },
      }),
    );
    return openedView(await h.fake.waitFor("views.open", (c) => c.params.trigger_id === trigger));
  }

  /** Partnership A's whole record, as its lead exports it. */
  async function exportOfA(): Promise<Pack> {
    const uploads = h.fake.calls("file_upload").length;
    const res = await command(h, { command: "/itpartner", text: "export", user_id: IDS.lead });
    expect((res.json() as { text: string }).text).toMatch(/^I am sending you the partnership's record/);
    await h.fake.waitFor("file_upload", () => h.fake.calls("file_upload").length > uploads);
    const upload = h.fake.calls("file_upload")[uploads]!;
    const { exportedAt: _, ...pack } = JSON.parse((upload.params.bytes as Buffer).toString("utf8")) as Pack;
    return pack as Pack;
  }

  /** A click as Slack sends it from `where`: the team and channel are the origin's, the value A's. */
  function from(where: Origin, payload: JsonObject): JsonObject {
    return {
      ...payload,
      team: { id: where.team, domain: "bee" },
      channel: { id: where.channel, name: "somewhere" },
      container: { ...(payload.container as JsonObject), channel_id: where.channel },
    };
  }

  async function expectClickRefused(payload: JsonObject): Promise<void> {
    const res = await interact(h, payload);
    expect(res.status).toBe(200);
    expect(res.body).toBe("");
    const reply = await h.fake.waitFor("response_url", (c) => String(payload.response_url).endsWith(c.path));
    expect(reply.params).toMatchObject({ response_type: "ephemeral", replace_original: false });
    expect(String(reply.params.text)).toMatch(REFUSED);
  }

  describe.each(ORIGINS)("from %s", (_origin, where) => {
    const click = (
      user: (typeof B_PEOPLE)["tech"],
      card: RecordedCall,
      actionId: string,
      valueOf = actionId,
    ) => from(where, buttonClick(h, { user, actionId, value: buttonValue(card, valueOf), card }));

    it.each(["issue_acknowledge", "issue_wait_on_client", "issue_resolve", "issue_reopen"])(
      "the %s button is refused",
      async (actionId) => {
        const valueOf = actionId === "issue_reopen" ? "issue_resolve" : actionId;
        await expectClickRefused(click(B_PEOPLE.tech, issueCard, actionId, valueOf));
      },
    );

    it("the priority menu is refused", async () => {
      const payload = loadFixture("block-actions-select", {
        user: { ...B_PEOPLE.tech, username: B_PEOPLE.tech.name },
        trigger_id: newTriggerId(),
        response_url: h.fake.responseUrl(),
        container: { message_ts: String((issueCard.response as { ts: string }).ts) },
        actions: [
          {
            type: "static_select",
            action_id: "issue_priority",
            block_id: "issue_actions",
            selected_option: {
              text: { type: "plain_text", text: "🔴 P1", emoji: true },
              value: priorityOptionValue(issueCard, "P1"),
            },
            action_ts: "1794819780.523456",
          },
        ],
      });
      await expectClickRefused(from(where, payload));
    });

    it.each([
      "recommendation_accept",
      "recommendation_decline",
      "recommendation_accept_risk",
      "recommendation_remind",
    ])("the %s button is refused", async (actionId) => {
      await expectClickRefused(click(B_PEOPLE.owner, recCard, actionId));
    });

    it.each(FORMS)("the %s form is refused under its first field", async (callbackId, change, who) => {
      const view = views[callbackId]!;
      const meta = JSON.parse(String(view.private_metadata)) as JsonObject;
      const forged = {
        ...view,
        team_id: where.team,
        private_metadata: JSON.stringify({ ...meta, channelId: where.channel }),
      };
      const payload = viewSubmission(forged, B_PEOPLE[who], stateFromView(view, change));
      const res = await interact(h, { ...payload, team: { id: where.team, domain: "bee" } });
      expect(res.status).toBe(200);
      const body = res.json() as { response_action: string; errors: Record<string, string> };
      expect(body.response_action).toBe("errors");
      expect(Object.values(body.errors)).toEqual([expect.stringMatching(REFUSED)]);
    });

    it("/itissue records in the partnership of the channel it was typed in, or nowhere", async () => {
      const typed = await command(h, {
        team_id: where.team,
        channel_id: where.channel,
        user_id: B_PEOPLE.owner.id,
        user_name: B_PEOPLE.owner.name,
        text: "forged issue by command",
      });
      const { text } = typed.json() as { text: string };
      if (where.channel === B.channel) expect(text).toMatch(/^Recorded \*(?!CLIENT-)[A-Z0-9]+-\d+\*/);
      else expect(text).toMatch(/^This channel is not linked to a partnership yet\./);

      const trigger = newTriggerId();
      const alone = await command(h, {
        team_id: where.team,
        channel_id: where.channel,
        user_id: B_PEOPLE.owner.id,
        user_name: B_PEOPLE.owner.name,
        text: "",
        trigger_id: trigger,
      });
      if (where.channel === B.channel) {
        const view = openedView(await h.fake.waitFor("views.open", (c) => c.params.trigger_id === trigger));
        expect(JSON.parse(String(view.private_metadata))).toMatchObject({ partnershipId: h.seeded.b });
      } else {
        expect((alone.json() as { text: string }).text).toMatch(REFUSED);
      }
    });
  });

  it("partnership A's record did not change: no event, member, link, setting or record", async () => {
    const after = await exportOfA();
    expect(after.events.map((e) => e.id)).toEqual(before.events.map((e) => e.id));
    expect(after).toEqual(before);
    expect(h.fake.calls("chat.update")).toHaveLength(0);
    expect(h.fake.calls("chat.scheduleMessage")).toHaveLength(0);
  });

  // Last: reading the database stops rapport.
  it("and the database holds no reminder and no event of A beyond those exported before", async () => {
    const { events, outbox } = await readDatabase(h, async ({ core }) => ({
      events: await core.ledger.events(h.seeded.a),
      outbox: await core.outbox.list({ partnershipId: h.seeded.a }),
    }));
    expect(events.map((e) => e.id)).toEqual(before.events.map((e) => e.id));
    // Only the cards of A's own issue and recommendation, posted when the test set A up.
    expect(outbox.filter((row) => row.job !== "card")).toEqual([]);
    expect(outbox.map((row) => row.period.split(":")[0]).sort()).toEqual(["issue", "recommendation"]);
  });
});

function partnershipB() {
  return {
    name: "Bee Co support",
    provider: "Bee IT",
    client: "Bee Co",
    providerWorkspaces: [B.team],
    channel: {
      id: B.channel,
      workspace: B.team,
      purposes: ["support", "digest"] as ("support" | "digest")[],
    },
    members: [
      {
        user: B_PEOPLE.tech.id,
        workspace: B.team,
        side: "provider" as const,
        role: "admin" as const,
        name: "Bea Tech",
      },
      {
        user: B_PEOPLE.owner.id,
        workspace: B.clientTeam,
        side: "client" as const,
        role: "admin" as const,
        name: "Bo Owner",
      },
    ],
  };
}
