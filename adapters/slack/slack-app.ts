import type { IncomingMessage, ServerResponse } from "node:http";
import { App, HTTPReceiver, type Receiver } from "@slack/bolt";
import type { Inbox, InstallationVault, Logger, Rapport, RapportError } from "../../src/index.ts";
import type { SlackConfig } from "./settings.ts";
import { boltLogger } from "./bolt-logger.ts";
import { ListenerTable } from "./listener-table.ts";
import { VaultInstallationStore } from "./installation-store.ts";
import { registerCardActions } from "./listeners/card-actions.ts";
import { registerFormSubmissions } from "./listeners/form-submissions.ts";
import { registerIssueCommand } from "./listeners/issue-command.ts";
import { registerMessageEvents } from "./listeners/message-events.ts";
import { registerOtherEvents, type ForgetInstall } from "./listeners/other-events.ts";
import { registerPartnerCommand } from "./listeners/partner-command.ts";
import { registerShortcuts } from "./listeners/shortcuts.ts";
import { SlackNotifier } from "./notifier.ts";
import { OutboxWebApi, type OutboxCalls } from "./outbox-web-api.ts";
import { SlackPeople } from "./people.ts";
import { guardSlackRequests } from "./request-guard.ts";
import { eventsThroughInbox, slackEventIntake, type SlackEventIntake } from "./event-intake.ts";
import { SocketReceiver } from "./socket-receiver.ts";
import {
  OUTBOX_CALL_TIMEOUT_MS,
  singleWorkspaceAuthorize,
  slackClientOptions,
  type SlackClientOptions,
} from "./web-clients.ts";

/** The bot scopes rapport asks for when installed through OAuth (the manifest lists the same). */
export const BOT_SCOPES = [
  "commands",
  "chat:write",
  "channels:history",
  "groups:history",
  "reactions:read",
  "im:write",
  // Reading back a direct message rapport posted, before posting it again (see notifier.ts).
  "im:history",
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
  /**
   * Socket Mode: makes the first connection attempt; resolves once connected, or once a retry is
   * planned (or `signal` aborts the wait); rejects when Slack refuses SLACK_APP_TOKEN.
   */
  start(signal?: AbortSignal): Promise<void>;
  stop(): Promise<void>;
  /** Null while Slack can reach rapport (always in HTTP mode; a socket open in Socket Mode), else why not. */
  unready(): string | null;
}

/** Builds the Slack side of rapport: Bolt with rapport's listeners, in HTTP or Socket Mode. */
export function createSlackAdapter(opts: {
  config: SlackConfig;
  rapport: Rapport;
  logger: Logger;
  vault: InstallationVault | null;
  /** Where Events API payloads are stored before they are processed. */
  inbox: Inbox;
  /** Hears of what ends Socket Mode for good while running (a token revoked). */
  onFatal?: (error: RapportError) => void;
}): SlackAdapter {
  const { config, rapport, logger } = opts;
  const log = boltLogger(logger);
  const store = config.auth.kind === "oauth" && opts.vault ? new VaultInstallationStore(opts.vault) : null;
  const clientOptions = slackClientOptions(config);
  // The intake needs the app, the app its receiver, Socket Mode's receiver the intake.
  let intake: SlackEventIntake | null = null;
  const lateIntake: SlackEventIntake = { take: (body, retry) => intake!.take(body, retry) };
  const http = createHttpReceiver(config, store, log, clientOptions);
  const stopping = new AbortController();
  let botTokenRefused: string | null = null;
  const botTokenCheck = {
    signal: stopping.signal,
    onRefused: (reason: string) => (botTokenRefused = reason),
  };
  const receiver = config.appToken
    ? socketReceiver(config.appToken, http, clientOptions, lateIntake, logger, log, opts.onFatal)
    : http;
  const app = new App({
    receiver,
    logger: log,
    // No listener keeps state per conversation; Bolt's store would look each request up (and
    // build an Error for every miss) for nothing.
    convoStore: false,
    // The `client` every listener gets: it neither retries nor waits, so Slack is answered in time.
    clientOptions: clientOptions.requestPath(),
    ...(config.auth.kind === "single"
      ? { authorize: singleWorkspaceAuthorize(config.auth.botToken, clientOptions, logger, botTokenCheck) }
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
  intake = slackEventIntake(app, opts.inbox, logger);
  // Every listener of rapport's, found by name in one table rather than offered each request in
  // turn; the table acknowledges at once what none of them takes.
  const table = new ListenerTable(logger);
  registerIssueCommand(table.register, deps);
  registerPartnerCommand(table.register, deps);
  registerShortcuts(table.register, deps);
  registerCardActions(table.register, deps);
  registerFormSubmissions(table.register, deps);
  registerMessageEvents(table.register, deps);
  registerOtherEvents(table.register, deps, forget);
  app.use(table.middleware);
  // Rethrown so that a command or an interaction whose listener failed before its record was
  // committed is not acknowledged (HTTP 500, or no ack on the socket), and an event processed from
  // the inbox is tried again rather than marked done.
  app.error(async (err) => {
    logger.error({ err }, "an unhandled error in a Slack listener");
    throw err;
  });
  const adapter = adapterOf(config, { receiver, http, intake }, app, store, clientOptions, logger);
  return {
    ...adapter,
    stop: async () => {
      stopping.abort();
      await adapter.stop();
    },
    unready: () => botTokenRefused ?? adapter.unready(),
  };
}

function createHttpReceiver(
  config: SlackConfig,
  store: VaultInstallationStore | null,
  log: ReturnType<typeof boltLogger>,
  clientOptions: SlackClientOptions,
): HTTPReceiver {
  const installer =
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
            clientOptions: clientOptions.requestPath(),
          },
        }
      : { installerOptions: { clientOptions: clientOptions.requestPath() } };
  // In Socket Mode this receiver serves only OAuth's pages (on rapport's own HTTP server).
  return new HTTPReceiver({
    // Verified once, by guardSlackRequests, the only way in to this receiver's request listener;
    // Bolt is not even given the secret.
    signingSecret: "",
    signatureVerification: false,
    endpoints: SLACK_PATHS.events,
    // Slack is answered only when the listener is done: whatever it records is committed by then.
    processBeforeResponse: true,
    logger: log,
    ...installer,
  });
}

function socketReceiver(
  appToken: string,
  http: HTTPReceiver,
  clientOptions: SlackClientOptions,
  intake: SlackEventIntake,
  logger: Logger,
  log: ReturnType<typeof boltLogger>,
  onFatal: ((error: RapportError) => void) | undefined,
): SocketReceiver {
  const receiver = new SocketReceiver(
    {
      appToken,
      clientOptions: clientOptions.connection(),
      dispatcher: clientOptions.dispatcher(),
      logger,
      boltLogger: log,
      onFatal: onFatal ?? ((e) => logger.error({ component: "slack" }, e.message)),
    },
    intake,
    logger,
  );
  // Bolt authorizes OAuth installs through its receiver's installer.
  return Object.assign(receiver, { installer: http.installer });
}

function adapterOf(
  config: SlackConfig,
  receivers: { receiver: Receiver; http: HTTPReceiver; intake: SlackEventIntake },
  app: App,
  store: VaultInstallationStore | null,
  clientOptions: SlackClientOptions,
  logger: Logger,
): SlackAdapter {
  // The outbox alone decides about retries (issue 5): these clients never retry or wait on a 429.
  const outboxClient = (token: string | undefined) =>
    new OutboxWebApi(token, {
      ...(config.apiUrl ? { apiUrl: config.apiUrl } : {}),
      ...(clientOptions.dispatcher() ? { dispatcher: clientOptions.dispatcher()! } : {}),
      timeoutMs: OUTBOX_CALL_TIMEOUT_MS,
    });
  const single = config.auth.kind === "single" ? outboxClient(config.auth.botToken) : null;
  const clientFor = async (workspaceId: string): Promise<OutboxCalls> => {
    if (single) return single;
    const install = await store!.fetchInstallation({
      teamId: workspaceId,
      enterpriseId: undefined,
      isEnterpriseInstall: false,
    });
    return outboxClient(install.bot?.token);
  };
  const notifier = new SlackNotifier(clientFor);
  const { receiver, http, intake } = receivers;
  const handler = http.requestListener;
  const routes: SlackAdapter["routes"] = [];
  if (store) {
    // Bolt's listener serves OAuth on GET only; nothing else may reach it without the guard.
    const oauth = onlyGet(handler);
    routes.push(
      { method: "GET", path: SLACK_PATHS.install, handler: oauth },
      { method: "GET", path: SLACK_PATHS.redirect, handler: oauth },
    );
  }
  if (receiver instanceof SocketReceiver) {
    return {
      mode: "socket",
      routes,
      notifier,
      start: (signal) => receiver.start(signal),
      stop: () => receiver.stop(),
      unready: () => receiver.socket.unready(),
    };
  }
  const events = guardSlackRequests(
    eventsThroughInbox(handler, intake, logger),
    config.signingSecret ?? "",
    logger,
  );
  routes.unshift({ method: "POST", path: SLACK_PATHS.events, handler: events });
  return { mode: "http", routes, notifier, start: async () => {}, stop: async () => {}, unready: () => null };
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
