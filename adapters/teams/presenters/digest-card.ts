// The weekly digest and the `status` scorecard: the core's documents, rendered within Teams' limit.
import { digestDocument, scorecardDocument, type Digest } from "../../../src/index.ts";
import type { AdaptiveCardJson } from "./card-kit.ts";
import { renderCard } from "./render-card.ts";

/** The weekly digest card: scores with their trend, each section's facts, the top actions; short when quiet. */
export function digestCard(digest: Digest): AdaptiveCardJson {
  return renderCard(digestDocument(digest));
}

/** The compact scorecard for `status`: scores, what needs attention, top actions. Everyone in the conversation sees it. */
export function scorecardCard(digest: Digest): AdaptiveCardJson {
  return renderCard(scorecardDocument(digest));
}
