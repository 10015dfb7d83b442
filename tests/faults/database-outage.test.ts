// PostgreSQL stopped under traffic (a server this suite starts itself, never the shared one): while
// it is down rapport answers quickly with a failure Slack retries, /readyz says not ready, the
// process stays up, and once the server is back it recovers by itself; every report Slack sent
// again is recorded once.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCore } from "../../src/services/core.ts";
import { openStore, type Store } from "../../src/store/database.ts";
import { migrateToLatest } from "../../src/store/migrate.ts";
import { RapportFleet, startSlowFakeSlack, type SlowFakeSlack } from "../db/support/rapport-processes.ts";
import { waitUntil } from "../db/support/wait.ts";
import { canRunOwnPostgres, startOwnPostgres, type OwnPostgres } from "./support/own-postgres.ts";
import {
  clientMessage,
  deliver,
  recordedReports,
  report,
  seedAutoIntake,
  spread,
  titleOf,
} from "./support/traffic.ts";

const OUTAGE_MS = Number(process.env.FAULTS_OUTAGE_SECONDS ?? 30) * 1000;

describe.skipIf(!canRunOwnPostgres)("PostgreSQL stopped under traffic", () => {
  let pg: OwnPostgres;
  let store: Store;
  let slack: SlowFakeSlack;
  let fleet: RapportFleet;
  beforeAll(async () => {
    pg = await startOwnPostgres();
    store = await openStore({ kind: "postgres", url: pg.url, poolSize: 2 });
    const { error } = await migrateToLatest(store.db);
    if (error) throw error;
    await seedAutoIntake(createCore(store));
    slack = await startSlowFakeSlack();
    fleet = await RapportFleet.create(pg.url, slack.fake.url, { RAPPORT_JOBS: "off" });
  });
  afterAll(async () => {
    await fleet?.dispose();
    await slack?.close();
    await store?.close();
    pg?.dispose();
  });

  it("answers fast and non-2xx while down, says not ready, recovers by itself, records every retried report once", async () => {
    const { port, process: serve } = await fleet.serve();
    const sent: { event: ReturnType<typeof clientMessage>; status: number; ms: number; phase: string }[] = [];
    // A probe counts for a phase only when it was both sent and answered in it: one sent during the
    // outage may be answered after the test has started the server again.
    const readiness: { phase: string; status: number; ms: number }[] = [];
    let phase = "before";
    let stop = false;
    const traffic = (async () => {
      for (let i = 0; !stop; i++) {
        const event = clientMessage(`D${i}`);
        const at = phase;
        const d = await deliver(port, event);
        sent.push({ event, status: d.status, ms: d.ms, phase: at });
        const started = Date.now();
        const askedIn = phase;
        const ready = await fetch(`http://127.0.0.1:${port}/readyz`).then(
          (r) => r.status,
          () => 0,
        );
        readiness.push({
          phase: askedIn === phase ? phase : "between",
          status: ready,
          ms: Date.now() - started,
        });
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    })();
    await waitUntil(() => sent.length >= 5, 60_000, "traffic before the outage");
    phase = "down";
    pg.stop();
    const downAt = Date.now();
    await new Promise((resolve) => setTimeout(resolve, OUTAGE_MS));
    phase = "recovering";
    pg.start();
    const upAt = Date.now();
    await waitUntil(
      () => readiness.some((r) => r.phase === "recovering" && r.status === 200),
      60_000,
      "/readyz ready again",
    );
    const recoveredMs = Date.now() - upAt;
    phase = "after";
    await waitUntil(() => sent.filter((s) => s.phase === "after").length >= 5, 60_000, "traffic after");
    stop = true;
    await traffic;

    // Slack sends again what it did not see acknowledged.
    const failed = sent.filter((s) => s.status !== 200);
    const retried = await Promise.all(failed.map((s) => deliver(port, s.event, 1)));
    await waitUntil(async () => (await recordedReports(store)).size >= sent.length, 60_000, "every report");
    const kept = await recordedReports(store);
    const down = sent.filter((s) => s.phase === "down");
    const readyDown = readiness.filter((r) => r.phase === "down");
    report("postgres-outage", {
      outageSeconds: (upAt - downAt) / 1000,
      sent: sent.length,
      duringOutage: down.length,
      statusesDuringOutage: [...new Set(down.map((s) => s.status))].join("/"),
      answerMsDuringOutage: spread(down.map((s) => s.ms)),
      readyzDuringOutage: [...new Set(readyDown.map((r) => r.status))].join("/"),
      readyzMsDuringOutage: spread(readyDown.map((r) => r.ms)).max,
      recoveredAfterRestartMs: recoveredMs,
      retried: `${retried.filter((d) => d.status === 200).length}/${failed.length} answered 200`,
      recorded: kept.size,
      duplicated: [...kept.values()].filter((n) => n > 1).length,
      processAlive: serve.child.exitCode === null,
    });
    expect(down.length).toBeGreaterThan(0);
    expect(down.every((s) => s.status >= 400 || s.status === 200)).toBe(true);
    expect(down.filter((s) => s.status !== 200).length).toBeGreaterThan(0);
    expect(Math.max(...down.map((s) => s.ms))).toBeLessThan(3_000);
    expect(readyDown.every((r) => r.status === 503 && r.ms < 3_000)).toBe(true);
    expect(serve.child.exitCode).toBeNull();
    expect(retried.every((d) => d.status === 200)).toBe(true);
    for (const s of sent) expect(kept.get(titleOf(s.event))).toBe(1);
  });
});
