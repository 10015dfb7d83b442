import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Core } from "../../src/services/core.ts";
import { Rapport } from "../../src/services/rapport.ts";
import { backend, openTestCore } from "./support/test-store.ts";

describe(`message links and conversations on ${backend}`, () => {
  let core: Core;
  let dispose: () => Promise<void>;
  let partnershipId: string;
  const issueId = "6f0c2a54-8f55-4c8c-9f0a-3c3c0a9a7e01";

  beforeAll(async () => {
    const t = await openTestCore();
    core = t.core;
    dispose = t.store.dispose;
    partnershipId = (await core.partnerships.create({ name: "Links", providerOrg: "P", clientOrg: "Acme" }))
      .id;
  });
  afterAll(() => dispose());

  it("finds an issue from its source message or its card, and lists the cards to redraw", async () => {
    const base = {
      platform: "slack" as const,
      workspaceId: "T1",
      channelId: "C1",
      partnershipId,
      subjectId: issueId,
    };
    await core.messages.remember({ ...base, messageId: "100.1", kind: "source" });
    await core.messages.remember({ ...base, messageId: "100.2", kind: "card" });
    // A message keeps its first link.
    await core.messages.remember({
      ...base,
      messageId: "100.2",
      kind: "source",
      subjectId: "6f0c2a54-8f55-4c8c-9f0a-3c3c0a9a7e02",
    });
    expect(await core.messages.find("slack", "T1", "C1", "100.2")).toMatchObject({
      subjectId: issueId,
      kind: "card",
    });
    expect(await core.messages.find("slack", "T1", "C1", "999.9")).toBeNull();
    expect((await core.messages.ofSubject(partnershipId, issueId)).map((l) => l.messageId)).toEqual([
      "100.1",
      "100.2",
    ]);
  });

  it("reaches a person or a channel through its latest reference until it is gone", async () => {
    const ref = { conversation: { id: "a:1" }, serviceUrl: "https://smba.example/" };
    await core.conversations.remember({
      platform: "teams",
      conversationId: "a:1",
      workspaceId: "tenant",
      kind: "personal",
      targetId: "aad-user",
      reference: ref,
    });
    expect(await core.conversations.reach("teams", "tenant", "aad-user")).toMatchObject({
      conversationId: "a:1",
      reference: ref,
    });
    await core.conversations.markGone("teams", "tenant", "a:1", new Date());
    expect(await core.conversations.reach("teams", "tenant", "aad-user")).toBeNull();
    await core.conversations.remember({
      platform: "teams",
      conversationId: "a:1",
      workspaceId: "tenant",
      kind: "personal",
      targetId: "aad-user",
      reference: ref,
    });
    expect(await core.conversations.reach("teams", "tenant", "aad-user")).not.toBeNull();
  });

  it("keeps a channel's reference per tenant: another tenant naming the channel neither replaces nor forgets it", async () => {
    // A channel id is no secret: an activity of another tenant can name it.
    const rapport = new Rapport(core);
    const channel = "19:shared0channel@thread.tacv2";
    const own = {
      serviceUrl: "https://smba.example/emea/",
      conversation: { id: channel, tenantId: "tenant-a" },
    };
    const other = {
      serviceUrl: "https://smba.example/amer/",
      conversation: { id: channel, tenantId: "tenant-b" },
    };
    const remember = (workspaceId: string, reference: unknown) =>
      rapport.rememberConversation({
        platform: "teams",
        conversationId: channel,
        workspaceId,
        kind: "channel",
        targetId: channel,
        reference,
      });
    await remember("tenant-a", own);
    await remember("tenant-b", other);
    expect((await rapport.conversationFor("teams", "tenant-a", channel))?.reference).toEqual(own);
    expect((await rapport.conversationFor("teams", "tenant-b", channel))?.reference).toEqual(other);
    await rapport.conversationGone("teams", "tenant-b", channel);
    expect((await rapport.conversationFor("teams", "tenant-a", channel))?.reference).toEqual(own);
    expect(await rapport.conversationFor("teams", "tenant-b", channel)).toBeNull();
    expect((await rapport.conversationsSharedIn("teams", "tenant-a")).map((c) => c.reference)).toEqual([own]);
  });
});
