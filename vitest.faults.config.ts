import { defineConfig } from "vitest/config";

// `npm run test:faults`: real `rapport serve` processes against PostgreSQL (the shared test server,
// and a server of the suite's own that it stops and starts) and the embedded database, driven
// through crashes, outages and redeliveries. Each scenario prints what it tried and what was kept.
export default defineConfig({
  test: {
    include: ["tests/faults/**/*.test.ts"],
    env: {
      RAPPORT_TEST_DATABASE_URL:
        process.env.RAPPORT_TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test",
    },
    // One scenario at a time: each one times a real server, and they share two cores with others.
    fileParallelism: false,
    testTimeout: 600_000,
    hookTimeout: 300_000,
  },
});
