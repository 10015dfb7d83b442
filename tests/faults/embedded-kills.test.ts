// The embedded database killed mid-write, again and again: each restart opens cleanly at once (the
// dead process's folder lock is taken over), and every report acknowledged before a kill is there,
// once.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCore } from "../../src/services/core.ts";
import { openStore } from "../../src/store/database.ts";
import { migrateToLatest } from "../../src/store/migrate.ts";
import {
  freePort,
  RapportFleet,
  startSlowFakeSlack,
  type SlowFakeSlack,
} from "../db/support/rapport-processes.ts";
import {
  clientMessage,
  deliver,
  recordedReports,
  report,
  seedAutoIntake,
  spread,
  titleOf,
} from "./support/traffic.ts";

const KILLS = Number(process.env.FAULTS_EMBEDDED_KILLS ?? 20);

describe("the embedded database killed mid-write", () => {
  let slack: SlowFakeSlack;
  let fleet: RapportFleet;
  beforeAll(async () => {
    slack = await startSlowFakeSlack();
    fleet = await RapportFleet.create(null, slack.fake.url, { RAPPORT_JOBS: "off" });
    const store = await openStore({ kind: "pglite", dataDir: fleet.dataDir });
    try {
      const { error } = await migrateToLatest(store.db);
      if (error) throw error;
      await seedAutoIntake(createCore(store));
    } finally {
      await store.close();
    }
  });
  afterAll(async () => {
    await fleet?.dispose();
    await slack?.close();
  });

  // A restart takes a few seconds on a quiet machine and much longer on a loaded one.
  it(
    `opens cleanly after each of ${KILLS} kills with every acknowledged report`,
    { timeout: KILLS * 90_000 + 240_000 },
    async () => {
      const port = await freePort();
      const acked = new Set<string>();
      const startMs: number[] = [];
      let sent = 0;
      for (let round = 0; round < KILLS; round++) {
        const started = Date.now();
        const serve = await fleet.serveOn(port);
        startMs.push(Date.now() - started);
        // Writes in flight when the kill lands: three senders, killed after a few acknowledgements.
        let stop = false;
        const senders = Array.from({ length: 3 }, async () => {
          while (!stop) {
            const e = clientMessage(`E${round}x${sent++}`);
            const d = await deliver(port, e);
            if (d.status === 200) acked.add(titleOf(e));
            if (d.status === 0) return;
          }
        });
        const target = acked.size + 2;
        while (acked.size < target && serve.child.exitCode === null)
          await new Promise((r) => setTimeout(r, 20));
        serve.child.kill("SIGKILL");
        stop = true;
        await Promise.all(senders);
        await serve.exited;
        report(`embedded-kills round ${round + 1}`, { startMs: startMs.at(-1), acknowledged: acked.size });
      }
      // Acknowledged means stored in the inbox: a last start processes what the killed processes
      // had taken in (its leases are released at once, the folder being this process's alone).
      // Started and stopped until every acknowledged report is there, within a generous ceiling.
      const readKept = async () => {
        const store = await openStore({ kind: "pglite", dataDir: fleet.dataDir });
        try {
          return await recordedReports(store);
        } finally {
          await store.close();
        }
      };
      let kept = await readKept();
      const deadline = Date.now() + 180_000;
      while ([...acked].some((t) => !kept.has(t)) && Date.now() < deadline) {
        const last = await fleet.serveOn(port);
        last.child.kill("SIGTERM");
        await last.exited;
        kept = await readKept();
      }
      const lost = [...acked].filter((t) => !kept.has(t));
      const doubled = [...kept.values()].filter((n) => n > 1).length;
      report("embedded-kills", {
        kills: KILLS,
        sent,
        acknowledged: acked.size,
        recorded: kept.size,
        lost: lost.length,
        duplicated: doubled,
        restartMs: spread(startMs),
      });
      expect(lost).toEqual([]);
      expect(doubled).toBe(0);
    },
  );
});
