import { RapportError } from "../domain/errors.ts";
import { requireSide } from "./actor.ts";
import { prepare, type CommandInput } from "./command.ts";
import type { Core } from "./core.ts";
import type { RecommendationResult } from "./recommend.ts";

/** The client's answer to a recommendation. */
export type Decision = "accepted" | "declined" | "risk_accepted";

/** Records the client's decision on a pending (or already ignored) recommendation. */
export async function decideRecommendation(
  core: Core,
  input: CommandInput & { recommendationId: string; decision: Decision; note?: string | null },
): Promise<RecommendationResult> {
  const { partnership, actor, occurredAt } = await prepare(core, input);
  requireSide(partnership, actor, "client", "decide on a recommendation");
  const current = await core.records.recommendation(partnership.id, input.recommendationId);
  if (!current)
    throw new RapportError("not_found", "That recommendation does not exist in this partnership.");
  if (current.status !== "pending" && current.status !== "ignored") {
    return { recommendation: current, partnership, created: false };
  }
  const { created } = await core.ledger.append({
    type: `recommendation.${input.decision}`,
    partnershipId: partnership.id,
    actor,
    occurredAt,
    source: input.source,
    payload: { recommendationId: current.id, note: input.note?.trim() || null },
  });
  const recommendation = (await core.records.recommendation(partnership.id, current.id))!;
  return { recommendation, partnership, created };
}
