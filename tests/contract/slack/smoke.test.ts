import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadFixture, sendCommand, sendRaw } from "./support/signed-request.ts";
import { seedPartnership, startSlackHarness, type SlackHarness } from "./support/harness.ts";

describe("Slack /itissue over HTTP", () => {
  let h: SlackHarness;
  beforeAll(async () => {
    h = await startSlackHarness({ seed: (env) => seedPartnership(env) });
  }, 60_000);
  afterAll(() => h?.stop());

  it("records the issue, confirms ephemerally and posts the card", async () => {
    const fields = loadFixture<Record<string, string>>("slash-command-itissue.json", {
      response_url: h.fake.responseUrl("c1"),
    });
    const res = await sendCommand(h.baseUrl, h.signingSecret, fields);
    expect(res.status).toBe(200);
    expect(res.body).toContain("CLIENT-1");
    const post = await h.fake.waitFor("chat.postMessage");
    expect(JSON.stringify(post.params)).toContain("CLIENT-1");
  });

  it("refuses a forged signature with 401", async () => {
    const res = await sendRaw(h.baseUrl, {
      body: "command=%2Fitissue&text=x",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        "x-slack-signature": "v0=bad",
        "x-slack-request-timestamp": String(Math.floor(Date.now() / 1000)),
      },
    });
    expect(res.status).toBe(401);
  });
});
