// The recommendation card: the core's document, rendered; and the reader of what its buttons send back.
import { z } from "zod";
import { recommendationCardDocument, type Partnership, type Recommendation } from "../../../src/index.ts";
import type { SlackMessage } from "./kit.ts";
import { renderCard } from "./render-card.ts";

const valueSchema = z.object({ p: z.string().min(1).max(64), r: z.string().min(1).max(64) });

/** What a recommendation card button carries. */
export interface RecommendationCardValue {
  partnershipId: string;
  recommendationId: string;
}

/** Reads a recommendation card button's `value`; null when it is not one of ours. */
export function parseRecommendationValue(value: string | undefined): RecommendationCardValue | null {
  let json: unknown = null;
  try {
    json = JSON.parse(value ?? "");
  } catch {
    return null;
  }
  const parsed = valueSchema.safeParse(json);
  return parsed.success ? { partnershipId: parsed.data.p, recommendationId: parsed.data.r } : null;
}

/** The recommendation card for the client to decide on; after the decision, it says what was decided. */
export function recommendationCard(rec: Recommendation, partnership: Partnership): SlackMessage {
  return renderCard(recommendationCardDocument(rec, partnership));
}
