// The weekly digest, the `/itpartner status` scorecard and the App Home, from the core's
// documents. Every figure and label arrives written; this file only lays it out within Slack's limits.
import type { HomeView, KnownBlock } from "@slack/web-api";
import { digestDocument, scorecardDocument, type Digest } from "../../../src/index.ts";
import { escapeAndTruncate } from "./escape.ts";
import { context, divider, header, LIMITS, section, type SlackMessage } from "./kit.ts";
import { renderCard, scoresBlock, sectionBlock } from "./render-card.ts";

const e = (s: string, max = 200) => escapeAndTruncate(s, max);

/** The weekly digest message (≤ 50 blocks): scores and trend, each section's facts, the top actions. */
export function digestBlocks(digest: Digest): SlackMessage {
  return renderCard(digestDocument(digest));
}

/** The compact scorecard for `/itpartner status` (ephemeral): scores, what needs attention, top actions. */
export function scorecardBlocks(digest: Digest): SlackMessage {
  return renderCard(scorecardDocument(digest));
}

/** One partnership on the App Home, from its scorecard: at most four blocks. */
function homeEntry(name: string, digest: Digest | null): KnownBlock[] {
  if (!digest)
    return [
      section(`*${e(name)}*\nNo digest yet: figures appear after the first week of activity.`),
      divider(),
    ];
  const card = scorecardDocument(digest);
  const flagged = card.sections
    .flatMap((s) => s.facts)
    .filter((f) => f.tone === "warning" || f.tone === "attention").length;
  const blocks: KnownBlock[] = [
    { ...scoresBlock(card.scores), text: { type: "mrkdwn", text: `*${e(name)}*` } },
    context(
      `${e(digest.period.label)} · ${flagged === 0 ? "✅ all on track" : `${flagged} ${flagged === 1 ? "figure needs" : "figures need"} attention`}`,
    ),
  ];
  // The scorecard's lines are its top actions; its facts are what the count above sums up.
  const actions = card.sections.find((s) => s.lines.length > 0);
  if (actions) blocks.push(sectionBlock({ ...actions, facts: [] }));
  blocks.push(divider());
  return blocks;
}

/** The App Home tab (≤ 100 blocks): a scorecard per partnership the viewer belongs to, or how to join one. */
export function homeView(entries: readonly { partnershipName: string; digest: Digest | null }[]): HomeView {
  const blocks: KnownBlock[] = [header("Your IT partnerships")];
  if (entries.length === 0) {
    blocks.push(section("You are not in any partnership yet: an admin can add you with `/itpartner setup`."));
    return { type: "home", blocks };
  }
  blocks.push(
    context(
      "Health 0–100 for each side, from last week's figures. `/itpartner status` in a channel shows its scorecard.",
    ),
  );
  for (const [i, entry] of entries.entries()) {
    const next = homeEntry(entry.partnershipName, entry.digest);
    if (blocks.length + next.length > LIMITS.viewBlocks - 1) {
      blocks.push(context(`…and ${entries.length - i} more partnerships.`));
      break;
    }
    blocks.push(...next);
  }
  return { type: "home", blocks };
}
