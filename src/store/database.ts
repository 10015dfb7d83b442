import { existsSync, mkdirSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { Kysely, PostgresDialect, sql } from "kysely";
import pg from "pg";
import lockfile from "proper-lockfile";
import { RapportError } from "../domain/errors.ts";
import { DIRECTORY_CHANNEL, DirectoryCache } from "./directory-cache.ts";
import type { Database } from "./tables.ts";

/** Where the data lives: a PostgreSQL server, or the embedded database in a folder (or memory). */
export type DatabaseTarget =
  | { kind: "postgres"; url: string; schema?: string; poolSize?: number }
  | { kind: "pglite"; dataDir: string | null; template?: PgliteTemplate };

/** A migrated empty cluster to start a new embedded database from: an archive, or its file. */
export type PgliteTemplate = Blob | string | null | undefined;

/** An open database: the Kysely handle, which backend serves it, and how to close it. */
export interface Store {
  db: Kysely<Database>;
  backend: "pglite" | "postgres";
  /** Partnerships, links and memberships kept between changes (see directory-cache.ts). */
  directory: DirectoryCache;
  /** True when the database answers a trivial query. */
  ping(): Promise<boolean>;
  /** Closes the pool, then the embedded database and its folder lock. */
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

/** Opens the database named by `target`. The embedded one takes an exclusive lock on its folder. */
export async function openStore(target: DatabaseTarget): Promise<Store> {
  return target.kind === "postgres" ? openPostgres(target) : openPglite(target.dataDir, target.template);
}

function openPostgres(target: Extract<DatabaseTarget, { kind: "postgres" }>): Store {
  const connection = {
    connectionString: target.url,
    types,
    ...(target.schema ? { options: `-c search_path=${target.schema}` } : {}),
  };
  const pool = new pg.Pool({ ...connection, max: target.poolSize ?? 10 });
  pool.on("error", () => {
    // An idle client lost its connection (server restart): the pool replaces it on next use.
  });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  const directory = new DirectoryCache({ live: false });
  const listener = listenForChanges(connection, directory);
  return {
    db,
    backend: "postgres",
    directory,
    ping: () => ping(db),
    close: async () => {
      await listener.stop();
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

/**
 * Opens the embedded database in `dataDir` (or in memory). A new folder, or memory, starts from
 * `template` when one is given (see pglite-template.ts) instead of initialising a cluster.
 */
async function openPglite(dataDir: string | null, template: PgliteTemplate): Promise<Store> {
  let release: (() => Promise<void>) | null = null;
  let fresh = true;
  if (dataDir) {
    mkdirSync(dataDir, { recursive: true });
    release = await lockFolder(dataDir);
    fresh = !existsSync(path.join(dataDir, "PG_VERSION"));
  }
  try {
    // Loaded only here: a process on a PostgreSQL server never carries the embedded database.
    const { PGlite } = await import("@electric-sql/pglite");
    const { createPgConfig } = await import("@electric-sql/pglite/node-postgres");
    const archive = fresh ? await templateArchive(template) : null;
    const options = archive ? { loadDataDir: archive } : {};
    const pglite = dataDir ? await PGlite.create(dataDir, options) : await PGlite.create(options);
    const pool = new pg.Pool({ ...createPgConfig(pglite), types });
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    return {
      db,
      backend: "pglite",
      // Only this process opens the folder: every change goes through it.
      directory: new DirectoryCache({ live: true }),
      ping: () => ping(db),
      close: async () => {
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

async function lockFolder(dataDir: string): Promise<() => Promise<void>> {
  try {
    return await lockfile.lock(dataDir, {
      lockfilePath: path.join(dataDir, "rapport.lock"),
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
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === "ELOCKED") {
      throw new RapportError(
        "storage_locked",
        `Another rapport process is using the embedded database in ${path.resolve(dataDir)}. ` +
          "Stop it first (or wait 15 seconds if it crashed), use another RAPPORT_DATA_DIR, " +
          "or set DATABASE_URL so several processes share a PostgreSQL server.",
        { cause },
      );
    }
    throw cause;
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
