// `help`: the core's help document, as Teams types the commands.
import { helpDocument } from "../../../src/index.ts";
import type { AdaptiveCardJson } from "./card-kit.ts";
import { renderCard } from "./render-card.ts";

/** The help card: how to report an issue, then every bot command with what it does and an example. */
export function helpCard(): AdaptiveCardJson {
  return renderCard(helpDocument("teams"));
}
