import type { Telemetry } from "../telemetry.ts";
import type { JobResult, TargetResult } from "./job-result.ts";
import type { DueJobsResult } from "./run-due-jobs.ts";

const DELIVERY_OUTCOMES = new Set(["sent", "retry", "failed", "unconfigured"]);
const NUDGE_JOBS = new Set(["sla-watch", "recommendation-expiry"]);

/** Puts one pass of the jobs on /metrics: runs by outcome, deliveries, and the outbox's figures. */
export function recordDueJobs(telemetry: Telemetry, result: DueJobsResult): void {
  for (const job of result.jobs) {
    telemetry.recordJobRun(job.job, job.outcome);
    if (job.job === "outbox-sender") recordDeliveries(telemetry, job);
  }
  if (result.outbox) telemetry.setOutbox(result.outbox.deliveries, result.outbox.oldestPendingAgeMs);
}

/** Counts one sender pass's deliveries (the jobs' or the pump's), and names the leads it could not reach. */
export function recordDeliveries(telemetry: Telemetry, sender: JobResult): void {
  for (const t of sender.targets) {
    if (DELIVERY_OUTCOMES.has(t.outcome)) telemetry.recordDelivery(sender.job, t.outcome);
  }
  for (const t of unreachableLeads(sender)) telemetry.markUnreachableLead(t.target);
}

/**
 * The personal nudges of a sender pass that failed for good: each names a lead rapport cannot
 * reach (its target, "teams:person:<tenant>:<object id>"), with the reason in `detail`.
 */
export function unreachableLeads(sender: JobResult): TargetResult[] {
  return sender.targets.filter(
    (t) => t.outcome === "failed" && NUDGE_JOBS.has(t.job ?? "") && t.target.split(":")[1] === "person",
  );
}
