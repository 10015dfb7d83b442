import { describe, expect, it } from "vitest";
import { Telemetry } from "../../src/telemetry.ts";

describe("Telemetry", () => {
  it("counts HTTP requests by route, method and status, and observes their duration", async () => {
    const telemetry = new Telemetry({ defaultMetrics: false });
    telemetry.recordHttpRequest({
      route: "/slack/events",
      method: "POST",
      status: 200,
      durationSeconds: 0.2,
    });
    telemetry.recordHttpRequest({
      route: "/slack/events",
      method: "POST",
      status: 200,
      durationSeconds: 0.3,
    });
    telemetry.recordHttpRequest({ route: "unmatched", method: "GET", status: 404, durationSeconds: 0.001 });
    const text = await telemetry.metricsText();
    expect(text).toContain('rapport_http_requests_total{route="/slack/events",method="POST",status="200"} 2');
    expect(text).toContain('rapport_http_requests_total{route="unmatched",method="GET",status="404"} 1');
    expect(text).toContain(
      'rapport_http_request_duration_seconds_count{route="/slack/events",method="POST"} 2',
    );
    expect(text).toContain(
      'rapport_http_request_duration_seconds_sum{route="/slack/events",method="POST"} 0.5',
    );
  });

  it("folds unknown HTTP methods into OTHER so clients cannot mint label values", async () => {
    const telemetry = new Telemetry({ defaultMetrics: false });
    telemetry.recordHttpRequest({ route: "unmatched", method: "BREW", status: 404, durationSeconds: 0 });
    const text = await telemetry.metricsText();
    expect(text).toContain('method="OTHER"');
    expect(text).not.toContain("BREW");
  });

  it("counts recorded events and job runs", async () => {
    const telemetry = new Telemetry({ defaultMetrics: false });
    telemetry.recordEvent("issue.reported");
    telemetry.recordEvent("issue.reported");
    telemetry.recordJobRun("sla-watch", "ok");
    telemetry.recordJobRun("weekly-digest", "partial");
    const text = await telemetry.metricsText();
    expect(text).toContain('rapport_events_recorded_total{type="issue.reported"} 2');
    expect(text).toContain('rapport_job_runs_total{job="sla-watch",outcome="ok"} 1');
    expect(text).toContain('rapport_job_runs_total{job="weekly-digest",outcome="partial"} 1');
  });

  it("keeps each instance's metrics apart, so many can live in one process", async () => {
    const a = new Telemetry();
    const b = new Telemetry();
    a.recordEvent("issue.resolved");
    expect(await a.metricsText()).toContain('rapport_events_recorded_total{type="issue.resolved"} 1');
    expect(await b.metricsText()).not.toContain('type="issue.resolved"');
  });

  it("includes default process metrics unless told not to", async () => {
    expect(await new Telemetry().metricsText()).toContain("process_cpu_user_seconds_total");
    expect(await new Telemetry({ defaultMetrics: false }).metricsText()).not.toContain("process_cpu");
  });

  it("reports the Prometheus text content type", () => {
    expect(new Telemetry({ defaultMetrics: false }).contentType).toMatch(/^text\/plain; version=0\.0\.4/);
  });
});
