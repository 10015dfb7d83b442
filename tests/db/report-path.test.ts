import { randomUUID } from "node:crypto";
import { sql, type KyselyPlugin } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Partnership } from "../../src/domain/partnership.ts";
import type { Place, PlatformUser } from "../../src/domain/vocabulary.ts";
import { createCore, type Core } from "../../src/services/core.ts";
import { Rapport } from "../../src/services/rapport.ts";
import { addMember, createPartnership, linkChannel } from "../../src/services/setup-partnership.ts";
import { openStore, type Store } from "../../src/store/database.ts";
import { knownMigrations, migrateTo, migrateToLatest } from "../../src/store/migrate.ts";
import { waitUntil } from "./support/wait.ts";
import { backend, openTestStore, ManualClock } from "./support/test-store.ts";

// The path every /itissue takes, measured in what it costs the database: round trips, locks,
// and the reads every request would repeat without the directory cache.

const PROVIDER = "T0FIX";
const CLIENT = "T0ACME";
const channel: Place = { platform: "slack", workspaceId: CLIENT, channelId: "C0SUPPORT" };
const staff: PlatformUser = { platform: "slack", workspaceId: CLIENT, userId: "U0STAFF" };
const lead: PlatformUser = { platform: "slack", workspaceId: PROVIDER, userId: "U0LEAD" };

/**
 * Counts the statements sent to the database (each one is a round trip): all of them, the writes
 * of new reports (`ReportWriter`'s statement), and the inserts of message links on their own.
 */
function counter(): KyselyPlugin & { count: number; reportWrites: number; linkInserts: number } {
  const plugin = {
    count: 0,
    reportWrites: 0,
    linkInserts: 0,
    transformQuery(args: Parameters<KyselyPlugin["transformQuery"]>[0]) {
      plugin.count++;
      const node = args.node as {
        kind: string;
        sqlFragments?: string[];
        into?: { table?: { identifier?: { name?: string } } };
      };
      if (node.kind === "RawNode" && node.sqlFragments?.some((f) => f.includes("jsonb_array_elements")))
        plugin.reportWrites++;
      if (node.kind === "InsertQueryNode" && node.into?.table?.identifier?.name === "message_links")
        plugin.linkInserts++;
      return args.node;
    },
    transformResult: async (args: Parameters<KyselyPlugin["transformResult"]>[0]) => args.result,
  };
  return plugin;
}

describe(`the report path on ${backend}`, () => {
  let store: Store & { dispose(): Promise<void> };
  let core: Core;
  let rapport: Rapport;
  let p: Partnership;
  const statements = counter();

  beforeAll(async () => {
    store = await openTestStore();
    const clock = new ManualClock(new Date("2026-11-16T10:00:00Z"));
    core = createCore({ ...store, db: store.db.withPlugin(statements) }, { clock });
    rapport = new Rapport(core);
    p = await createPartnership(core, {
      name: "Acme",
      providerOrg: "Fixit IT",
      clientOrg: "Acme Dental",
      providerWorkspaceIds: [PROVIDER],
    });
    await linkChannel(core, {
      partnershipId: p.id,
      ...channel,
      channelId: channel.channelId!,
      purposes: ["support"],
    });
    await addMember(core, { partnershipId: p.id, ...lead, side: "provider", role: "lead" });
  });
  afterAll(() => store.dispose());

  const report = (text: string, by = staff, sourceId = randomUUID()) =>
    rapport.report({ place: channel, by, source: { platform: "slack", id: sourceId }, via: "command", text });

  it("records a new issue in at most 2 round trips once the place and person are known", async () => {
    // On PostgreSQL the cache keeps nothing until it hears of changes made elsewhere, and another
    // test file's change to a link or a member (NOTIFY is database-wide) clears it at any moment:
    // a report that follows one reads the place and person again. Measured until a report finds
    // them kept, which must happen (and within two statements then).
    let measured: Awaited<ReturnType<typeof report>> | null = null;
    await waitUntil(
      async () => {
        await report("warm-up");
        statements.count = 0;
        const made = await report("Email is down p1");
        if (statements.count <= 2) measured = made;
        return measured !== null;
      },
      30_000,
      "a report recorded in at most 2 round trips with its place and person kept",
    );
    const { issue, created } = measured!;
    expect(created).toBe(true);
    expect(issue).toMatchObject({ title: "Email is down", priority: "P1", status: "open" });
    expect(issue.reporter).toMatchObject({ side: "client", userId: staff.userId });
    expect(await core.records.issue(p.id, issue.key)).toEqual(issue);
  });

  it("records a redelivery once, and its issue keeps its key", async () => {
    const sourceId = randomUUID();
    const first = await report("Printer jammed", staff, sourceId);
    const again = await report("Printer jammed", staff, sourceId);
    expect(again.created).toBe(false);
    expect(again.issue.key).toBe(first.issue.key);
    expect((await core.ledger.events(p.id)).filter((e) => e.source.id === sourceId)).toHaveLength(1);
  });

  it("looks a report's source up in one index entry, however many events came before it", async () => {
    // A connection keeps its plan of take_issue_number's lookup: made while the table was nearly
    // empty, it must not go on reading every event of the partnership (migration 0015).
    const other = await createPartnership(core, {
      name: "Plan",
      providerOrg: "Fixit IT",
      clientOrg: "Globex",
    });
    const read = async (db: typeof store.db) => {
      const { rows } = await sql<{ n: string }>`
        select coalesce(idx_tup_fetch, 0) + coalesce(seq_tup_read, 0) as n
        from pg_stat_xact_user_tables where relname = 'events' and schemaname = current_schema()
      `.execute(db);
      return Number(rows[0]?.n ?? 0);
    };
    const rollback = new Error("rolled back");
    const outcome = store.db.transaction().execute(async (trx) => {
      const take = (source: string) =>
        sql`select take_issue_number(${other.id}::uuid, 'slack', ${source})`.execute(trx);
      for (let i = 0; i < 8; i++) await take(`early-${i}`);
      await sql`
        insert into events (partnership_id, id, type, occurred_at, source_platform, source_id, payload)
        select ${other.id}::uuid, gen_random_uuid(), 'filler', now(), 'slack', 'filler-' || g, '{}'::jsonb
        from generate_series(1, 3000) g
      `.execute(trx);
      const before = await read(trx);
      for (let i = 0; i < 10; i++) await take(`later-${i}`);
      expect((await read(trx)) - before).toBeLessThan(100);
      throw rollback;
    });
    await expect(outcome).rejects.toBe(rollback);
  });

  it("numbers fifty reports made at once with fifty distinct keys in a row", async () => {
    const before = (await core.records.issues(p.id)).length;
    const reported = await Promise.all(Array.from({ length: 50 }, (_, i) => report(`Outage report ${i}`)));
    const numbers = reported.map((r) => r.issue.number).sort((x, y) => x - y);
    expect(new Set(reported.map((r) => r.issue.key)).size).toBe(50);
    const first = numbers[0]!;
    expect(numbers).toEqual(Array.from({ length: 50 }, (_, i) => first + i));
    expect(await core.records.issues(p.id)).toHaveLength(before + 50);
  });

  it("writes reports made at once in a few statements, each with its card queued in the same write", async () => {
    const card = { place: { ...channel, channelId: channel.channelId! } };
    await report("warm-up for the batch");
    statements.reportWrites = 0;
    const reported = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        rapport.report({
          place: channel,
          by: staff,
          source: { platform: "slack", id: randomUUID() },
          via: "command",
          text: `Whole office down ${i}`,
          card,
        }),
      ),
    );
    // One write for the first, one for the second beside it, the rest together behind them (a
    // few more where the place and person had to be read again first: on PostgreSQL another
    // process's change, such as another test's, clears what this one keeps of them).
    expect(statements.reportWrites).toBeLessThanOrEqual(10);
    expect(new Set(reported.map((r) => r.issue.key)).size).toBe(50);
    const { rows } = await sql<{ period: string; message: unknown; target: string }>`
      select period, message, target from outbox where partnership_id = ${p.id} and job = 'card'
    `.execute(store.db);
    const queued = new Map(rows.map((r) => [r.period, r]));
    for (const { issue } of reported) {
      expect(queued.get(`issue:${issue.id}`)).toMatchObject({
        message: null,
        target: `slack:channel:${CLIENT}:${channel.channelId}`,
      });
    }
  });

  it("remembers the message a report came from in the same write, so that replies in its thread find the issue", async () => {
    const ts = `1700000${Math.floor(Math.random() * 1e6)}.000100`;
    const message = { ...channel, channelId: channel.channelId!, messageId: ts };
    statements.reportWrites = 0;
    statements.linkInserts = 0;
    const { issue } = await rapport.report({
      place: channel,
      by: staff,
      source: { platform: "slack", id: `msg:${ts}` },
      via: "auto_intake",
      text: "Outlook keeps asking for my password",
      message,
      linkMessage: true,
      card: { place: message, threadId: ts },
    });
    expect(statements.reportWrites).toBe(1);
    expect(statements.linkInserts).toBe(0);
    expect(await core.messages.find("slack", CLIENT, channel.channelId!, ts)).toMatchObject({
      subjectId: issue.id,
      kind: "source",
    });
  });

  it("writes a redelivery that arrives beside its first delivery once, and takes one number", async () => {
    const sourceId = randomUUID();
    const before = (await core.records.issues(p.id)).length;
    // The first two go to the server alone; the deliveries behind them arrive together.
    const results = await Promise.all([
      report("Ahead 1"),
      report("Ahead 2"),
      ...Array.from({ length: 18 }, (_, i) =>
        i % 2 === 0 ? report("Same report, delivered again", staff, sourceId) : report(`Another ${i}`),
      ),
    ]);
    const same = results.slice(2).filter((_, i) => i % 2 === 0);
    expect(same.filter((r) => r.created)).toHaveLength(1);
    expect(new Set(same.map((r) => r.issue.key)).size).toBe(1);
    const numbers = [...new Set(results.map((r) => r.issue.number))].sort((x, y) => x - y);
    expect(numbers).toHaveLength(12);
    // No number taken and left unused: the next report gets the one after the last.
    numbers.push((await report("After")).issue.number);
    expect(numbers).toEqual(Array.from({ length: 13 }, (_, i) => numbers[0]! + i));
    expect(await core.records.issues(p.id)).toHaveLength(before + 13);
  });

  it("writes again one by one the reports of a write that failed for one of them", async () => {
    const other = await createPartnership(core, {
      name: "Restored",
      providerOrg: "Fixit IT",
      clientOrg: "Initech",
    });
    const restored: Place = { platform: "slack", workspaceId: "T0INITECH", channelId: "C0HELP" };
    await linkChannel(core, {
      partnershipId: other.id,
      ...restored,
      channelId: "C0HELP",
      purposes: ["support"],
    });
    const by: PlatformUser = { platform: "slack", workspaceId: "T0INITECH", userId: "U0CLERK" };
    const theirs = (text: string) =>
      rapport.report({
        place: restored,
        by,
        source: { platform: "slack", id: randomUUID() },
        via: "command",
        text,
      });
    // Both places and people known (cached), so that all the reports below reach the writer together.
    await Promise.all([theirs("Before the restore"), report("Ours before")]);
    // A partnership whose sequence was set back behind its keys (a botched restore): its next
    // report takes a number already used and fails the write it shares. Each report is then
    // written on its own: ours as before, theirs with the next number, which is free.
    await sql`select setval(${`issue_numbers_${other.id.replaceAll("-", "")}`}::regclass, 1, false)`.execute(
      store.db,
    );
    const results = await Promise.allSettled([
      ...Array.from({ length: 10 }, (_, i) => report(`Ours ${i}`)),
      theirs("Theirs"),
      ...Array.from({ length: 10 }, (_, i) => report(`Ours again ${i}`)),
    ]);
    const written = results.map((r) => (r.status === "fulfilled" ? r.value : null));
    expect(written.every((r) => r?.created)).toBe(true);
    expect(written[10]!.issue.key).toBe(`${other.key}-2`);
    expect(new Set(written.map((r) => r!.issue.key)).size).toBe(21);
  });

  it.runIf(backend === "postgres")(
    "records a report while another transaction holds the partnership's row",
    async () => {
      const other = await openTestStoreOn(store);
      try {
        await other.db.transaction().execute(async (trx) => {
          await sql`update partnerships set updated_at = updated_at where id = ${p.id}`.execute(trx);
          const { created } = await report("Reported while the row is locked");
          expect(created).toBe(true);
        });
      } finally {
        await other.close();
      }
    },
  );

  it.runIf(backend === "postgres")(
    "forgets a link or membership as soon as another process changes it",
    async () => {
      const other = await openTestStoreOn(store);
      try {
        const elsewhere = createCore(other);
        await waitUntil(
          async () => {
            await core.partnerships.findChannel("slack", CLIENT, "C0LATER");
            return store.directory.size > 0;
          },
          30_000,
          "the cache to keep a link",
        );
        // Linked by another process: this one must see it without restarting.
        await linkChannel(elsewhere, {
          partnershipId: p.id,
          platform: "slack",
          workspaceId: CLIENT,
          channelId: "C0LATER",
          purposes: ["support"],
        });
        await waitUntil(
          async () => (await core.partnerships.findChannel("slack", CLIENT, "C0LATER")) !== null,
          30_000,
          "the link made elsewhere to be seen here",
        );
        await addMember(elsewhere, { partnershipId: p.id, ...staff, side: "provider", role: "lead" });
        await waitUntil(
          async () => (await report("Who am I now")).issue.reporter.side === "provider",
          30_000,
          "the membership added elsewhere to be seen here",
        );
      } finally {
        await other.close();
      }
    },
  );
});

/** A second store on the same database and schema as `store` (another process, as far as caching goes). */
async function openTestStoreOn(store: Store): Promise<Store> {
  const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(store.db);
  const url = process.env.RAPPORT_TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
  return openStore({ kind: "postgres", url, schema: rows[0]!.schema, poolSize: 2 });
}

describe(`issue numbers brought over from the counters on ${backend}`, () => {
  it("starts each partnership's sequence where its counter stood, and writes it back going down", async () => {
    const store = await openTestStore();
    try {
      const core = createCore(store);
      const p = await core.partnerships.create({ name: "Old", providerOrg: "Fix", clientOrg: "Globex" });
      expect((await migrateTo(store.db, "0006_settings_history")).error).toBeNull();
      await sql`update partnerships set next_issue_number = 42 where id = ${p.id}`.execute(store.db);
      expect((await migrateToLatest(store.db)).applied).toEqual(knownMigrations().slice(6));
      const reported = await core.ledger.report({
        type: "issue.reported",
        partnershipId: p.id,
        actor: null,
        occurredAt: new Date("2026-11-16T10:00:00Z"),
        source: { platform: "cli", id: "after-migration" },
        payload: {
          issueId: randomUUID(),
          key: "",
          title: "Scanner offline",
          detail: null,
          priority: "P3",
          category: null,
          startedAt: null,
          via: "command",
          message: null,
        },
      });
      expect(reported.issue?.key).toBe("GLOBEX-42");
      expect((await migrateTo(store.db, "0006_settings_history")).error).toBeNull();
      const { rows } = await sql<{ next: number }>`
        select next_issue_number as next from partnerships where id = ${p.id}
      `.execute(store.db);
      expect(rows[0]!.next).toBe(43);
    } finally {
      await store.dispose();
    }
  });
});
