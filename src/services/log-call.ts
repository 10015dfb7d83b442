import { randomUUID } from "node:crypto";
import { RapportError } from "../domain/errors.ts";
import type { Partnership } from "../domain/partnership.ts";
import type { Call } from "../domain/records.ts";
import type { Side } from "../domain/vocabulary.ts";
import { checkedText, prepare, type CommandInput } from "./command.ts";
import type { Core } from "./core.ts";

/** A call that took place (`missedBy` null) or that one side missed. */
export type LogCallInput = CommandInput & { scheduledAt: Date; title?: string | null; missedBy: Side | null };

/** Records a scheduled call as held or missed; either side may log it. */
export async function logCall(
  core: Core,
  input: LogCallInput,
): Promise<{ call: Call; partnership: Partnership; created: boolean }> {
  const { partnership, actor, occurredAt } = await prepare(core, input);
  if (input.scheduledAt.getTime() > occurredAt.getTime()) {
    throw new RapportError("invalid_input", "That call is still to come; log it once it was held or missed.");
  }
  const base = { partnershipId: partnership.id, actor, occurredAt, source: input.source };
  const common = {
    callId: randomUUID(),
    title: checkedText(input.title, "call's title", 200),
    scheduledAt: input.scheduledAt.toISOString(),
  };
  const { event, created } = input.missedBy
    ? await core.ledger.appendNew({
        ...base,
        type: "call.missed",
        payload: { ...common, missedBy: input.missedBy },
      })
    : await core.ledger.appendNew({ ...base, type: "call.held", payload: common });
  const call = await core.records.call(partnership.id, event.subjectId!);
  if (!call) throw new RapportError("conflict", "That message was already recorded as something else.");
  return { call, partnership, created };
}
