// `/itpartner <subcommand>` over HTTP: each subcommand's answer to Slack and the Web API calls
// it makes (modals, the recommendation card, the export's DM upload), and the refusals.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { IDS } from "./support/fake-slack.ts";
import { seedPartnership, startSlackHarness, type SlackHarness } from "./support/harness.ts";
import { loadFixture, sendCommand, type Json } from "./support/signed-request.ts";
import {
  actionIds,
  introduce,
  newTriggerId,
  openedView,
  settle,
  STILL_LOOKING,
  visibleText,
} from "./support/slack-kit.ts";

type Ephemeral = { response_type: string; text: string; blocks?: unknown[] };

describe("Slack /itpartner", () => {
  let h: SlackHarness;
  beforeAll(async () => {
    h = await startSlackHarness({ seed: (env) => seedPartnership(env) });
    // rapport learns each person's organisation the first time they use it (busy-slack.test.ts).
    await introduce(h, IDS.lead, IDS.tech, IDS.staff, IDS.owner);
  }, 60_000);
  afterAll(() => h?.stop());

  function partner(text: string, overrides: Record<string, Json> = {}) {
    const fields = loadFixture<Record<string, Json>>("slash-command-itpartner", {
      text,
      trigger_id: newTriggerId(),
      response_url: h.fake.responseUrl(),
      ...overrides,
    });
    return { trigger: String(fields.trigger_id), sent: sendCommand(h.baseUrl, h.signingSecret, fields) };
  }

  it("help: lists every subcommand ephemerally", async () => {
    const res = await partner("help").sent;
    expect(res.status).toBe(200);
    const body = res.json() as Ephemeral;
    expect(body.response_type).toBe("ephemeral");
    expect(body.text).toContain("help|status|recommend|call|headsup|setup|export");
    const blocks = JSON.stringify(body.blocks);
    for (const sub of ["help", "status", "recommend", "call", "headsup", "setup", "export"]) {
      expect(blocks).toContain(`/itpartner ${sub}`);
    }
  });

  it("with no text: answers with the help", async () => {
    const body = (await partner("").sent).json() as Ephemeral;
    expect(body).toMatchObject({ response_type: "ephemeral" });
    expect(body.text).toContain("rapport help");
  });

  it("status: the partnership's scorecard, ephemeral, posting nothing in the channel", async () => {
    const before = h.fake.calls("chat.postMessage").length;
    const res = await partner("status").sent;
    expect(res.status).toBe(200);
    const body = res.json() as Ephemeral;
    expect(body.response_type).toBe("ephemeral");
    expect(body.text).toMatch(/^Client Co support: provider \d+\/100, client \d+\/100$/);
    expect(JSON.stringify(body.blocks)).toContain("*Client Co support*: scorecard for");
    expect(h.fake.calls("chat.postMessage")).toHaveLength(before);
  });

  it("recommend <title>: records it, confirms ephemerally and posts the recommendation card", async () => {
    const res = await partner("recommend Turn on MFA for every mailbox").sent;
    expect(res.status).toBe(200);
    const body = res.json() as Ephemeral;
    expect(body.response_type).toBe("ephemeral");
    expect(body.text).toMatch(/^Recorded your recommendation: decide by \d{4}-\d{2}-\d{2}\.$/);
    const card = await h.fake.waitFor("chat.postMessage", (c) =>
      String(c.params.text).startsWith("Recommendation from Provider IT"),
    );
    expect(card.params.channel).toBe(IDS.channel);
    expect(card.params.text).toBe("Recommendation from Provider IT: Turn on MFA for every mailbox");
    expect(visibleText(card.params)).toContain("Waiting for the client's decision");
    expect(actionIds(card)).toEqual([
      "recommendation_accept",
      "recommendation_decline",
      "recommendation_accept_risk",
      "recommendation_remind",
    ]);
  });

  it("recommend <title> by a client member is refused and posts nothing", async () => {
    const before = h.fake.calls("chat.postMessage").length;
    const res = await partner("recommend Buy us lunch", { user_id: IDS.staff, user_name: "sam.staff" }).sent;
    expect(res.status).toBe(200);
    const body = res.json() as Ephemeral;
    expect(body.response_type).toBe("ephemeral");
    expect(body.text).toMatch(/provider/i);
    await settle(200);
    expect(h.fake.calls("chat.postMessage")).toHaveLength(before);
  });

  const owner = { user_id: IDS.owner, user_name: "olive.owner" };

  it.each([
    ["recommend", "recommend_form", {}],
    ["call", "call_form", {}],
    ["headsup", "headsup_form", {}],
    ["setup", "partnership_setup", owner],
  ])("%s (no text): opens the %s modal and answers an empty 200", async (sub, callbackId, by) => {
    const { trigger, sent } = partner(sub, by);
    const res = await sent;
    expect(res.status).toBe(200);
    expect(res.body).toBe("");
    const open = await h.fake.waitFor("views.open", (c) => c.params.trigger_id === trigger);
    expect(openedView(open)).toMatchObject({ type: "modal", callback_id: callbackId });
    const metadata = JSON.parse(String(openedView(open).private_metadata)) as Record<string, unknown>;
    expect(metadata).toMatchObject({ channelId: IDS.channel, partnershipId: expect.any(String) });
  });

  it("setup prefills the linked partnership's name and people for its admin", async () => {
    const { trigger, sent } = partner("setup", owner);
    await sent;
    const open = await h.fake.waitFor("views.open", (c) => c.params.trigger_id === trigger);
    const view = JSON.stringify(openedView(open));
    expect(view).toContain('"initial_value":"Client Co support"');
    expect(view).toContain('"initial_users":["U0TECH","U0LEAD"]');
    expect(view).toContain('"initial_users":["U0STAFF","U0OWNER"]');
  });

  it("setup by a member who is not an admin is refused and opens nothing", async () => {
    const { trigger, sent } = partner("setup");
    expect((await sent).json()).toEqual({
      response_type: "ephemeral",
      text: "Only an admin of Client Co support can change its set-up. Ask one of its admins to do it, or to make you an admin.",
    });
    await settle(200);
    expect(h.fake.calls("views.open").filter((c) => c.params.trigger_id === trigger)).toHaveLength(0);
  });

  it("export by a lead: answers at once, then opens a DM with them and uploads the record there", async () => {
    const res = await partner("export").sent;
    expect(res.status).toBe(200);
    expect(res.json()).toEqual({
      response_type: "ephemeral",
      text: "I am sending you the partnership's record as a file in a direct message.",
    });
    await h.fake.waitFor("files.completeUploadExternal");
    const dm = h.fake.calls("conversations.open").at(-1)!;
    expect(dm.params.users).toBe(IDS.lead);
    const dmChannel = (dm.response as { channel: { id: string } }).channel.id;
    const url = h.fake.calls("files.getUploadURLExternal").at(-1)!;
    expect(String(url.params.filename)).toMatch(/^rapport-.+-export\.json$/);
    const upload = h.fake.calls("file_upload").at(-1)!;
    const pack = JSON.parse((upload.params.bytes as Buffer).toString("utf8")) as {
      events: unknown[];
      issues: unknown[];
    };
    expect(Array.isArray(pack.events)).toBe(true);
    const done = h.fake.calls("files.completeUploadExternal").at(-1)!;
    expect(done.params.channel_id).toBe(dmChannel);
    expect(done.params.files).toEqual([{ id: upload.params.file_id, title: expect.any(String) }]);
    expect((done.response as { ok: boolean }).ok).toBe(true);
  });

  it("export by a member who is neither admin nor lead is refused, and nothing is uploaded", async () => {
    const opened = h.fake.calls("conversations.open").length;
    const uploads = h.fake.calls("files.getUploadURLExternal").length;
    const res = await partner("export", { user_id: IDS.tech, user_name: "tess.tech" }).sent;
    expect(res.status).toBe(200);
    expect(res.json()).toEqual({
      response_type: "ephemeral",
      text: "Only an admin or lead of this partnership can export its record. Ask one of them.",
    });
    await settle(200);
    expect(h.fake.calls("conversations.open")).toHaveLength(opened);
    expect(h.fake.calls("files.getUploadURLExternal")).toHaveLength(uploads);
  });

  it("an unknown subcommand says so and shows the usage", async () => {
    const res = await partner("frobnicate now").sent;
    expect(res.status).toBe(200);
    const body = res.json() as Ephemeral;
    expect(body.response_type).toBe("ephemeral");
    expect(body.text).toMatch(/^There is no `\/itpartner frobnicate`\./);
    expect(body.text).toContain("help|status|recommend|call|headsup|setup|export");
  });

  it("status in an unlinked channel shows the person's own partnerships", async () => {
    const body = (await partner("status", { channel_id: "C0NOWHERE" }).sent).json() as Ephemeral;
    expect(body.response_type).toBe("ephemeral");
    expect(body.text).toMatch(/^Client Co support: provider \d+\/100, client \d+\/100$/);
  });

  it("status in an unlinked channel, by someone in no partnership, explains how to link it", async () => {
    // A Slack Connect guest of another organisation: the command's team_id is the place's workspace.
    h.fake.setUser({ id: "U0STRANGER", team_id: "T0ELSEWHERE", name: "stranger" });
    const stranger = { channel_id: "C0NOWHERE", user_id: "U0STRANGER", user_name: "stranger" };
    // The first time, rapport does not take them for one of the place's workspace: it asks Slack.
    const first = await partner("status", stranger).sent;
    expect(first.status).toBe(200);
    expect(first.json()).toEqual({ response_type: "ephemeral", text: STILL_LOOKING });
    await h.fake.waitFor("users.info", (c) => c.params.user === "U0STRANGER");
    await settle(50);
    const res = await partner("status", stranger).sent;
    expect(res.status).toBe(200);
    const body = res.json() as Ephemeral;
    expect(body.response_type).toBe("ephemeral");
    expect(body.text).toContain("/itpartner setup");
  });
});
