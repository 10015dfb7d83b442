// `/itpartner help`: the core's help document, as Slack types the commands.
import { helpDocument } from "../../../src/index.ts";
import type { SlackMessage } from "./kit.ts";
import { renderCard } from "./render-card.ts";

/** The help message for `/itpartner help`: every command and how to report an issue. */
export function helpBlocks(): SlackMessage {
  return renderCard(helpDocument("slack"));
}
