import { openApp, type App } from "../../src/app.ts";
import { loadConfig, type AppConfig } from "../config.ts";
import { silentLogger } from "../../src/logger.ts";
import type { Output } from "./output.ts";

/** What every command gets: its settings, where to write, and a way to open the database. */
export interface CliContext {
  env: NodeJS.ProcessEnv;
  output: Output;
  config(): AppConfig;
  /** Opens the database (migrated), runs `fn`, and always closes it again. */
  withApp<T>(fn: (app: App) => Promise<T>): Promise<T>;
}

/** The context for one run of the `rapport` command. */
export function createCliContext(env: NodeJS.ProcessEnv, output: Output): CliContext {
  let config: AppConfig | null = null;
  const ctx: CliContext = {
    env,
    output,
    config: () => (config ??= loadConfig(env)),
    withApp: async (fn) => {
      const app = await openApp(ctx.config(), { logger: silentLogger });
      try {
        return await fn(app);
      } finally {
        await app.close();
      }
    },
  };
  return ctx;
}
