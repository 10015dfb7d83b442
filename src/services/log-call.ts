import { randomUUID } from "node:crypto";
import type { Call } from "../domain/records.ts";
import type { Side } from "../domain/vocabulary.ts";
import { prepare, type CommandInput } from "./command.ts";
import type { Core } from "./core.ts";

/** A call that took place (`missedBy` null) or that one side missed. */
export type LogCallInput = CommandInput & { scheduledAt: Date; title?: string | null; missedBy: Side | null };

/** Records a scheduled call as held or missed; either side may log it. */
export async function logCall(core: Core, input: LogCallInput): Promise<{ call: Call; created: boolean }> {
  const { partnership, actor, occurredAt } = await prepare(core, input);
  const base = {
    partnershipId: partnership.id,
    actor,
    occurredAt,
    source: input.source,
  };
  const common = {
    callId: randomUUID(),
    title: input.title?.trim() || null,
    scheduledAt: input.scheduledAt.toISOString(),
  };
  const { event, created } = input.missedBy
    ? await core.ledger.appendNew({
        ...base,
        type: "call.missed",
        payload: { ...common, missedBy: input.missedBy },
      })
    : await core.ledger.appendNew({ ...base, type: "call.held", payload: common });
  const callId = (event.payload as { callId: string }).callId;
  const call = (await core.records.calls(partnership.id)).find((c) => c.id === callId)!;
  return { call, created };
}
