// The recommendation card: the core's document, rendered; and the reader of the decisions its
// buttons send back.
import { z } from "zod";
import { recommendationCardDocument, type Partnership, type Recommendation } from "../../../src/index.ts";
import { VERBS } from "../ids.ts";
import type { AdaptiveCardJson } from "./card-kit.ts";
import { renderCard } from "./render-card.ts";

/** What every recommendation card action carries. */
export const recommendationActionDataSchema = z.object({
  partnershipId: z.string().min(1).max(64),
  recommendationId: z.string().min(1).max(64),
});
/** The parsed data of a recommendation card action. */
export type RecommendationActionData = z.infer<typeof recommendationActionDataSchema>;

const DECISION_VERBS = [VERBS.accept, VERBS.decline, VERBS.acceptRisk] as const;

/** A recommendation card action as the handler dispatches it. */
export type RecommendationAction = RecommendationActionData & { verb: (typeof DECISION_VERBS)[number] };

/** Reads an `adaptiveCard/action` invoke's verb and data; null when it is not a recommendation decision. */
export function parseRecommendationAction(verb: string, data: unknown): RecommendationAction | null {
  const known = DECISION_VERBS.find((v) => v === verb);
  const parsed = recommendationActionDataSchema.safeParse(data);
  return known && parsed.success ? { verb: known, ...parsed.data } : null;
}

/** The recommendation card for the client to decide on; after the decision, it says what was decided. */
export function recommendationCard(rec: Recommendation, partnership: Partnership): AdaptiveCardJson {
  return renderCard(recommendationCardDocument(rec, partnership));
}
