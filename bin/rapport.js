#!/usr/bin/env node
// Runs the TypeScript sources directly, so `npm install && npm start` needs no build step.
import { existsSync } from "node:fs";
import { register } from "tsx/esm/api";

// A .env file in the working directory fills in settings the environment does not already set.
if (existsSync(".env")) process.loadEnvFile(".env");

register();
const { runCli } = await import("../app/cli/index.ts");
process.exitCode = await runCli(process.argv.slice(2));
