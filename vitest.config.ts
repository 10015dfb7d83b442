import { defineConfig } from "vitest/config";

// Suites under tests/db/ run once per storage backend: the embedded database (PGlite) and a
// PostgreSQL server. Everything else runs once, in the "unit" project.
export default defineConfig({
  test: {
    reporters: ["default", "./tests/backend-reporter.ts"],
    projects: [
      {
        test: {
          name: "unit",
          include: ["tests/unit/**/*.test.ts", "tests/contract/**/*.test.ts"],
        },
      },
      {
        test: {
          name: "pglite",
          include: ["tests/db/**/*.test.ts"],
          env: { RAPPORT_TEST_BACKEND: "pglite" },
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: "postgres",
          include: ["tests/db/**/*.test.ts"],
          env: { RAPPORT_TEST_BACKEND: "postgres" },
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
