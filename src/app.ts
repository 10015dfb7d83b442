import type { Config } from "./config.ts";
import type { Logger } from "./logger.ts";
import { createCore, type Core } from "./services/core.ts";
import { openStore, type Store } from "./store/database.ts";
import { migrateToLatest } from "./store/migrate.ts";
import { RapportError } from "./domain/errors.ts";
import type { Telemetry } from "./telemetry.ts";

/** An open database with the core built on it. */
export interface App {
  store: Store;
  core: Core;
  close(): Promise<void>;
}

/** Opens the configured database, brings its schema up to date and builds the core on it. */
export async function openApp(
  config: Config,
  options: { logger: Logger; telemetry?: Telemetry },
): Promise<App> {
  const store = await openStore(config.database);
  try {
    const { applied, error } = await migrateToLatest(store.db);
    if (error)
      throw new RapportError("storage_unavailable", "The database schema could not be brought up to date.", {
        cause: error,
      });
    if (applied.length) options.logger.info({ applied }, "database migrated");
  } catch (e) {
    await store.close();
    throw e;
  }
  const telemetry = options.telemetry;
  const core = createCore(store, {
    onRecorded: telemetry ? (e) => telemetry.recordEvent(e.type) : undefined,
    onLaterWriteFailed: (err) =>
      options.logger.warn({ err }, "a week's figures could not be kept; the next digest computes them again"),
  });
  return { store, core, close: () => store.close() };
}
