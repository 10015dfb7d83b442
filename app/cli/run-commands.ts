import { knownMigrations } from "../../src/store/migrate.ts";
import { createLogger } from "../../src/logger.ts";
import { z } from "zod";
import { seedDemo, DEMO_WEEKS } from "../../src/services/seed-demo.ts";
import { seedHistory } from "../../src/services/demo-history.ts";
import { unreachableLeads } from "../../src/jobs/job-figures.ts";
import type { TargetResult } from "../../src/jobs/job-result.ts";
import { JobsFailed, parseFlags, switchFlag } from "./args.ts";
import type { CliContext } from "./context.ts";
import { progressLine } from "./progress.ts";

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

/** A whole number flag between `min` and `max`. */
const count = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d+$/, "must be a whole number")
    .transform(Number)
    .pipe(z.number().min(min, `must be at least ${min}`).max(max, `must be at most ${max}`))
    .optional();

/**
 * `rapport demo`: seeds the fictional partnership and says how to see its digest. Without flags,
 * the demo quarter; with `--weeks` and/or `--issues-per-week`, a synthetic history of that size
 * (written to the ledger in batches), with a progress line on a terminal.
 */
export async function demoCommand(argv: string[], ctx: CliContext): Promise<void> {
  const flags = parseFlags(argv, { weeks: count(1, 520), "issues-per-week": count(1, 10_000) });
  const sized = flags.weeks !== undefined || flags["issues-per-week"] !== undefined;
  const progress = progressLine();
  const { partnership, recorded } = await ctx
    .withApp(({ core }) =>
      sized
        ? seedHistory(
            core,
            { weeks: flags.weeks ?? DEMO_WEEKS, issuesPerWeek: flags["issues-per-week"] ?? 6 },
            ({ recorded: done, planned }) =>
              progress.update(
                `demo: ${done.toLocaleString("en-GB")} of ${planned.toLocaleString("en-GB")} events (${Math.floor((100 * done) / planned)}%)`,
              ),
          )
        : seedDemo(core),
    )
    .finally(() => progress.done());
  ctx.output.out(
    recorded > 0
      ? `Demo partnership "${partnership.name}" has ${recorded} new events.`
      : `Demo partnership "${partnership.name}" is already there; nothing new recorded.`,
  );
  ctx.output.out(partnership.id);
  ctx.output.out(`See its digest: rapport digest --partnership ${partnership.id}`);
}

/** An instant given on the command line: ISO 8601 with a zone (2026-11-16T09:00:00Z). */
const instantFlag = z
  .string()
  .refine((text) => /(Z|[+-]\d\d:?\d\d)$/i.test(text) && !Number.isNaN(Date.parse(text)), {
    message: "give an ISO 8601 time with its zone, such as 2026-11-16T09:00:00Z",
  })
  .transform((text) => new Date(text));

/**
 * `rapport jobs run [--dry-run] [--at <time>]`: runs every due job once (nudges, expiry, digests,
 * the outbox) and says what happened; a dry run lists what would be sent, to whom and why, and
 * sends and records nothing. `--at` runs as if it were that time.
 */
export async function jobsRunCommand(argv: string[], ctx: CliContext): Promise<void> {
  const flags = parseFlags(argv, { "dry-run": switchFlag(), at: instantFlag.optional() });
  const dryRun = flags["dry-run"];
  const config = ctx.config();
  const { runJobsOnce } = await import("../server.ts");
  const progress = progressLine();
  const onStep = (step: string) => progress.update(`jobs run: ${step}…`);
  const options = { dryRun, onStep, ...(flags.at ? { at: flags.at } : {}) };
  const result = await ctx
    .withApp((app) => runJobsOnce(config, app, createLogger({ level: "warn" }), options))
    .finally(() => progress.done());
  if (dryRun) {
    printPlan(
      ctx,
      result.jobs.flatMap((j) => j.targets.map((t) => ({ job: j.job, t }))),
    );
    return;
  }
  for (const job of result.jobs) {
    const counts = new Map<string, number>();
    for (const t of job.targets) counts.set(t.outcome, (counts.get(t.outcome) ?? 0) + 1);
    const detail = [...counts].map(([outcome, n]) => `${n} ${outcome}`).join(", ") || "nothing due";
    ctx.output.out(`${job.job}: ${job.outcome} (${detail})`);
    for (const t of unreachableLeads(job)) {
      ctx.output.out(
        `  lead cannot receive nudges: ${t.target} (${t.detail}); the admins are told in the linked channel`,
      );
    }
  }
  // What stopped one partnership (an unusable stored setting, an error), once each, in one line.
  const problems = new Set(
    result.jobs.flatMap((j) =>
      j.targets
        .filter((t) => t.target === "*" && t.partnershipId !== "*" && t.detail)
        .filter((t) => t.outcome === "failed" || t.outcome === "error")
        .map((t) => t.detail!),
    ),
  );
  for (const problem of problems) ctx.output.out(`  ${problem}`);
  if (result.outbox) {
    const d = result.outbox.deliveries;
    const setAside = d.unconfigured ? `, ${d.unconfigured} for a platform not configured here` : "";
    ctx.output.out(
      `outbox: ${d.pending ?? 0} pending, ${d.sent ?? 0} sent, ${d.failed ?? 0} failed${setAside}`,
    );
  }
  if (result.jobs.some((j) => j.outcome === "failed")) throw new JobsFailed();
}

const PLAN_VERBS: Partial<Record<TargetResult["outcome"], string>> = {
  would_queue: "would queue",
  would_send: "would send",
  would_record: "would record",
  unconfigured: "would set aside (platform not configured)",
  already_queued: "already queued",
  no_recipient: "no recipient",
  error: "error",
};

/** A dry run's listing: one line per message or record, saying what, to whom and why. */
function printPlan(ctx: CliContext, plan: Array<{ job: string; t: TargetResult }>): void {
  const lines = plan.filter(({ t }) => PLAN_VERBS[t.outcome]);
  if (lines.length === 0) {
    ctx.output.out("dry run: nothing would be sent or recorded");
    return;
  }
  ctx.output.out("dry run: nothing is sent or recorded");
  for (const { job, t } of lines) {
    const to = t.detail && t.outcome !== "error" ? `${t.detail} (${t.target})` : t.target;
    const why = t.summary ? `: ${t.summary}` : t.outcome === "error" ? `: ${t.detail}` : "";
    ctx.output.out(`${PLAN_VERBS[t.outcome]} [${t.job ?? job} ${t.period}] to ${to}${why}`);
  }
}
