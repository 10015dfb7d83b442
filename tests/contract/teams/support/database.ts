// What rapport recorded, read from its database once the server has stopped (the embedded
// database is single-process, so it cannot be opened beside a running server).
import { loadConfig } from "../../../../app/config.ts";
import { openApp, type App } from "../../../../src/app.ts";
import { silentLogger } from "../../../../src/logger.ts";
import type { TeamsHarness } from "./harness.ts";

/** Stops rapport (its fake connector and data stay until `stop()`), then reads its database with `read`. */
export async function readDatabase<T>(h: TeamsHarness, read: (app: App) => Promise<T>): Promise<T> {
  await h.stopServer();
  const app = await openApp(loadConfig(h.env), { logger: silentLogger });
  try {
    return await read(app);
  } finally {
    await app.close();
  }
}
