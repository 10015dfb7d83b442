import { knownMigrations } from "../../src/store/migrate.ts";
import { createLogger } from "../../src/logger.ts";
import { seedDemo } from "../../src/services/seed-demo.ts";
import { parseFlags } from "./args.ts";
import type { CliContext } from "./context.ts";

/**
 * `rapport serve`: runs until SIGTERM or SIGINT, then finishes in-flight requests and closes the
 * database. A signal during start-up lets the database's part finish (a migration is never cut
 * off halfway), stops waiting for Slack, and then stops at once. When Slack refuses a token while
 * running, rapport stops the same way and the command fails with one line naming the setting.
 */
export async function serveCommand(argv: string[], ctx: CliContext): Promise<void> {
  parseFlags(argv, {});
  const config = ctx.config();
  const logger = createLogger({ level: config.logLevel });
  const abort = new AbortController();
  let signalled: (signal: NodeJS.Signals) => void = () => {};
  const stopRequested = new Promise<NodeJS.Signals>((resolve) => (signalled = resolve));
  const onSignal = (signal: NodeJS.Signals) => {
    signalled(signal);
    abort.abort();
  };
  process.on("SIGTERM", onSignal).on("SIGINT", onSignal);
  try {
    // Imported only here and in `jobs run`: no other command loads the chat adapters or their SDKs.
    const { startServer } = await import("../server.ts");
    const server = await startServer(config, logger, { signal: abort.signal });
    const ended = await Promise.race([
      stopRequested.then((signal) => ({ signal, error: null })),
      server.failed.then((error) => ({ signal: null, error })),
    ]);
    if (ended.error) logger.error({ code: "fatal" }, `${ended.error.message}; stopping`);
    else logger.info({ signal: ended.signal }, "shutting down");
    await server.stop();
    if (ended.error) throw ended.error;
  } finally {
    process.off("SIGTERM", onSignal).off("SIGINT", onSignal);
  }
}

/** `rapport migrate`: applies pending migrations (opening the database does it) and says which. */
export async function migrateCommand(argv: string[], ctx: CliContext): Promise<void> {
  parseFlags(argv, {});
  await ctx.withApp(async () => undefined);
  ctx.output.out(`database is up to date (${knownMigrations().join(", ")})`);
}

/** `rapport demo`: seeds the fictional partnership and says how to see its digest. */
export async function demoCommand(argv: string[], ctx: CliContext): Promise<void> {
  parseFlags(argv, {});
  const { partnership, recorded } = await ctx.withApp(({ core }) => seedDemo(core));
  ctx.output.out(
    recorded > 0
      ? `Demo partnership "${partnership.name}" has ${recorded} new events.`
      : `Demo partnership "${partnership.name}" is already there; nothing new recorded.`,
  );
  ctx.output.out(partnership.id);
  ctx.output.out(`See its digest: rapport digest --partnership ${partnership.id}`);
}

/** `rapport jobs run`: runs every due job once (nudges, expiry, digests, the outbox) and says what happened. */
export async function jobsRunCommand(argv: string[], ctx: CliContext): Promise<void> {
  parseFlags(argv, {});
  const config = ctx.config();
  const { runJobsOnce } = await import("../server.ts");
  const result = await ctx.withApp((app) => runJobsOnce(config, app, createLogger({ level: "warn" })));
  for (const job of result.jobs) {
    const counts = new Map<string, number>();
    for (const t of job.targets) counts.set(t.outcome, (counts.get(t.outcome) ?? 0) + 1);
    const detail = [...counts].map(([outcome, n]) => `${n} ${outcome}`).join(", ") || "nothing due";
    ctx.output.out(`${job.job}: ${job.outcome} (${detail})`);
  }
  if (result.outbox) {
    const pending = result.outbox.deliveries.pending ?? 0;
    ctx.output.out(
      `outbox: ${pending} pending, ${result.outbox.deliveries.sent ?? 0} sent, ${result.outbox.deliveries.failed ?? 0} failed`,
    );
  }
  if (result.jobs.some((j) => j.outcome === "failed")) throw new JobsFailed();
}

/** A pass in which some job failed outright: the command exits non-zero. */
export class JobsFailed extends Error {
  constructor() {
    super("some jobs failed; see the lines above");
  }
}
