// The benchmark's database and partnerships: a fresh PostgreSQL database per run, set up through
// rapport's own command line (the same commands an operator runs, called in this process so that
// a hundred of them take seconds), and the counts read back to check what each load recorded.
import pg from "pg";
import { runCli } from "../../app/cli/index.ts";
import { SLACK } from "./fakes.ts";
import { TEAMS } from "./payloads.ts";

/** A database created for this run, and how to reach it. */
export interface BenchDatabase {
  name: string;
  url: string;
  /** A small pool for the benchmark's own reads. */
  pool: pg.Pool;
  drop(): Promise<void>;
}

/** Creates a fresh database next to `adminUrl`'s (a server where we may CREATE DATABASE). */
export async function createDatabase(adminUrl: string): Promise<BenchDatabase> {
  const name = `rapport_bench_${Date.now()}_${process.pid}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`create database ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const pool = new pg.Pool({ connectionString: url.toString(), max: 2 });
  // The minimal correct app's table: one row per report, unique per source like rapport's events.
  await pool.query(`
    create table bench_minimal_reports (
      id bigserial primary key, source text not null unique, channel text not null,
      user_id text not null, text text not null, received_at timestamptz not null default now()
    )`);
  return {
    name,
    url: url.toString(),
    pool,
    drop: async () => {
      await pool.end();
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      try {
        await c.query(`drop database if exists ${name} with (force)`);
      } finally {
        await c.end();
      }
    },
  };
}

/** Runs one `rapport` command against the benchmark's database; returns its output lines. */
async function rapport(env: NodeJS.ProcessEnv, ...argv: string[]): Promise<string[]> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, env, { out: (l) => out.push(l), err: (l) => err.push(l) });
  if (code !== 0) throw new Error(`rapport ${argv.join(" ")} exited ${code}: ${err.join("\n")}`);
  return out;
}

/** A partnership with a channel linked for support. */
export interface BenchPartnership {
  id: string;
  channel: string;
}

/** What the benchmark sets up in rapport before any load. */
export interface Partnerships {
  /** The main one: /itissue, auto-intake (on) and thread replies; both sides' people are members. */
  main: BenchPartnership;
  /** Fifty more, each with a channel of its own. */
  spread: BenchPartnership[];
  /** The one the burst reports into, so that its issues can be counted alone. */
  burst: BenchPartnership;
  /** The Teams one, linked to the Teams support channel, with Sam (client staff) a member. */
  teams: BenchPartnership;
}

async function create(env: NodeJS.ProcessEnv, name: string, platform: "slack" | "teams", channel: string) {
  const workspace = platform === "slack" ? SLACK.providerTeam : TEAMS.providerTenant;
  const created = await rapport(
    env,
    ...["partnership", "create", "--name", name, "--provider", "Provider IT", "--client", name],
    ...["--timezone", "Europe/London", "--provider-workspace", workspace],
  );
  const id = created.at(-1)?.trim() ?? "";
  await rapport(
    env,
    ...["partnership", "link", "--partnership", id, "--platform", platform, "--workspace", workspace],
    ...["--channel", channel, "--purpose", "support,digest"],
  );
  return { id, channel };
}

async function member(
  env: NodeJS.ProcessEnv,
  p: BenchPartnership,
  platform: "slack" | "teams",
  workspace: string,
  user: string,
  side: "provider" | "client",
  role: "lead" | "tech" | "staff" | "admin",
) {
  await rapport(
    env,
    ...["member", "add", "--partnership", p.id, "--platform", platform, "--workspace", workspace],
    ...["--user", user, "--side", side, "--role", role],
  );
}

/** Creates every partnership through `rapport partnership create/link/configure` and `member add`. */
export async function setUpPartnerships(databaseUrl: string): Promise<Partnerships> {
  const env: NodeJS.ProcessEnv = { DATABASE_URL: databaseUrl, LOG_LEVEL: "silent", NODE_ENV: "production" };
  // The first command migrates the new database; the rest may then run side by side.
  const main = await create(env, "Client Co support", "slack", "C0SUPPORT");
  await rapport(env, "partnership", "configure", "--partnership", main.id, "--auto-intake", "on");
  await member(env, main, "slack", SLACK.providerTeam, SLACK.tech, "provider", "tech");
  await member(env, main, "slack", SLACK.providerTeam, SLACK.lead, "provider", "lead");
  await member(env, main, "slack", SLACK.clientTeam, SLACK.staff, "client", "staff");
  await member(env, main, "slack", SLACK.clientTeam, SLACK.owner, "client", "admin");
  const burst = await create(env, "Burst Co support", "slack", "C0BURST");
  const teams = await create(env, "Teams Co support", "teams", TEAMS.channel);
  await member(env, teams, "teams", TEAMS.providerTenant, TEAMS.staff.aad, "client", "staff");
  const spread: BenchPartnership[] = [];
  for (let i = 1; i <= 50; i += 5) {
    const batch = [0, 1, 2, 3, 4].map((k) => {
      const n = String(i + k).padStart(2, "0");
      return create(env, `Spread ${n} support`, "slack", `C0SPREAD${n}`);
    });
    spread.push(...(await Promise.all(batch)));
  }
  return { main, spread, burst, teams };
}
