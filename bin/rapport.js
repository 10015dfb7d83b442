#!/usr/bin/env node
// Runs the built JavaScript under dist/ (built by `npm install`, and again here only when the
// sources have changed since), so no TypeScript is transpiled while rapport runs.
import { existsSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { builtEntry, templateFile } from "../scripts/build.js";

// A .env file in the working directory fills in settings the environment does not already set.
if (existsSync(".env")) process.loadEnvFile(".env");

// A new embedded database starts from the migrated template `npm install` built, when there is one.
process.env.RAPPORT_PGLITE_TEMPLATE ??= templateFile();

const { runCli } = await import(pathToFileURL(await builtEntry({ quiet: !process.stderr.isTTY })).href);
process.exitCode = await runCli(process.argv.slice(2));
