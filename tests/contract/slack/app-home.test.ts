// App Home and the install lifecycle events with a single bot token: the home tab is published for
// the viewer with their partnerships; app_uninstalled and tokens_revoked are accepted quietly.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { IDS } from "./support/fake-slack.ts";
import { seedPartnership, startSlackHarness, type SlackHarness } from "./support/harness.ts";
import { command, event, openedView, settle, waitForCard } from "./support/slack-kit.ts";

describe("Slack App Home and install events (single workspace)", () => {
  let h: SlackHarness;
  beforeAll(async () => {
    h = await startSlackHarness({ seed: (env) => seedPartnership(env) });
  }, 60_000);
  afterAll(() => h?.stop());

  it("app_home_opened publishes the viewer's home tab with the partnership's name", async () => {
    const res = await event(h, "event-app-home-opened");
    expect(res.status).toBe(200);
    const publish = await h.fake.waitFor("views.publish", (c) => c.params.user_id === IDS.lead);
    expect(publish.token).toBe("xoxb-test");
    const view = openedView(publish);
    expect(view.type).toBe("home");
    const blocks = JSON.stringify(view.blocks);
    expect(blocks).toContain("Your IT partnerships");
    expect(blocks).toContain("Client Co support");
    expect((view.blocks as unknown[]).length).toBeLessThanOrEqual(100);
  });

  it("a client member opening the home in the client's workspace sees the partnership by membership", async () => {
    const res = await event(h, "event-app-home-opened", {
      team_id: IDS.clientTeam,
      context_team_id: IDS.clientTeam,
      event: { user: IDS.owner, channel: "D0OWNERHOME" },
    });
    expect(res.status).toBe(200);
    const publish = await h.fake.waitFor("views.publish", (c) => c.params.user_id === IDS.owner);
    expect(JSON.stringify(openedView(publish).blocks)).toContain("Client Co support");
  });

  it("someone of another workspace, in no partnership, is told how to join one", async () => {
    h.fake.setUser({ id: "U0STRANGER", team_id: "T0ELSEWHERE", name: "stranger" });
    const res = await event(h, "event-app-home-opened", {
      team_id: "T0ELSEWHERE",
      context_team_id: "T0ELSEWHERE",
      event: { user: "U0STRANGER" },
    });
    expect(res.status).toBe(200);
    const publish = await h.fake.waitFor("views.publish", (c) => c.params.user_id === "U0STRANGER");
    const blocks = JSON.stringify(openedView(publish).blocks);
    expect(blocks).toContain("You are not in any partnership yet");
    expect(blocks).not.toContain("Client Co support");
  });

  it("the messages tab of App Home publishes nothing", async () => {
    const before = h.fake.calls("views.publish").length;
    const res = await event(h, "event-app-home-opened", { event: { tab: "messages" } });
    expect(res.status).toBe(200);
    await settle(250);
    expect(h.fake.calls("views.publish")).toHaveLength(before);
  });

  it("app_uninstalled is accepted with 200 and calls nothing", async () => {
    const before = h.fake.calls().length;
    const res = await event(h, "event-app-uninstalled");
    expect(res.status).toBe(200);
    await settle(250);
    expect(h.fake.calls().slice(before)).toEqual([]);
  });

  it("tokens_revoked is accepted with 200 and calls nothing", async () => {
    const before = h.fake.calls().length;
    const res = await event(h, "event-tokens-revoked");
    expect(res.status).toBe(200);
    await settle(250);
    expect(h.fake.calls().slice(before)).toEqual([]);
  });

  it("the bot token keeps working afterwards (a single token is not purged by an event)", async () => {
    const res = await command(h, { text: "the VPN drops every hour" });
    expect(res.status).toBe(200);
    const card = await waitForCard(h, "CLIENT-1");
    expect(card.token).toBe("xoxb-test");
  });
});
