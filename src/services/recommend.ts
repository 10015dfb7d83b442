import { randomUUID } from "node:crypto";
import { DateTime } from "luxon";
import { RapportError } from "../domain/errors.ts";
import { DEFAULT_DECISION_DAYS } from "../domain/forms.ts";
import type { Partnership } from "../domain/partnership.ts";
import type { Recommendation } from "../domain/records.ts";
import type { RecommendationRisk } from "../domain/vocabulary.ts";
import { requireSide } from "./actor.ts";
import { checkedText, prepare, type CommandInput } from "./command.ts";
import type { Core } from "./core.ts";

export { DEFAULT_DECISION_DAYS };

/** A recommendation as the provider writes it. */
export type RecommendInput = CommandInput & {
  title: string;
  why?: string | null;
  risk?: RecommendationRisk;
  /** YYYY-MM-DD in the partnership's timezone; defaults to 14 days from now. */
  decideBy?: string | null;
};

/** What recommending came to. */
export interface RecommendationResult {
  recommendation: Recommendation;
  partnership: Partnership;
  created: boolean;
}

/** Records a provider recommendation the client is to decide on by a date. */
export async function recommend(core: Core, input: RecommendInput): Promise<RecommendationResult> {
  const { partnership, actor, occurredAt } = await prepare(core, input);
  requireSide(partnership, actor, "provider", "make a recommendation");
  const today = DateTime.fromJSDate(occurredAt, { zone: partnership.timezone }).startOf("day");
  const decideBy = input.decideBy
    ? DateTime.fromFormat(input.decideBy, "yyyy-MM-dd", { zone: partnership.timezone })
    : today.plus({ days: DEFAULT_DECISION_DAYS });
  if (!decideBy.isValid || decideBy < today) {
    throw new RapportError("invalid_input", "The decide-by date must be a date (YYYY-MM-DD) from today on.");
  }
  const { event, created } = await core.ledger.appendNew({
    type: "recommendation.made",
    partnershipId: partnership.id,
    actor,
    occurredAt,
    source: input.source,
    payload: {
      recommendationId: randomUUID(),
      title: checkedText(input.title, "recommendation's title", 200, true)!,
      why: checkedText(input.why, "reason", 4000),
      risk: input.risk ?? "medium",
      decideBy: decideBy.toISODate()!,
    },
  });
  const id = (event.payload as { recommendationId: string }).recommendationId;
  const recommendation = await core.records.recommendation(partnership.id, id);
  if (!recommendation)
    throw new RapportError("conflict", "That message was already recorded as something else.");
  return { recommendation, partnership, created };
}
