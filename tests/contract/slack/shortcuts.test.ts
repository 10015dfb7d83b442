// Message shortcuts and the :ticket: reaction over HTTP: "Report as IT issue", the reaction on a
// message already reported, and "Log direct request" from the shortcut to the submitted form.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { IDS } from "./support/fake-slack.ts";
import { seedPartnership, startSlackHarness, type SlackHarness } from "./support/harness.ts";
import { loadFixture } from "./support/signed-request.ts";
import {
  event,
  interact,
  issueCardPosts,
  newTriggerId,
  newTs,
  openedView,
  PEOPLE,
  postedIssueKeys,
  settle,
  viewSubmission,
  waitForCard,
} from "./support/slack-kit.ts";

const MESSAGE_TS = "1794819600.000100";
const TEXT = "The printer on floor 2 is jammed again, nobody can print invoices";

describe("Slack shortcuts and the :ticket: reaction", () => {
  let h: SlackHarness;
  beforeAll(async () => {
    h = await startSlackHarness({ seed: (env) => seedPartnership(env) });
    h.fake.setMessages(IDS.channel, [
      { type: "message", user: IDS.staff, team: IDS.clientTeam, text: TEXT, ts: MESSAGE_TS },
    ]);
  }, 60_000);
  afterAll(() => h?.stop());

  it("report_issue on a message in C0SUPPORT posts the card in its thread and confirms via response_url", async () => {
    const responseUrl = h.fake.responseUrl("report-1");
    const res = await interact(
      h,
      loadFixture("message-action-shortcut", { trigger_id: newTriggerId(), response_url: responseUrl }),
    );
    expect(res.status).toBe(200);
    expect(res.body).toBe("");
    const card = await waitForCard(h, "CLIENT-1");
    expect(card.params).toMatchObject({ channel: IDS.channel, thread_ts: MESSAGE_TS });
    expect(card.params.text).toBe(`CLIENT-1 [P3] ${TEXT}: 🔵 Open`);
    // Reported on behalf of the message's author, not the technician who used the shortcut.
    expect(JSON.stringify(card.params.blocks)).toContain("by Sam Staff");
    const reply = await h.fake.waitFor("response_url", (c) => c.path === "/response/report-1");
    expect(reply.params).toMatchObject({ response_type: "ephemeral" });
    expect(String(reply.params.text)).toMatch(/^Recorded \*CLIENT-1\*/);
  });

  it("the same message reported again by shortcut says it is already that issue, with no new card", async () => {
    const responseUrl = h.fake.responseUrl("report-2");
    const res = await interact(
      h,
      loadFixture("message-action-shortcut", { trigger_id: newTriggerId(), response_url: responseUrl }),
    );
    expect(res.status).toBe(200);
    const reply = await h.fake.waitFor("response_url", (c) => c.path === "/response/report-2");
    expect(reply.params.text).toBe("That message is already CLIENT-1.");
    expect(issueCardPosts(h, "CLIENT-1")).toHaveLength(1);
    expect(postedIssueKeys(h)).toEqual(["CLIENT-1"]);
  });

  it("the :ticket: reaction on the same message afterwards records nothing new", async () => {
    const res = await event(h, "event-reaction-added");
    expect(res.status).toBe(200);
    // rapport looked the message up (so the reaction was handled, not dropped) …
    await h.fake.waitFor("conversations.history", (c) => c.params.latest === MESSAGE_TS);
    await settle();
    // … and found it was already CLIENT-1: no second card.
    expect(postedIssueKeys(h)).toEqual(["CLIENT-1"]);
  });

  it("the :ticket: reaction on another client message turns it into the next issue", async () => {
    const ts = newTs();
    h.fake.setMessages(IDS.channel, [
      ...h.fake.workspace.messages.get(IDS.channel)!,
      { type: "message", user: IDS.owner, team: IDS.clientTeam, text: "Scanner emails never arrive", ts },
    ]);
    const res = await event(h, "event-reaction-added", { event: { item: { ts } } });
    expect(res.status).toBe(200);
    const card = await waitForCard(h, "CLIENT-2");
    expect(card.params).toMatchObject({ channel: IDS.channel, thread_ts: ts });
    expect(card.params.text).toBe("CLIENT-2 [P3] Scanner emails never arrive: 🔵 Open");
  });

  it("another reaction than :ticket: is ignored", async () => {
    const history = h.fake.calls("conversations.history").length;
    const res = await event(h, "event-reaction-added", {
      event: { reaction: "eyes", item: { ts: newTs() } },
    });
    expect(res.status).toBe(200);
    await settle(200);
    expect(h.fake.calls("conversations.history")).toHaveLength(history);
  });

  it("report_issue in an unlinked channel explains how to link it and posts nothing", async () => {
    const before = h.fake.calls("chat.postMessage").length;
    const responseUrl = h.fake.responseUrl("report-unlinked");
    const res = await interact(
      h,
      loadFixture("message-action-shortcut", {
        trigger_id: newTriggerId(),
        response_url: responseUrl,
        channel: { id: "C0NOWHERE", name: "random" },
      }),
    );
    expect(res.status).toBe(200);
    const reply = await h.fake.waitFor("response_url", (c) => c.path === "/response/report-unlinked");
    expect(reply.params.response_type).toBe("ephemeral");
    expect(String(reply.params.text)).toContain("/itpartner setup");
    expect(h.fake.calls("chat.postMessage")).toHaveLength(before);
  });

  it("log_direct_request opens the direct_request_form prefilled; submitting it posts a card in C0SUPPORT", async () => {
    const trigger = newTriggerId();
    const dmTs = newTs();
    const shortcut = loadFixture("message-action-shortcut", {
      callback_id: "log_direct_request",
      trigger_id: trigger,
      response_url: h.fake.responseUrl(),
      channel: { id: "D0TECHDM", name: "directmessage" },
      message_ts: dmTs,
      message: { ts: dmTs, text: "Can you reset my VPN password? I'm locked out", user: IDS.staff },
    });
    const res = await interact(h, shortcut);
    expect(res.status).toBe(200);
    expect(res.body).toBe("");
    const open = await h.fake.waitFor("views.open", (c) => c.params.trigger_id === trigger);
    const view = openedView(open);
    expect(view).toMatchObject({ type: "modal", callback_id: "direct_request_form" });
    const metadata = JSON.parse(String(view.private_metadata)) as Record<string, unknown>;
    expect(metadata).toMatchObject({
      channelId: "D0TECHDM",
      messageTs: dmTs,
      partnershipId: expect.any(String),
    });
    expect(JSON.stringify(view.blocks)).toContain('"initial_user":"U0STAFF"');

    const before = postedIssueKeys(h).length;
    const values = {
      direct_request_text: {
        direct_request_text: { type: "plain_text_input", value: "Reset the VPN password for Sam" },
      },
      direct_request_requester: {
        direct_request_requester: { type: "users_select", selected_user: IDS.staff },
      },
    };
    const submitted = await interact(h, viewSubmission(view, PEOPLE.tech, values));
    expect(submitted.status).toBe(200);
    expect(submitted.body).toBe("");
    const card = await waitForCard(h, "CLIENT-3");
    expect(card.params.channel).toBe(IDS.channel);
    expect(card.params.text).toBe("CLIENT-3 [P3] Reset the VPN password for Sam: 🔵 Open");
    expect(postedIssueKeys(h)).toHaveLength(before + 1);

    // The same form submitted again (Slack retried it) records nothing new.
    const again = await interact(h, viewSubmission(view, PEOPLE.tech, values));
    expect(again.status).toBe(200);
    await settle();
    expect(postedIssueKeys(h)).toHaveLength(before + 1);
  });

  it("log_direct_request by a client member is refused ephemerally and opens nothing", async () => {
    const trigger = newTriggerId();
    const shortcut = loadFixture("message-action-shortcut", {
      callback_id: "log_direct_request",
      trigger_id: trigger,
      response_url: h.fake.responseUrl("direct-refused"),
      user: { id: IDS.owner, username: "olive.owner", name: "olive.owner", team_id: IDS.clientTeam },
    });
    const res = await interact(h, shortcut);
    expect(res.status).toBe(200);
    const reply = await h.fake.waitFor("response_url", (c) => c.path === "/response/direct-refused");
    expect(String(reply.params.text)).toMatch(/^Only a technician/);
    expect(h.fake.calls("views.open").filter((c) => c.params.trigger_id === trigger)).toHaveLength(0);
  });
});
