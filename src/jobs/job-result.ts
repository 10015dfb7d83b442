import type { JobOutcome } from "../telemetry.ts";

/** The jobs rapport runs; also the `job` column of their outbox rows. */
export type JobName = "sla-watch" | "recommendation-expiry" | "weekly-digest" | "outbox-sender";

/**
 * What a job did for one target: a message queued (or found queued already), an event recorded,
 * a delivery made, retried or given up, nothing to do, or an error that stopped this target only.
 */
export type TargetOutcome =
  | "queued"
  | "already_queued"
  | "recorded"
  | "sent"
  | "retry"
  | "failed"
  | "unconfigured"
  | "no_recipient"
  | "error"
  | "would_queue"
  | "would_record"
  | "would_send";

/** One target of one job run; `target` is an outbox target key, or "*" for the partnership as a whole. */
export interface TargetResult {
  partnershipId: string;
  period: string;
  target: string;
  outcome: TargetOutcome;
  /** Why it failed, was retried or had no recipient. */
  detail?: string;
  /** The outbox job of the row (the sender's results). */
  job?: string;
  /** What would be sent or recorded (a dry run): the message's one line. */
  summary?: string;
}

/** One job run: never thrown, always returned (STYLE.md rule 7). */
export interface JobResult {
  job: JobName;
  outcome: JobOutcome;
  targets: TargetResult[];
}

const BAD: ReadonlySet<TargetOutcome> = new Set(["failed", "error", "no_recipient"]);

/** A run's outcome from its targets: skipped with none, failed when all went wrong, partial when some did. */
export function jobResult(job: JobName, targets: TargetResult[]): JobResult {
  const bad = targets.filter((t) => BAD.has(t.outcome)).length;
  const outcome: JobOutcome =
    targets.length === 0 ? "skipped" : bad === 0 ? "ok" : bad === targets.length ? "failed" : "partial";
  return { job, outcome, targets };
}

/** The message of anything thrown, for a result's detail. */
export function describeError(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/**
 * A failed result for each partnership whose stored settings this runtime cannot use: that
 * partnership alone is skipped, with its one-line problem, and the others run.
 */
export async function unusablePartnerships(partnerships: {
  listUnusable(): Promise<{ id: string; problem: string }[]>;
}): Promise<TargetResult[]> {
  return (await partnerships.listUnusable()).map((u) => ({
    partnershipId: u.id,
    period: "*",
    target: "*",
    outcome: "failed" as const,
    detail: u.problem,
  }));
}

/** Runs `work` for one partnership; an error becomes that partnership's "*" result instead of a throw. */
export async function perPartnership(
  partnershipId: string,
  period: string,
  work: () => Promise<TargetResult[]>,
): Promise<TargetResult[]> {
  try {
    return await work();
  } catch (e) {
    return [{ partnershipId, period, target: "*", outcome: "error", detail: describeError(e) }];
  }
}
