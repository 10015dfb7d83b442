// Conversation references and proactive posts. The notifier lives inside the process, so this file
// builds the Teams adapter directly (createTeamsAdapter on a core over an in-memory embedded
// database), serves its route on loopback, replays install/remove activities to it, then sends
// through TeamsNotifier into the fake connector.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createTeamsAdapter, type TeamsAdapter } from "../../../adapters/teams/teams-app.ts";
import { digestDocument, noticeDocument } from "../../../src/index.ts";
import { silentLogger } from "../../../src/logger.ts";
import { digest } from "../../unit/adapters/teams/presenters/fixtures.ts";
import { expectValidCard } from "../../unit/adapters/teams/presenters/valid-card.ts";
import { Rapport } from "../../../src/index.ts";
import { createCore } from "../../../src/services/core.ts";
import { openStore, type Store } from "../../../src/store/database.ts";
import { templateFile } from "../../../scripts/build.js";
import { migrateToLatest } from "../../../src/store/migrate.ts";
import { startFakeConnector, type FakeConnector } from "./support/fake-connector.ts";
import { IDS } from "./support/teams-ids.ts";
import { cardsIn, cardText, channelMessage, loadFixture, post } from "./support/teams-kit.ts";
import type { TeamsHarness } from "./support/harness.ts";

const NUDGE = ["SLA nudge", "CLIENT-7 has waited 3 h for a first response."] as const;
const MESSAGE = noticeDocument(...NUDGE);
const toChannel = (channelId: string) =>
  ({ kind: "channel", platform: "teams", workspaceId: IDS.providerTenant, channelId }) as const;
const toTess = {
  kind: "person",
  platform: "teams",
  workspaceId: IDS.providerTenant,
  userId: IDS.tech.aad,
} as const;

describe("Teams conversation references and TeamsNotifier", () => {
  let store: Store;
  let connector: FakeConnector;
  let teams: TeamsAdapter;
  let server: Server;
  /** What the kit's builders need: the server's URL and the connector. */
  let h: TeamsHarness;

  beforeAll(async () => {
    store = await openStore({ kind: "pglite", dataDir: null, template: templateFile() });
    const migrated = await migrateToLatest(store.db);
    if (migrated.error) throw migrated.error;
    connector = await startFakeConnector();
    teams = createTeamsAdapter({
      config: { mode: "local" },
      rapport: new Rapport(createCore(store)),
      logger: silentLogger,
    });
    server = createServer((req, res) => {
      if (req.method === teams.route.method && req.url === teams.route.path) {
        void teams.route.handler(req, res);
      } else res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    const none = async () => {};
    h = {
      baseUrl: `http://127.0.0.1:${port}`,
      connector,
      partnershipId: "",
      env: {},
      stopServer: none,
      stop: none,
    };
  }, 60_000);
  afterAll(async () => {
    await new Promise<void>((resolve) => server?.close(() => resolve()));
    await connector?.close();
    await store?.close();
  });
  beforeEach(() => connector.reset());

  const activity = (fixture: string) => loadFixture(fixture, { serviceUrl: connector.url });

  it("before any install, sending is a permanent failure that says why", async () => {
    const outcome = await teams.notifier.send(toChannel(IDS.team), MESSAGE);
    expect(outcome).toMatchObject({
      ok: false,
      permanent: true,
      reason: expect.stringMatching(/not installed/),
    });
    expect(connector.calls()).toEqual([]);
  });

  it("installationUpdate add in a team: rapport posts into its channel on its own, as a new thread", async () => {
    const res = await post(h, activity("installation-update-add-team"));
    expect(res.status).toBe(200);
    expect(connector.calls()).toEqual([]);

    const outcome = await teams.notifier.send(toChannel(IDS.team), MESSAGE);
    expect(outcome).toEqual({ ok: true, messageId: expect.stringMatching(/^fake-/) });
    const [sent] = connector.calls();
    expect(sent).toMatchObject({ method: "POST", kind: "send", conversationId: IDS.team });
    expect(sent!.body).toMatchObject({ type: "message", from: { id: IDS.bot } });
    const [card] = cardsIn([sent!]);
    expectValidCard(card);
    expect(cardText(card)).toContain("SLA nudge");
    expect(cardText(card)).toContain("CLIENT-7 has waited 3 h");
    // Local mode: no credentials, so no token goes to the connector.
    expect(sent!.authorization).toBeNull();
  });

  it("installationUpdate add in personal chat: rapport can message that person", async () => {
    await post(h, activity("installation-update-add-personal"));
    const outcome = await teams.notifier.send(
      toTess,
      noticeDocument(...NUDGE, [{ label: "Client", value: "Client Co" }]),
    );
    expect(outcome.ok).toBe(true);
    const [sent] = connector.calls();
    expect(sent).toMatchObject({ kind: "send", conversationId: IDS.techPersonalChat });
    expect(cardsIn([sent!])[0]).toMatchObject({
      body: expect.arrayContaining([{ type: "FactSet", facts: [{ title: "Client", value: "Client Co" }] }]),
    });
  });

  it("a digest goes out as a valid Adaptive Card", async () => {
    const outcome = await teams.notifier.send(toChannel(IDS.team), digestDocument(digest()));
    expect(outcome.ok).toBe(true);
    const cards = cardsIn(connector.calls());
    expect(cards).toHaveLength(1);
    expectValidCard(cards[0]);
  });

  it("a message in a channel remembers that channel: posts go to the channel, not the message's thread", async () => {
    await post(h, channelMessage(h, "help"));
    connector.reset();
    const outcome = await teams.notifier.send(toChannel(IDS.supportChannel), MESSAGE);
    expect(outcome.ok).toBe(true);
    expect(connector.calls()[0]).toMatchObject({ kind: "send", conversationId: IDS.supportChannel });
  });

  it("a 403 (bot removed from the team) or 404 (conversation deleted) from the connector is permanent", async () => {
    for (const status of [403, 404] as const) {
      connector.failNext({ status });
      const outcome = await teams.notifier.send(toChannel(IDS.team), MESSAGE);
      expect(outcome).toMatchObject({
        ok: false,
        permanent: true,
        reason: expect.stringMatching(new RegExp(`^${status} `)),
      });
    }
    // Not retried: one attempt each.
    expect(connector.calls()).toHaveLength(2);
    expect(await teams.notifier.send(toChannel(IDS.team), MESSAGE)).toMatchObject({ ok: true });
  });

  // The notifier's connector client makes each call once (botbuilder's own client would retry 429
  // and 5xx three more times): the outbox decides when to try again.
  it("a 429 is one call, not permanent, and carries Retry-After", async () => {
    connector.failNext({ status: 429, retryAfter: 1, times: 10 });
    const outcome = await teams.notifier.send(toChannel(IDS.team), MESSAGE);
    expect(outcome).toMatchObject({ ok: false, permanent: false, retryAfterMs: 1000 });
    expect(connector.calls()).toHaveLength(1);
  });

  it("a 502 is one call and not permanent", async () => {
    connector.failNext({ status: 502, times: 10 });
    const outcome = await teams.notifier.send(toChannel(IDS.team), MESSAGE);
    expect(outcome).toMatchObject({ ok: false, permanent: false, reason: expect.stringMatching(/^502 /) });
    expect(outcome).not.toHaveProperty("retryAfterMs");
    expect(connector.calls()).toHaveLength(1);
  });

  it("a 503 is one call and carries the connector's Retry-After", async () => {
    connector.failNext({ status: 503, retryAfter: 1, times: 10 });
    const outcome = await teams.notifier.send(toChannel(IDS.team), MESSAGE);
    expect(outcome).toMatchObject({ ok: false, permanent: false, retryAfterMs: 1000 });
    expect(connector.calls()).toHaveLength(1);
  });

  it("installationUpdate remove marks the conversation gone: posting there is then a permanent failure", async () => {
    await post(h, activity("installation-update-remove-team"));
    await post(h, activity("installation-update-remove-personal"));
    expect(await teams.notifier.send(toChannel(IDS.team), MESSAGE)).toMatchObject({
      ok: false,
      permanent: true,
      reason: expect.stringMatching(/removed/),
    });
    expect(connector.calls()).toEqual([]);
    // Tess removed rapport from her chat, but shares the support channel's team with it, where it
    // still is: Teams lets rapport open a new chat with her.
    expect(await teams.notifier.send(toTess, MESSAGE)).toMatchObject({ ok: true });
    expect(connector.calls().map((c) => c.kind)).toEqual(["create", "send"]);
  });

  it("conversationUpdate with the bot in membersAdded remembers the team again", async () => {
    const res = await post(h, activity("conversation-update-bot-added"));
    expect(res.status).toBe(200);
    const outcome = await teams.notifier.send(toChannel(IDS.team), MESSAGE);
    expect(outcome.ok).toBe(true);
    expect(connector.calls()[0]).toMatchObject({ kind: "send", conversationId: IDS.team });
  });
});
