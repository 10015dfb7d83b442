// `export`: an admin or lead gets the partnership's whole record as a file. Teams hands files to a
// person only in their personal chat and after they allow it, so rapport opens that chat (a new
// conversation on the connector), sends a file consent card there, and on "Allow" (a
// fileConsent/invoke) writes the record to the upload URL Teams gave and posts the file's card.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTeamsHarness, type TeamsHarness } from "./support/harness.ts";
import { IDS, PEOPLE, type TeamsPerson } from "./support/teams-ids.ts";
import {
  channelMessage,
  loadFixture,
  newInvokeId,
  personalMessage,
  post,
  textsIn,
} from "./support/teams-kit.ts";

type Json = Record<string, unknown>;
const FILE_CONSENT = "application/vnd.microsoft.teams.card.file.consent";
const FILE_INFO = "application/vnd.microsoft.teams.card.file.info";
const FILE_NAME = "rapport-client-export.json";

describe("Teams `export`", () => {
  let h: TeamsHarness;
  beforeAll(async () => {
    h = await startTeamsHarness();
    // Its card is queued: posted before the tests count what rapport sends.
    await post(h, channelMessage(h, "issue printer jammed p2"));
    await h.connector.waitForPosted(0);
  }, 60_000);
  afterAll(() => h?.stop());

  /** A person's answer to the consent card, in their personal chat with rapport. */
  function consentAnswer(
    from: TeamsPerson,
    action: "accept" | "decline",
    opts: { partnershipId?: string; uploadUrl?: string } = {},
  ): Json {
    const activity = loadFixture("message-personal", {
      id: newInvokeId(),
      serviceUrl: h.connector.url,
      from: { id: from.id, name: from.name, aadObjectId: from.aad },
      conversation: { tenantId: from.tenant },
      channelData: { tenant: { id: from.tenant } },
      text: undefined,
      textFormat: undefined,
    });
    return {
      ...activity,
      type: "invoke",
      name: "fileConsent/invoke",
      value: {
        type: "fileUpload",
        action,
        context: { partnershipId: opts.partnershipId ?? h.partnershipId },
        ...(action === "accept"
          ? {
              uploadInfo: {
                name: FILE_NAME,
                uploadUrl: opts.uploadUrl ?? h.connector.uploadUrl(FILE_NAME),
                contentUrl: `https://provider.sharepoint.com/personal/lee/Documents/Applications/${FILE_NAME}`,
                uniqueId: "1150D938-8870-4044-9F2C-5BBDEBA70C9D",
                fileType: "json",
              },
            }
          : {}),
      },
    };
  }

  it("by a lead in the partnership's channel: opens their personal chat with a file consent card for the record", async () => {
    const before = h.connector.count;
    expect((await post(h, channelMessage(h, "export", { from: PEOPLE.lead }))).status).toBe(200);
    const calls = h.connector.calls().slice(before);
    const created = calls.find((c) => c.kind === "create");
    expect(created?.body).toMatchObject({
      isGroup: false,
      members: [{ id: IDS.lead.id }],
      tenantId: IDS.providerTenant,
    });
    const newChat = (created!.response as { id: string }).id;
    const consent = calls.find((c) => c.kind === "send" && c.conversationId === newChat);
    expect(consent?.body.attachments).toEqual([
      {
        contentType: FILE_CONSENT,
        name: FILE_NAME,
        content: {
          description: expect.stringMatching(
            /^The whole record of Client Co support: \d+ events, 1 issues\.$/,
          ),
          sizeInBytes: expect.any(Number),
          acceptContext: { partnershipId: h.partnershipId },
          declineContext: { partnershipId: h.partnershipId },
        },
      },
    ]);
    expect(textsIn(h.connector.posted(before))).toContain(
      "I sent you the partnership's record in our personal chat: allow the file there to download it.",
    );
  });

  it("by a technician is refused with whom to ask, and nothing is offered", async () => {
    const before = h.connector.count;
    await post(h, channelMessage(h, "export", { from: PEOPLE.tech }));
    expect(
      h.connector
        .calls()
        .slice(before)
        .map((c) => c.kind),
    ).toEqual(["reply"]);
    expect(textsIn(h.connector.posted(before))).toEqual([
      "Only an admin or lead of this partnership can export its record. Ask one of them.",
    ]);
  });

  it("in a personal chat, says where to send it", async () => {
    const before = h.connector.count;
    await post(h, personalMessage(h, "export", PEOPLE.lead));
    expect(textsIn(h.connector.posted(before))).toEqual([
      "Send `export` in the partnership's channel or chat; I will send you its record here.",
    ]);
  });

  it("Allow: the record is written to the upload URL and its file card posted in the chat", async () => {
    const before = h.connector.count;
    const res = await post(h, consentAnswer(PEOPLE.lead, "accept"));
    expect(res.status).toBe(200);
    const calls = h.connector.calls().slice(before);
    const upload = calls.find((c) => c.kind === "upload");
    expect(upload?.method).toBe("PUT");
    const pack = upload!.body as {
      partnership: { id: string; name: string };
      members: unknown[];
      issues: { title: string }[];
    };
    expect(pack.partnership).toMatchObject({ id: h.partnershipId, name: "Client Co support" });
    expect(pack.members).toHaveLength(5);
    expect(pack.issues.map((i) => i.title)).toEqual(["printer jammed"]);
    const [card] = h.connector.posted(before);
    expect(card!.conversationId).toBe(IDS.techPersonalChat);
    expect(card!.body.attachments).toEqual([
      {
        contentType: FILE_INFO,
        contentUrl: expect.stringContaining(FILE_NAME),
        name: FILE_NAME,
        content: { uniqueId: "1150D938-8870-4044-9F2C-5BBDEBA70C9D", fileType: "json" },
      },
    ]);
  });

  it("Allow by someone with no standing in the claimed partnership is refused and uploads nothing", async () => {
    const before = h.connector.count;
    await post(h, consentAnswer(PEOPLE.stranger, "accept"));
    expect(
      h.connector
        .calls()
        .slice(before)
        .some((c) => c.kind === "upload"),
    ).toBe(false);
    expect(textsIn(h.connector.posted(before))).toEqual([
      expect.stringMatching(/^You are not part of that partnership, so nothing was recorded\./),
    ]);
  });

  it("Allow with an upload URL that is not Teams' (plain http elsewhere) uploads nothing; Decline says so", async () => {
    const before = h.connector.count;
    await post(h, consentAnswer(PEOPLE.lead, "accept", { uploadUrl: "http://files.example.com/x.json" }));
    await post(h, consentAnswer(PEOPLE.lead, "decline"));
    expect(
      h.connector
        .calls()
        .slice(before)
        .some((c) => c.kind === "upload"),
    ).toBe(false);
    expect(textsIn(h.connector.posted(before))).toEqual([
      "Teams did not say where to put the file; send `export` again.",
      "All right, I did not send the file.",
    ]);
  });
});
