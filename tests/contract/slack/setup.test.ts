// The `/itpartner setup` modal submitted over HTTP: linking a new channel to a new partnership (its
// creator becomes an admin), changing an existing one as its admin, and a set-up by a non-admin or
// one that changes the other side refused as a whole.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { IDS } from "./support/fake-slack.ts";
import { seedPartnership, startSlackHarness, type SlackHarness } from "./support/harness.ts";
import type { JsonObject } from "./support/signed-request.ts";
import {
  buttonClick,
  buttonValue,
  command,
  interact,
  introduce,
  newTriggerId,
  openedView,
  PEOPLE,
  postedTs,
  settle,
  stateFromView,
  viewSubmission,
  waitForCard,
} from "./support/slack-kit.ts";

describe("Slack set-up modal", () => {
  let h: SlackHarness;
  beforeAll(async () => {
    h = await startSlackHarness({ seed: (env) => seedPartnership(env) });
    // Another person of the client's workspace, in no partnership yet.
    h.fake.setUser({
      id: "U0CLIENT2",
      team_id: IDS.clientTeam,
      name: "cory.client",
      real_name: "Cory Client",
    });
    // rapport learns each person's organisation the first time they use it (busy-slack.test.ts).
    await introduce(h, IDS.lead, IDS.tech, IDS.staff, IDS.owner);
  }, 60_000);
  afterAll(() => h?.stop());

  /** Opens the set-up modal as `user` in `channel` and returns the view rapport opened. */
  async function openSetup(
    user: { id: string; name: string },
    channel: string = IDS.channel,
  ): Promise<JsonObject> {
    const trigger = newTriggerId();
    const res = await command(h, {
      command: "/itpartner",
      text: "setup",
      user_id: user.id,
      user_name: user.name,
      channel_id: channel,
      trigger_id: trigger,
    });
    expect(res.status).toBe(200);
    return openedView(await h.fake.waitFor("views.open", (c) => c.params.trigger_id === trigger));
  }

  const users = (...ids: string[]) => ({ type: "multi_users_select", selected_users: ids });

  /** The set-up form's input in `blockId`, as rapport opened it. */
  const inputOf = (view: JsonObject, blockId: string) =>
    ((view.blocks ?? []) as JsonObject[]).find((b) => b.block_id === blockId)?.element as JsonObject;

  it("the client admin saving the form unchanged gets a plain confirmation, not a list of refusals", async () => {
    const view = await openSetup(PEOPLE.owner);
    const res = await interact(h, viewSubmission(view, PEOPLE.owner, stateFromView(view)));
    expect(res.status).toBe(200);
    expect(res.body).toBe("");
    const note = await h.fake.waitFor("chat.postEphemeral", (c) => c.params.user === IDS.owner);
    expect(note.params).toMatchObject({
      channel: IDS.channel,
      text: "This channel is linked to Client Co support for support and digest.",
    });
  });

  it("a technician (not an admin) cannot open the form, and submitting an admin's form is refused as a whole", async () => {
    const trigger = newTriggerId();
    const opened = await command(h, {
      command: "/itpartner",
      text: "setup",
      user_id: IDS.tech,
      user_name: "tess.tech",
      trigger_id: trigger,
    });
    expect(opened.json()).toMatchObject({
      response_type: "ephemeral",
      text: expect.stringMatching(/^Only an admin of Client Co support can change its set-up\./),
    });
    await settle(200);
    expect(h.fake.calls("views.open").filter((c) => c.params.trigger_id === trigger)).toHaveLength(0);

    const view = await openSetup(PEOPLE.owner);
    const values = stateFromView(view, { setup_name: { value: "Renamed by a tech" } });
    const res = await interact(h, viewSubmission(view, PEOPLE.tech, values));
    expect(res.status).toBe(200);
    const body = res.json() as { response_action: string; errors: Record<string, string> };
    expect(body.response_action).toBe("errors");
    expect(Object.keys(body.errors)).toEqual(["setup_name"]);
    expect(body.errors.setup_name).toMatch(/^Only an admin of Client Co support/);
    expect(h.fake.calls("chat.postEphemeral").filter((c) => c.params.user === IDS.tech)).toHaveLength(0);
    const again = await openSetup(PEOPLE.owner);
    expect(inputOf(again, "setup_name").initial_value).toBe("Client Co support");
  });

  it("a form mistake comes back under its field and changes nothing", async () => {
    const view = await openSetup(PEOPLE.owner);
    const values = stateFromView(view, { setup_timezone: { value: "Mars/Olympus_Mons" } });
    const res = await interact(h, viewSubmission(view, PEOPLE.owner, values));
    expect(res.status).toBe(200);
    expect(res.json()).toMatchObject({
      response_action: "errors",
      errors: { setup_timezone: expect.any(String) },
    });
  });

  it("holidays entered in the form are stored, sorted, and shown when the form opens again", async () => {
    const view = await openSetup(PEOPLE.owner);
    expect(inputOf(view, "setup_holidays")).toMatchObject({ type: "plain_text_input", multiline: true });
    expect(inputOf(view, "setup_holidays").initial_value).toBeUndefined();
    const values = stateFromView(view, { setup_holidays: { value: "2026-12-28, 2026-12-25\n2026-12-25" } });
    const res = await interact(h, viewSubmission(view, PEOPLE.owner, values));
    expect(res.status).toBe(200);
    expect(res.body).toBe("");
    const again = await openSetup(PEOPLE.owner);
    expect(inputOf(again, "setup_holidays").initial_value).toBe("2026-12-25\n2026-12-28");
  });

  it("a holiday that is not a date comes back under its field, and nothing of the form is stored", async () => {
    const view = await openSetup(PEOPLE.owner);
    const values = stateFromView(view, {
      setup_holidays: { value: "2026-12-25\n2026-02-30" },
      setup_timezone: { value: "America/New_York" },
    });
    const res = await interact(h, viewSubmission(view, PEOPLE.owner, values));
    expect(res.status).toBe(200);
    expect(res.json()).toEqual({
      response_action: "errors",
      errors: { setup_holidays: '"2026-02-30" is not a real date' },
    });
    const again = await openSetup(PEOPLE.owner);
    expect(inputOf(again, "setup_holidays").initial_value).toBe("2026-12-25\n2026-12-28");
    expect(inputOf(again, "setup_timezone").initial_value).toBe("Europe/London");
  });

  it("a list of holidays too long for the form keeps, on saving, the older dates it did not show", async () => {
    const weekly = (from: number, n: number) =>
      Array.from({ length: n }, (_, i) =>
        new Date(Date.UTC(2020, 0, 6 + 7 * (from + i))).toISOString().slice(0, 10),
      );
    const many = weekly(0, 300);
    const view = await openSetup(PEOPLE.owner);
    const saved = await interact(
      h,
      viewSubmission(view, PEOPLE.owner, stateFromView(view, { setup_holidays: { value: many.join("\n") } })),
    );
    expect(saved.body).toBe("");

    const long = await openSetup(PEOPLE.owner);
    const shown = String(inputOf(long, "setup_holidays").initial_value).split("\n");
    expect(shown).toEqual(many.slice(many.length - shown.length));
    const shownFrom = JSON.parse(String(long.private_metadata)).holidaysShownFrom as string;
    expect(shownFrom).toBe(shown[0]);
    // The admin keeps only the last date shown and adds one; the older, unshown ones must stay.
    const edited = stateFromView(long, { setup_holidays: { value: `${many.at(-1)}\n2031-01-01` } });
    expect((await interact(h, viewSubmission(long, PEOPLE.owner, edited))).body).toBe("");

    const after = await openSetup(PEOPLE.owner);
    const unshown = many.filter((d) => d < shownFrom);
    expect(String(inputOf(after, "setup_holidays").initial_value).split("\n")).toEqual([
      ...unshown,
      many.at(-1),
      "2031-01-01",
    ]);
    expect(JSON.parse(String(after.private_metadata)).holidaysShownFrom).toBeUndefined();

    // Back to the two dates the tests above set, for the tests below.
    const reset = stateFromView(after, { setup_holidays: { value: "2026-12-25 2026-12-28" } });
    expect((await interact(h, viewSubmission(after, PEOPLE.owner, reset))).body).toBe("");
  });

  it("the client admin cannot make the client's workspace a provider workspace: the whole form is refused", async () => {
    const view = await openSetup(PEOPLE.owner);
    const values = stateFromView(view, {
      setup_name: { value: "Renamed with a provider change" },
      setup_provider_members: users(IDS.tech, IDS.lead, "U0CLIENT2"),
    });
    // The form names U0CLIENT2 by id alone, and rapport has not met them: it records no membership
    // under a guessed workspace, asks Slack meanwhile, and the form stays open.
    const first = await interact(h, viewSubmission(view, PEOPLE.owner, values));
    expect(first.json()).toEqual({
      response_action: "errors",
      errors: {
        setup_provider_members:
          "rapport is still asking Slack which organisation someone here is in. Submit again in a few seconds.",
      },
    });
    await h.fake.waitFor("users.info", (c) => c.params.user === "U0CLIENT2");
    await settle(50);
    const res = await interact(h, viewSubmission(view, PEOPLE.owner, values));
    expect(res.status).toBe(200);
    const body = res.json() as { response_action: string; errors: Record<string, string> };
    expect(body.response_action).toBe("errors");
    expect(body.errors.setup_name).toMatch(
      /^Nothing was changed: cory\.client: you can add and change people of the client side only/,
    );
    expect(body.errors.setup_name).toContain(
      "only a provider admin can change which workspaces belong to the provider",
    );
    const again = await openSetup(PEOPLE.owner);
    expect(inputOf(again, "setup_name").initial_value).toBe("Client Co support");

    // U0CLIENT2 (client workspace, no membership) is still client side: Acknowledge is refused.
    await command(h, { text: "the intranet is slow" });
    const card = await waitForCard(h, "CLIENT-1");
    const click = buttonClick(h, {
      user: { id: "U0CLIENT2", team_id: IDS.clientTeam, name: "cory.client" },
      actionId: "issue_acknowledge",
      value: buttonValue(card, "issue_acknowledge"),
      card,
    });
    expect((await interact(h, click)).status).toBe(200);
    const reply = await h.fake.waitFor("response_url", (c) => String(click.response_url).endsWith(c.path));
    expect(reply.params.response_type).toBe("ephemeral");
    await settle(200);
    expect(h.fake.calls("chat.update").filter((c) => c.params.ts === postedTs(card))).toHaveLength(0);
  });

  it("in an unlinked channel, the form creates a partnership and links the channel to it", async () => {
    const view = await openSetup(PEOPLE.lead, "C0NEWCLIENT");
    expect(JSON.parse(String(view.private_metadata))).toEqual({
      partnershipId: null,
      channelId: "C0NEWCLIENT",
    });
    const values = stateFromView(view, {
      setup_name: { value: "Dental Group support" },
      setup_provider_org: { value: "Provider IT" },
      setup_client_org: { value: "Dental Group" },
      setup_provider_members: users(IDS.lead),
      setup_client_members: users("U0CLIENT2"),
      setup_admins: users(IDS.lead),
    });
    const res = await interact(h, viewSubmission(view, PEOPLE.lead, values));
    expect(res.status).toBe(200);
    expect(res.body).toBe("");
    const note = await h.fake.waitFor("chat.postEphemeral", (c) => c.params.channel === "C0NEWCLIENT");
    expect(note.params.text).toBe("This channel is linked to Dental Group support for support and digest.");

    const issue = await command(h, {
      channel_id: "C0NEWCLIENT",
      user_id: "U0CLIENT2",
      user_name: "cory.client",
      text: "x-ray viewer will not start",
    });
    const key = /\*([A-Z0-9]+-1)\*/.exec((issue.json() as { text: string }).text)?.[1];
    expect(key).toBeDefined();
    expect(key).not.toBe("CLIENT-1");
    const card = await waitForCard(h, key!);
    expect(card.params.channel).toBe("C0NEWCLIENT");
  });

  it("the creator becomes an admin of the side they list themselves on, without naming themselves an admin", async () => {
    h.fake.setUser({ id: "U0CLIENTADMIN", team_id: IDS.clientTeam, name: "cleo", real_name: "Cleo Client" });
    const cleo = { id: "U0CLIENTADMIN", team_id: IDS.clientTeam, name: "cleo" };
    await introduce(h, cleo.id);
    const view = await openSetup(cleo, "C0CLEO");
    const values = stateFromView(view, {
      setup_name: { value: "Cleo's support" },
      setup_provider_org: { value: "Provider IT" },
      setup_client_org: { value: "Cleo Co" },
      setup_provider_members: users(IDS.lead),
      setup_client_members: users(cleo.id),
    });
    expect((await interact(h, viewSubmission(view, cleo, values))).body).toBe("");
    const again = await openSetup(cleo, "C0CLEO");
    expect(inputOf(again, "setup_admins").initial_users).toEqual([cleo.id]);
    expect(inputOf(again, "setup_client_members").initial_users).toEqual([cleo.id]);

    // The provider's lead, listed but no admin, is refused as a whole: the name stays.
    const renamed = stateFromView(again, { setup_name: { value: "Renamed by the lead" } });
    const refused = await interact(h, viewSubmission(again, PEOPLE.lead, renamed));
    expect(refused.json()).toMatchObject({
      response_action: "errors",
      errors: { setup_name: expect.stringMatching(/^Only an admin of Cleo's support/) },
    });
    expect(inputOf(await openSetup(cleo, "C0CLEO"), "setup_name").initial_value).toBe("Cleo's support");
  });

  it("a creator who does not list themselves becomes an admin of the provider side", async () => {
    const view = await openSetup(PEOPLE.tech, "C0TESS");
    const values = stateFromView(view, {
      setup_name: { value: "Tess's support" },
      setup_provider_org: { value: "Provider IT" },
      setup_client_org: { value: "Tess Co" },
    });
    expect((await interact(h, viewSubmission(view, PEOPLE.tech, values))).body).toBe("");
    const again = await openSetup(PEOPLE.tech, "C0TESS");
    expect(inputOf(again, "setup_provider_members").initial_users).toEqual([IDS.tech]);
    expect(inputOf(again, "setup_admins").initial_users).toEqual([IDS.tech]);
  });
});
