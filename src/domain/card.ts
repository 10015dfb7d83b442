// What people see, decided once: every card rapport shows (issue, recommendation, digest,
// scorecard, help, notice) as a platform-free document, with every label and the actions this
// state offers. Each adapter only renders it (Block Kit, Adaptive Cards). Documents are plain
// JSON (no Date), so the outbox can store them and read them back as they were. The builders of
// each kind live beside this file: card-records.ts, card-digest.ts, card-help.ts.
import { z } from "zod";
import { formatDateTime } from "./figure-format.ts";
import type { IssueStatus, Priority, RecommendationRisk, RecommendationStatus } from "./vocabulary.ts";

/** How a line or a figure reads at a glance; a renderer may colour it. */
export const toneSchema = z.enum(["good", "warning", "attention", "neutral"]);
export type Tone = z.infer<typeof toneSchema>;

/**
 * A piece of text: `strong` and `code` are emphasis; `at` (an ISO instant) marks a date the
 * platform may show in each reader's own timezone, `text` being how it reads in the partnership's.
 */
export const cardSpanSchema = z.object({
  text: z.string(),
  style: z.enum(["strong", "code"]).optional(),
  at: z.string().optional(),
});
export type CardSpan = z.infer<typeof cardSpanSchema>;

/** Text as a card shows it: a plain string (as typed, never markup), or spans. */
export const cardTextSchema = z.union([z.string(), z.array(cardSpanSchema)]);
export type CardText = z.infer<typeof cardTextSchema>;

/** A labelled value; a fact with a tone is marked by it (TONE_MARKS). */
export const cardFactSchema = z.object({
  label: z.string(),
  value: cardTextSchema,
  tone: toneSchema.optional(),
});
export type CardFact = z.infer<typeof cardFactSchema>;

/** A group under a heading: facts, then lines. */
export const cardSectionSchema = z.object({
  heading: z.string(),
  facts: z.array(cardFactSchema),
  lines: z.array(cardTextSchema),
});
export type CardSection = z.infer<typeof cardSectionSchema>;

/** A headline figure with its trend (the digest's health scores). */
export const cardScoreSchema = z.object({ label: z.string(), value: z.string(), trend: z.string() });
export type CardScore = z.infer<typeof cardScoreSchema>;

/** What an action acts on. These ids are claims: the use case checks them against the place and person. */
export const cardSubjectSchema = z.union([
  z.object({ partnershipId: z.string(), issueId: z.string() }),
  z.object({ partnershipId: z.string(), recommendationId: z.string() }),
]);
export type CardSubject = z.infer<typeof cardSubjectSchema>;

const buttonIdSchema = z.enum([
  "issue.acknowledge",
  "issue.waitOnClient",
  "issue.resolve",
  "issue.reopen",
  "recommendation.accept",
  "recommendation.decline",
  "recommendation.acceptRisk",
  "recommendation.remind",
]);
const choiceIdSchema = z.enum(["issue.priority"]);
/** Every action a card can offer, by its neutral id; each adapter maps it to its own. */
export type CardActionId = z.infer<typeof buttonIdSchema> | z.infer<typeof choiceIdSchema>;

const actionBase = {
  label: z.string(),
  style: z.enum(["primary", "danger", "default"]),
  /** Who may use it; the use case decides, this only says what to expect. */
  side: z.enum(["provider", "client", "anyone"]),
  subject: cardSubjectSchema,
};

/** A button, optionally asking for confirmation first where the platform can. */
export const cardButtonSchema = z.object({
  type: z.literal("button"),
  id: buttonIdSchema,
  ...actionBase,
  confirm: z
    .object({ title: z.string(), text: z.string(), confirm: z.string(), deny: z.string() })
    .optional(),
});
export type CardButton = z.infer<typeof cardButtonSchema>;

/** A choice among options with the current one selected; `submitLabel` names the button where one is needed. */
export const cardChoiceSchema = z.object({
  type: z.literal("choice"),
  id: choiceIdSchema,
  ...actionBase,
  submitLabel: z.string(),
  options: z.array(z.object({ value: z.string(), label: z.string() })),
  selected: z.string(),
});
export type CardChoice = z.infer<typeof cardChoiceSchema>;

export const cardActionSchema = z.discriminatedUnion("type", [cardButtonSchema, cardChoiceSchema]);
export type CardAction = z.infer<typeof cardActionSchema>;

export const cardKindSchema = z.enum(["issue", "recommendation", "digest", "scorecard", "help", "notice"]);
export type CardKind = z.infer<typeof cardKindSchema>;

/**
 * A card, shown in this order: title, subtitle, scores, facts, text, status, sections, actions,
 * then notes and links as small print. `summary` is the one line for notifications and for hosts
 * that cannot show cards; `seeAlso` says where to read what a platform had no room for.
 */
export const cardDocumentSchema = z.object({
  kind: cardKindSchema,
  title: cardTextSchema,
  summary: z.string(),
  subtitle: z.string().optional(),
  scores: z.array(cardScoreSchema),
  facts: z.array(cardFactSchema),
  text: cardTextSchema.optional(),
  status: z.object({ text: cardTextSchema, tone: toneSchema }).optional(),
  sections: z.array(cardSectionSchema),
  actions: z.array(cardActionSchema),
  notes: z.array(cardTextSchema),
  links: z.array(z.object({ label: z.string(), url: z.string() })),
  seeAlso: cardTextSchema.optional(),
});
export type CardDocument = z.infer<typeof cardDocumentSchema>;

// ---- Labels: what both platforms show, written once. ----

/** The mark of a toned fact; untoned facts carry none. */
export const TONE_MARKS: Record<Tone, string> = { good: "✅", warning: "⚠️", attention: "🔴", neutral: "•" };
/** The colour mark of each priority. */
export const PRIORITY_MARKS: Record<Priority, string> = { P1: "🔴", P2: "🟠", P3: "🟡", P4: "⚪" };
/** Where an issue stands. */
export const ISSUE_STATUS_LABELS: Record<IssueStatus, string> = {
  open: "🔵 Open",
  waiting_on_client: "⏸️ Waiting on client",
  resolved: "✅ Resolved",
};
/** The risk of not doing what is recommended. */
export const RISK_LABELS: Record<RecommendationRisk, string> = {
  low: "🟢 Low",
  medium: "🟡 Medium",
  high: "🟠 High",
  critical: "🔴 Critical",
};
/** Where a recommendation stands: the client's decision, or the lack of one. */
export const RECOMMENDATION_STATUS_LABELS: Record<RecommendationStatus, string> = {
  pending: "⏳ Waiting for the client's decision",
  accepted: "✅ Accepted",
  declined: "❌ Declined",
  risk_accepted: "⚠️ Declined, risk accepted",
  ignored: "⌛ No decision by the date: counted as ignored",
};
/** How a logged call went. */
export const CALL_OUTCOME_LABELS = {
  held: "Held",
  missed_by_provider: "Missed by the provider",
  missed_by_client: "Missed by the client",
} as const;

// ---- Text helpers. ----

/** A span shown in bold. */
export const strong = (text: string): CardSpan => ({ text, style: "strong" });
/** A span shown as code (a command to type). */
export const code = (text: string): CardSpan => ({ text, style: "code" });
/** An instant, written in `timezone`; platforms that can show it in each reader's zone do. */
export const instant = (date: Date, timezone: string): CardSpan => ({
  text: formatDateTime(date, timezone),
  at: date.toISOString(),
});

/** The text without emphasis, for places that take plain text only. */
export function plainCardText(text: CardText): string {
  return typeof text === "string" ? text : text.map((s) => s.text).join("");
}

/** What a renderer shows in place of `n` items it had no room for: "…and 3 more sections: see …". */
export function omittedText(n: number, noun?: "section" | "fact", seeAlso?: CardText): CardText {
  const what = noun ? ` ${noun}${n === 1 ? "" : "s"}` : "";
  const head = `…and ${n} more${what}`;
  if (!seeAlso) return head;
  return [
    { text: `${head}: see ` },
    ...(typeof seeAlso === "string" ? [{ text: seeAlso }] : seeAlso),
    { text: "." },
  ];
}

/** An empty document of `kind`, for the builders to fill. */
export function blankCard(kind: CardKind, title: CardText, summary: string): CardDocument {
  return { kind, title, summary, scores: [], facts: [], sections: [], actions: [], notes: [], links: [] };
}

// ---- Notice. ----

/** A notice (a nudge, a note to a lead): a title, a sentence and a few facts. */
export function noticeDocument(
  title: string,
  text: string,
  facts: readonly { label: string; value: string }[] = [],
): CardDocument {
  const doc = blankCard("notice", title, `${title}: ${text}`);
  doc.text = text;
  doc.facts = facts.map((f) => ({ label: f.label, value: f.value }));
  return doc;
}
