import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Core } from "../../src/services/core.ts";
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
    await core.conversations.markGone("teams", "a:1", new Date());
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
});
