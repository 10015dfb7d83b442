// The recommendation card: the core's document, rendered (render-card.ts reads back what its buttons send).
import { recommendationCardDocument, type Partnership, type Recommendation } from "../../../src/index.ts";
import type { SlackMessage } from "./kit.ts";
import { renderCard } from "./render-card.ts";

/** The recommendation card for the client to decide on; after the decision, it says what was decided. */
export function recommendationCard(rec: Recommendation, partnership: Partnership): SlackMessage {
  return renderCard(recommendationCardDocument(rec, partnership));
}
