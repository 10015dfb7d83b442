import { randomUUID } from "node:crypto";
import { sql } from "kysely";
import type { Core } from "../../../src/services/core.ts";
import { addMember, createPartnership, linkChannel } from "../../../src/services/setup-partnership.ts";
import type { Store } from "../../../src/store/database.ts";
import { loadFixture, sendEvent, type JsonObject } from "../../contract/slack/support/signed-request.ts";

// Slack traffic for the fault scenarios: client messages in an auto-intake support channel, each
// one report, sent as Slack sends them (signed, and again with X-Slack-Retry-Num when unanswered).

/** The signing secret of the processes RapportFleet starts. */
export const SIGNING_SECRET = "test-signing-secret";

/** A partnership whose support channel C0SUPPORT takes every client message in as an issue. */
export async function seedAutoIntake(core: Core, name = "Faults Co"): Promise<string> {
  const p = await createPartnership(core, {
    name,
    providerOrg: "Provider IT",
    clientOrg: name,
    providerWorkspaceIds: ["T0PROVIDER"],
    settings: { autoIntake: true },
  });
  await linkChannel(core, {
    partnershipId: p.id,
    platform: "slack",
    workspaceId: "T0PROVIDER",
    channelId: "C0SUPPORT",
    purposes: ["support"],
  });
  const member = { platform: "slack" as const, workspaceId: "T0CLIENT", userId: "U0STAFF" };
  await addMember(core, { partnershipId: p.id, ...member, side: "client", role: "staff" });
  const lead = { platform: "slack" as const, workspaceId: "T0PROVIDER", userId: "U0LEAD" };
  await addMember(core, { partnershipId: p.id, ...lead, side: "provider", role: "lead" });
  return p.id;
}

let serial = 0;

/** One client message as Slack's Events API delivers it; its title names `label`. */
export function clientMessage(label: string): JsonObject {
  serial += 1;
  const ts = `${1_794_819_600 + serial}.${String(serial % 1_000_000).padStart(6, "0")}`;
  const text = `Fault report ${label}: the printer on floor 2 is jammed`;
  return loadFixture("event-message-top-level", {
    event_id: `EvFAULT${label}${serial}`,
    event_time: 1_794_819_600 + serial,
    event: { client_msg_id: randomUUID(), text, ts, event_ts: ts, blocks: undefined },
  });
}

/** What one delivery came to: the status (0: no answer at all) and how long it took. */
export interface Delivery {
  status: number;
  ms: number;
}

/** Sends `envelope` to rapport at `port`; a refused or cut connection is status 0, as Slack sees it. */
export async function deliver(port: number, envelope: JsonObject, retryNum?: number): Promise<Delivery> {
  const started = Date.now();
  try {
    const res = await sendEvent(`http://127.0.0.1:${port}`, SIGNING_SECRET, envelope, {
      ...(retryNum ? { retryNum, retryReason: "http_timeout" } : {}),
      headers: {},
    });
    return { status: res.status, ms: Date.now() - started };
  } catch {
    return { status: 0, ms: Date.now() - started };
  }
}

/** The text of each recorded report (its title), with how many times it was recorded. */
export async function recordedReports(store: Store): Promise<Map<string, number>> {
  const rows = await sql<{ title: string; n: string }>`
    select title, count(*)::text as n from issues where title like 'Fault report %' group by title`.execute(
    store.db,
  );
  return new Map(rows.rows.map((r) => [r.title, Number(r.n)]));
}

/** The title rapport records for `envelope`'s message. */
export function titleOf(envelope: JsonObject): string {
  return String((envelope.event as JsonObject).text);
}

/** Prints one line of a scenario's figures, so the run shows what was tried and what was kept. */
export function report(scenario: string, figures: Record<string, unknown>): void {
  const parts = Object.entries(figures).map(
    ([k, v]) => `${k}=${typeof v === "string" ? v : JSON.stringify(v)}`,
  );
  console.log(`[faults] ${scenario}: ${parts.join(" ")}`);
}

/** The 50th, 99th percentile and largest of `values`. */
export function spread(values: number[]): { p50: number; p99: number; max: number } {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  return { p50: at(0.5), p99: at(0.99), max: sorted.at(-1) ?? 0 };
}
