import {
  Migrator,
  sql,
  type Kysely,
  type Migration,
  type MigrationProvider,
  type MigrationResultSet,
} from "kysely";
import * as m0001 from "../../migrations/0001_core.ts";
import * as m0002 from "../../migrations/0002_installations.ts";
import * as m0003 from "../../migrations/0003_message_links.ts";
import * as m0004 from "../../migrations/0004_conversations.ts";
import * as m0005 from "../../migrations/0005_jobs.ts";
import * as m0006 from "../../migrations/0006_settings_history.ts";
import * as m0007 from "../../migrations/0007_issue_numbers.ts";
import * as m0008 from "../../migrations/0008_outbox_unconfigured.ts";
import * as m0009 from "../../migrations/0009_inbox.ts";
import * as m0010 from "../../migrations/0010_week_figures.ts";
import * as m0011 from "../../migrations/0011_issue_number_claim.ts";
import * as m0012 from "../../migrations/0012_conversations_per_tenant.ts";
import * as m0013 from "../../migrations/0013_window_indexes.ts";
import * as m0014 from "../../migrations/0014_week_figures_whole_once.ts";
import * as m0015 from "../../migrations/0015_issue_number_plan.ts";
import * as m0016 from "../../migrations/0016_card_drawn_when_sent.ts";
import * as m0017 from "../../migrations/0017_outbox_claim_order.ts";

// A static list rather than FileMigrationProvider: importing .ts files by path fails under some
// loaders, and a list makes a missing migration a type error instead of a silent skip.
const migrations: Record<string, Migration> = {
  "0001_core": m0001,
  "0002_installations": m0002,
  "0003_message_links": m0003,
  "0004_conversations": m0004,
  "0005_jobs": m0005,
  "0006_settings_history": m0006,
  "0007_issue_numbers": m0007,
  "0008_outbox_unconfigured": m0008,
  "0009_inbox": m0009,
  "0010_week_figures": m0010,
  "0011_issue_number_claim": m0011,
  "0012_conversations_per_tenant": m0012,
  "0013_window_indexes": m0013,
  "0014_week_figures_whole_once": m0014,
  "0015_issue_number_plan": m0015,
  "0016_card_drawn_when_sent": m0016,
  "0017_outbox_claim_order": m0017,
};

const provider: MigrationProvider = {
  getMigrations: async () => migrations,
};

/** Outcome of a migration run: the names applied now, or the error that stopped it. */
export interface MigrationOutcome {
  applied: string[];
  error: unknown;
}

// Kysely<any>: migrations run before (and regardless of) the current table types.
/** Brings the schema to the latest migration; safe to call from several processes at once. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any table types: see above
export async function migrateToLatest(db: Kysely<any>): Promise<MigrationOutcome> {
  if (await upToDate(db)) return { applied: [], error: null };
  return outcomeOf(await untilSchemasHold(async () => (await migrator(db)).migrateToLatest()));
}

/**
 * True when every known migration is recorded already: one read instead of the migrator's set-up,
 * lock and comparison, which every command and every start would otherwise pay. Anything else
 * (no table yet, one missing, an unknown one) is left to the migrator to apply or to refuse.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any table types: see migrateToLatest
async function upToDate(db: Kysely<any>): Promise<boolean> {
  try {
    const { rows } = await sql<{ name: string }>`select name from kysely_migration`.execute(db);
    const applied = rows.map((r) => r.name).sort();
    const known = knownMigrations();
    return applied.length === known.length && applied.every((name, i) => name === known[i]);
  } catch {
    return false;
  }
}

/**
 * Brings the schema to the migration named `target`, applying or reverting (newest first) what lies
 * between; the outcome names the migrations run either way.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any table types: see migrateToLatest
export async function migrateTo(db: Kysely<any>, target: string): Promise<MigrationOutcome> {
  return outcomeOf(await untilSchemasHold(async () => (await migrator(db)).migrateTo(target)));
}

/**
 * Runs the migrator again (up to three times) when it failed only because a schema or table
 * vanished under it: Kysely's set-up reads the tables of every schema in the database (and asks
 * each table's sequences by name), so another deployment or test run dropping its own schema at
 * that instant fails the read (3F000, or 42P01 for the table), not a migration: none has run
 * (each runs in a transaction, and a failed one is reported as such, never retried).
 */
async function untilSchemasHold(run: () => Promise<MigrationResultSet>): Promise<MigrationResultSet> {
  for (let attempt = 1; ; attempt++) {
    const result = await run();
    const code = (result.error as { code?: unknown } | undefined)?.code;
    const inSetUp = !(result.results ?? []).some((r) => r.status === "Error");
    if (!(inSetUp && (code === "3F000" || code === "42P01")) || attempt === 3) return result;
  }
}

/**
 * A migrator whose bookkeeping tables are those of the schema rapport works in. Left to itself,
 * Kysely looks for them in every schema of the database, so a second schema holding them (another
 * deployment, a test) would make it skip creating its own and then fail to find them.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any table types: see migrateToLatest
async function migrator(db: Kysely<any>): Promise<Migrator> {
  const { rows } = await sql<{ schema: string | null }>`select current_schema() as schema`.execute(db);
  const schema = rows[0]?.schema;
  return new Migrator({
    db,
    provider,
    ...(schema && schema !== "public" ? { migrationTableSchema: schema } : {}),
  });
}

function outcomeOf(result: MigrationResultSet): MigrationOutcome {
  return {
    applied: (result.results ?? []).filter((r) => r.status === "Success").map((r) => r.migrationName),
    error: result.error ?? null,
  };
}

/** Names of every migration rapport knows, in order. */
export function knownMigrations(): string[] {
  return Object.keys(migrations).sort();
}
