import { formatDateTime, formatDay } from "../../../src/index.ts";
// The recommendation card: what the provider recommends, why, the risk of not doing it, and the
// client's decision, which is the figure the digest counts.
import { z } from "zod";
import type { Partnership, Recommendation, RecommendationRisk } from "../../../src/index.ts";
import { VERBS } from "../ids.ts";
import {
  actionExecute,
  adaptiveCard,
  factSet,
  heading,
  textBlock,
  type AdaptiveCardJson,
  type CardAction,
  type CardElement,
} from "./card-kit.ts";
import { plainText } from "./plain-text.ts";

/** What every recommendation card action carries. */
export const recommendationActionDataSchema = z.object({
  partnershipId: z.string().min(1).max(64),
  recommendationId: z.string().min(1).max(64),
});
/** The parsed data of a recommendation card action. */
export type RecommendationActionData = z.infer<typeof recommendationActionDataSchema>;

const DECISION_VERBS = [VERBS.accept, VERBS.decline, VERBS.acceptRisk] as const;

/** A recommendation card action as the handler dispatches it. */
export type RecommendationAction = RecommendationActionData & { verb: (typeof DECISION_VERBS)[number] };

/** Reads an `adaptiveCard/action` invoke's verb and data; null when it is not a recommendation action. */
export function parseRecommendationAction(verb: string, data: unknown): RecommendationAction | null {
  const known = DECISION_VERBS.find((v) => v === verb);
  const parsed = recommendationActionDataSchema.safeParse(data);
  return known && parsed.success ? { verb: known, ...parsed.data } : null;
}

const RISK: Record<RecommendationRisk, string> = {
  low: "🟢 Low",
  medium: "🟡 Medium",
  high: "🟠 High",
  critical: "🔴 Critical",
};

const STATUS: Record<Recommendation["status"], string> = {
  pending: "⏳ Waiting for the client's decision",
  accepted: "✅ Accepted",
  declined: "❌ Declined",
  risk_accepted: "⚠️ Declined, risk accepted",
  ignored: "⌛ No decision by the date: counted as ignored",
};

function decisionLine(rec: Recommendation, p: Partnership): string | null {
  if (!rec.decidedAt || rec.status === "pending" || rec.status === "ignored") return null;
  const note = rec.decisionNote ? `: “${plainText(rec.decisionNote, 500)}”` : "";
  return `${STATUS[rec.status]} ${formatDateTime(rec.decidedAt, p.timezone)}${note}`;
}

/** The verbs a recommendation offers: a decision is possible while pending or ignored. */
export function recommendationVerbs(rec: Recommendation): string[] {
  return rec.status === "pending" || rec.status === "ignored" ? [...DECISION_VERBS] : [];
}

function buttons(rec: Recommendation): CardAction[] {
  if (recommendationVerbs(rec).length === 0) return [];
  const data = { partnershipId: rec.partnershipId, recommendationId: rec.id };
  return [
    actionExecute("Accept", VERBS.accept, data, { style: "positive" }),
    actionExecute("Decline", VERBS.decline, data),
    // Adaptive Cards have no confirm dialog (Slack's button has one); the destructive style warns instead.
    actionExecute("Accept the risk", VERBS.acceptRisk, data, { style: "destructive" }),
  ];
}

/** The recommendation card for the client to decide on; after the decision, it says what was decided. */
export function recommendationCard(rec: Recommendation, partnership: Partnership): AdaptiveCardJson {
  const title = plainText(rec.title, 300);
  const body: CardElement[] = [heading(`💡 Recommendation: ${title}`)];
  if (rec.why) {
    body.push(
      textBlock("Why", { weight: "Bolder" }),
      textBlock(plainText(rec.why, 3000), { spacing: "None" }),
    );
  }
  body.push(
    factSet([
      ["Risk if not done", RISK[rec.risk]],
      ["Decide by", formatDay(rec.decideBy)],
      ["Status", STATUS[rec.status]],
      ["Made", formatDateTime(rec.madeAt, partnership.timezone)],
    ]),
  );
  const decided = decisionLine(rec, partnership);
  if (decided) body.push(textBlock(decided, { isSubtle: true }));
  const from = plainText(partnership.providerOrg, 100);
  return adaptiveCard(`Recommendation from ${from}: ${title}`, body, buttons(rec));
}
