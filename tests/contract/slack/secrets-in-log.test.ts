// At the most talkative log level, an OAuth install and the calls made with the stored token
// leave no credential in the log: Slack's SDKs write request bodies and results as plain strings,
// which rapport scrubs by pattern before they are written.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { boltLogger, redactSecrets } from "../../../adapters/slack/bolt-logger.ts";
import { createLogger } from "../../../src/logger.ts";
import { IDS } from "./support/fake-slack.ts";
import { SIGNING_SECRET, startSlackHarness, type SlackHarness } from "./support/harness.ts";
import { event } from "./support/slack-kit.ts";

const CLIENT_SECRET = "5f4dcc3b5aa765d61d8327deb882cf99";
const STATE_SECRET = "state-secret-7c1e2d";
const ENCRYPTION_KEY = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";
const INSTALLED_TOKEN = "xoxb-17653672481-19874698323-pdFZKVeTuE8sk7oOcBrzbqgy";

describe("credentials in the log at LOG_LEVEL=trace", () => {
  let h: SlackHarness;
  const lines: string[] = [];
  beforeAll(async () => {
    h = await startSlackHarness({
      env: {
        LOG_LEVEL: "trace",
        SLACK_BOT_TOKEN: undefined,
        SLACK_CLIENT_ID: "123.456",
        SLACK_CLIENT_SECRET: CLIENT_SECRET,
        SLACK_STATE_SECRET: STATE_SECRET,
        RAPPORT_ENCRYPTION_KEY: ENCRYPTION_KEY,
      },
      log: { write: (line: string) => void lines.push(line) },
    });
  }, 60_000);
  afterAll(() => h?.stop());

  it("an install and an event authorized with its token write no secret, token or key", async () => {
    const install = await fetch(`${h.baseUrl}/slack/install`, { redirect: "manual" });
    const state = new URL(install.headers.get("location")!).searchParams.get("state")!;
    const cookie = (install.headers.get("set-cookie") ?? "").split(";")[0]!;
    await fetch(`${h.baseUrl}/slack/oauth_redirect?code=the-code&state=${encodeURIComponent(state)}`, {
      headers: { cookie },
      redirect: "manual",
    });
    const exchange = await h.fake.waitFor("oauth.v2.access");
    expect(exchange.params.client_secret).toBe(CLIENT_SECRET);
    expect((await event(h, "event-app-home-opened")).status).toBe(200);
    await h.fake.waitFor("views.publish", (c) => c.params.user_id === IDS.lead);

    // The SDK did write the exchange at this level: what is checked is that it was scrubbed.
    const log = lines.join("");
    expect(log).toContain("oauth.v2.access");
    expect(log).toContain("[redacted]");
    for (const secret of [CLIENT_SECRET, STATE_SECRET, ENCRYPTION_KEY, INSTALLED_TOKEN, SIGNING_SECRET]) {
      expect(log).not.toContain(secret);
    }
    expect(log).not.toMatch(/xox[a-z]-\d/);
  });
});

describe("redactSecrets", () => {
  it.each([
    ['http request body: {"client_id":"1.2","client_secret":"abc123","code":"x"}', "abc123"],
    ["POST /api/oauth.v2.access client_secret=abc123&code=x", "abc123"],
    ["https://slack.com/api/auth.test?token=xoxp-1-2-3", "xoxp-1-2-3"],
    ["failed with xoxb-1234-5678-abcdEFGH in the message", "xoxb-1234-5678-abcdEFGH"],
    ["socket opened with xapp-1-A0B1-2345-cafe", "xapp-1-A0B1-2345-cafe"],
    ['{"authorization":"Bearer sekrit-token"}', "sekrit-token"],
    ['{"refresh_token":"xoxe-1-abc","ok":true}', "xoxe-1-abc"],
  ])("scrubs %s", (line, secret) => {
    const scrubbed = redactSecrets(line);
    expect(scrubbed).not.toContain(secret);
    expect(scrubbed).toContain("[redacted]");
  });

  it("leaves ordinary lines alone", () => {
    const line = "apiCall('chat.postMessage') end; channel C0SUPPORT ts 1700000000.000100";
    expect(redactSecrets(line)).toBe(line);
  });

  it("writes Bolt's lines at or above LOG_LEVEL, scrubbed, and does not even join those below it", () => {
    const written: string[] = [];
    const logger = createLogger({ level: "info" }, { write: (l: string) => void written.push(l) });
    const bolt = boltLogger(logger);
    let joined = 0;
    const costly = { toString: () => `${++joined}` };
    bolt.debug("parsed body", costly);
    expect(joined).toBe(0);
    bolt.info("token=xoxb-1-2-3 sent", costly);
    expect(joined).toBe(1);
    expect(written).toHaveLength(1);
    expect(written[0]).toContain("[redacted]");
    expect(written[0]).not.toContain("xoxb-1-2-3");
  });
});
