import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { hostname } from "node:os";
import path from "node:path";
import { threadId } from "node:worker_threads";
import { Kysely, PostgresDialect, sql } from "kysely";
import pg from "pg";
import lockfile from "proper-lockfile";
import { RapportError } from "../domain/errors.ts";
import { DIRECTORY_CHANNEL, DirectoryCache } from "./directory-cache.ts";
import { LaterWrites } from "./later-writes.ts";
import type { Database } from "./tables.ts";

/** Where the data lives: a PostgreSQL server, or the embedded database in a folder (or memory). */
export type DatabaseTarget =
  | { kind: "postgres"; url: string; schema?: string; poolSize?: number; connectTimeoutMs?: number }
  | { kind: "pglite"; dataDir: string | null; template?: PgliteTemplate };

/** A migrated empty cluster to start a new embedded database from: an archive, or its file. */
export type PgliteTemplate = Blob | string | null | undefined;

/** An open database: the Kysely handle, which backend serves it, and how to close it. */
export interface Store {
  db: Kysely<Database>;
  /**
   * The same database, for writes that need not wait for the disk: the outbox's bookkeeping after
   * a send. Such a commit is lost only if the database server itself crashes in the next moment,
   * and then the outbox finds its post by looking before sending again (OutboxStore, outbox-sender).
   * On a server this saves a disk flush per message; on the embedded database it is `db`.
   */
  relaxed: Kysely<Database>;
  backend: "pglite" | "postgres";
  /** Partnerships, links and memberships kept between changes (see directory-cache.ts). */
  directory: DirectoryCache;
  /** True when the database answers a trivial query. */
  ping(): Promise<boolean>;
  /**
   * Runs a write that need not hold up the answer it follows (figures kept for reuse): it starts
   * once the caller has gone on with its result, and `close` waits for it. A failure goes to
   * `onError` and loses only what the write would have saved.
   */
  later(work: () => Promise<unknown>, onError: (err: unknown) => void): void;
  /** Resolves once every write started by `later` has finished. */
  settled(): Promise<void>;
  /**
   * Waits for the writes started by `later` (starting none after), then closes the pool, the
   * embedded database and its folder lock.
   */
  close(): Promise<void>;
  /** The embedded database's whole cluster as a tar archive (gzip); absent on a server. */
  dumpDataDir?(): Promise<Blob>;
}

// DATE columns stay "YYYY-MM-DD" strings: pg's default turns them into local-midnight Dates,
// which shifts a decide-by date by a day in any zone west of the server.
const DATE_OID = 1082;
const types = {
  getTypeParser: ((oid: number, format?: "text" | "binary") =>
    oid === DATE_OID
      ? (v: string) => v
      : pg.types.getTypeParser(oid, format as "text")) as typeof pg.types.getTypeParser,
};

/**
 * Marks a statement whose plan the server should keep: one run so often, and cheaply enough, that
 * planning it costs more than running it (a digest's window over a small partnership takes the
 * server longer to plan than to execute, once per partnership in every weekly run). On a server,
 * each connection prepares a statement that starts with this comment once, under a name of its
 * text, and runs it by that name afterwards; the server plans it anew for its first runs and then
 * keeps a plan when one serves all (PostgreSQL's `plan_cache_mode`). The embedded database, in
 * the same process, plans it each time.
 */
export const KEEP_PLAN = "/* keep plan */";

/**
 * Marks a statement (marked KEEP_PLAN too) whose text columns are JSON the server wrote out itself:
 * on a server the driver parses each row's JSON as the row arrives, while the server still builds
 * the next; on the embedded database the caller gets the text (`parseJsonText`).
 */
export const JSON_TEXT = "/* json text */";

const TEXT_OID = 25;

const jsonTextTypes = {
  getTypeParser: ((oid: number, format?: "text" | "binary") =>
    oid === TEXT_OID ? JSON.parse : types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

/** A JSON_TEXT column's value as parsed: by the driver as it arrived, or here. */
export function parseJsonText<T>(value: T | string | null): T | null {
  return typeof value === "string" ? (JSON.parse(value) as T) : value;
}

const statementNames = new Map<string, string>();

/** The name a statement marked KEEP_PLAN is prepared under: one per text, as the server requires. */
function statementName(text: string): string {
  let name = statementNames.get(text);
  if (!name) {
    name = `rapport_${createHash("sha256").update(text).digest("hex").slice(0, 24)}`;
    statementNames.set(text, name);
  }
  return name;
}

/** A pg client that runs statements marked KEEP_PLAN as named (prepared) statements (JSON_TEXT: see there). */
class PlanKeepingClient extends pg.Client {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- pg's query has a dozen overloads
  override query(...args: any[]): any {
    const [text, values] = args;
    if (typeof text === "string" && args.length <= 2 && text.trimStart().startsWith(KEEP_PLAN)) {
      const parsing = text.includes(JSON_TEXT) ? { types: jsonTextTypes } : {};
      return super.query({ name: statementName(text), text, values, ...parsing });
    }
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- passed on as given
    return (super.query as (...a: any[]) => any)(...args);
  }
}

/** Opens the database named by `target`. The embedded one takes an exclusive lock on its folder. */
export async function openStore(target: DatabaseTarget): Promise<Store> {
  return target.kind === "postgres" ? openPostgres(target) : openPglite(target.dataDir, target.template);
}

function openPostgres(target: Extract<DatabaseTarget, { kind: "postgres" }>): Store {
  const connection = {
    connectionString: target.url,
    types,
    // A server that accepts connections but never answers must not hold a request past Slack's
    // 3 s: connecting (and waiting for a free pooled connection) gives up after this long.
    connectionTimeoutMillis: target.connectTimeoutMs ?? 2_000,
    // A server gone silent on an open connection is noticed by the operating system, not never.
    keepAlive: true,
    // No JIT compilation: rapport's statements are short, and once the server has statistics on
    // a year of history a digest window's estimated cost makes it compile first, 50 ms each time.
    options: [target.schema ? `-c search_path=${target.schema}` : "", "-c jit=off"].filter(Boolean).join(" "),
  };
  const pool = new pg.Pool({ ...connection, max: target.poolSize ?? 10, Client: PlanKeepingClient });
  pool.on("error", () => {
    // An idle client lost its connection (server restart): the pool replaces it on next use.
  });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  // A few connections whose commits return once written, not once on disk (synchronous_commit off).
  const relaxedPool = new pg.Pool({
    ...connection,
    options: [connection.options, "-c synchronous_commit=off"].filter(Boolean).join(" "),
    max: 3,
  });
  relaxedPool.on("error", () => {});
  const relaxed = new Kysely<Database>({ dialect: new PostgresDialect({ pool: relaxedPool }) });
  const directory = new DirectoryCache({ live: false });
  const listener = listenForChanges(connection, directory);
  const later = new LaterWrites();
  return {
    db,
    relaxed,
    backend: "postgres",
    directory,
    ping: () => ping(db),
    later: (work, onError) => later.run(work, onError),
    settled: () => later.settled(),
    close: async () => {
      await later.close();
      await listener.stop();
      await relaxed.destroy();
      await db.destroy();
    },
  };
}

/**
 * Keeps one connection listening for changes other processes announce, and clears the cache on
 * each; while the connection is down the cache keeps nothing, and it reconnects with backoff.
 */
function listenForChanges(connection: pg.ClientConfig, directory: DirectoryCache): { stop(): Promise<void> } {
  let client: pg.Client | null = null;
  let timer: NodeJS.Timeout | null = null;
  let stopped = false;
  let delay = 500;
  const retry = () => {
    directory.setLive(false);
    if (stopped || timer) return;
    timer = setTimeout(() => {
      timer = null;
      void connect();
    }, delay);
    timer.unref();
    delay = Math.min(delay * 2, 30_000);
  };
  const connect = async () => {
    const c = new pg.Client(connection);
    client = c;
    c.on("error", () => {
      if (client === c) client = null;
      c.end().catch(() => {});
      retry();
    });
    c.on("notification", () => directory.clear());
    c.on("end", () => {
      if (client === c) {
        client = null;
        retry();
      }
    });
    try {
      await c.connect();
      // The connection must not keep a command-line process alive.
      (c as unknown as { connection?: { stream?: { unref?: () => void } } }).connection?.stream?.unref?.();
      await c.query(`LISTEN ${DIRECTORY_CHANNEL}`);
      if (stopped) return void (await c.end().catch(() => {}));
      delay = 500;
      directory.setLive(true);
    } catch {
      if (client === c) client = null;
      await c.end().catch(() => {});
      retry();
    }
  };
  void connect();
  return {
    stop: async () => {
      stopped = true;
      directory.setLive(false);
      if (timer) clearTimeout(timer);
      await client?.end().catch(() => {});
      client = null;
    },
  };
}

// The embedded database serves one process through one connection. PostgreSQL's default of 128 MB
// of shared buffers is memory the WebAssembly instance clears at every start: 0.6 s of a command's
// start against 0.25 s with 32 MB, for pages the operating system caches anyway.
const EMBEDDED_SHARED_BUFFERS = "32MB";

/**
 * Opens the embedded database in `dataDir` (or in memory). A new folder, or memory, starts from
 * `template` when one is given (see pglite-template.ts) instead of initialising a cluster.
 */
async function openPglite(dataDir: string | null, template: PgliteTemplate): Promise<Store> {
  let release: (() => Promise<void>) | null = null;
  let fresh = true;
  if (dataDir) {
    makeDataDir(dataDir);
    release = await lockFolder(dataDir);
    fresh = !existsSync(path.join(dataDir, "PG_VERSION"));
  }
  try {
    // Loaded only here: a process on a PostgreSQL server never carries the embedded database.
    const { PGlite } = await import("@electric-sql/pglite");
    const { createPgConfig } = await import("@electric-sql/pglite/node-postgres");
    const archive = fresh ? await templateArchive(template) : null;
    const options = {
      ...(archive ? { loadDataDir: archive } : {}),
      startParams: [...PGlite.defaultStartParams, "-c", `shared_buffers=${EMBEDDED_SHARED_BUFFERS}`],
    };
    const pglite = dataDir ? await PGlite.create(dataDir, options) : await PGlite.create(options);
    const pool = new pg.Pool({ ...createPgConfig(pglite), types });
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    const later = new LaterWrites();
    return {
      db,
      // One process, one connection: nothing to gain from a second handle.
      relaxed: db,
      backend: "pglite",
      // Only this process opens the folder: every change goes through it.
      directory: new DirectoryCache({ live: true }),
      ping: () => ping(db),
      later: (work, onError) => later.run(work, onError),
      settled: () => later.settled(),
      close: async () => {
        await later.close();
        await db.destroy();
        await pglite.close();
        await release?.();
      },
      dumpDataDir: () => pglite.dumpDataDir("gzip"),
    };
  } catch (cause) {
    await release?.();
    throw new RapportError(
      "storage_unavailable",
      `Could not open the embedded database in ${dataDir ?? "memory"}.`,
      { cause },
    );
  }
}

/** The template's archive; a file that is not there (never built) means starting from scratch. */
async function templateArchive(template: PgliteTemplate): Promise<Blob | null> {
  if (typeof template !== "string") return template ?? null;
  return existsSync(template) ? new Blob([await readFile(template)]) : null;
}

/** Creates the embedded database's folder; a path naming a file is an error naming the variable. */
function makeDataDir(dataDir: string): void {
  const where = path.resolve(dataDir);
  const isFolder = () => {
    try {
      return statSync(where).isDirectory();
    } catch {
      return null;
    }
  };
  if (isFolder() === false) {
    throw new RapportError(
      "config_invalid",
      `RAPPORT_DATA_DIR names ${where}, which is a file, not a folder: point it at a folder (it is created if missing).`,
    );
  }
  try {
    mkdirSync(where, { recursive: true });
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code ?? "error";
    throw new RapportError(
      "config_invalid",
      `RAPPORT_DATA_DIR: could not create the folder ${where} (${code}); choose a folder rapport may write to.`,
      { cause },
    );
  }
}

// Who holds the folder, written beside proper-lockfile's lock directory (a file inside it would
// change the directory's mtime, which proper-lockfile reads as the lock compromised). It alone
// only knows a lock is stale when its mtime is older than `stale`, so after a crash a restart
// would be refused for up to 15 s; an owner on this machine that no longer runs frees it at once.
const OWNER_FILE = "rapport.lock.owner";
// Folders this process holds: an owner with our own pid that is not among them was an earlier
// process (a container restarted often gets the same pid).
const heldHere = new Set<string>();

async function lockFolder(dataDir: string): Promise<() => Promise<void>> {
  const lockPath = path.join(dataDir, "rapport.lock");
  const ownerPath = path.join(dataDir, OWNER_FILE);
  const take = async () => {
    const release = await lockfile.lock(dataDir, {
      lockfilePath: lockPath,
      stale: 15_000,
      update: 5_000,
      retries: 0,
      realpath: false,
      onCompromised: (err) => {
        // Another process took the folder while we hold it: going on would corrupt the data, so
        // this throws out of a timer and ends the process.
        throw new RapportError(
          "storage_locked",
          `Lost the lock on ${path.resolve(dataDir)}; stopping to protect the data.`,
          {
            cause: err,
          },
        );
      },
    });
    writeFileSync(ownerPath, `${hostname()}\n${process.pid}\n${threadId}\n`);
    heldHere.add(path.resolve(lockPath));
    return async () => {
      heldHere.delete(path.resolve(lockPath));
      rmSync(ownerPath, { force: true });
      await release();
    };
  };
  try {
    try {
      return await take();
    } catch (cause) {
      if ((cause as NodeJS.ErrnoException).code !== "ELOCKED" || !ownerIsGone(lockPath, ownerPath))
        throw cause;
      rmSync(lockPath, { recursive: true, force: true });
      return await take();
    }
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === "ELOCKED") {
      throw new RapportError(
        "storage_locked",
        `Another rapport process is using the embedded database in ${path.resolve(dataDir)}. ` +
          "Stop it first, use another RAPPORT_DATA_DIR, " +
          "or set DATABASE_URL so several processes share a PostgreSQL server.",
        { cause },
      );
    }
    throw cause;
  }
}

/**
 * True when the lock's owner was a process on this machine that no longer runs. An unreadable
 * owner (a lock being taken this instant, or another machine's on a shared disk) is never gone.
 */
function ownerIsGone(lockPath: string, ownerPath: string): boolean {
  let host: string | undefined;
  let pid: number;
  let thread: number;
  try {
    const [h, p, t] = readFileSync(ownerPath, "utf8").split("\n");
    host = h;
    pid = Number(p);
    thread = Number(t || 0);
  } catch {
    return false;
  }
  if (host !== hostname() || !Number.isInteger(pid) || pid <= 0) return false;
  // Another thread of this process (each has its own `heldHere`) holds it while the process runs.
  if (pid === process.pid) return thread === threadId && !heldHere.has(path.resolve(lockPath));
  try {
    process.kill(pid, 0);
    return false;
  } catch (e) {
    // EPERM: it runs, as another user.
    return (e as NodeJS.ErrnoException).code === "ESRCH";
  }
}

async function ping(db: Kysely<Database>): Promise<boolean> {
  try {
    await sql`select 1`.execute(db);
    return true;
  } catch {
    return false;
  }
}
