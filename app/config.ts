import { z } from "zod";
import {
  checkSlackSettings,
  slackConfig,
  slackSecretVariables,
  slackVariables,
} from "../adapters/slack/settings.ts";
import {
  checkTeamsSettings,
  teamsConfig,
  teamsSecretVariables,
  teamsVariables,
} from "../adapters/teams/settings.ts";
import { coreConfig, coreSecretVariables, coreVariables, parseEnvironment } from "../src/config.ts";

// rapport's whole configuration: the core's settings and each platform's, read from one
// environment in one pass, so that one error names every bad variable whoever owns it.
// Add a platform as its variables, its secrets, its check and its group below.

const secretVariables = [...coreSecretVariables, ...slackSecretVariables, ...teamsSecretVariables];

const configSchema = z
  .object({ ...coreVariables, ...slackVariables, ...teamsVariables })
  .superRefine((env, ctx) => {
    checkSlackSettings(env, ctx);
    checkTeamsSettings(env, ctx);
  })
  .transform((env) => {
    const teams = teamsConfig(env);
    const slack = slackConfig(env);
    // Slack and authenticated Teams must be reachable from outside. Local-mode Teams accepts
    // unauthenticated requests, so its route answers only this machine (see the Teams adapter);
    // with nothing else to serve, the whole server stays on this machine too.
    const defaultHost = teams.mode === "local" && !slack ? "127.0.0.1" : "0.0.0.0";
    return { ...coreConfig(env, defaultHost), slack, teams };
  });

/** rapport's settings, checked and typed; see `.env.example` for the variables behind them. */
export type AppConfig = z.output<typeof configSchema>;

/** Reads the settings from `env`; throws one `config_invalid` RapportError naming every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  return parseEnvironment(configSchema, env, secretVariables);
}
