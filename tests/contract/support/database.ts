// What rapport recorded, read from its database once the server has stopped (the embedded
// database is single-process, so it cannot be opened beside a running server).
import { loadConfig } from "../../../app/config.ts";
import { openApp, type App } from "../../../src/app.ts";
import { silentLogger } from "../../../src/logger.ts";

/** A running rapport of either platform's harness: what it was configured from, and how to stop it. */
export interface StoppableHarness {
  env: NodeJS.ProcessEnv;
  /** Stops rapport; its fake platform and data stay until the harness's `stop()`. */
  stopServer(): Promise<void>;
}

/** Stops rapport, then reads its database with `read`. */
export async function readDatabase<T>(h: StoppableHarness, read: (app: App) => Promise<T>): Promise<T> {
  await h.stopServer();
  const app = await openApp(loadConfig(h.env), { logger: silentLogger });
  try {
    return await read(app);
  } finally {
    await app.close();
  }
}
