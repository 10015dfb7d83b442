import cron from "node-cron";

/** What the scheduler logs through: a failed tick (pino's logger fits). */
export interface SchedulerLogger {
  error(details: object, message: string): void;
}

/** A running scheduler. */
export interface Scheduler {
  /** Stops ticking and resolves once a tick in progress has finished. */
  stop(): Promise<void>;
}

/** What to run and how often. */
export interface SchedulerOptions {
  /** One pass over the due jobs. It should not throw; if it does, the error is logged and ticking goes on. */
  tick: () => Promise<void>;
  logger: SchedulerLogger;
  /** A cron expression; every minute by default. */
  expression?: string;
  /** Also tick once at start, so a restart catches up at once rather than at the next minute. */
  tickAtStart?: boolean;
}

/**
 * The one importer of node-cron. It only says "now": the database decides what is due, so a
 * missed tick or a restart catches up. A tick still running when the next is due is skipped.
 */
export function startScheduler(options: SchedulerOptions): Scheduler {
  let running: Promise<void> | null = null;
  const run = (): void => {
    if (running) return;
    running = options
      .tick()
      .catch((error: unknown) => options.logger.error({ err: error }, "scheduled job tick failed"))
      .finally(() => {
        running = null;
      });
  };
  const task = cron.schedule(options.expression ?? "* * * * *", run);
  if (options.tickAtStart ?? true) run();
  return {
    stop: async () => {
      await task.stop();
      await task.destroy();
      await running;
    },
  };
}
