// Two workspaces and two tenants cannot read or change each other's partnerships through any
// command, button, form, message action, event or export. Partnership A (Slack workspaces
// T0ALPHAPROV/T0ALPHACLI, Teams tenant tenant-alpha-prov) and partnership B (T0BRAVO…,
// tenant-bravo-prov) on the PostgreSQL server, served by real `rapport serve` processes with Slack
// signed over HTTP against a fake Slack and Teams in local mode against a fake connector. Every
// entry point is sent by B's people (and by a stranger of a workspace and a tenant rapport does
// not know) aimed at A's issues, recommendations, messages, channels and partnership id, and by
// A's own people on the wrong side where the action has a side; then by A's rightful people, to
// show that each request was well-formed and would have acted.
import fc from "fast-check";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeConnector, type FakeConnector } from "../contract/teams/support/fake-connector.ts";
import {
  RapportFleet,
  scratchDatabase,
  startSlowFakeSlack,
  type ScratchDatabase,
  type SlowFakeSlack,
} from "../db/support/rapport-processes.ts";
import { propertyParams } from "../db/support/scorecard-laws.ts";
import { waitUntil } from "../db/support/wait.ts";
import { plan } from "./support/isolation-plan.ts";
import type { SlackContext } from "./support/isolation-slack-requests.ts";
import { SLACK_ENTRIES, uncoveredSlackNames } from "./support/isolation-slack.ts";
import { asText, control, describe as explain, sweep, type Verdict } from "./support/isolation-sweep.ts";
import type { TeamsContext } from "./support/isolation-teams-requests.ts";
import { TEAMS_ENTRIES, uncoveredTeamsNames } from "./support/isolation-teams.ts";
import { A_MESSAGE_TEXT, leaksIn, PEOPLE, SLACK, seedWorld, type World } from "./support/isolation-world.ts";
import { report, spread } from "./support/traffic.ts";

describe("isolation between partnerships, on PostgreSQL", () => {
  let db: ScratchDatabase;
  let slack: SlowFakeSlack;
  let connector: FakeConnector;
  let fleet: RapportFleet;
  let world: World;
  let ports: [number, number];
  let sc: SlackContext;
  let tc: TeamsContext;

  beforeAll(async () => {
    db = await scratchDatabase();
    slack = await startSlowFakeSlack();
    connector = await startFakeConnector();
    world = await seedWorld(db.core);
    for (const p of Object.values(PEOPLE.slack))
      slack.fake.setUser({ id: p.id, team_id: p.workspace, name: p.id.toLowerCase(), real_name: p.name });
    // The message of A's client a :ticket: is added to, as Slack gives it back to rapport.
    const author = PEOPLE.slack.aStaff;
    slack.fake.setMessages(SLACK.aChannel, [
      { ts: world.slack.ticketTs, user: author.id, text: A_MESSAGE_TEXT, user_team: author.workspace },
    ]);
    // Slack and Teams are sent by hand: no digest or nudge falls due on its own mid-sweep.
    fleet = await RapportFleet.create(db.url, slack.fake.url, { RAPPORT_JOBS: "off" });
    // Two replicas, as a load balancer spreads requests: A's people are heard by the first, the
    // outsiders reach the second, which has not heard from A's conversations, so nothing a process
    // holds in memory about them stands between the outsiders and the database.
    const [first, second] = await Promise.all([fleet.serve(), fleet.serve()]);
    ports = [first.port, second.port];
    sc = { port: first.port, fake: slack.fake, store: db.store, world, views: {} };
    tc = { port: first.port, connector, world, forms: {} };
  });
  afterAll(async () => {
    await fleet?.dispose();
    await connector?.close();
    await slack?.close();
    await db?.dispose();
  });

  it("no request of one partnership's people reads or changes the other's, and each acts for the right person", async () => {
    expect(uncoveredSlackNames()).toEqual([]);
    expect(uncoveredTeamsNames()).toEqual([]);
    const { attempts, positives, mixed } = plan(sc, tc);
    await introduceSlackPeople();
    // What only shows A (and opens A's forms, which the forgers then submit) first; what changes A, last.
    const controls = [];
    for (const p of positives.filter((x) => x.proof !== "changes"))
      controls.push(await control(db.store, world, p));

    sc.port = tc.port = ports[1];
    await introduceSlackPeople();
    const outsidersFrom = { slack: slack.fake.calls().length, teams: connector.count };
    const verdicts = await sweep(
      db.store,
      world,
      attempts.filter((a) => a.outsider),
    );
    const drawn: Verdict[] = [];
    await fc.assert(
      fc.asyncProperty(mixed, async (attempt) => {
        const [verdict] = await sweep(db.store, world, [attempt]);
        drawn.push(verdict!);
        expect(verdict!.faults, explain(verdict!)).toEqual([]);
      }),
      propertyParams(40),
    );
    // What the sweep recorded in B goes out after its answers: once sent, look at everything.
    await waitUntil(async () => (await unsent()) === 0, 30_000, "the outbox drained");
    const late = seenByOutsiders(outsidersFrom);
    // A's own people on the wrong side may read A: they come after that look.
    const insiders = await sweep(
      db.store,
      world,
      attempts.filter((a) => !a.outsider),
    );
    for (const p of positives.filter((x) => x.proof === "changes"))
      controls.push(await control(db.store, world, p));

    const all = [...verdicts, ...drawn, ...insiders];
    const outsiders = [...verdicts, ...drawn];
    report("isolation", {
      entryPoints: `${new Set(all.map((v) => `${v.attempt.platform} ${v.attempt.entry}`)).size} (Slack ${SLACK_ENTRIES.length}, Teams ${TEAMS_ENTRIES.length})`,
      requests: all.length,
      byOutsiders: `${outsiders.length} (${drawn.length} drawn at random)`,
      byTheWrongSideOfA: insiders.length,
      refused: all.filter((v) => v.refused).length,
      answeredWithNothingOfA: all.filter((v) => !v.refused).length,
      leaks: outsiders.reduce((n, v) => n + v.leaks.length, 0) + late.length,
      changesToA: all.filter((v) => v.changes.length > 0).length,
      statuses: [...new Set(all.map((v) => v.answer.status))].sort().join("/"),
      answerMs: spread(all.map((v) => v.answer.ms)),
      positiveControls: `${controls.filter((c) => c.ok).length}/${controls.length} acted`,
      byFamily: countBy(all.map((v) => v.attempt.family)),
    });
    expect(all.filter((v) => v.faults.length > 0).map(explain)).toEqual([]);
    expect(late).toEqual([]);
    const weak = controls.filter((c) => !c.ok);
    expect(
      weak.map((c) => `${c.positive.platform} ${c.positive.entry}: ${c.answer.seen.slice(0, 400)}`),
    ).toEqual([]);
  });

  /** Has the serving process learn every Slack person's own team, as it does in use (users.info after a first command). */
  async function introduceSlackPeople(): Promise<void> {
    const status = SLACK_ENTRIES.find((e) => e.name === "/itpartner status")!;
    for (const person of Object.values(PEOPLE.slack)) {
      const at = { name: "an introduction", team: person.workspace, channel: "C0INTRODUCE" };
      await waitUntil(
        async () => !(await status.send(sc, person, at, "A")).seen.includes("still finding out"),
        30_000,
        `rapport learning ${person.id}'s team`,
      );
    }
  }

  /** Outbox rows due and not sent yet. */
  async function unsent(): Promise<number> {
    const { rows } = await sql<{ n: string }>`
      select count(*)::text as n from outbox
      where status in ('pending', 'sending') and next_attempt_at <= now()`.execute(db.store.db);
    return Number(rows[0]!.n);
  }

  /** A's names, titles and keys in anything rapport sent either platform while only outsiders were sending. */
  function seenByOutsiders(from: { slack: number; teams: number }): string[] {
    const sent = [
      ...slack.fake
        .calls()
        .slice(from.slack)
        .map((c) => `${c.method} ${asText(c.params)}`),
      ...connector
        .calls()
        .slice(from.teams)
        .map((c) => `${c.kind} ${asText(c.body)}`),
    ].join("\n");
    // The forgeries carry A's ids, so ids said back are judged request by request; names never are.
    return leaksIn({ ...world, markers: { ...world.markers, ids: [] } }, sent, "");
  }
});

function countBy(values: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const v of values) out[v] = (out[v] ?? 0) + 1;
  return out;
}
