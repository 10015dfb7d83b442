import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";

/** How one run of a job ended: every target done, some failed, all failed, or nothing due. */
export type JobOutcome = "ok" | "partial" | "failed" | "skipped";

/** One finished HTTP request, as the server saw it. */
export interface HttpRequestSample {
  /** The matched route pattern (never the raw URL), or "unmatched". */
  route: string;
  method: string;
  /** The status code sent, or "aborted" when the connection closed before the response ended. */
  status: number | "aborted";
  durationSeconds: number;
}

// Anything else would let a client mint a new label value per request.
const knownMethods = new Set(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]);

/** The route label for requests that matched no route. */
export const unmatchedRoute = "unmatched";

/**
 * rapport's Prometheus metrics in a registry of their own (never prom-client's global one), so
 * tests and several servers in one process do not collide.
 */
export class Telemetry {
  /** The registry behind `metricsText`, for adding metrics that live outside this class. */
  readonly registry = new Registry();
  private readonly httpRequests: Counter<"route" | "method" | "status">;
  private readonly httpDuration: Histogram<"route" | "method">;
  private readonly eventsRecorded: Counter<"type">;
  private readonly jobRuns: Counter<"job" | "outcome">;
  private readonly deliveries: Counter<"job" | "outcome">;
  private readonly outboxRows: Gauge<"status">;
  private readonly oldestPending: Gauge;
  private readonly unreachableLeads: Gauge<"lead">;

  constructor(options: { defaultMetrics?: boolean } = {}) {
    if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: this.registry });
    const registers = [this.registry];
    this.httpRequests = new Counter({
      name: "rapport_http_requests_total",
      help: "HTTP requests served, by matched route, method and status.",
      labelNames: ["route", "method", "status"],
      registers,
    });
    this.httpDuration = new Histogram({
      name: "rapport_http_request_duration_seconds",
      help: "Time from receiving an HTTP request to the end of its response.",
      labelNames: ["route", "method"],
      registers,
    });
    this.eventsRecorded = new Counter({
      name: "rapport_events_recorded_total",
      help: "Events appended to the ledger, by event type.",
      labelNames: ["type"],
      registers,
    });
    this.jobRuns = new Counter({
      name: "rapport_job_runs_total",
      help: "Scheduled job runs, by job and outcome.",
      labelNames: ["job", "outcome"],
      registers,
    });
    this.deliveries = new Counter({
      name: "rapport_outbox_deliveries_total",
      help: "Outgoing digests and nudges attempted, by job and outcome (sent, retry, failed; unconfigured: set aside, the platform is not configured here).",
      labelNames: ["job", "outcome"],
      registers,
    });
    this.outboxRows = new Gauge({
      name: "rapport_outbox_rows",
      help: "Outbox rows by status, as of the last job pass.",
      labelNames: ["status"],
      registers,
    });
    this.oldestPending = new Gauge({
      name: "rapport_outbox_oldest_pending_age_seconds",
      help: "How long the oldest undelivered outbox row has waited (0 when none).",
      registers,
    });
    this.unreachableLeads = new Gauge({
      name: "rapport_unreachable_leads",
      help: "Leads a personal nudge could not reach for good since start (1 each), by target (platform:person:workspace:user).",
      labelNames: ["lead"],
      registers,
    });
  }

  /** Names a lead rapport could not reach with a nudge (set to 1; stays until restart). */
  markUnreachableLead(lead: string): void {
    this.unreachableLeads.set({ lead }, 1);
  }

  /** Counts one delivery attempt of an outbox row. */
  recordDelivery(job: string, outcome: string): void {
    this.deliveries.inc({ job, outcome });
  }

  /** Sets the outbox's figures: rows by status and the oldest pending age. */
  setOutbox(rows: Record<string, number>, oldestPendingAgeMs: number | null): void {
    for (const [status, n] of Object.entries(rows)) this.outboxRows.set({ status }, n);
    this.oldestPending.set((oldestPendingAgeMs ?? 0) / 1000);
  }

  /** Counts one HTTP request and observes its duration. */
  recordHttpRequest(sample: HttpRequestSample): void {
    const method = knownMethods.has(sample.method) ? sample.method : "OTHER";
    this.httpRequests.inc({ route: sample.route, method, status: String(sample.status) });
    this.httpDuration.observe({ route: sample.route, method }, sample.durationSeconds);
  }

  /** Counts one event appended to the ledger (call it only for appends that were not duplicates). */
  recordEvent(type: string): void {
    this.eventsRecorded.inc({ type });
  }

  /** Counts one run of a scheduled job. */
  recordJobRun(job: string, outcome: JobOutcome): void {
    this.jobRuns.inc({ job, outcome });
  }

  /** The Prometheus content type to send with `metricsText()`. */
  get contentType(): string {
    return this.registry.contentType;
  }

  /** Every metric in the Prometheus text exposition format. */
  metricsText(): Promise<string> {
    return this.registry.metrics();
  }
}
