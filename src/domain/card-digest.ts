// The weekly digest and the scorecard as documents, from the core's Digest: every figure
// arrives formatted; this decides what each shows and how it is labelled.
import {
  blankCard,
  code,
  strong,
  type CardDocument,
  type CardFact,
  type CardScore,
  type CardSection,
  type Tone,
} from "./card.ts";
import type { Digest, DigestFact } from "./digest.ts";

const FACT_TONES: Record<NonNullable<DigestFact["status"]>, Tone> = {
  good: "good",
  warn: "warning",
  bad: "attention",
};

function digestFact(f: DigestFact): CardFact {
  return { label: f.label, value: f.value, tone: f.status ? FACT_TONES[f.status] : "neutral" };
}

function scoreFigures(d: Digest): CardScore[] {
  return [
    {
      label: "Provider",
      value: `${d.scores.provider}/100`,
      trend: d.trend.sparkline.provider || "no trend yet",
    },
    { label: "Client", value: `${d.scores.client}/100`, trend: d.trend.sparkline.client || "no trend yet" },
  ];
}

function scale(d: Digest): string {
  const weeks = d.trend.labels.length;
  return weeks > 1 ? `health 0–100, trend over ${weeks} weeks, oldest first` : "health 0–100";
}

function scoresLine(d: Digest): string {
  return `provider ${d.scores.provider}/100, client ${d.scores.client}/100`;
}

/** The top actions (at most three), numbered; none when there is nothing to raise. */
function topActions(d: Digest, limit = 3): CardSection[] {
  if (d.actions.length === 0) return [];
  const lines = d.actions.slice(0, limit).map((a, i) => `${i + 1}. ${a}`);
  return [{ heading: "What would raise the scores most", facts: [], lines }];
}

/** The weekly digest: scores with their trend, each section's facts, the top actions; short when quiet. */
export function digestDocument(digest: Digest): CardDocument {
  const doc = blankCard("digest", digest.title, `${digest.title}: ${scoresLine(digest)}`);
  doc.subtitle = `${digest.period.label} · ${scale(digest)}`;
  // A quiet week needs no big figures: one line of scores.
  if (digest.quiet) doc.text = `Health: ${scoresLine(digest)}`;
  else doc.scores = scoreFigures(digest);
  doc.sections = [
    ...digest.sections.map((s) => ({ heading: s.heading, facts: s.facts.map(digestFact), lines: [] })),
    ...topActions(digest),
  ];
  doc.seeAlso = [code("rapport digest")];
  return doc;
}

/** The compact scorecard (`status`): scores, only what needs attention, the top actions. */
export function scorecardDocument(digest: Digest): CardDocument {
  const name = digest.partnershipName;
  const doc = blankCard(
    "scorecard",
    [strong(name), { text: `: scorecard for ${digest.period.label}` }],
    `${name}: ${scoresLine(digest)}`,
  );
  const s = scale(digest);
  doc.subtitle = `${s.charAt(0).toUpperCase()}${s.slice(1)}`;
  doc.scores = scoreFigures(digest);
  const flagged = digest.sections.flatMap((sec) =>
    sec.facts.filter((f) => f.status === "warn" || f.status === "bad").map(digestFact),
  );
  if (flagged.length === 0) doc.status = { text: "✅ Every figure is on track this week.", tone: "good" };
  const attention = flagged.length ? [{ heading: "Needs attention", facts: flagged, lines: [] }] : [];
  doc.sections = [...attention, ...topActions(digest)];
  doc.notes = ["The full digest is posted in the digest channel each week."];
  doc.seeAlso = [code("rapport digest")];
  return doc;
}
