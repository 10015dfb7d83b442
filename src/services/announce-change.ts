import { randomUUID } from "node:crypto";
import { calendarDaysBetween } from "../domain/business-time.ts";
import { RapportError } from "../domain/errors.ts";
import type { Partnership } from "../domain/partnership.ts";
import { requireSide } from "./actor.ts";
import { checkedText, prepare, type CommandInput } from "./command.ts";
import type { Core } from "./core.ts";

/** A heads-up from the client: what will change, and when. */
export type AnnounceChangeInput = CommandInput & { title: string; detail?: string | null; effectiveAt: Date };

/** Records a client's heads-up about an IT-affecting change; its lead time is measured. */
export async function announceChange(
  core: Core,
  input: AnnounceChangeInput,
): Promise<{ changeId: string; partnership: Partnership; created: boolean; leadDays: number }> {
  const { partnership, actor, occurredAt } = await prepare(core, input);
  requireSide(partnership, actor, "client", "announce a change");
  if (!input.title.trim()) {
    throw new RapportError("invalid_input", "Say what is changing, for example: new copier on 2026-12-01.");
  }
  const { event, created } = await core.ledger.appendNew({
    type: "change.announced",
    partnershipId: partnership.id,
    actor,
    occurredAt,
    source: input.source,
    payload: {
      changeId: randomUUID(),
      title: checkedText(input.title, "change's title", 200, true)!,
      detail: checkedText(input.detail, "description", 4000),
      effectiveAt: input.effectiveAt.toISOString(),
    },
  });
  const payload = event.payload as { changeId: string; effectiveAt: string };
  const leadDays = calendarDaysBetween(partnership.timezone, event.occurredAt, new Date(payload.effectiveAt));
  return { changeId: payload.changeId, partnership, created, leadDays };
}
