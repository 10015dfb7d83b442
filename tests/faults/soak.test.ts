// A steady mixed load on one real `rapport serve` (PostgreSQL server, Slack over HTTP, Teams in
// local mode) for RAPPORT_SOAK_SECONDS (ten minutes unless told): client staff reporting by
// command, message and Teams mention, technicians answering in threads and clicking Acknowledge,
// the lead opening App Home, Teams `status`. After a warm-up, the answers' p99, the process's
// resident memory, its open file descriptors and its database connections must stay flat: less
// than 10 % growth from the start of the measured period to its end (for the p99, or no more than
// P99_NOISE_MS).
import { monitorEventLoopDelay } from "node:perf_hooks";
import { sql } from "kysely";
import { Agent } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  metric,
  type RapportProcess,
  type ScratchDatabase,
  type SlowFakeSlack,
} from "../db/support/rapport-processes.ts";
import { waitUntil } from "../db/support/wait.ts";
import type { FakeConnector } from "../contract/teams/support/fake-connector.ts";
import { collectGarbage } from "./support/inspector.ts";
import { startLoadRig, type LoadRig } from "./support/load-rig.ts";
import { canReadProc, cpuMs, dbConnections, mb, openFds, rssBytes } from "./support/server-figures.ts";
import {
  seedSoakPartnerships,
  slackAcknowledge,
  slackAppHome,
  slackCommand,
  slackMessage,
  teamsAcknowledge,
  teamsIssue,
  teamsStatus,
  unansweredIssues,
  type SoakPartnership,
  type SoakRequest,
} from "./support/soak-traffic.ts";
import { report, spread } from "./support/traffic.ts";

/** The whole soak, warm-up included. */
const SECONDS = Number(process.env.RAPPORT_SOAK_SECONDS ?? 600);
/** Requests a second, sent on a fixed schedule whatever the answers take (an open loop, as platforms send). */
const RATE = Number(process.env.RAPPORT_SOAK_RATE ?? 10);
/** The first fifth: pools, caches, compiled code and the heap sized to the load before anything is measured. */
const WARMUP_SECONDS = Math.max(10, Math.round(SECONDS / 5));
/** Growth allowed from the start of the measured period to its end. */
const GROWTH = 0.1;
/**
 * What the p99 of a few minutes moves by on a 2-core machine with nothing growing: one garbage
 * collection or scheduler hiccup of another process lands in it. Below this, a difference is noise.
 */
const P99_NOISE_MS = 25;
/** Requests allowed in flight at once: beyond it the schedule is behind, which the report says. */
const IN_FLIGHT_CAP = 200;
const ANSWER_MS = 3_000;
/** How many samples of the running process the report shows over the measured period. */
const SAMPLES = 10;

/** What to send, by weight: what a day of an MSP's client partnerships looks like. */
const MIX: readonly [kind: Kind, weight: number][] = [
  ["slack command", 25],
  ["slack message", 15],
  ["slack reply", 15],
  ["slack acknowledge", 8],
  ["slack home", 2],
  ["teams issue", 20],
  ["teams acknowledge", 10],
  ["teams status", 5],
];
type Kind =
  | "slack command"
  | "slack message"
  | "slack reply"
  | "slack acknowledge"
  | "slack home"
  | "teams issue"
  | "teams acknowledge"
  | "teams status";

interface Outcome {
  kind: string;
  /** When it was sent, in ms since the measured period began (negative: warm-up). */
  at: number;
  status: number;
  ms: number;
}

interface Settled {
  rss: number;
  /** V8's heap in use, and memory outside it that V8 knows of (buffers), from the server's /metrics. */
  heap: number;
  external: number;
  /**
   * Open descriptors besides its database connections (whose number the pool's idle timeout
   * decides at rest): files, pipes, listening sockets, and any socket left behind. The driver's
   * own connections are closed before it is read.
   */
  fds: number;
}

describe.skipIf(!canReadProc())("a steady mixed load for a long while", () => {
  let rig: LoadRig;
  let partnerships: SoakPartnership[];
  beforeAll(async () => {
    rig = await startLoadRig();
    // An MSP's client base: each client partnership in a channel of its own, the provider's
    // technician and lead in all of them (App Home shows the lead the first ten).
    partnerships = await seedSoakPartnerships(rig.db.core, rig.slack.fake, { slack: 36, teams: 12 });
  });
  afterAll(() => rig?.dispose());

  it(
    `${SECONDS} s at ${RATE} requests a second: p99, memory, descriptors and connections flat after warm-up`,
    { timeout: (SECONDS + 600) * 1000 },
    async () => {
      const { db, slack, connector, fleet } = rig;
      const { process: serve, port } = await fleet.serve();
      const traffic = new SoakTraffic(db, partnerships, slack, connector);
      const origin = `http://127.0.0.1:${port}`;

      const warmStarted = Date.now();
      const warm = await phase(origin, (send) => traffic.drive(send, WARMUP_SECONDS, -WARMUP_SECONDS * 1000));
      await settle(db);
      const start = await settled(serve, port, db);
      const cpuStart = cpuMs(serve.child.pid!);

      const samples: Record<string, unknown>[] = [];
      // The database connections the server holds under the load, at their most in each half.
      const peakConnections = [0, 0];
      const measuredStarted = Date.now();
      const measuredSeconds = Math.max(10, SECONDS - Math.round((measuredStarted - warmStarted) / 1000));
      const sampler = setInterval(
        () => {
          const s = Math.round((Date.now() - measuredStarted) / 1000);
          const rss = rssBytes(serve.child.pid!);
          const fds = openFds(serve.child.pid!);
          void Promise.all([
            dbConnections(db.store),
            metric(port, "nodejs_heap_size_used_bytes", {}),
            metric(port, "nodejs_external_memory_bytes", {}),
          ]).then(([connections, heap, external]) => {
            samples.push({ s, rssMb: mb(rss), heapMb: mb(heap), externalMb: mb(external), fds, connections });
            const half = s * 1000 < (measuredSeconds * 1000) / 2 ? 0 : 1;
            peakConnections[half] = Math.max(peakConnections[half]!, connections);
          });
        },
        (measuredSeconds * 1000) / SAMPLES,
      );
      // The driver's own event loop, half by half: a late timer here would show as a slow answer.
      const lag = [monitorEventLoopDelay({ resolution: 10 }), monitorEventLoopDelay({ resolution: 10 })];
      lag[0]!.enable();
      const turn = setTimeout(() => (lag[0]!.disable(), lag[1]!.enable()), (measuredSeconds * 1000) / 2);
      const outcomes = await phase(origin, (send) => traffic.drive(send, measuredSeconds, 0)).finally(() => {
        clearInterval(sampler);
        clearTimeout(turn);
        lag[1]!.disable();
      });
      const cpu = cpuMs(serve.child.pid!) - cpuStart;
      await settle(db);
      const end = await settled(serve, port, db);

      const halfway = (measuredSeconds * 1000) / 2;
      const first = spread(outcomes.filter((o) => o.at < halfway).map((o) => o.ms));
      const second = spread(outcomes.filter((o) => o.at >= halfway).map((o) => o.ms));
      const failed = outcomes.filter((o) => o.status === 0 || o.status >= 300 || o.ms >= ANSWER_MS);
      const grew = (from: number, to: number) => Math.round(((to - from) / from) * 1000) / 10;
      const alive = serve.child.exitCode === null && serve.child.signalCode === null;
      report("soak", {
        seconds: SECONDS,
        warmupSeconds: WARMUP_SECONDS,
        rate: RATE,
        partnerships: `${partnerships.filter((p) => p.platform === "slack").length} slack + ${partnerships.filter((p) => p.platform === "teams").length} teams`,
        warmupRequests: warm.length,
        requests: outcomes.length,
        byKind: countBy(outcomes, (o) => o.kind),
        statuses: countBy(outcomes, (o) => String(o.status)),
        failed: failed.length,
        behindSchedule: traffic.behind,
        answerMs: spread(outcomes.map((o) => o.ms)),
        p99FirstHalf: first.p99,
        p99SecondHalf: second.p99,
        p99ByKind: p99ByKind(outcomes, halfway),
        cpuMsPerRequest: Math.round((cpu / outcomes.length) * 100) / 100,
        rssMb: `${mb(start.rss)} → ${mb(end.rss)} (${grew(start.rss, end.rss)} %)`,
        heapMb: `${mb(start.heap)} → ${mb(end.heap)}`,
        externalMb: `${mb(start.external)} → ${mb(end.external)}`,
        fds: `${start.fds} → ${end.fds}`,
        connectionsUnderLoad: `${peakConnections[0]} → ${peakConnections[1]}`,
        issues: await issueCounts(db),
        slackPosts: traffic.slackPosts,
        teamsPosts: traffic.teamsPosts,
        driverLagP99Ms: lag.map((h) => Math.round(h.percentile(99) / 1e5) / 10),
        processAlive: alive,
      });
      for (const s of samples) report("soak sample", s);
      for (const f of failed.slice(0, 10)) report("soak failed", { ...f });

      expect(alive).toBe(true);
      expect(failed).toEqual([]);
      expect(second.p99).toBeLessThanOrEqual(Math.max(first.p99 * (1 + GROWTH), first.p99 + P99_NOISE_MS));
      expect(end.rss).toBeLessThanOrEqual(start.rss * (1 + GROWTH));
      expect(end.fds).toBeLessThanOrEqual(Math.max(start.fds * (1 + GROWTH), start.fds + 1));
      expect(peakConnections[1]).toBeLessThanOrEqual(
        Math.max(peakConnections[0]! * (1 + GROWTH), peakConnections[0]! + 1),
      );
    },
  );
});

/** Chooses and builds the soak's requests, and remembers what later ones act on. */
class SoakTraffic {
  /** Requests not sent on time because IN_FLIGHT_CAP were still unanswered. */
  behind = 0;
  private readonly slack: SoakPartnership[];
  private readonly teams: SoakPartnership[];
  /** Per partnership: client messages a technician has not answered yet (Slack) … */
  private readonly threads = new Map<string, string[]>();
  /** … and issues nobody has acknowledged, refreshed from the database. */
  private readonly unanswered = new Map<string, string[]>();
  private turn = 0;
  private draw = 0;

  constructor(
    private readonly db: ScratchDatabase,
    partnerships: SoakPartnership[],
    private readonly fakeSlack: SlowFakeSlack,
    private readonly connector: FakeConnector,
  ) {
    this.slack = partnerships.filter((p) => p.platform === "slack");
    this.teams = partnerships.filter((p) => p.platform === "teams");
  }

  /** Sends RATE requests a second for `seconds`, each on its own schedule; `from` offsets `at`. */
  async drive(send: Send, seconds: number, from: number) {
    const outcomes: Outcome[] = [];
    const inFlight = new Set<Promise<void>>();
    const started = Date.now();
    const total = Math.round(seconds * RATE);
    const refresh = setInterval(() => {
      this.forgetCalls();
      void this.refreshIssues();
    }, 2_000);
    await this.refreshIssues();
    try {
      for (let n = 0; n < total; n++) {
        const due = started + (n * 1000) / RATE;
        if (due > Date.now()) await new Promise((resolve) => setTimeout(resolve, due - Date.now()));
        if (inFlight.size >= IN_FLIGHT_CAP) {
          this.behind += 1;
          await Promise.race(inFlight);
        }
        const request = this.next();
        const at = Date.now() - started + from;
        const p: Promise<void> = send(request).then(({ status, ms }) => {
          outcomes.push({ kind: request.kind, at, status, ms });
          inFlight.delete(p);
        });
        inFlight.add(p);
      }
      await Promise.all(inFlight);
    } finally {
      clearInterval(refresh);
      this.forgetCalls();
    }
    return outcomes;
  }

  /** What rapport posted so far: cards, confirmations and replies on Slack, activities on Teams. */
  slackPosts = 0;
  teamsPosts = 0;

  /**
   * Counts what the fakes recorded and lets it go: kept for ten minutes, the fakes' records would
   * grow the driver's heap and its garbage collections' pauses, which would show as slower answers.
   */
  private forgetCalls(): void {
    this.slackPosts += this.fakeSlack.fake.calls("chat.postMessage").length;
    this.fakeSlack.fake.reset();
    this.teamsPosts += this.connector.posted().length;
    this.connector.reset();
  }

  private next(): SoakRequest {
    const kind = this.kind();
    const platform = kind.startsWith("slack") ? this.slack : this.teams;
    const p = platform[this.turn++ % platform.length]!;
    const responseUrl = () => this.fakeSlack.fake.responseUrl();
    switch (kind) {
      case "slack command":
        return slackCommand(p, responseUrl());
      case "slack reply": {
        const ts = this.threads.get(p.id)?.shift();
        if (ts) return slackMessage(p, ts).request;
        return this.clientMessage(p);
      }
      case "slack message":
        return this.clientMessage(p);
      case "slack acknowledge": {
        const issue = this.unanswered.get(p.id)?.shift();
        return issue ? slackAcknowledge(p, issue, responseUrl()) : slackCommand(p, responseUrl());
      }
      case "slack home":
        return slackAppHome();
      case "teams issue":
        return teamsIssue(p, this.connector.url);
      case "teams acknowledge": {
        const issue = this.unanswered.get(p.id)?.shift();
        return issue ? teamsAcknowledge(p, issue, this.connector.url) : teamsIssue(p, this.connector.url);
      }
      case "teams status":
        return teamsStatus(p, this.connector.url);
    }
  }

  /** The next kind of request, in the proportions of MIX, spread evenly (a fixed cycle, not chance). */
  private kind(): Kind {
    const cycle = MIX.reduce((sum, [, w]) => sum + w, 0);
    let slot = (this.draw++ * 37) % cycle;
    for (const [kind, weight] of MIX) {
      if (slot < weight) return kind;
      slot -= weight;
    }
    return MIX[0]![0];
  }

  private clientMessage(p: SoakPartnership): SoakRequest {
    const { request, ts } = slackMessage(p);
    const waiting = this.threads.get(p.id) ?? [];
    // The technician answers the recent ones; a thread nobody answers stays unanswered, as some do.
    this.threads.set(p.id, [...waiting.slice(-20), ts]);
    return request;
  }

  private async refreshIssues(): Promise<void> {
    for (const p of [...this.slack, ...this.teams])
      this.unanswered.set(p.id, await unansweredIssues(this.db.store, p.id));
  }
}

type Send = (r: SoakRequest) => Promise<{ status: number; ms: number }>;

/**
 * Runs `work` with a sender of its own connections to rapport at `origin`, closed when it ends, so
 * that the server's descriptors read afterwards hold none of the driver's keep-alive sockets. A
 * request fails (status 0) when the connection failed or nothing came back within 15 s.
 */
async function phase<T>(origin: string, work: (send: Send) => Promise<T>): Promise<T> {
  const agent = new Agent({ connections: IN_FLIGHT_CAP });
  const send: Send = async (r) => {
    const started = performance.now();
    try {
      const res = await agent.request({
        origin,
        path: r.path,
        method: "POST",
        headers: r.headers,
        body: r.body,
        headersTimeout: 15_000,
        bodyTimeout: 15_000,
      });
      await res.body.dump();
      return { status: res.statusCode, ms: Math.round(performance.now() - started) };
    } catch {
      return { status: 0, ms: Math.round(performance.now() - started) };
    }
  };
  try {
    return await work(send);
  } finally {
    await agent.close();
  }
}

/** Waits until every event taken in is processed and every message due is sent (or waiting for a retry). */
async function settle(db: ScratchDatabase): Promise<void> {
  await waitUntil(
    async () => {
      const rows = await sql<{ n: string }>`
        select ((select count(*) from inbox
                 where status = 'processing' or (status = 'pending' and next_attempt_at <= now() and attempts = 0))
              + (select count(*) from outbox
                 where status = 'sending' or (status = 'pending' and next_attempt_at <= now() and attempts = 0)))::text as n`.execute(
        db.store.db,
      );
      return Number(rows.rows[0]?.n ?? 0) === 0;
    },
    300_000,
    "the inbox and outbox settled",
  );
}

/** The server at rest: resident memory after a full collection, its heap, and its descriptors. */
async function settled(serve: RapportProcess, port: number, db: ScratchDatabase): Promise<Settled> {
  await collectGarbage(serve);
  const pid = serve.child.pid!;
  return {
    rss: rssBytes(pid),
    heap: await metric(port, "nodejs_heap_size_used_bytes", {}),
    external: await metric(port, "nodejs_external_memory_bytes", {}),
    fds: openFds(pid) - (await dbConnections(db.store)),
  };
}

/** Issues recorded, and how many of them the provider answered (by a thread reply or a click). */
async function issueCounts(db: ScratchDatabase): Promise<{ recorded: number; answered: number }> {
  const rows = await sql<{ recorded: number; answered: number }>`
    select count(*)::int as recorded, count(first_response_at)::int as answered from issues`.execute(
    db.store.db,
  );
  return rows.rows[0]!;
}

function countBy<T>(items: T[], key: (item: T) => string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const item of items) out[key(item)] = (out[key(item)] ?? 0) + 1;
  return out;
}

/** Each kind's p99 in the first half of the measured period and in the second: "33→41". */
function p99ByKind(outcomes: Outcome[], halfway: number): Record<string, string> {
  const kinds = new Set(outcomes.map((o) => o.kind));
  const p99 = (kind: string, second: boolean) =>
    spread(outcomes.filter((o) => o.kind === kind && o.at >= halfway === second).map((o) => o.ms)).p99;
  return Object.fromEntries([...kinds].map((k) => [k, `${p99(k, false)}→${p99(k, true)}`]));
}
