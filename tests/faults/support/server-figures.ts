import { readdirSync, readFileSync } from "node:fs";
import { sql } from "kysely";
import type { Store } from "../../../src/store/database.ts";

// What a running `rapport serve` holds, read from outside it: its resident memory and open file
// descriptors from /proc (Linux), and its connections from PostgreSQL's own view of them.

/** The name the scenarios' servers give their database connections (`application_name` in DATABASE_URL). */
export const SERVE_APPLICATION_NAME = "rapport-faults-serve";

/** `url` with `application_name` set, so the server's connections can be told apart from the test's own. */
export function namedConnections(url: string, name = SERVE_APPLICATION_NAME): string {
  const u = new URL(url);
  u.searchParams.set("application_name", name);
  return u.href;
}

/** True when /proc describes processes (Linux). */
export function canReadProc(pid: number = process.pid): boolean {
  try {
    readFileSync(`/proc/${pid}/status`, "utf8");
    return true;
  } catch {
    return false;
  }
}

/** Resident memory of process `pid`, in bytes (VmRSS). */
export function rssBytes(pid: number): number {
  const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  if (!match) throw new Error(`no VmRSS for process ${pid}`);
  return Number(match[1]) * 1024;
}

/** Open file descriptors of process `pid` (sockets, files, pipes). */
export function openFds(pid: number): number {
  return readdirSync(`/proc/${pid}/fd`).length;
}

/** The connections PostgreSQL has open for `applicationName`. */
export async function dbConnections(store: Store, applicationName = SERVE_APPLICATION_NAME): Promise<number> {
  const rows = await sql<{ n: string }>`
    select count(*)::text as n from pg_stat_activity where application_name = ${applicationName}`.execute(
    store.db,
  );
  return Number(rows.rows[0]?.n ?? 0);
}

/** Megabytes, one decimal, for the report. */
export function mb(bytes: number): number {
  return Math.round(bytes / 104_857.6) / 10;
}

/** CPU time process `pid` has used so far (user and system), in milliseconds. */
export function cpuMs(pid: number): number {
  // Fields 14 and 15 of /proc/<pid>/stat, after the command name (which may hold spaces) in parentheses.
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  const ticks = Number(fields[11]) + Number(fields[12]);
  return (ticks * 1000) / CLOCK_TICKS;
}

// Linux reports CPU time in clock ticks of 1/100 s on every platform Node runs on.
const CLOCK_TICKS = 100;
