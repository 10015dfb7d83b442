import type { Telemetry } from "../telemetry.ts";
import type { DueJobsResult } from "./run-due-jobs.ts";

const DELIVERY_OUTCOMES = new Set(["sent", "retry", "failed"]);

/** Puts one pass of the jobs on /metrics: runs by outcome, deliveries, and the outbox's figures. */
export function recordDueJobs(telemetry: Telemetry, result: DueJobsResult): void {
  for (const job of result.jobs) {
    telemetry.recordJobRun(job.job, job.outcome);
    if (job.job !== "outbox-sender") continue;
    for (const t of job.targets)
      if (DELIVERY_OUTCOMES.has(t.outcome)) telemetry.recordDelivery(job.job, t.outcome);
  }
  if (result.outbox) telemetry.setOutbox(result.outbox.deliveries, result.outbox.oldestPendingAgeMs);
}
