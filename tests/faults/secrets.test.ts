// No bot token, app password, signing secret or encryption key in clear in any table or any log
// line, at the most talkative log level, after real traffic through `rapport serve`.
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  RapportFleet,
  scratchDatabase,
  startSlowFakeSlack,
  stopServe,
  type ScratchDatabase,
  type SlowFakeSlack,
} from "../db/support/rapport-processes.ts";
import { waitUntil } from "../db/support/wait.ts";
import {
  clientMessage,
  deliver,
  recordedReports,
  report,
  SIGNING_SECRET,
  seedAutoIntake,
} from "./support/traffic.ts";

const SECRETS = {
  SLACK_BOT_TOKEN: "xoxb-4815162342-faults-bot-token-Zq9",
  RAPPORT_ENCRYPTION_KEY: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
  MicrosoftAppPassword: "faults~app~password~Kx7",
};

describe("secrets at rest and in the log", () => {
  let db: ScratchDatabase;
  let slack: SlowFakeSlack;
  let fleet: RapportFleet;
  beforeAll(async () => {
    db = await scratchDatabase();
    slack = await startSlowFakeSlack();
    fleet = await RapportFleet.create(db.url, slack.fake.url, {
      ...SECRETS,
      LOG_LEVEL: "trace",
      MicrosoftAppId: "6f1c2a3b-4d5e-4f60-8a71-92b3c4d5e6f7",
      MicrosoftAppTenantId: "7a2b3c4d-5e6f-4a70-8b91-a2b3c4d5e6f7",
    });
    await seedAutoIntake(db.core);
  });
  afterAll(async () => {
    await fleet?.dispose();
    await slack?.close();
    await db?.dispose();
  });

  it("appear in no table and no log line at LOG_LEVEL=trace", async () => {
    const { process: serve, port } = await fleet.serve();
    const events = Array.from({ length: 10 }, (_, i) => clientMessage(`S${i}`));
    for (const e of events) await deliver(port, e);
    await waitUntil(
      async () => (await recordedReports(db.store)).size === events.length,
      30_000,
      "the reports",
    );
    // The cards go out through the outbox with the bot token.
    await waitUntil(() => slack.fake.calls("chat.postMessage").length >= events.length, 60_000, "the cards");
    await stopServe(serve);

    const tables = await sql<{ name: string }>`
      select table_name as name from information_schema.tables where table_schema = 'public'`.execute(
      db.store.db,
    );
    let rows = 0;
    const leaks: string[] = [];
    const secrets = [...Object.values(SECRETS), SIGNING_SECRET];
    for (const { name } of tables.rows) {
      const dump = await sql<{ row: string }>`select t::text as row from ${sql.table(name)} t`.execute(
        db.store.db,
      );
      rows += dump.rows.length;
      for (const { row } of dump.rows)
        for (const s of secrets) if (row.includes(s)) leaks.push(`table ${name}`);
    }
    const lines = `${serve.stdout}\n${serve.stderr}`.split("\n").filter(Boolean);
    for (const line of lines)
      for (const s of secrets) if (line.includes(s)) leaks.push(`log: ${line.slice(0, 200)}`);
    report("secrets", { tables: tables.rows.length, rows, logLines: lines.length, leaks: leaks.length });
    // Trace and debug lines were written (the SDK's request lines among them), so the scan means something.
    expect(lines.filter((l) => /"level":"(trace|debug)"/.test(l)).length).toBeGreaterThan(0);
    expect(leaks).toEqual([]);
  });
});
