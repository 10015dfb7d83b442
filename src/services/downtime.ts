import { randomUUID } from "node:crypto";
import { RapportError } from "../domain/errors.ts";
import type { Downtime } from "../domain/records.ts";
import { checkedText, loadIssue, prepare, type CommandInput } from "./command.ts";
import type { Core } from "./core.ts";

/** What a downtime action came to. */
export interface DowntimeResult {
  downtime: Downtime;
  created: boolean;
}

/** Records that a service went down, optionally tied to the issue (usually a P1) about it. */
export async function startDowntime(
  core: Core,
  input: CommandInput & { service: string; issue?: string | null },
): Promise<DowntimeResult> {
  const { partnership, actor, occurredAt } = await prepare(core, input);
  const issue = input.issue ? await loadIssue(core, partnership.id, input.issue) : null;
  const { event, created } = await core.ledger.appendNew({
    type: "downtime.started",
    partnershipId: partnership.id,
    actor,
    occurredAt,
    source: input.source,
    payload: {
      downtimeId: randomUUID(),
      service: checkedText(input.service, "name of the service that is down", 120, true)!,
      issueId: issue?.id ?? null,
    },
  });
  return { downtime: await loadDowntime(core, partnership.id, event.subjectId!), created };
}

/** Records that a down service is back; ending one already ended records nothing. */
export async function endDowntime(
  core: Core,
  input: CommandInput & { downtimeId: string },
): Promise<DowntimeResult> {
  const { partnership, actor, occurredAt } = await prepare(core, input);
  const current = await loadDowntime(core, partnership.id, input.downtimeId);
  if (current.endedAt) return { downtime: current, created: false };
  if (occurredAt < current.startedAt) {
    throw new RapportError("invalid_input", "A downtime cannot end before it started; check the time.");
  }
  const { created } = await core.ledger.append({
    type: "downtime.ended",
    partnershipId: partnership.id,
    actor,
    occurredAt,
    source: input.source,
    payload: { downtimeId: current.id },
  });
  return { downtime: await loadDowntime(core, partnership.id, current.id), created };
}

async function loadDowntime(core: Core, partnershipId: string, id: string): Promise<Downtime> {
  const found = await core.records.downtime(partnershipId, id);
  if (!found) throw new RapportError("not_found", "That downtime does not exist in this partnership.");
  return found;
}
