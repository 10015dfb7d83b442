// Issue and recommendation card buttons over HTTP: each click by the right side updates the card
// in place (chat.update), a click by the wrong side is refused to the clicker only, a double click
// records once, and "Remind me" queues a direct message in the outbox.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RecordedCall } from "./support/fake-slack.ts";
import { readDatabase } from "../support/database.ts";
import { IDS } from "./support/fake-slack.ts";
import { seedPartnership, startSlackHarness, type SlackHarness } from "./support/harness.ts";
import { loadFixture } from "./support/signed-request.ts";
import {
  actionIds,
  buttonClick,
  buttonValue,
  command,
  interact,
  newTriggerId,
  PEOPLE,
  postedTs,
  priorityOptionValue,
  settle,
  waitForCard,
} from "./support/slack-kit.ts";

describe("Slack card buttons", () => {
  let h: SlackHarness;
  let card: RecordedCall;
  beforeAll(async () => {
    h = await startSlackHarness({ seed: (env) => seedPartnership(env) });
    await command(h, { text: "p2 the shared drive is read-only" });
    card = await waitForCard(h, "CLIENT-1");
  }, 60_000);
  afterAll(() => h?.stop());

  const updatesOfCard = () => h.fake.calls("chat.update").filter((c) => c.params.ts === postedTs(card));

  /** The card's redraw after the first `before`: queued before Slack is answered, sent right after. */
  async function updateAfter(before: number): Promise<RecordedCall> {
    const until = Date.now() + 30_000;
    while (updatesOfCard().length <= before) {
      if (Date.now() > until) throw new Error(`no redraw of the card after ${before}`);
      await settle(20);
    }
    return updatesOfCard()[before]!;
  }

  async function click(user: (typeof PEOPLE)[keyof typeof PEOPLE], actionId: string, triggerId?: string) {
    const payload = buttonClick(h, {
      user,
      actionId,
      value: buttonValue(card, actionId === "issue_reopen" ? "issue_resolve" : actionId),
      card,
      ...(triggerId ? { triggerId } : {}),
    });
    return { res: await interact(h, payload), responseUrl: String(payload.response_url) };
  }

  it("Acknowledge by a client user is refused with an ephemeral response_url message and no update", async () => {
    const { res, responseUrl } = await click(PEOPLE.staff, "issue_acknowledge");
    expect(res.status).toBe(200);
    const reply = await h.fake.waitFor("response_url", (c) => responseUrl.endsWith(c.path));
    expect(reply.params).toMatchObject({ response_type: "ephemeral", replace_original: false });
    expect(String(reply.params.text)).toMatch(/provider/i);
    expect(updatesOfCard()).toHaveLength(0);
  });

  it("Acknowledge by U0TECH updates the card: first response shown, Acknowledge gone", async () => {
    const trigger = newTriggerId();
    const { res, responseUrl } = await click(PEOPLE.tech, "issue_acknowledge", trigger);
    expect(res.status).toBe(200);
    expect(res.body).toBe("");
    const update = await h.fake.waitFor("chat.update", (c) => c.params.ts === postedTs(card));
    expect(update.params.channel).toBe(IDS.channel);
    expect(update.params.text).toBe("CLIENT-1 [P2] the shared drive is read-only: 🔵 Open");
    expect(JSON.stringify(update.params.blocks)).toContain("*First response*");
    expect(actionIds(update)).toEqual(["issue_wait_on_client", "issue_resolve", "issue_priority"]);
    expect(h.fake.calls("response_url").filter((c) => responseUrl.endsWith(c.path))).toHaveLength(0);

    // The same click delivered again (same trigger_id) records nothing and redraws nothing.
    const again = await click(PEOPLE.tech, "issue_acknowledge", trigger);
    expect(again.res.status).toBe(200);
    await settle(200);
    expect(updatesOfCard()).toHaveLength(1);
  });

  it("Waiting on client pauses the clock and the card says so", async () => {
    const before = updatesOfCard().length;
    const { res } = await click(PEOPLE.tech, "issue_wait_on_client");
    expect(res.status).toBe(200);
    const update = await updateAfter(before);
    expect(update.params.text).toBe("CLIENT-1 [P2] the shared drive is read-only: ⏸️ Waiting on client");
    expect(JSON.stringify(update.params.blocks)).toContain("SLA clock is paused");
    expect(actionIds(update)).toEqual(["issue_resolve", "issue_priority"]);
  });

  it("the priority menu (block-actions-select) changes the priority on the card", async () => {
    const before = updatesOfCard().length;
    const value = priorityOptionValue(card, "P1");
    const payload = loadFixture("block-actions-select", {
      trigger_id: newTriggerId(),
      response_url: h.fake.responseUrl(),
      container: { message_ts: postedTs(card) },
      actions: [
        {
          type: "static_select",
          action_id: "issue_priority",
          block_id: "issue_actions",
          selected_option: { text: { type: "plain_text", text: "🔴 P1", emoji: true }, value },
          placeholder: { type: "plain_text", text: "Priority", emoji: true },
          action_ts: "1794819780.523456",
        },
      ],
    });
    const res = await interact(h, payload);
    expect(res.status).toBe(200);
    const update = await updateAfter(before);
    expect(update.params.text).toBe("CLIENT-1 [P1] the shared drive is read-only: ⏸️ Waiting on client");
    expect(JSON.stringify(update.params.blocks)).toContain("🔴 P1");
  });

  it("Resolve by the provider resolves the issue: the card offers Reopen only", async () => {
    const before = updatesOfCard().length;
    const { res } = await click(PEOPLE.tech, "issue_resolve");
    expect(res.status).toBe(200);
    const update = await updateAfter(before);
    expect(update.params.text).toBe("CLIENT-1 [P1] the shared drive is read-only: ✅ Resolved");
    expect(JSON.stringify(update.params.blocks)).toContain("*Resolved*");
    expect(actionIds(update)).toEqual(["issue_reopen"]);
  });

  it("Resolve by a client user is refused (the issue stays resolved by the provider only)", async () => {
    const before = updatesOfCard().length;
    const { res, responseUrl } = await click(PEOPLE.staff, "issue_resolve");
    expect(res.status).toBe(200);
    const reply = await h.fake.waitFor("response_url", (c) => responseUrl.endsWith(c.path));
    expect(reply.params.response_type).toBe("ephemeral");
    expect(updatesOfCard()).toHaveLength(before);
  });

  it("Reopen by the client (either side may) reopens it: the card is open again", async () => {
    const before = updatesOfCard().length;
    const { res } = await click(PEOPLE.staff, "issue_reopen");
    expect(res.status).toBe(200);
    const update = await updateAfter(before);
    expect(update.params.text).toBe("CLIENT-1 [P1] the shared drive is read-only: 🔵 Open");
    expect(actionIds(update)).toEqual(["issue_wait_on_client", "issue_resolve", "issue_priority"]);
  });

  it("a button with a value rapport did not write is refused without an update", async () => {
    const before = h.fake.calls("chat.update").length;
    const payload = buttonClick(h, { user: PEOPLE.tech, actionId: "issue_resolve", value: "not-json" });
    const res = await interact(h, payload);
    expect(res.status).toBe(200);
    const reply = await h.fake.waitFor("response_url", (c) => String(payload.response_url).endsWith(c.path));
    expect(reply.params.response_type).toBe("ephemeral");
    expect(h.fake.calls("chat.update")).toHaveLength(before);
  });

  describe("recommendation card", () => {
    let rec: RecordedCall;
    beforeAll(async () => {
      await sendRecommend(h, "Replace the 9-year-old firewall");
      rec = await h.fake.waitFor("chat.postMessage", (c) =>
        String(c.params.text).includes("Replace the 9-year-old firewall"),
      );
    });
    const updatesOfRec = () => h.fake.calls("chat.update").filter((c) => c.params.ts === postedTs(rec));
    const clickRec = (user: (typeof PEOPLE)[keyof typeof PEOPLE], actionId: string) => {
      const payload = buttonClick(h, { user, actionId, value: buttonValue(rec, actionId), card: rec });
      return { sent: interact(h, payload), responseUrl: String(payload.response_url) };
    };

    it("Accept by U0TECH (provider) is refused ephemerally, no update", async () => {
      const { sent, responseUrl } = clickRec(PEOPLE.tech, "recommendation_accept");
      expect((await sent).status).toBe(200);
      const reply = await h.fake.waitFor("response_url", (c) => responseUrl.endsWith(c.path));
      expect(reply.params).toMatchObject({ response_type: "ephemeral", replace_original: false });
      expect(String(reply.params.text)).toMatch(/client/i);
      expect(updatesOfRec()).toHaveLength(0);
    });

    it("Remind me queues the reminder for the clicker and says when it comes, posting nothing now", async () => {
      const { sent, responseUrl } = clickRec(PEOPLE.owner, "recommendation_remind");
      expect((await sent).status).toBe(200);
      const reply = await h.fake.waitFor("response_url", (c) => responseUrl.endsWith(c.path));
      expect(reply.params).toMatchObject({ response_type: "ephemeral", replace_original: false });
      expect(String(reply.params.text)).toMatch(/^I'll remind you on .+ at 09:00\.$/);
      expect(h.fake.calls("chat.scheduleMessage")).toHaveLength(0);
      expect(updatesOfRec()).toHaveLength(0);
    });

    it("Accept by U0OWNER (client admin) updates the card with the decision and no buttons", async () => {
      const { sent } = clickRec(PEOPLE.owner, "recommendation_accept");
      const res = await sent;
      expect(res.status).toBe(200);
      expect(res.body).toBe("");
      const update = await h.fake.waitFor("chat.update", (c) => c.params.ts === postedTs(rec));
      expect(update.params.channel).toBe(IDS.channel);
      expect(JSON.stringify(update.params.blocks)).toContain("✅ Accepted");
      expect(actionIds(update)).toEqual([]);
    });

    it("Decline after the decision records nothing and redraws nothing", async () => {
      const { sent } = clickRec(PEOPLE.staff, "recommendation_decline");
      expect((await sent).status).toBe(200);
      await settle(200);
      expect(updatesOfRec()).toHaveLength(1);
    });

    // Last: reading the database stops rapport.
    it("the reminder waits in the outbox as a direct message to the clicker, due in about three days", async () => {
      const reminders = await readDatabase(h, ({ core }) => core.outbox.list({ job: "reminder" }));
      expect(reminders).toHaveLength(1);
      const [reminder] = reminders;
      expect(reminder!.destination).toEqual({
        kind: "person",
        platform: "slack",
        workspaceId: IDS.clientTeam,
        userId: IDS.owner,
      });
      expect(reminder!.message!.text).toContain("Replace the 9-year-old firewall");
      const due = reminder!.nextAttemptAt.getTime();
      expect(due).toBeGreaterThan(Date.now() + 2 * 86_400_000);
      expect(due).toBeLessThan(Date.now() + 4 * 86_400_000);
    });
  });
});

function sendRecommend(h: SlackHarness, title: string) {
  return command(h, {
    command: "/itpartner",
    text: `recommend ${title}`,
    user_id: IDS.lead,
    user_name: "lee.lead",
  });
}
