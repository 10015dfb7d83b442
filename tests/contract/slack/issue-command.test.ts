// `/itissue` over HTTP: recording with text, the modal without, unlinked channels, double
// delivery, and escaping of what the reporter typed.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { IDS } from "./support/fake-slack.ts";
import { seedPartnership, startSlackHarness, type SlackHarness } from "./support/harness.ts";
import {
  actionIds,
  command,
  issueCardPosts,
  newTriggerId,
  openedView,
  postedIssueKeys,
  settle,
  visibleText,
  waitForCard,
} from "./support/slack-kit.ts";

describe("Slack /itissue", () => {
  let h: SlackHarness;
  beforeAll(async () => {
    h = await startSlackHarness({ seed: (env) => seedPartnership(env) });
  }, 60_000);
  afterAll(() => h?.stop());

  it("with text: answers 200 with an ephemeral confirmation naming the key and posts the card in C0SUPPORT", async () => {
    const res = await command(h, { text: "p2 printer on floor 2 is jammed since 9am" });
    expect(res.status).toBe(200);
    const body = res.json() as { response_type: string; text: string };
    expect(body.response_type).toBe("ephemeral");
    expect(body.text).toMatch(/^Recorded \*CLIENT-1\*: printer on floor 2 is jammed/);
    expect(body.text).toContain("(P2, started");

    const card = await waitForCard(h, "CLIENT-1");
    expect(card.params.channel).toBe(IDS.channel);
    expect(card.params.thread_ts).toBeUndefined();
    expect(card.token).toBe("xoxb-test");
    expect(card.params.text).toBe("CLIENT-1 [P2] printer on floor 2 is jammed: 🔵 Open");
    expect(visibleText(card.params)).toContain("CLIENT-1 · printer on floor 2 is jammed");
    expect(actionIds(card)).toEqual([
      "issue_acknowledge",
      "issue_wait_on_client",
      "issue_resolve",
      "issue_priority",
    ]);
    // The confirmation is the command's answer: nothing else goes to the reporter.
    expect(h.fake.calls("chat.postEphemeral")).toHaveLength(0);
  });

  it("alone: opens the issue modal with the trigger_id and answers an empty 200", async () => {
    const trigger = newTriggerId();
    const res = await command(h, { text: "", trigger_id: trigger });
    expect(res.status).toBe(200);
    expect(res.body).toBe("");
    const open = await h.fake.waitFor("views.open", (c) => c.params.trigger_id === trigger);
    const view = openedView(open);
    expect(view).toMatchObject({ type: "modal", callback_id: "issue_form" });
    expect(JSON.parse(String(view.private_metadata))).toEqual({
      partnershipId: expect.any(String),
      channelId: IDS.channel,
    });
  });

  it("in a channel linked to no partnership: explains how to link one and posts nothing", async () => {
    const before = h.fake.calls("chat.postMessage").length;
    const opened = h.fake.calls("views.open").length;
    const res = await command(h, {
      channel_id: "C0NOWHERE",
      channel_name: "random",
      text: "the VPN is down",
    });
    expect(res.status).toBe(200);
    const body = res.json() as { response_type: string; text: string };
    expect(body.response_type).toBe("ephemeral");
    expect(body.text).toContain("/itpartner setup");
    await settle();
    expect(h.fake.calls("chat.postMessage")).toHaveLength(before);
    expect(h.fake.calls("views.open")).toHaveLength(opened);
  });

  it("alone in an unlinked channel: explains instead of opening the modal", async () => {
    const trigger = newTriggerId();
    const res = await command(h, { channel_id: "C0NOWHERE", text: "", trigger_id: trigger });
    expect(res.status).toBe(200);
    expect((res.json() as { text: string }).text).toContain("/itpartner setup");
    await settle(200);
    expect(h.fake.calls("views.open").filter((c) => c.params.trigger_id === trigger)).toHaveLength(0);
  });

  it("the same command delivered twice (same trigger_id) records one issue and posts one card", async () => {
    const trigger = newTriggerId();
    const first = await command(h, { text: "email bounces for everyone", trigger_id: trigger });
    const second = await command(h, { text: "email bounces for everyone", trigger_id: trigger });
    expect(first.status).toBe(200);
    expect(second.status).toBe(200);
    const key = /\*(CLIENT-\d+)\*/.exec((first.json() as { text: string }).text)?.[1];
    expect(key).toBeDefined();
    // The redelivery is answered with the same issue, not a new one.
    expect((second.json() as { text: string }).text).toContain(`*${key}*`);
    await waitForCard(h, key!);
    await settle();
    expect(issueCardPosts(h, key!)).toHaveLength(1);

    // The next issue gets the next key: the duplicate did not take one.
    const next = await command(h, { text: "wifi in the meeting room drops" });
    const nextKey = /\*(CLIENT-\d+)\*/.exec((next.json() as { text: string }).text)?.[1];
    expect(Number(nextKey!.split("-")[1])).toBe(Number(key!.split("-")[1]) + 1);
    await waitForCard(h, nextKey!);
    expect(new Set(postedIssueKeys(h)).size).toBe(postedIssueKeys(h).length);
  });

  it("reads mentions in the title as words: the card shows @channel and pings nobody", async () => {
    const res = await command(h, { text: "<!channel> printer <@U0LEAD> is down" });
    expect(res.status).toBe(200);
    const body = res.json() as { text: string };
    expect(body.text).not.toContain("<!channel>");
    expect(body.text).not.toContain("<@U0LEAD>");
    const key = /\*(CLIENT-\d+)\*/.exec(body.text)?.[1];
    const card = await waitForCard(h, key!);
    const texts = visibleText(card.params);
    // Lee's name is not known yet (nobody asked Slack about him), so he reads as his user id.
    expect(texts).toContain("@channel printer @U0LEAD is down");
    expect(texts).not.toContain("<!channel>");
    expect(texts).not.toContain("<@U0LEAD>");
    expect(String(card.params.text)).toContain("@channel printer");
  });
});
