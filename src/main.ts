import { createSlackAdapter, type SlackAdapter } from "../adapters/slack/slack-app.ts";
import { createTeamsAdapter } from "../adapters/teams/teams-app.ts";
import { openApp, type App } from "./app.ts";
import type { Config } from "./config.ts";
import { createHttpServer, type HttpServer } from "./http/server.ts";
import type { Logger } from "./logger.ts";
import { InstallationVault } from "./services/installation-vault.ts";
import { InstallationRows } from "./store/installations.ts";
import { Telemetry } from "./telemetry.ts";

/** A running rapport: the HTTP server on its port, and how to stop it. */
export interface RunningServer {
  port: number;
  stop(): Promise<void>;
}

/**
 * The composition root: opens the database, builds the core, wires the chat adapters that are
 * configured, mounts the HTTP routes and listens. The one file in src/ that imports adapters/.
 */
export async function startServer(config: Config, logger: Logger): Promise<RunningServer> {
  const telemetry = new Telemetry();
  const app = await openApp(config, { logger, telemetry });
  const server = createHttpServer({ logger, telemetry, ready: () => app.store.ping() });
  let slack: SlackAdapter | null = null;
  let port: number;
  try {
    slack = mountSlack(config, app, server, logger);
    mountTeams(config, app, server, logger);
    ({ port } = await server.listen(config.http.port, config.http.host));
    await slack?.start();
  } catch (e) {
    await server.close();
    await app.close();
    throw e;
  }
  logger.info({ port, host: config.http.host, database: app.store.backend }, "rapport is listening");
  let stopping: Promise<void> | null = null;
  return {
    port,
    stop: () =>
      (stopping ??= (async () => {
        await slack?.stop();
        await server.close();
        await app.close();
        logger.info("rapport stopped");
      })()),
  };
}

function mountSlack(config: Config, app: App, server: HttpServer, logger: Logger): SlackAdapter | null {
  if (!config.slack) {
    logger.info(
      "Slack is off: set SLACK_SIGNING_SECRET and SLACK_BOT_TOKEN (or the OAuth settings) to turn it on",
    );
    return null;
  }
  const vault = config.encryptionKey
    ? new InstallationVault(new InstallationRows(app.store), config.encryptionKey)
    : null;
  const slack = createSlackAdapter({ config: config.slack, core: app.core, logger, vault });
  for (const r of slack.routes) server.route(r.method, r.path, r.handler);
  logger.info(
    { mode: slack.mode, installs: config.slack.auth.kind === "oauth" ? "oauth" : "single workspace" },
    slack.mode === "http" ? "Slack is on at /slack/events" : "Slack is on in Socket Mode",
  );
  return slack;
}

function mountTeams(config: Config, app: App, server: HttpServer, logger: Logger): void {
  if (config.teams.mode === "off") {
    logger.info(`Teams is off: ${config.teams.reason}; set MicrosoftAppId (see README) to turn it on`);
    return;
  }
  const teams = createTeamsAdapter({ config: config.teams, core: app.core, logger });
  server.route(teams.route.method, teams.route.path, teams.route.handler);
  logger.info(
    config.teams.mode === "local"
      ? "Teams is in local mode at /api/messages: requests are NOT authenticated (Bot Framework Emulator, tests); set MicrosoftAppId for real Teams"
      : "Teams is on at /api/messages",
  );
}
