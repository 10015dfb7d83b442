// The many-workspace set-up: installing through OAuth stores the workspace's token (encrypted),
// events are authorized with it, and app_uninstalled forgets it.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { IDS } from "./support/fake-slack.ts";
import { startSlackHarness, type SlackHarness } from "./support/harness.ts";
import { event, settle } from "./support/slack-kit.ts";

const INSTALLED_TOKEN = "xoxb-17653672481-19874698323-pdFZKVeTuE8sk7oOcBrzbqgy";

describe("Slack OAuth installs", () => {
  let h: SlackHarness;
  let location: URL;
  let cookie: string;
  beforeAll(async () => {
    h = await startSlackHarness({
      env: {
        SLACK_BOT_TOKEN: undefined,
        SLACK_CLIENT_ID: "123.456",
        SLACK_CLIENT_SECRET: "secret",
        SLACK_STATE_SECRET: "state-secret-123",
        RAPPORT_ENCRYPTION_KEY: "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff",
      },
    });
  }, 60_000);
  afterAll(() => h?.stop());

  it("GET /slack/install redirects to Slack's authorize page with the client id and the bot scopes", async () => {
    const res = await fetch(`${h.baseUrl}/slack/install`, { redirect: "manual" });
    expect(res.status).toBe(302);
    location = new URL(res.headers.get("location")!);
    expect(`${location.origin}${location.pathname}`).toBe("https://slack.com/oauth/v2/authorize");
    expect(location.searchParams.get("client_id")).toBe("123.456");
    expect(location.searchParams.get("scope")!.split(",").sort()).toEqual(
      [
        "channels:history",
        "chat:write",
        "commands",
        "files:write",
        "groups:history",
        "im:write",
        "im:history",
        "reactions:read",
        "users:read",
      ].sort(),
    );
    expect(location.searchParams.get("state")).toBeTruthy();
    cookie = (res.headers.get("set-cookie") ?? "").split(";")[0]!;
    expect(cookie).toMatch(/^slack-app-oauth-state=/);
  });

  it("app_uninstalled for a team with no install is answered without a crash", async () => {
    const res = await event(h, "event-app-uninstalled", {
      team_id: "T0NOINSTALL",
      context_team_id: "T0NOINSTALL",
      authorizations: [
        {
          enterprise_id: null,
          team_id: "T0NOINSTALL",
          user_id: "U0BOT",
          is_bot: true,
          is_enterprise_install: false,
        },
      ],
    });
    expect(res.status).toBe(200);
    expect((await fetch(`${h.baseUrl}/healthz`)).status).toBe(200);
  });

  it("an event from a workspace that never installed rapport is taken in (200), then dropped: it calls nothing", async () => {
    const before = h.fake.calls().length;
    const res = await event(h, "event-app-home-opened");
    // Events are acknowledged once stored (event-intake.ts); authorization comes when it is processed.
    expect(res.status).toBe(200);
    await settle(250);
    expect(
      h.fake
        .calls()
        .slice(before)
        .map((c) => c.method),
    ).toEqual([]);
  });

  it("the OAuth redirect exchanges the code with Slack and stores the install", async () => {
    const state = location.searchParams.get("state")!;
    const res = await fetch(
      `${h.baseUrl}/slack/oauth_redirect?code=the-code&state=${encodeURIComponent(state)}`,
      {
        headers: { cookie },
        redirect: "manual",
      },
    );
    expect(res.status).toBeLessThan(400);
    const exchange = await h.fake.waitFor("oauth.v2.access");
    expect(exchange.params).toMatchObject({
      code: "the-code",
      client_id: "123.456",
      client_secret: "secret",
    });
  });

  it("events from the installed workspace are authorized with its stored token", async () => {
    const res = await event(h, "event-app-home-opened");
    expect(res.status).toBe(200);
    const publish = await h.fake.waitFor("views.publish", (c) => c.params.user_id === IDS.lead);
    expect(publish.token).toBe(INSTALLED_TOKEN);
  });

  it("app_uninstalled forgets the install: the workspace's next event is dropped", async () => {
    const uninstalled = await event(h, "event-app-uninstalled");
    expect(uninstalled.status).toBe(200);
    const publishes = h.fake.calls("views.publish").length;
    const res = await event(h, "event-app-home-opened");
    expect(res.status).toBe(200);
    await settle(250);
    expect(h.fake.calls("views.publish")).toHaveLength(publishes);
  });
});
