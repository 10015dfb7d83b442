import { createConnection } from "node:net";
import { defineConfig } from "vitest/config";

const postgresUrl = process.env.RAPPORT_TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const required = (process.env.RAPPORT_REQUIRE_BACKENDS ?? "").split(",");

function answers(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = createConnection({ host: hostname, port: Number(port || 5432), timeout: 1000 });
    socket.once("connect", () => (socket.destroy(), resolve(true)));
    socket.once("error", () => resolve(false));
    socket.once("timeout", () => (socket.destroy(), resolve(false)));
  });
}

// Each file in a worker thread rather than a child process: the same isolation (a fresh module
// graph per file) for less CPU on a 2-core machine. Set per project: projects do not inherit it.
const pool = "threads" as const;

const dbProject = (name: "pglite" | "postgres") => ({
  test: {
    name,
    pool,
    include: ["tests/db/**/*.test.ts"],
    globalSetup: ["tests/global-setup.ts"],
    env: { RAPPORT_TEST_BACKEND: name, RAPPORT_TEST_DATABASE_URL: postgresUrl },
    // Ceilings, not waits: a database opened on a 2-core machine beside another build can take
    // half a minute; a test that passes returns as soon as it is done.
    testTimeout: 90_000,
    hookTimeout: 120_000,
  },
});

// Suites under tests/db/ run once per storage backend: the embedded database (PGlite) and a
// PostgreSQL server. Without a server (a newcomer's machine) the second run is left out with a
// warning, unless RAPPORT_REQUIRE_BACKENDS names it (CI), in which case it runs and fails loudly.
export default defineConfig(async () => {
  const withPostgres = required.includes("postgres") || (await answers(postgresUrl));
  if (!withPostgres) {
    console.warn(
      `PostgreSQL does not answer at ${postgresUrl}: the database suites run on the embedded database only.`,
    );
  }
  return {
    test: {
      reporters: ["default", "./tests/backend-reporter.ts"],
      // Most suites wait on I/O (a database, a spawned rapport, a fake platform), not on the CPU:
      // three files at a time keep two cores busy, where vitest's default (cores - 1) runs them
      // one after another on a 2-core machine.
      maxWorkers: 3,
      projects: [
        {
          test: {
            name: "unit",
            pool,
            include: ["tests/unit/**/*.test.ts", "tests/contract/**/*.test.ts"],
            globalSetup: ["tests/global-setup.ts"],
            // Contract tests start servers and open databases: ceilings for a busy machine.
            testTimeout: 60_000,
            hookTimeout: 120_000,
          },
        },
        dbProject("pglite"),
        ...(withPostgres ? [dbProject("postgres")] : []),
      ],
    },
  };
});
