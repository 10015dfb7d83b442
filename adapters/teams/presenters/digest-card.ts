// The weekly digest and the `status` scorecard, from the core's neutral Digest. Every figure
// arrives formatted; this file only lays it out within Teams' 28 KB message limit.
import type { Digest, DigestFact, DigestSection } from "../../../src/index.ts";
import {
  adaptiveCard,
  cardBytes,
  column,
  columnSet,
  factSet,
  heading,
  TEAMS_LIMITS,
  textBlock,
  type AdaptiveCardJson,
  type CardElement,
} from "./card-kit.ts";
import { plainText } from "./plain-text.ts";

const STATUS_MARK: Record<NonNullable<DigestFact["status"]>, string> = { good: "✅", warn: "⚠️", bad: "🔴" };
/** Leaves room for the activity around the card. */
const CARD_BUDGET = TEAMS_LIMITS.messageBytes - 2048;
const MAX_FACTS = 25;

// Values can quote people's text (a recommendation's title), so they are treated as such.
const t = (s: string, max = 500) => plainText(s, max);

function factPair(f: DigestFact): [string, string] {
  return [`${f.status ? STATUS_MARK[f.status] : "•"} ${t(f.label, 200)}`, t(f.value)];
}

function sectionElements(s: DigestSection): CardElement[] {
  const facts = s.facts.slice(0, MAX_FACTS).map(factPair);
  if (s.facts.length > MAX_FACTS) facts.push(["…", `and ${s.facts.length - MAX_FACTS} more`]);
  return [
    textBlock(t(s.heading, 200), { weight: "Bolder", separator: true }),
    factSet(facts, { spacing: "Small" }),
  ];
}

function scoreColumn(side: string, score: number, sparkline: string): ReturnType<typeof column> {
  return column([
    textBlock(side, { isSubtle: true }),
    textBlock(`${score}/100`, { size: "ExtraLarge", weight: "Bolder", spacing: "None" }),
    textBlock(sparkline || "no trend yet", { fontType: "Monospace", spacing: "None" }),
  ]);
}

function scores(d: Digest): CardElement {
  return columnSet([
    scoreColumn("Provider", d.scores.provider, d.trend.sparkline.provider),
    scoreColumn("Client", d.scores.client, d.trend.sparkline.client),
  ]);
}

function topActions(actions: readonly string[], limit = 3): CardElement[] {
  if (actions.length === 0) return [];
  return [
    textBlock("What would raise the scores most", { weight: "Bolder", separator: true }),
    ...actions.slice(0, limit).map((a, i) => textBlock(`${i + 1}. ${t(a)}`, { spacing: "Small" })),
  ];
}

function periodLine(d: Digest): CardElement {
  const weeks = d.trend.labels.length;
  const trend = weeks > 1 ? ` · health 0–100, trend over ${weeks} weeks, oldest first` : " · health 0–100";
  return textBlock(`${t(d.period.label, 200)}${trend}`, { isSubtle: true, spacing: "None" });
}

/** Adds sections while the card stays within Teams' limit; what does not fit is counted. */
function withSections(build: (extra: CardElement[]) => AdaptiveCardJson, sections: DigestSection[]) {
  let card = build(sections.flatMap(sectionElements));
  for (let shown = sections.length - 1; shown >= 0 && cardBytes(card) > CARD_BUDGET; shown--) {
    const left = sections.length - shown;
    const more = textBlock(
      `…and ${left} more ${left === 1 ? "section" : "sections"}: see \`rapport digest\`.`,
      {
        isSubtle: true,
      },
    );
    card = build([...sections.slice(0, shown).flatMap(sectionElements), more]);
  }
  return card;
}

function summary(d: Digest, name: string): string {
  return `${t(name)}: provider ${d.scores.provider}/100, client ${d.scores.client}/100`;
}

/** The weekly digest card: scores with their trend, each section's facts, the top actions; short when quiet. */
export function digestCard(digest: Digest): AdaptiveCardJson {
  // A quiet week needs no big figures: one line of scores, the quiet section, the actions.
  const quietScores = textBlock(
    `Health: provider ${digest.scores.provider}/100, client ${digest.scores.client}/100`,
    { spacing: "Small" },
  );
  const top = [
    heading(t(digest.title, 300), "Large"),
    periodLine(digest),
    digest.quiet ? quietScores : scores(digest),
  ];
  const actions = topActions(digest.actions);
  return withSections(
    (sections) => adaptiveCard(summary(digest, digest.title), [...top, ...sections, ...actions]),
    digest.sections,
  );
}

function attention(d: Digest): [string, string][] {
  return d.sections.flatMap((s) =>
    s.facts.filter((f) => f.status === "warn" || f.status === "bad").map(factPair),
  );
}

/** The compact scorecard for `status`: scores, what needs attention, top actions. Everyone in the conversation sees it. */
export function scorecardCard(digest: Digest): AdaptiveCardJson {
  const flagged = attention(digest).slice(0, MAX_FACTS);
  const body: CardElement[] = [
    heading(`${t(digest.partnershipName, 200)}: scorecard`),
    periodLine(digest),
    scores(digest),
    flagged.length
      ? textBlock("Needs attention", { weight: "Bolder", separator: true })
      : textBlock("✅ Every figure is on track this week.", { separator: true }),
  ];
  if (flagged.length) body.push(factSet(flagged, { spacing: "Small" }));
  body.push(
    ...topActions(digest.actions),
    textBlock("The full digest is posted in the digest channel each week.", {
      size: "Small",
      isSubtle: true,
    }),
  );
  return adaptiveCard(summary(digest, digest.partnershipName), body);
}
