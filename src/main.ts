import { openApp } from "./app.ts";
import type { Config } from "./config.ts";
import { createHttpServer } from "./http/server.ts";
import type { Logger } from "./logger.ts";
import { Telemetry } from "./telemetry.ts";

/** A running rapport: the HTTP server on its port, and how to stop it. */
export interface RunningServer {
  port: number;
  stop(): Promise<void>;
}

/**
 * The composition root: opens the database, builds the core, mounts the HTTP routes and listens.
 * It is the one file in src/ that will wire the chat adapters in.
 */
export async function startServer(config: Config, logger: Logger): Promise<RunningServer> {
  const telemetry = new Telemetry();
  const app = await openApp(config, { logger, telemetry });
  const server = createHttpServer({ logger, telemetry, ready: () => app.store.ping() });
  let port: number;
  try {
    ({ port } = await server.listen(config.http.port, config.http.host));
  } catch (e) {
    await app.close();
    throw e;
  }
  logger.info({ port, host: config.http.host, database: app.store.backend }, "rapport is listening");
  logger.info("Slack and Teams adapters are not configured: only /healthz, /readyz and /metrics are served");
  let stopping: Promise<void> | null = null;
  return {
    port,
    stop: () =>
      (stopping ??= (async () => {
        await server.close();
        await app.close();
        logger.info("rapport stopped");
      })()),
  };
}
