// Slack delivers an event again when it did not hear 2xx within 3 s, with X-Slack-Retry-Num (after
// about a second, a minute, five minutes). The same report reaching two processes at once, again
// 3 s later and again "a minute later", and a serving process killed mid-traffic whose unanswered
// events Slack sends again to its replacement: every acknowledged report is kept, each once.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  RapportFleet,
  scratchDatabase,
  startSlowFakeSlack,
  type ScratchDatabase,
  type SlowFakeSlack,
} from "../db/support/rapport-processes.ts";
import { waitUntil } from "../db/support/wait.ts";
import {
  clientMessage,
  deliver,
  recordedReports,
  report,
  seedAutoIntake,
  spread,
  titleOf,
} from "./support/traffic.ts";

describe("redelivery and a killed server, on PostgreSQL", () => {
  let db: ScratchDatabase;
  let slack: SlowFakeSlack;
  let fleet: RapportFleet;
  beforeAll(async () => {
    db = await scratchDatabase();
    slack = await startSlowFakeSlack();
    fleet = await RapportFleet.create(db.url, slack.fake.url);
    await seedAutoIntake(db.core);
  });
  afterAll(async () => {
    await fleet?.dispose();
    await slack?.close();
    await db?.dispose();
  });

  it("the same event to two processes at once, again after 3 s and after a minute, is one report", async () => {
    const [a, b] = await Promise.all([fleet.serve(), fleet.serve()]);
    const events = Array.from({ length: 5 }, (_, i) => clientMessage(`R${i}`));
    const answers: number[] = [];
    // At once, to both processes.
    for (const e of events) {
      const both = await Promise.all([deliver(a.port, e), deliver(b.port, e)]);
      answers.push(...both.map((d) => d.status));
    }
    // Slack's first retry comes after a few seconds; a later one is simulated with its header.
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    for (const e of events) answers.push((await deliver(b.port, e, 1)).status);
    for (const e of events) answers.push((await deliver(a.port, e, 2)).status);
    await waitUntil(
      async () => (await recordedReports(db.store)).size === events.length,
      30_000,
      "the reports",
    );
    const kept = await recordedReports(db.store);
    report("redelivery", {
      deliveries: answers.length,
      statuses: [...new Set(answers)].join("/"),
      reports: events.length,
      recorded: [...kept.values()].reduce((x, y) => x + y, 0),
    });
    expect(answers.every((s) => s === 200)).toBe(true);
    for (const e of events) expect(kept.get(titleOf(e))).toBe(1);
    a.process.child.kill("SIGKILL");
    b.process.child.kill("SIGKILL");
  });

  it("SIGKILL mid-traffic, then a restart and Slack's retries: no acknowledged report lost or doubled", async () => {
    const first = await fleet.serve();
    const events = Array.from({ length: 60 }, (_, i) => clientMessage(`K${i}`));
    const acked = new Set<string>();
    const unanswered: typeof events = [];
    const times: number[] = [];
    let killed = false;
    // Four senders at a time; the process is killed once a third of the reports are acknowledged.
    const queue = [...events];
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        for (let e = queue.shift(); e; e = queue.shift()) {
          const d = await deliver(first.port, e);
          times.push(d.ms);
          if (d.status === 200) acked.add(titleOf(e));
          else unanswered.push(e);
          if (!killed && acked.size >= 20) {
            killed = true;
            first.process.child.kill("SIGKILL");
          }
        }
      }),
    );
    await first.process.exited;
    // The replacement on the same port; Slack sends again every event it did not see acknowledged
    // (and, being Slack, possibly some it did: every one is sent again here).
    const second = await fleet.serveOn(first.port);
    const retried = await Promise.all(events.map((e) => deliver(first.port, e, 1)));
    const retriedOk = retried.filter((d) => d.status === 200).length;
    // Acknowledged means stored in the inbox; events the killed process had claimed are processed
    // once their lease (60 s) lapses.
    await waitUntil(
      async () => {
        const kept = await recordedReports(db.store);
        return events.every((e) => kept.has(titleOf(e)));
      },
      150_000,
      "every report",
    );
    const kept = await recordedReports(db.store);
    const lost = [...acked].filter((t) => !kept.has(t));
    const doubled = [...kept.entries()].filter(([t, n]) => t.includes(" K") && n > 1);
    report("sigkill", {
      sent: events.length,
      acknowledgedBeforeKill: acked.size,
      unansweredAtKill: unanswered.length,
      retriedAfterRestart: `${retriedOk}/${events.length} answered 200`,
      recorded: [...kept.keys()].filter((t) => t.includes(" K")).length,
      lost: lost.length,
      duplicated: doubled.length,
      ackMs: spread(times),
    });
    expect(lost).toEqual([]);
    expect(doubled).toEqual([]);
    for (const e of events) expect(kept.get(titleOf(e))).toBe(1);
    second.child.kill("SIGKILL");
  });
});
