import type { SlackAdapter } from "../adapters/slack/slack-app.ts";
import type { TeamsAdapter } from "../adapters/teams/teams-app.ts";
import { openApp, type App } from "../src/app.ts";
import { Readiness } from "../src/http/readiness.ts";
import { createHttpServer } from "../src/http/server.ts";
import { recordDeliveries, recordDueJobs, unreachableLeads } from "../src/jobs/job-figures.ts";
import type { JobResult } from "../src/jobs/job-result.ts";
import { givingWayTo, type Notifiers } from "../src/jobs/outbox-sender.ts";
import { runDueJobs, type DueJobsResult } from "../src/jobs/run-due-jobs.ts";
import { startScheduler } from "../src/jobs/scheduler.ts";
import { returnMemoryWhenQuiet } from "./memory-return.ts";
import type { Logger } from "../src/logger.ts";
import type { Answering } from "../src/ports.ts";
import { Inbox } from "../src/services/inbox.ts";
import { InstallationVault } from "../src/services/installation-vault.ts";
import { Rapport } from "../src/services/rapport.ts";
import { InboxStore } from "../src/store/inbox.ts";
import { InstallationRows } from "../src/store/installations.ts";
import { createJobStores } from "../src/store/job-stores.ts";
import { Telemetry } from "../src/telemetry.ts";
import type { AppConfig } from "./config.ts";

/** A running rapport: the HTTP server on its port, and how to stop it. */
export interface RunningServer {
  port: number;
  /** Settles with what ended this process's usefulness for good (Slack refused its token); stop it then. */
  failed: Promise<Error>;
  stop(): Promise<void>;
}

/** How `startServer` is asked to start. */
export interface StartOptions {
  /** Aborted when a signal asks to stop: start-up then stops waiting for Slack. */
  signal?: AbortSignal;
}

/** The chat adapters that are configured, and the notifiers the jobs send through. */
interface Chat {
  rapport: Rapport;
  slack: SlackAdapter | null;
  teams: TeamsAdapter | null;
  notifiers: Notifiers;
  inbox: Inbox;
}

/**
 * The composition root: opens the database, builds the core, wires the chat adapters that are configured, mounts the
 * HTTP routes, starts the scheduler and listens.
 */
export async function startServer(
  config: AppConfig,
  logger: Logger,
  options: StartOptions = {},
): Promise<RunningServer> {
  const telemetry = new Telemetry();
  const app = await openApp(config, { logger, telemetry });
  let fail: (e: Error) => void = () => {};
  const failed = new Promise<Error>((resolve) => (fail = resolve));
  const readiness = new Readiness();
  readiness.add("database", async () => ((await app.store.ping()) ? null : "the database does not answer"));
  const server = createHttpServer({ logger, telemetry, ready: () => readiness.check() });
  let chat: Chat | undefined;
  let port: number;
  try {
    chat = await connectChat(config, app, logger, telemetry, fail, server);
    const slack = chat.slack;
    if (slack) readiness.add("slack", () => slack.unready());
    for (const r of chat.slack?.routes ?? []) server.route(r.method, r.path, r.handler);
    if (chat.teams) server.route(chat.teams.route.method, chat.teams.route.path, chat.teams.route.handler);
    chat.inbox.start();
    ({ port } = await server.listen(config.http.port, config.http.host));
    await chat.slack?.start(options.signal);
  } catch (e) {
    await chat?.slack?.stop();
    await server.close();
    await chat?.inbox.stop();
    await app.close();
    throw e;
  }
  const running = chat;
  const stores = createJobStores(app.store);
  const scheduler = config.jobs
    ? startScheduler({
        tick: async () => {
          const result = await runDueJobs(app.core, stores, running.notifiers, {
            sender: { giveWay: givingWayTo(server) },
          });
          recordDueJobs(telemetry, result);
          for (const job of result.jobs) if (job.job === "outbox-sender") logDeliveries(logger, job);
        },
        logger,
      })
    : null;
  if (!scheduler)
    logger.info("scheduled jobs are off here (RAPPORT_JOBS=off): this process only serves HTTP");
  const memory = returnMemoryWhenQuiet(logger);
  // How long the start took, from the process's own start: wall time and the CPU it used.
  const startup = { ms: Math.round(performance.now()), cpuMs: Math.round(cpuMs(process.cpuUsage())) };
  logger.info({ port, host: config.http.host, database: app.store.backend, startup }, "rapport is listening");
  let stopping: Promise<void> | null = null;
  return {
    port,
    failed,
    stop: () =>
      (stopping ??= (async () => {
        memory.stop();
        await scheduler?.stop();
        await running.slack?.stop();
        await server.close();
        await running.inbox.stop();
        await running.rapport.stop();
        await app.close();
        logger.info("rapport stopped");
      })()),
  };
}

/**
 * Runs every due job once (the `rapport jobs run` command), through the configured platforms, at
 * `at` (default: now); a dry run only says what it would send, to whom and why.
 */
export async function runJobsOnce(
  config: AppConfig,
  app: App,
  logger: Logger,
  options: { dryRun?: boolean; at?: Date; onStep?: (step: string) => void } = {},
): Promise<DueJobsResult> {
  const chat = await connectChat(config, app, logger);
  const clock = options.at ? { now: () => options.at! } : app.core.clock;
  const result = await runDueJobs(app.core, createJobStores(app.store), chat.notifiers, {
    clock,
    dryRun: options.dryRun ?? false,
    ...(options.onStep ? { onStep: options.onStep } : {}),
  });
  for (const job of result.jobs) if (job.job === "outbox-sender") logDeliveries(logger, job);
  return result;
}

// Each adapter (and so its SDK) is loaded only when its platform is configured and something
// needs it: `rapport serve` and `rapport jobs run`, never the other commands.
async function connectChat(
  config: AppConfig,
  app: App,
  logger: Logger,
  telemetry?: Telemetry,
  onFatal: (e: Error) => void = () => {},
  answering?: Answering,
): Promise<Chat> {
  const onDelivery = (result: JobResult) => {
    logDeliveries(logger, result);
    if (telemetry) recordDeliveries(telemetry, result);
  };
  // Cards follow the answers of the requests this process serves (`rapport serve`), not share the
  // process with them turn by turn.
  const rapport = new Rapport(app.core, onDelivery, answering);
  const inboxStore = new InboxStore(app.store);
  // The embedded database is this process's alone: a lease in it was held by a process now gone.
  if (app.store.backend === "pglite") await inboxStore.releaseLeases(app.core.clock.now());
  const inbox = new Inbox(inboxStore, app.core.clock, logger);
  const slack = await connectSlack(config, app, { rapport, inbox, onFatal }, logger);
  const teams = await connectTeams(config, rapport, logger);
  // Cards are posted and redrawn through the same notifiers as digests and nudges.
  if (slack) rapport.connect(slack.notifier);
  if (teams) rapport.connect(teams.notifier);
  return {
    rapport,
    slack,
    teams,
    inbox,
    notifiers: { ...(slack ? { slack: slack.notifier } : {}), ...(teams ? { teams: teams.notifier } : {}) },
  };
}

async function connectSlack(
  config: AppConfig,
  app: App,
  core: { rapport: Rapport; inbox: Inbox; onFatal: (e: Error) => void },
  logger: Logger,
): Promise<SlackAdapter | null> {
  if (!config.slack) {
    logger.info(
      "Slack is off: set SLACK_SIGNING_SECRET and SLACK_BOT_TOKEN (or the OAuth settings) to turn it on",
    );
    return null;
  }
  const vault = config.encryptionKey
    ? new InstallationVault(new InstallationRows(app.store), config.encryptionKey)
    : null;
  // A wrong key would refuse every installed workspace while /readyz said ready: refuse to start.
  await vault?.verifyKey();
  const { createSlackAdapter } = await import("../adapters/slack/slack-app.ts");
  const slack = createSlackAdapter({ config: config.slack, ...core, logger, vault });
  logger.info(
    { mode: slack.mode, installs: config.slack.auth.kind === "oauth" ? "oauth" : "single workspace" },
    slack.mode === "http" ? "Slack is on at /slack/events" : "Slack is on in Socket Mode",
  );
  return slack;
}

async function connectTeams(
  config: AppConfig,
  rapport: Rapport,
  logger: Logger,
): Promise<TeamsAdapter | null> {
  if (config.teams.mode === "off") {
    logger.info(`Teams is off: ${config.teams.reason}; set MicrosoftAppId (see README) to turn it on`);
    return null;
  }
  const { createTeamsAdapter } = await import("../adapters/teams/teams-app.ts");
  const teams = createTeamsAdapter({ config: config.teams, rapport, logger });
  logger.info(
    config.teams.mode === "local"
      ? "Teams is in local mode at /api/messages: requests are NOT authenticated, so only callers on this machine are answered (Bot Framework Emulator, tests); set MicrosoftAppId for real Teams"
      : "Teams is on at /api/messages",
  );
  return teams;
}

/**
 * Messages that could not be delivered (a card deleted by someone, a channel rapport left), and
 * above all the leads a nudge cannot reach, by name of target: their admins are told in the
 * partnership's linked channel.
 */
function logDeliveries(logger: Logger, result: JobResult): void {
  const unreachable = new Set(unreachableLeads(result));
  for (const t of result.targets) {
    const details = { job: t.job, target: t.target, period: t.period, reason: t.detail };
    if (unreachable.has(t))
      logger.warn(
        { ...details, lead: t.target, partnershipId: t.partnershipId },
        "a lead cannot receive nudges; the partnership's admins are told in its linked channel",
      );
    else if (t.outcome === "failed" || t.outcome === "error")
      logger.warn(details, "could not deliver a message");
    else if (t.outcome === "unconfigured")
      logger.warn(details, "a message is for a platform that is not configured here; set aside");
    else if (t.outcome === "retry") logger.info(details, "a message waits to be delivered");
  }
}

function cpuMs(usage: NodeJS.CpuUsage): number {
  return (usage.user + usage.system) / 1000;
}
