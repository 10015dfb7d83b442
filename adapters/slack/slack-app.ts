import type { IncomingMessage, ServerResponse } from "node:http";
import { App, HTTPReceiver, SocketModeReceiver, type Receiver } from "@slack/bolt";
import { WebClient, type WebClientOptions } from "@slack/web-api";
import type { InstallationVault, Logger, Rapport } from "../../src/index.ts";
import type { SlackConfig } from "./settings.ts";
import { boltLogger } from "./bolt-logger.ts";
import { VaultInstallationStore } from "./installation-store.ts";
import { registerCardActions } from "./listeners/card-actions.ts";
import { registerFormSubmissions } from "./listeners/form-submissions.ts";
import { registerIssueCommand } from "./listeners/issue-command.ts";
import { registerMessageEvents } from "./listeners/message-events.ts";
import { registerOtherEvents, type ForgetInstall } from "./listeners/other-events.ts";
import { registerPartnerCommand } from "./listeners/partner-command.ts";
import { registerShortcuts } from "./listeners/shortcuts.ts";
import { registerUnhandled } from "./listeners/unhandled.ts";
import { SlackNotifier } from "./notifier.ts";
import { SlackPeople } from "./people.ts";
import { guardSlackRequests } from "./request-guard.ts";
import { singleWorkspaceAuthorize, slackClientOptions, type SlackClientOptions } from "./web-clients.ts";

/** The bot scopes rapport asks for when installed through OAuth (the manifest lists the same). */
export const BOT_SCOPES = [
  "commands",
  "chat:write",
  "channels:history",
  "groups:history",
  "reactions:read",
  "im:write",
  "users:read",
  "files:write",
];

/** The HTTP paths Slack calls: events, commands and interactivity on one URL, and OAuth. */
export const SLACK_PATHS = {
  events: "/slack/events",
  install: "/slack/install",
  redirect: "/slack/oauth_redirect",
};

/** What the composition root mounts: routes for the HTTP server, a notifier, and Socket Mode's start/stop. */
export interface SlackAdapter {
  mode: "http" | "socket";
  routes: {
    method: "GET" | "POST";
    path: string;
    handler: (req: IncomingMessage, res: ServerResponse) => void;
  }[];
  notifier: SlackNotifier;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** Builds the Slack side of rapport: Bolt with rapport's listeners, in HTTP or Socket Mode. */
export function createSlackAdapter(opts: {
  config: SlackConfig;
  rapport: Rapport;
  logger: Logger;
  vault: InstallationVault | null;
}): SlackAdapter {
  const { config, rapport, logger } = opts;
  const log = boltLogger(logger);
  const store = config.auth.kind === "oauth" && opts.vault ? new VaultInstallationStore(opts.vault) : null;
  const clientOptions = slackClientOptions(config);
  const receiver = createReceiver(config, store, log, clientOptions);
  const app = new App({
    receiver,
    logger: log,
    // The `client` every listener gets: it neither retries nor waits, so Slack is answered in time.
    clientOptions: clientOptions.requestPath(),
    ...(config.auth.kind === "single"
      ? { authorize: singleWorkspaceAuthorize(config.auth.botToken, clientOptions, logger) }
      : {}),
  });
  const deps = { rapport, logger, people: new SlackPeople(logger) };
  const forget: ForgetInstall = async (team) => {
    if (store)
      await store.deleteInstallation({
        teamId: team.teamId,
        enterpriseId: team.enterpriseId,
        isEnterpriseInstall: team.isEnterpriseInstall,
      } as never);
  };
  // First, so that it wraps every listener and acknowledges what none of them did.
  registerUnhandled(app, logger);
  registerIssueCommand(app, deps);
  registerPartnerCommand(app, deps);
  registerShortcuts(app, deps);
  registerCardActions(app, deps);
  registerFormSubmissions(app, deps);
  registerMessageEvents(app, deps);
  registerOtherEvents(app, deps, forget);
  // Rethrown so that Bolt answers 500 (401 for a failed authorization) instead of 200: an event whose
  // listener failed before its record was committed is then redelivered by Slack, not lost.
  app.error(async (err) => {
    logger.error({ err }, "an unhandled error in a Slack listener");
    throw err;
  });
  return adapterOf(config, receiver, app, store, clientOptions, logger);
}

function createReceiver(
  config: SlackConfig,
  store: VaultInstallationStore | null,
  log: ReturnType<typeof boltLogger>,
  clientOptions: SlackClientOptions,
): Receiver {
  // The installer's client options are also what Socket Mode's client is built with.
  const installer = (installerClient: WebClientOptions) =>
    config.auth.kind === "oauth" && store
      ? {
          clientId: config.auth.clientId,
          clientSecret: config.auth.clientSecret,
          stateSecret: config.auth.stateSecret,
          scopes: BOT_SCOPES,
          installationStore: store,
          installerOptions: {
            installPath: SLACK_PATHS.install,
            redirectUriPath: SLACK_PATHS.redirect,
            directInstall: true,
            clientOptions: installerClient,
          },
        }
      : { installerOptions: { clientOptions: installerClient } };
  if (config.appToken) {
    // Socket Mode's client takes the installer's client options for apps.connections.open.
    return new SocketModeReceiver({
      appToken: config.appToken,
      logger: log,
      ...installer(clientOptions.connection()),
    });
  }
  return new HTTPReceiver({
    // Verified once, by guardSlackRequests, the only way in to this receiver's request listener;
    // Bolt is not even given the secret.
    signingSecret: "",
    signatureVerification: false,
    endpoints: SLACK_PATHS.events,
    // Slack is answered only when the listener is done: whatever it records is committed by then.
    processBeforeResponse: true,
    logger: log,
    ...installer(clientOptions.requestPath()),
  });
}

function adapterOf(
  config: SlackConfig,
  receiver: Receiver,
  app: App,
  store: VaultInstallationStore | null,
  clientOptions: SlackClientOptions,
  logger: Logger,
): SlackAdapter {
  // The outbox alone decides about retries (issue 5): these clients never retry or wait on a 429.
  const outboxClient = (token: string | undefined) =>
    new WebClient(token, {
      ...clientOptions.api(),
      retryConfig: { retries: 0 },
      rejectRateLimitedCalls: true,
    });
  const single = config.auth.kind === "single" ? outboxClient(config.auth.botToken) : null;
  const clientFor = async (workspaceId: string): Promise<WebClient> => {
    if (single) return single;
    const install = await store!.fetchInstallation({
      teamId: workspaceId,
      enterpriseId: undefined,
      isEnterpriseInstall: false,
    });
    return outboxClient(install.bot?.token);
  };
  const notifier = new SlackNotifier(clientFor);
  if (receiver instanceof HTTPReceiver) {
    const handler = receiver.requestListener;
    const events = guardSlackRequests(handler, config.signingSecret ?? "", logger);
    const routes: SlackAdapter["routes"] = [{ method: "POST", path: SLACK_PATHS.events, handler: events }];
    if (store) {
      // Bolt's listener serves OAuth on GET only; nothing else may reach it without the guard.
      const oauth = onlyGet(handler);
      routes.push(
        { method: "GET", path: SLACK_PATHS.install, handler: oauth },
        { method: "GET", path: SLACK_PATHS.redirect, handler: oauth },
      );
    }
    return { mode: "http", routes, notifier, start: async () => {}, stop: async () => {} };
  }
  return {
    mode: "socket",
    routes: [],
    notifier,
    start: async () => void (await app.start()),
    stop: async () => void (await app.stop()),
  };
}

/** `handler` for GET requests; anything else (a HEAD the server routes here) gets 405. */
function onlyGet(
  handler: SlackAdapter["routes"][number]["handler"],
): SlackAdapter["routes"][number]["handler"] {
  return (req, res) => {
    if (req.method === "GET") return handler(req, res);
    res.writeHead(405, { allow: "GET" }).end();
  };
}
