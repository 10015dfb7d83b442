// The weekly digest, the `/itpartner status` scorecard and the App Home, from the core's neutral
// Digest. Every figure arrives formatted; this file only lays it out within Slack's limits.
import type { HomeView, KnownBlock, SectionBlock } from "@slack/web-api";
import type { Digest, DigestFact, DigestSection } from "../../../src/index.ts";
import { escapeAndTruncate } from "./escape.ts";
import { context, divider, fieldsSection, header, LIMITS, section, type SlackMessage } from "./kit.ts";

const STATUS_MARK: Record<NonNullable<DigestFact["status"]>, string> = { good: "✅", warn: "⚠️", bad: "🔴" };

const e = (s: string, max = 1000) => escapeAndTruncate(s, max);

/** Lines that fit in one text object; what does not fit is counted, not cut mid-line. */
function fitLines(first: string, lines: readonly string[], max: number = LIMITS.text - 100): string {
  let text = first;
  for (const [i, line] of lines.entries()) {
    if (text.length + line.length + 1 > max) return `${text}\n…and ${lines.length - i} more`;
    text += `\n${line}`;
  }
  return text;
}

function factLine(f: DigestFact): string {
  return `${f.status ? STATUS_MARK[f.status] : "•"} *${e(f.label, 200)}:* ${e(f.value, 1000)}`;
}

function sectionBlock(s: DigestSection): KnownBlock {
  return section(fitLines(`*${e(s.heading, 200)}*`, s.facts.map(factLine)));
}

function scoresFields(d: Digest): SectionBlock {
  return fieldsSection([
    `*Provider ${d.scores.provider}/100*\n${d.trend.sparkline.provider || "no trend yet"}`,
    `*Client ${d.scores.client}/100*\n${d.trend.sparkline.client || "no trend yet"}`,
  ]);
}

function actionsBlock(actions: readonly string[], limit = 3): KnownBlock | null {
  if (actions.length === 0) return null;
  const lines = actions.slice(0, limit).map((a, i) => `${i + 1}. ${e(a, 500)}`);
  return section(fitLines("*What would raise the scores most*", lines));
}

function periodContext(d: Digest): KnownBlock {
  const weeks = d.trend.labels.length;
  const trend = weeks > 1 ? ` · health 0–100, trend over ${weeks} weeks, oldest first` : " · health 0–100";
  return context(`${e(d.period.label, 200)}${trend}`);
}

/** The weekly digest message (≤ 50 blocks): scores and trend, each section's facts, the top actions. */
export function digestBlocks(digest: Digest): SlackMessage {
  const blocks: KnownBlock[] = [
    header(e(digest.title, LIMITS.header)),
    periodContext(digest),
    scoresFields(digest),
    divider(),
  ];
  const actions = actionsBlock(digest.actions);
  const room = LIMITS.messageBlocks - blocks.length - (actions ? 1 : 0) - 1;
  const shown = digest.sections.slice(0, digest.sections.length > room + 1 ? room : room + 1);
  blocks.push(...shown.map(sectionBlock));
  if (shown.length < digest.sections.length) {
    blocks.push(
      context(`…and ${digest.sections.length - shown.length} more sections: see \`rapport digest\`.`),
    );
  }
  if (actions) blocks.push(actions);
  const text = `${e(digest.title, 500)}: provider ${digest.scores.provider}/100, client ${digest.scores.client}/100`;
  return { text, blocks };
}

function attention(d: Digest): string[] {
  return d.sections.flatMap((s) =>
    s.facts.filter((f) => f.status === "warn" || f.status === "bad").map(factLine),
  );
}

/** The compact scorecard for `/itpartner status` (ephemeral): scores, what needs attention, top actions. */
export function scorecardBlocks(digest: Digest): SlackMessage {
  const flagged = attention(digest);
  const blocks: KnownBlock[] = [
    section(`*${e(digest.partnershipName, 200)}*: scorecard for ${e(digest.period.label, 200)}`),
    scoresFields(digest),
    section(
      flagged.length ? fitLines("*Needs attention*", flagged) : "✅ Every figure is on track this week.",
    ),
  ];
  const actions = actionsBlock(digest.actions);
  if (actions) blocks.push(actions);
  blocks.push(context("Only you can see this. The full digest is posted in the digest channel each week."));
  const text = `${e(digest.partnershipName, 200)}: provider ${digest.scores.provider}/100, client ${digest.scores.client}/100`;
  return { text, blocks };
}

/** One partnership on the App Home: at most four blocks. */
function homeEntry(name: string, digest: Digest | null): KnownBlock[] {
  if (!digest)
    return [
      section(`*${e(name, 200)}*\nNo digest yet: figures appear after the first week of activity.`),
      divider(),
    ];
  const flagged = attention(digest).length;
  const blocks: KnownBlock[] = [
    { ...scoresFields(digest), text: { type: "mrkdwn", text: `*${e(name, 200)}*` } },
    context(
      `${e(digest.period.label, 200)} · ${flagged === 0 ? "✅ all on track" : `${flagged} ${flagged === 1 ? "figure needs" : "figures need"} attention`}`,
    ),
  ];
  const actions = actionsBlock(digest.actions);
  if (actions) blocks.push(actions);
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
