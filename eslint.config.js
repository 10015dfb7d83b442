import js from "@eslint/js";
import { defineConfig, globalIgnores } from "eslint/config";
import globals from "globals";
import tseslint from "typescript-eslint";

// Style is the formatter's business; these rules catch bugs and keep the house conventions.
// Import boundaries live in tests/unit/architecture.test.ts, which can resolve paths.
export default defineConfig([
  globalIgnores([
    "**/node_modules/",
    "**/.rapport/",
    "**/*.rapport/",
    "coverage/",
    "dist/",
    "rapport-export/",
  ]),
  {
    files: ["**/*.{ts,js,mjs}"],
    extends: [js.configs.recommended, tseslint.configs.recommended],
    languageOptions: {
      ecmaVersion: 2023,
      sourceType: "module",
      globals: globals.node,
    },
    linterOptions: { reportUnusedDisableDirectives: "error" },
    rules: {
      "@typescript-eslint/no-unused-vars": [
        "error",
        {
          argsIgnorePattern: "^_",
          varsIgnorePattern: "^_",
          caughtErrorsIgnorePattern: "^_",
          destructuredArrayIgnorePattern: "^_",
          ignoreRestSiblings: true,
        },
      ],
      // `x == null` is the one loose comparison worth keeping: it means null or undefined.
      eqeqeq: ["error", "always", { null: "ignore" }],
      // The core logs through telemetry, so a stray console.log is a leftover.
      "no-console": "error",
      "no-restricted-syntax": [
        "error",
        {
          selector: "ExportDefaultDeclaration",
          message: "Use a named export: rapport has no default exports (STYLE.md, rule 5).",
        },
        {
          selector: "ExportSpecifier[exported.name='default']",
          message: "Use a named export: rapport has no default exports (STYLE.md, rule 5).",
        },
      ],
      "no-throw-literal": "error",
    },
  },
  {
    // Printing is these programs' job.
    // The fault scenarios print their figures for the person reading the run.
    files: ["app/cli/**", "bin/**", "bench/**", "tests/faults/**"],
    rules: { "no-console": "off" },
  },
  {
    // The tools load these files by their default export, and they talk to the person running them.
    files: ["eslint.config.js", "vitest.config.ts", "vitest.faults.config.ts", "tests/backend-reporter.ts"],
    rules: { "no-restricted-syntax": "off", "no-console": "off" },
  },
  {
    // Migrations run on Kysely<any> on purpose, so an old migration never breaks when table types change.
    files: ["migrations/**"],
    rules: { "@typescript-eslint/no-explicit-any": "off" },
  },
]);
