// The report path does not wait on the Bot Framework connector: an `issue …` is recorded and
// answered at once while the connector fails every call, and its card, queued in the outbox, is
// posted once the connector is back, exactly once.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTeamsHarness, type TeamsHarness } from "./support/harness.ts";
import { IDS } from "./support/teams-ids.ts";
import { cardsIn, cardText, channelMessage, post } from "./support/teams-kit.ts";

describe("Teams report path while the connector is down", () => {
  let h: TeamsHarness;
  beforeAll(async () => {
    h = await startTeamsHarness();
  }, 60_000);
  afterAll(() => h?.stop());

  it("`issue printer jammed` is answered 200 at once while every connector call gets 503; its card is posted once when the connector recovers", async () => {
    // Retry-After 2: the connector client would wait about 6 s in its own retries if the turn
    // called it, and the outbox tries the card again seconds after a failed attempt.
    h.connector.failAll({ status: 503, retryAfter: 2 });
    const before = h.connector.count;
    const activity = channelMessage(h, "issue printer jammed");
    const started = performance.now();
    const res = await post(h, activity);
    const took = performance.now() - started;
    expect(res.status).toBe(200);
    expect(took).toBeLessThan(3_000);

    // Recorded and queued: the attempts to post its card fail meanwhile.
    const failed = await h.connector.waitFor(before, "a failed attempt to post the card", (calls) =>
      calls.find((c) => c.kind === "send" && c.status === 503),
    );
    const thread = `${IDS.supportChannel};messageid=${String(activity.id)}`;
    expect(failed.conversationId).toBe(thread);
    expect(cardText(cardsIn([failed])[0])).toContain("CLIENT-1 · printer jammed");

    // Teams redelivers the activity it had no answer for in time: answered at once, nothing twice.
    const again = performance.now();
    expect((await post(h, activity)).status).toBe(200);
    expect(performance.now() - again).toBeLessThan(3_000);

    h.connector.recover();
    const [card] = cardsIn(await h.connector.waitForPosted(before));
    expect(cardText(card)).toContain("CLIENT-1 · printer jammed");

    // Exactly once: the next report's card is the only other one posted.
    const next = channelMessage(h, "issue scanner offline");
    expect((await post(h, next)).status).toBe(200);
    const posted = await h.connector.waitForPosted(before, 2);
    expect(posted.map((c) => c.conversationId)).toEqual([
      thread,
      `${IDS.supportChannel};messageid=${String(next.id)}`,
    ]);
    expect(cardsIn(posted).map(cardText)).toEqual([
      expect.stringContaining("CLIENT-1 · printer jammed"),
      expect.stringContaining("CLIENT-2 · scanner offline"),
    ]);
  }, 60_000);
});
