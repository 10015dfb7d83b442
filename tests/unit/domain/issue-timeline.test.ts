import { describe, it, expect } from "vitest";
import { replayTimeline, worldTime } from "../../../src/domain/issue-timeline.ts";
import { eventBuilder } from "./build-events.ts";

const d = (iso: string) => new Date(iso);

describe("replayTimeline: issues", () => {
  it("keeps report facts, takes the latest priority and keeps every priority from when", () => {
    const b = eventBuilder();
    const events = [
      b.reported("1", "2026-03-02T10:00:00Z", {
        priority: "P3",
        startedAt: "2026-03-02T09:00:00Z",
        via: "reaction",
      }),
      b.priority("1", "2026-03-02T10:05:00Z", "P3", "P1"),
    ];
    const [issue] = replayTimeline(events, d("2026-03-09T00:00:00Z")).issues;
    expect(issue).toMatchObject({
      key: "ACME-1",
      reportedAt: d("2026-03-02T10:00:00Z"),
      startedAt: d("2026-03-02T09:00:00Z"),
      via: "reaction",
      priority: "P1",
      status: "open",
      firstResponseAt: null,
    });
    expect(issue?.priorities).toEqual([
      { from: d("2026-03-02T10:00:00Z"), priority: "P3" },
      { from: d("2026-03-02T10:05:00Z"), priority: "P1" },
    ]);
  });

  it("counts a question to the client as the first response and records the wait", () => {
    const b = eventBuilder();
    const events = [
      b.reported("1", "2026-03-02T10:00:00Z"),
      b.waiting("1", "2026-03-02T11:00:00Z"),
      b.replied("1", "2026-03-02T13:00:00Z"),
      b.responded("1", "2026-03-02T14:00:00Z"),
      b.waiting("1", "2026-03-03T10:00:00Z"),
    ];
    const [issue] = replayTimeline(events, d("2026-03-04T00:00:00Z")).issues;
    expect(issue?.firstResponseAt).toEqual(d("2026-03-02T11:00:00Z"));
    expect(issue?.status).toBe("waiting_on_client");
    expect(issue?.waiting).toEqual([
      { start: d("2026-03-02T11:00:00Z"), end: d("2026-03-02T13:00:00Z") },
      { start: d("2026-03-03T10:00:00Z"), end: null },
    ]);
  });

  it("does not take a client's own reply as the provider's response", () => {
    const b = eventBuilder();
    const events = [
      b.reported("1", "2026-03-02T10:00:00Z"),
      b.responded("1", "2026-03-02T10:05:00Z", "client"),
    ];
    expect(replayTimeline(events, d("2026-03-03T00:00:00Z")).issues[0]?.firstResponseAt).toBeNull();
  });

  it("clears the resolution on reopen and keeps the final one, with the closed span", () => {
    const b = eventBuilder();
    const events = [
      b.reported("1", "2026-03-02T09:00:00Z"),
      b.responded("1", "2026-03-02T09:10:00Z"),
      b.resolved("1", "2026-03-02T10:00:00Z"),
      b.reopened("1", "2026-03-03T09:00:00Z"),
      b.resolved("1", "2026-03-03T11:00:00Z"),
    ];
    const before = replayTimeline(events, d("2026-03-02T12:00:00Z")).issues[0];
    expect(before?.status).toBe("resolved");
    expect(before?.resolvedAt).toEqual(d("2026-03-02T10:00:00Z"));
    const between = replayTimeline(events, d("2026-03-03T10:00:00Z")).issues[0];
    expect(between?.status).toBe("open");
    expect(between?.resolvedAt).toBeNull();
    const after = replayTimeline(events, d("2026-03-04T00:00:00Z")).issues[0];
    expect(after?.resolvedAt).toEqual(d("2026-03-03T11:00:00Z"));
    expect(after?.reopenCount).toBe(1);
    expect(after?.closedSpans).toEqual([
      { start: d("2026-03-02T10:00:00Z"), end: d("2026-03-03T09:00:00Z") },
    ]);
  });

  it("opens a resolution cycle at the report and another at each reopening", () => {
    const b = eventBuilder();
    const events = [
      b.reported("1", "2026-03-02T09:00:00Z"),
      b.resolved("1", "2026-03-02T10:00:00Z"),
      b.reopened("1", "2026-03-03T09:00:00Z"),
      b.resolved("1", "2026-03-03T11:00:00Z"),
      b.reopened("1", "2026-03-04T09:00:00Z"),
    ];
    expect(replayTimeline(events, d("2026-03-02T09:30:00Z")).issues[0]?.cycles).toEqual([
      { start: d("2026-03-02T09:00:00Z"), end: null },
    ]);
    const later = replayTimeline(events, d("2026-03-05T00:00:00Z")).issues[0];
    expect(later?.cycles).toEqual([
      { start: d("2026-03-02T09:00:00Z"), end: d("2026-03-02T10:00:00Z") },
      { start: d("2026-03-03T09:00:00Z"), end: d("2026-03-03T11:00:00Z") },
      { start: d("2026-03-04T09:00:00Z"), end: null },
    ]);
    expect(later?.reopenCount).toBe(2);
  });

  it("ignores a second resolution of a resolved issue and a reopening of an open one", () => {
    const b = eventBuilder();
    const events = [
      b.reported("1", "2026-03-02T09:00:00Z"),
      b.reopened("1", "2026-03-02T09:30:00Z"),
      b.resolved("1", "2026-03-02T10:00:00Z"),
      b.resolved("1", "2026-03-02T11:00:00Z"),
    ];
    const [issue] = replayTimeline(events, d("2026-03-03T00:00:00Z")).issues;
    expect(issue?.cycles).toEqual([{ start: d("2026-03-02T09:00:00Z"), end: d("2026-03-02T10:00:00Z") }]);
    expect(issue?.resolvedAt).toEqual(d("2026-03-02T10:00:00Z"));
    expect(issue?.reopenCount).toBe(0);
  });

  it("closes an open wait on resolution and takes a resolution without answer as the response", () => {
    const b = eventBuilder();
    const events = [b.reported("1", "2026-03-02T09:00:00Z"), b.resolved("1", "2026-03-02T09:30:00Z")];
    expect(replayTimeline(events, d("2026-03-03T00:00:00Z")).issues[0]?.firstResponseAt).toEqual(
      d("2026-03-02T09:30:00Z"),
    );
    const waited = [
      b.reported("2", "2026-03-02T09:00:00Z"),
      b.waiting("2", "2026-03-02T10:00:00Z"),
      b.resolved("2", "2026-03-02T12:00:00Z"),
    ];
    expect(replayTimeline(waited, d("2026-03-03T00:00:00Z")).issues[0]?.waiting).toEqual([
      { start: d("2026-03-02T10:00:00Z"), end: d("2026-03-02T12:00:00Z") },
    ]);
  });

  it("ignores events after the cut-off and replays out-of-order input by occurrence", () => {
    const b = eventBuilder();
    const events = [
      b.responded("1", "2026-03-02T09:20:00Z"),
      b.reported("1", "2026-03-02T09:00:00Z"),
      b.resolved("1", "2026-03-05T09:00:00Z"),
    ];
    const [issue] = replayTimeline(events, d("2026-03-04T00:00:00Z")).issues;
    expect(issue?.firstResponseAt).toEqual(d("2026-03-02T09:20:00Z"));
    expect(issue?.status).toBe("open");
  });
});

describe("replayTimeline: everything else", () => {
  it("tracks recommendations, calls, changes, downtime and direct requests", () => {
    const b = eventBuilder();
    const events = [
      b.recommended("r1", "2026-03-02T09:00:00Z"),
      b.decided("r1", "2026-03-03T09:00:00Z", "ignored"),
      b.decided("r1", "2026-03-04T09:00:00Z", "accepted"),
      b.recommended("r2", "2026-03-02T09:00:00Z"),
      b.callMissed("c1", "2026-03-03T15:00:00Z", "client"),
      b.callHeld("c2", "2026-03-04T15:00:00Z"),
      b.announced("ch1", "2026-03-02T12:00:00Z", "2026-03-20T09:00:00Z"),
      b.downStarted("dt1", "2026-03-02T10:00:00Z"),
      b.downEnded("dt1", "2026-03-02T12:00:00Z"),
      b.downStarted("dt2", "2026-03-03T10:00:00Z"),
      b.direct("2026-03-03T11:00:00Z"),
    ];
    const t = replayTimeline(events, d("2026-03-09T00:00:00Z"));
    expect(t.recommendations.map((r) => [r.recommendationId, r.status, r.decidedAt])).toEqual([
      ["r1", "accepted", d("2026-03-04T09:00:00Z")],
      ["r2", "pending", null],
    ]);
    expect(t.calls.map((c) => [c.callId, c.held, c.missedBy])).toEqual([
      ["c1", false, "client"],
      ["c2", true, null],
    ]);
    expect(t.changes[0]).toMatchObject({
      announcedAt: d("2026-03-02T12:00:00Z"),
      effectiveAt: d("2026-03-20T09:00:00Z"),
    });
    expect(t.downtimes.map((x) => x.endedAt)).toEqual([d("2026-03-02T12:00:00Z"), null]);
    // A direct request is named by its event's id: aggregates only, no names.
    expect(t.directRequests).toEqual([
      { requestId: events[10]?.id, occurredAt: d("2026-03-03T11:00:00Z"), issueId: null },
    ]);
  });
});

describe("replayTimeline: calls belong to their scheduled time", () => {
  // Friday's call, missed by the client, written down on Monday.
  const b = eventBuilder();
  const missed = b.callMissed("c1", "2026-03-06T15:00:00Z", "client", {
    loggedAt: "2026-03-09T10:00:00Z",
    title: "Monthly review",
  });
  const held = b.callHeld("c2", "2026-03-05T15:00:00Z");

  it("places a call at its scheduledAt, keeping when it was logged and its title", () => {
    expect(worldTime(missed)).toEqual(d("2026-03-06T15:00:00Z"));
    expect(missed.occurredAt).toEqual(d("2026-03-09T10:00:00Z"));
    const t = replayTimeline([missed, held], d("2026-03-10T00:00:00Z"));
    expect(t.calls.map((c) => [c.callId, c.title, c.scheduledAt, c.occurredAt])).toEqual([
      ["c2", null, d("2026-03-05T15:00:00Z"), d("2026-03-05T15:00:00Z")],
      ["c1", "Monthly review", d("2026-03-06T15:00:00Z"), d("2026-03-09T10:00:00Z")],
    ]);
  });

  it("knows a call logged after the cut-off when it was scheduled before it", () => {
    // As of Sunday the Monday entry is in the ledger (recomputed later), and it is about Friday.
    const t = replayTimeline([missed], d("2026-03-08T23:59:00Z"));
    expect(t.calls.map((c) => c.callId)).toEqual(["c1"]);
    expect(t.events).toEqual([missed]);
    expect(replayTimeline([missed], d("2026-03-06T14:59:00Z")).calls).toEqual([]);
  });

  it("takes every other event at its occurredAt", () => {
    const reported = b.reported("1", "2026-03-02T09:00:00Z");
    expect(worldTime(reported)).toEqual(reported.occurredAt);
  });
});
