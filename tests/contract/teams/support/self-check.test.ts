// Checks the Teams contract kit itself, without rapport: the fixtures are shaped like Teams'
// payloads and agree with teams-ids.ts and the adapter's names, and the fake connector answers
// and fails like the Bot Framework connector's REST API.
import { readdirSync } from "node:fs";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { MESSAGE_ACTIONS, VERBS } from "../../../../adapters/teams/ids.ts";
import { startFakeConnector, type FakeConnector } from "./fake-connector.ts";
import { IDS } from "./teams-ids.ts";
import { loadFixture } from "./teams-kit.ts";

const FIXTURES = readdirSync(new URL("../../../fixtures/teams/", import.meta.url))
  .filter((f) => f.endsWith(".json"))
  .map((f) => f.replace(/\.json$/, ""));

type Activity = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- fixtures are read field by field

describe("Teams fixtures", () => {
  it.each(FIXTURES)("%s is a Teams activity addressed to the fixtures' bot in a known tenant", (name) => {
    const a = loadFixture(name) as Activity;
    expect(a.channelId).toBe("msteams");
    expect(a.serviceUrl).toBe(IDS.serviceUrl);
    expect(a.recipient).toEqual({ id: IDS.bot, name: IDS.botName });
    expect(a.from.id).toMatch(/^29:/);
    expect(a.from.aadObjectId).toMatch(/^[0-9a-f-]{36}$/);
    expect([IDS.providerTenant, IDS.clientTenant]).toContain(a.channelData.tenant.id);
    expect(a.conversation.tenantId).toBe(a.channelData.tenant.id);
    expect(["channel", "groupChat", "personal"]).toContain(a.conversation.conversationType);
    if (a.conversation.conversationType === "channel") {
      expect(a.conversation.isGroup).toBe(true);
      expect(a.conversation.id).toMatch(/^19:[^;]+@thread\.tacv2(;messageid=\d+)?$/);
      expect(a.channelData.team.id).toBe(IDS.team);
    }
  });

  it("the channel message has the bot's mention entity, the channel and team, and a ;messageid= conversation", () => {
    const a = loadFixture("message-channel-mention") as Activity;
    expect(a.text).toMatch(/^<at>rapport<\/at> issue /);
    expect(a.entities[0]).toEqual({
      type: "mention",
      mentioned: { id: IDS.bot, name: IDS.botName },
      text: "<at>rapport</at>",
    });
    expect(a.channelData.channel).toEqual({ id: IDS.supportChannel, name: IDS.supportChannelName });
    expect(a.channelData.team).toMatchObject({
      id: IDS.team,
      name: IDS.teamName,
      aadGroupId: IDS.teamAadGroupId,
    });
    expect(a.conversation.id).toBe(`${IDS.supportChannel};messageid=${a.id}`);
  });

  it("the personal and group chats are the fixtures' conversations", () => {
    expect((loadFixture("message-personal") as Activity).conversation.id).toBe(IDS.techPersonalChat);
    expect((loadFixture("message-group-chat") as Activity).conversation.id).toBe(IDS.groupChat);
  });

  it("install, remove and bot-added events name the team (or the personal chat)", () => {
    expect(loadFixture("installation-update-add-team")).toMatchObject({
      type: "installationUpdate",
      action: "add",
    });
    expect(loadFixture("installation-update-remove-team")).toMatchObject({
      type: "installationUpdate",
      action: "remove",
    });
    expect(loadFixture("installation-update-add-personal")).toMatchObject({
      conversation: { id: IDS.techPersonalChat },
    });
    expect(loadFixture("installation-update-remove-personal")).toMatchObject({ action: "remove" });
    const added = loadFixture("conversation-update-bot-added") as Activity;
    expect(added.membersAdded).toEqual([{ id: IDS.bot }]);
    expect(added.channelData.eventType).toBe("teamMemberAdded");
  });

  it("invokes use the adapter's names and carry Teams' value shapes", () => {
    const card = loadFixture("invoke-adaptive-card-action") as Activity;
    expect(card).toMatchObject({ type: "invoke", name: "adaptiveCard/action", value: { trigger: "manual" } });
    expect(card.value.action.type).toBe("Action.Execute");
    expect(Object.values(VERBS)).toContain(card.value.action.verb);
    for (const name of FIXTURES.filter((f) => f.includes("fetch-task") || f.includes("submit-action"))) {
      const a = loadFixture(name) as Activity;
      expect(a.name).toBe(
        name.includes("fetch-task") ? "composeExtension/fetchTask" : "composeExtension/submitAction",
      );
      expect(Object.values(MESSAGE_ACTIONS)).toContain(a.value.commandId);
      expect(a.value.commandContext).toBe("message");
      expect(a.value.messagePayload).toMatchObject({
        id: expect.stringMatching(/^\d+$/),
        createdDateTime: expect.any(String),
        from: { user: { id: expect.stringMatching(/^[0-9a-f-]{36}$/), displayName: expect.any(String) } },
        body: { contentType: "html", content: expect.stringMatching(/^<p>/) },
      });
    }
  });
});

describe("the fake connector", () => {
  let fake: FakeConnector;
  beforeAll(async () => {
    fake = await startFakeConnector();
  });
  afterAll(() => fake?.close());
  beforeEach(() => fake.reset());

  const conversation = `${IDS.supportChannel};messageid=1717403472431`;
  const message = { type: "message", text: "hello" };
  /** Calls the connector's REST API the way botframework-connector does (ids URL-encoded). */
  async function call(method: "POST" | "PUT", conversationId: string, activityId?: string) {
    const path = `v3/conversations/${encodeURIComponent(conversationId)}/activities${activityId ? `/${encodeURIComponent(activityId)}` : ""}`;
    const res = await fetch(new URL(path, fake.url), {
      method,
      headers: { "content-type": "application/json", authorization: "Bearer test-token" },
      body: JSON.stringify(message),
    });
    return {
      status: res.status,
      retryAfter: res.headers.get("retry-after"),
      body: (await res.json()) as { id?: string },
    };
  }

  it("records sends, replies and updates with the decoded conversation and the Authorization header, and answers ids", async () => {
    const sent = await call("POST", IDS.supportChannel);
    const reply = await call("POST", conversation, "1717403472431");
    const updated = await call("PUT", conversation, "1717403473000");
    expect([sent.status, reply.status, updated.status]).toEqual([201, 201, 200]);
    expect(sent.body.id).toMatch(/^fake-/);
    expect(reply.body.id).toMatch(/^fake-/);
    expect(reply.body.id).not.toBe(sent.body.id);
    expect(updated.body.id).toBe("1717403473000");
    expect(fake.calls().map((c) => [c.kind, c.conversationId, c.activityId])).toEqual([
      ["send", IDS.supportChannel, null],
      ["reply", conversation, "1717403472431"],
      ["update", conversation, "1717403473000"],
    ]);
    expect(fake.posted().map((c) => c.body.text)).toEqual(["hello", "hello"]);
    expect(fake.calls()[0]!.authorization).toBe("Bearer test-token");
  });

  it("fails the next call (or the next few) with the status asked for, then answers again", async () => {
    fake.failNext({ status: 403 });
    fake.failNext({ status: 429, retryAfter: 3, times: 2 });
    const results = [];
    for (let i = 0; i < 4; i++) results.push(await call("POST", IDS.supportChannel));
    expect(results.map((r) => [r.status, r.retryAfter])).toEqual([
      [403, null],
      [429, "3"],
      [429, "3"],
      [201, null],
    ]);
    expect(fake.calls().map((c) => c.status)).toEqual([403, 429, 429, 201]);
  });

  it("an unknown route is a 404, recorded as `other`", async () => {
    const res = await fetch(new URL("v3/teams/19%3Ax/conversations", fake.url));
    expect(res.status).toBe(404);
    expect(fake.calls().map((c) => c.kind)).toEqual(["other"]);
  });
});
