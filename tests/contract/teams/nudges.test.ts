// Nudges to leads through Teams, end to end: the jobs queue them, the outbox sends them through the
// real TeamsNotifier (built by createTeamsAdapter) into a fake Bot Framework connector on loopback.
// The core runs on an in-memory embedded database with a clock the test moves.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTeamsAdapter, type TeamsAdapter } from "../../../adapters/teams/teams-app.ts";
import type { Partnership } from "../../../src/domain/partnership.ts";
import { recordDueJobs } from "../../../src/jobs/job-figures.ts";
import { runDueJobs, type RunDueJobsOptions } from "../../../src/jobs/run-due-jobs.ts";
import { silentLogger } from "../../../src/logger.ts";
import { Rapport } from "../../../src/index.ts";
import { createCore, type Core } from "../../../src/services/core.ts";
import { reportIssue } from "../../../src/services/report-issue.ts";
import { addMember, createPartnership } from "../../../src/services/setup-partnership.ts";
import { openStore, type Store } from "../../../src/store/database.ts";
import { templateFile } from "../../../scripts/build.js";
import { createJobStores, type JobStores } from "../../../src/store/job-stores.ts";
import { migrateToLatest } from "../../../src/store/migrate.ts";
import { Telemetry } from "../../../src/telemetry.ts";
import { ManualClock } from "../../db/support/test-store.ts";
import { expectValidCard } from "../../unit/adapters/teams/presenters/valid-card.ts";
import { startFakeConnector, type ConnectorCall, type FakeConnector } from "./support/fake-connector.ts";
import type { TeamsHarness } from "./support/harness.ts";
import { IDS, PEOPLE } from "./support/teams-ids.ts";
import {
  actionData,
  cardAction,
  cardsIn,
  cardText,
  invokeCard,
  loadFixture,
  post,
  verbsOf,
} from "./support/teams-kit.ts";

const MIN = 60_000;
const TENANT = IDS.providerTenant;
/** A provider lead who shares no team with rapport and never opened a chat with it. */
const UNA = { aad: "6f1c2a10-1b2c-4d3e-8f40-0000000000a9", name: "Una Unreachable" };
const leadTarget = (aad: string) => `teams:person:${TENANT}:${aad}`;

describe("nudges to leads in Teams", () => {
  let store: Store;
  let core: Core;
  let clock: ManualClock;
  let stores: JobStores;
  let connector: FakeConnector;
  let teams: TeamsAdapter;
  let server: Server;
  let rapport: Rapport;
  let p: Partnership;
  let baseUrl: string;
  let n = 0;

  beforeAll(async () => {
    store = await openStore({ kind: "pglite", dataDir: null, template: templateFile() });
    const migrated = await migrateToLatest(store.db);
    if (migrated.error) throw migrated.error;
    // Monday 16 November 2026, 09:30 in London (UTC in November): a working minute.
    clock = new ManualClock(new Date("2026-11-16T09:30:00Z"));
    core = createCore(store, { clock });
    stores = createJobStores(store);
    connector = await startFakeConnector();
    rapport = new Rapport(core);
    teams = createTeamsAdapter({ config: { mode: "local" }, rapport, logger: silentLogger });
    server = createServer((req, res) => {
      if (req.method === teams.route.method && req.url === teams.route.path)
        void teams.route.handler(req, res);
      else res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

    p = await createPartnership(core, {
      name: "Client Co support",
      providerOrg: "Provider IT",
      clientOrg: "Client Co",
      providerWorkspaceIds: [TENANT],
    });
    await core.partnerships.linkChannel({
      partnershipId: p.id,
      platform: "teams",
      workspaceId: TENANT,
      channelId: IDS.team,
      purposes: ["support", "digest"],
    });
    const member = (
      userId: string,
      displayName: string,
      role: "lead" | "staff",
      side = "provider" as const,
    ) =>
      addMember(core, {
        partnershipId: p.id,
        platform: "teams",
        workspaceId: TENANT,
        userId,
        displayName,
        side,
        role,
      });
    await member(IDS.lead.aad, IDS.lead.name, "lead");
    await member(UNA.aad, UNA.name, "lead");
    // A lead on Slack, which this install does not run.
    await addMember(core, {
      partnershipId: p.id,
      platform: "slack",
      workspaceId: "T0PROVIDER",
      userId: "U0LEAD",
      displayName: "Lee on Slack",
      side: "provider",
      role: "lead",
    });
    await addMember(core, {
      partnershipId: p.id,
      platform: "teams",
      workspaceId: TENANT,
      userId: IDS.staff.aad,
      displayName: IDS.staff.name,
      side: "client",
      role: "staff",
    });
    // rapport is installed in the provider's team (Lee and Ada are in it, Una is not); nobody has
    // installed it personally.
    const installed = await post(
      { baseUrl },
      loadFixture("installation-update-add-team", { serviceUrl: connector.url }),
    );
    expect(installed.status).toBe(200);
    connector.setRoster(IDS.team, [
      { id: IDS.lead.id, name: IDS.lead.name, aadObjectId: IDS.lead.aad, tenantId: TENANT },
      { id: IDS.admin.id, name: IDS.admin.name, aadObjectId: IDS.admin.aad, tenantId: TENANT },
    ]);
  }, 60_000);

  afterAll(async () => {
    await rapport?.stop();
    await new Promise<void>((resolve) => server?.close(() => resolve()));
    await connector?.close();
    await store?.close();
  });

  const run = (options: RunDueJobsOptions = {}) =>
    runDueJobs(
      core,
      stores,
      { teams: teams.notifier },
      { ...options, sender: { random: () => 0, ...options.sender } },
    );

  /** A P1 reported now by Sam: past its 15-minute, 24×7 first-response target 16 minutes later. */
  async function p1(title: string) {
    const { issue } = await reportIssue(core, {
      partnershipId: p.id,
      by: { platform: "teams", workspaceId: TENANT, userId: IDS.staff.aad },
      source: { platform: "teams", id: `nudge-test-${++n}` },
      via: "command",
      fields: { title, priority: "P1" },
    });
    return issue;
  }

  /** What the kit's builders need of a harness: the server's URL and the connector. */
  const harness = (): TeamsHarness => {
    const none = async () => {};
    return { baseUrl, connector, partnershipId: p.id, env: {}, stopServer: none, stop: none };
  };

  const leeChats = () => rapport.conversationFor("teams", TENANT, IDS.lead.aad);
  const postsTo = (calls: ConnectorCall[], conversationId: string) =>
    calls.filter((c) => (c.kind === "send" || c.kind === "reply") && c.conversationId === conversationId);

  it("opens a personal chat with a lead who shares a team with rapport and sends the nudge there as a card with the action that settles it", async () => {
    const issue = await p1("Server room is down");
    clock.advance(16 * MIN);
    const from = connector.count;
    const result = await run();

    const created = connector.calls("create").slice(-2);
    expect(created.map((c) => c.body)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          isGroup: false,
          members: [expect.objectContaining({ id: IDS.lead.aad })],
          tenantId: TENANT,
          channelData: { tenant: { id: TENANT } },
        }),
      ]),
    );
    const chat = await leeChats();
    expect(chat).toMatchObject({ kind: "personal", targetId: IDS.lead.aad, workspaceId: TENANT });
    const [nudge] = cardsIn(postsTo(connector.calls().slice(from), chat!.conversationId));
    expectValidCard(nudge);
    expect(cardText(nudge)).toContain(`${issue.key} is past its first-response target`);
    expect(verbsOf(nudge)).toEqual(expect.arrayContaining(["issue.acknowledge"]));
    expect(JSON.stringify(nudge)).toContain(issue.id);

    const sender = result.jobs.find((j) => j.job === "outbox-sender")!;
    expect(sender.targets.find((t) => t.target === leadTarget(IDS.lead.aad))).toMatchObject({
      outcome: "sent",
    });

    // Lee clicks Acknowledge in his personal chat: the request has its first response.
    const data = actionData(nudge, "issue.acknowledge");
    const click = cardAction(harness(), "issue.acknowledge", data, { from: PEOPLE.lead });
    click.conversation = { conversationType: "personal", tenantId: TENANT, id: chat!.conversationId };
    click.channelData = { tenant: { id: TENANT } };
    const clicked = await post({ baseUrl }, click);
    expect(clicked.status).toBe(200);
    expect(cardText(invokeCard(clicked))).toContain(issue.key);
    expect((await core.records.issue(p.id, issue.id))?.firstResponseAt).not.toBeNull();
  });

  it("names a lead who cannot be reached in /metrics and tells the admins once, in the linked channel, what to do", async () => {
    const rows = await stores.outbox.list({ job: "sla-watch" });
    const una = rows.find((r) => r.target === leadTarget(UNA.aad));
    expect(una).toMatchObject({
      status: "failed",
      lastError: expect.stringMatching(/share no team or chat/),
    });

    // The failure queued the admins' note; the next pass posts it in the team's channel.
    const from = connector.count;
    const telemetry = new Telemetry({ defaultMetrics: false });
    recordDueJobs(telemetry, await run());
    const notes = cardsIn(postsTo(connector.calls().slice(from), IDS.team));
    expect(notes.map(cardText)).toEqual([
      expect.stringContaining(`rapport cannot send nudges to ${UNA.name}`),
    ]);
    expect(cardText(notes[0])).toMatch(/Add rapport to a team they belong to/);

    // Another nudge Una cannot get: the admins are not told again.
    await p1("Email is down");
    clock.advance(16 * MIN);
    const second = await run();
    recordDueJobs(telemetry, second);
    recordDueJobs(telemetry, await run());
    const later = cardsIn(postsTo(connector.calls().slice(from), IDS.team)).map(cardText);
    expect(later.filter((t) => t.includes("cannot send nudges"))).toHaveLength(1);
    const metrics = await telemetry.metricsText();
    expect(metrics).toContain(`rapport_unreachable_leads{lead="${leadTarget(UNA.aad)}"} 1`);
  });

  it("sets rows for Slack, which is not configured here, aside at once and counts them apart", async () => {
    await p1("Printer on fire");
    clock.advance(16 * MIN);
    const telemetry = new Telemetry({ defaultMetrics: false });
    const result = await run();
    recordDueJobs(telemetry, result);
    const slackRows = (await stores.outbox.list({ job: "sla-watch" })).filter(
      (r) => r.destination.platform === "slack",
    );
    expect(slackRows.length).toBeGreaterThanOrEqual(3);
    expect(new Set(slackRows.map((r) => r.status))).toEqual(new Set(["unconfigured"]));
    expect(result.outbox?.deliveries.unconfigured).toBeGreaterThanOrEqual(3);
    const metrics = await telemetry.metricsText();
    expect(metrics).toMatch(
      /rapport_outbox_deliveries_total\{job="outbox-sender",outcome="unconfigured"\} 1/,
    );
    expect(metrics).toMatch(/rapport_outbox_rows\{status="unconfigured"\} [3-9]/);
    expect(metrics).toMatch(/rapport_outbox_rows\{status="pending"\} 0/);
  });

  it("opens the personal chat again when Teams answers 404 for the one it knew", async () => {
    const before = (await leeChats())!.conversationId;
    const issue = await p1("VPN refuses everyone");
    clock.advance(16 * MIN);
    connector.failNext({ status: 404 });
    const from = connector.count;
    await run();
    const calls = connector.calls().slice(from);
    const lee = calls.filter(
      (c) =>
        c.conversationId === before || (c.kind === "create" && JSON.stringify(c.body).includes(IDS.lead.aad)),
    );
    expect(lee.map((c) => [c.kind, c.status])).toEqual([
      ["send", 404],
      ["create", 201],
    ]);
    const after = (await leeChats())!.conversationId;
    expect(after).not.toBe(before);
    expect(cardsIn(postsTo(calls, after)).map(cardText)).toEqual([
      expect.stringContaining(`${issue.key} is past its first-response target`),
    ]);
  });

  it("one broken chat holds up nothing: one call per attempt, the digest goes out in the same run, no retry within the run", async () => {
    const chat = (await leeChats())!.conversationId;
    connector.failConversation(chat, { status: 502 });
    await p1("Phones are dead");
    // Monday 23 November, 09:31: last week's digest is due, and the new P1 is past its target.
    clock.set("2026-11-23T09:15:00Z");
    await p1("Wi-Fi is down");
    clock.set("2026-11-23T09:31:00Z");
    const from = connector.count;
    const started = Date.now();
    const result = await run();
    const elapsed = Date.now() - started;
    const calls = connector.calls().slice(from);
    // Each nudge to Lee is one call (botbuilder's client would have made four), and each row is
    // tried once in the run.
    const toLee = postsTo(calls, chat);
    expect(toLee.length).toBeGreaterThan(0);
    expect(toLee.every((c) => c.status === 502)).toBe(true);
    expect(toLee).toHaveLength(1);
    const digests = cardsIn(postsTo(calls, IDS.team)).filter((c) => cardText(c).includes("Weekly digest"));
    expect(digests).toHaveLength(1);
    expect(elapsed).toBeLessThan(10_000);
    const sender = result.jobs.find((j) => j.job === "outbox-sender")!;
    expect(sender.targets.filter((t) => t.target === leadTarget(IDS.lead.aad)).map((t) => t.outcome)).toEqual(
      ["retry"],
    );
    // The failed nudge and the one that waited with it are due later, not now.
    const waiting = (await stores.outbox.list({ job: "sla-watch" })).filter(
      (r) => r.target === leadTarget(IDS.lead.aad) && r.status === "pending",
    );
    expect(waiting.length).toBeGreaterThanOrEqual(2);
    for (const r of waiting) expect(r.nextAttemptAt.getTime()).toBeGreaterThan(clock.now().getTime());
    const again = connector.count;
    await run();
    expect(postsTo(connector.calls().slice(again), chat)).toEqual([]);

    // Once the chat works again, each waiting nudge arrives once.
    connector.recover();
    clock.advance(60 * MIN);
    const healed = connector.count;
    await run();
    expect(postsTo(connector.calls().slice(healed), chat).filter((c) => c.status < 300)).toHaveLength(
      waiting.length,
    );
  });

  it("gives up on a chat that does not answer in time, and tries it again later", async () => {
    const chat = (await leeChats())!.conversationId;
    connector.slowConversation(chat, 3_000);
    await p1("Backups failed");
    clock.advance(16 * MIN);
    const result = await run({ sender: { attemptTimeoutMs: 500 } });
    const sender = result.jobs.find((j) => j.job === "outbox-sender")!;
    expect(sender.targets.find((t) => t.target === leadTarget(IDS.lead.aad))).toMatchObject({
      outcome: "retry",
      detail: expect.stringMatching(/^no answer within 500 ms/),
    });
    connector.recover();
  });

  it("a dry run lists what would be sent, to whom and why, and sends and records nothing", async () => {
    await p1("Laptops will not boot");
    clock.advance(16 * MIN);
    const rowsBefore = (await stores.outbox.list()).length;
    const from = connector.count;
    const result = await run({ dryRun: true });
    const planned = result.jobs.find((j) => j.job === "sla-watch")!.targets;
    expect(planned).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          outcome: "would_queue",
          target: leadTarget(IDS.lead.aad),
          detail: IDS.lead.name,
          summary: expect.stringContaining("is past its first-response target"),
        }),
      ]),
    );
    expect(connector.calls().slice(from)).toEqual([]);
    expect((await stores.outbox.list()).length).toBe(rowsBefore);
  });
});
