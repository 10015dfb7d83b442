// What /api/messages does with requests that are not Teams activities: a body that is not JSON,
// JSON that is not an activity, an oversized body, an unknown activity type, a malformed invoke.
// Each gets a 4xx (or a harmless 200), and the server keeps serving.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectValidCard } from "../../unit/adapters/teams/presenters/valid-card.ts";
import { startTeamsHarness, type TeamsHarness } from "./support/harness.ts";
import { cardsIn, channelMessage, loadFixture, post, postRaw } from "./support/teams-kit.ts";

describe("Teams /api/messages request safety", () => {
  let h: TeamsHarness;
  beforeAll(async () => {
    h = await startTeamsHarness();
  }, 60_000);
  afterAll(() => h?.stop());

  /** rapport still answers a real command with its card. */
  async function stillServes() {
    const before = h.connector.count;
    const res = await post(h, channelMessage(h, "help"));
    expect(res.status).toBe(200);
    const cards = cardsIn(h.connector.posted(before));
    expect(cards).toHaveLength(1);
    expectValidCard(cards[0]);
  }

  it("a body that is not JSON is a 400", async () => {
    const res = await postRaw(h, "type=message&text=issue", "application/x-www-form-urlencoded");
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: "the body must be a JSON activity" });
    const truncated = await postRaw(h, '{"type":"message","text":"iss');
    expect(truncated.status).toBe(400);
    await stillServes();
  });

  it("JSON that is not an activity (an array, a string, an object without a type) is a 4xx", async () => {
    for (const body of ["[1,2]", '"message"', "null", "{}", '{"text":"issue printer"}']) {
      const res = await postRaw(h, body);
      expect(res.status, body).toBe(400);
    }
    await stillServes();
  });

  it("a body over 256 KiB is a 413", async () => {
    const big = channelMessage(h, `issue ${"x".repeat(300 * 1024)}`);
    const res = await post(h, big);
    expect(res.status).toBe(413);
    await stillServes();
  });

  it("an activity without a serviceUrl or conversation does not take the server down", async () => {
    const before = h.connector.count;
    const bare = await post(h, { type: "message", text: "help", id: "1", channelId: "msteams" });
    expect(bare.status).toBe(400);
    expect(bare.body).toEqual({ error: "the body must be a Bot Framework activity" });
    expect(h.connector.posted(before)).toEqual([]);
    await stillServes();
  });

  it("an activity type rapport does not handle is acknowledged and ignored", async () => {
    const before = h.connector.count;
    const typing = await post(
      h,
      loadFixture("message-personal", { type: "typing", text: undefined, serviceUrl: h.connector.url }),
    );
    expect(typing.status).toBe(200);
    expect(h.connector.posted(before)).toEqual([]);
  });

  it("an adaptiveCard/action invoke that is not Action.Execute is answered 400 with an error body", async () => {
    const invoke = loadFixture("invoke-adaptive-card-action", { serviceUrl: h.connector.url });
    invoke.value = { action: { type: "Action.Submit", data: {} }, trigger: "manual" };
    const res = await post(h, invoke);
    // botbuilder's own answer: the invoke response's status is the HTTP status.
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ statusCode: 400, type: "application/vnd.microsoft.error" });
    await stillServes();
  });

  it("another method on /api/messages is a 405", async () => {
    const res = await fetch(`${h.baseUrl}/api/messages`);
    expect(res.status).toBe(405);
    await stillServes();
  });
});
