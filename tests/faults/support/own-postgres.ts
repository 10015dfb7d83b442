import { execFileSync, spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";

// A PostgreSQL server of the suite's own, on a free port in a temporary folder, that a scenario
// may stop and start: never the shared server on 5432.

const BIN = (() => {
  const root = "/usr/lib/postgresql";
  const version = existsSync(root) ? readdirSync(root).sort().at(-1) : undefined;
  return version ? path.join(root, version, "bin") : null;
})();

/** True when initdb and pg_ctl are installed where Debian puts them. */
export const canRunOwnPostgres = BIN !== null;

/** A running server of our own: its URL, and how to stop, start and remove it. */
export interface OwnPostgres {
  url: string;
  port: number;
  stop(): void;
  start(): void;
  dispose(): void;
}

// initdb refuses to run as root: as root, the server runs as the postgres user.
function run(bin: string, args: string[]): void {
  const asRoot = process.getuid?.() === 0;
  const command = asRoot ? "runuser" : path.join(BIN!, bin);
  const argv = asRoot ? ["-u", "postgres", "--", path.join(BIN!, bin), ...args] : args;
  execFileSync(command, argv, { stdio: "pipe" });
}

/** initdb + pg_ctl start on a free port, trust authentication, database `rapport`. */
export async function startOwnPostgres(): Promise<OwnPostgres> {
  const root = mkdtempSync(path.join(tmpdir(), "rapport-faults-pg-"));
  chmodSync(root, 0o777);
  const data = path.join(root, "data");
  const port = await freePort();
  run("initdb", ["-D", data, "-A", "trust", "-U", "postgres", "--no-sync"]);
  const options = `-p ${port} -k ${root} -c listen_addresses=127.0.0.1 -c fsync=off`;
  const start = () => run("pg_ctl", ["-D", data, "-o", options, "-l", path.join(root, "log"), "-w", "start"]);
  const stop = () => run("pg_ctl", ["-D", data, "-m", "fast", "-w", "stop"]);
  start();
  const psql = spawnSync(
    process.getuid?.() === 0 ? "runuser" : path.join(BIN!, "createdb"),
    process.getuid?.() === 0
      ? [
          "-u",
          "postgres",
          "--",
          path.join(BIN!, "createdb"),
          "-h",
          "127.0.0.1",
          "-p",
          String(port),
          "rapport",
        ]
      : ["-h", "127.0.0.1", "-p", String(port), "rapport"],
    { stdio: "pipe" },
  );
  if (psql.status !== 0) throw new Error(`createdb failed: ${psql.stderr.toString()}`);
  let running = true;
  return {
    url: `postgres://postgres@127.0.0.1:${port}/rapport`,
    port,
    stop: () => {
      if (running) stop();
      running = false;
    },
    start: () => {
      if (!running) start();
      running = true;
    },
    dispose: () => {
      try {
        if (running) stop();
      } finally {
        rmSync(root, { recursive: true, force: true });
      }
    },
  };
}

/** A port nothing listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}
