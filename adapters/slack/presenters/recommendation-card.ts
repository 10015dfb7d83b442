import { formatDay } from "../../../src/index.ts";
// The recommendation card: what the provider recommends, why, the risk of not doing it, and the
// client's decision, which is the figure the digest counts.
import type { KnownBlock } from "@slack/web-api";
import { z } from "zod";
import type { Partnership, Recommendation, RecommendationRisk } from "../../../src/index.ts";
import { ACTIONS } from "../ids.ts";
import { slackDate } from "./dates.ts";
import { escapeAndTruncate } from "./escape.ts";
import { button, context, fieldsSection, section, type SlackMessage } from "./kit.ts";

const valueSchema = z.object({ p: z.string().min(1).max(64), r: z.string().min(1).max(64) });

/** What a recommendation card button carries. */
export interface RecommendationCardValue {
  partnershipId: string;
  recommendationId: string;
}

/** Reads a recommendation card button's `value`; null when it is not one of ours. */
export function parseRecommendationValue(value: string | undefined): RecommendationCardValue | null {
  let json: unknown = null;
  try {
    json = JSON.parse(value ?? "");
  } catch {
    return null;
  }
  const parsed = valueSchema.safeParse(json);
  return parsed.success ? { partnershipId: parsed.data.p, recommendationId: parsed.data.r } : null;
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
  const note = rec.decisionNote ? `: “${escapeAndTruncate(rec.decisionNote, 500)}”` : "";
  return `${STATUS[rec.status]} ${slackDate(rec.decidedAt, p.timezone)}${note}`;
}

/** The buttons a recommendation offers: a decision is possible while pending or ignored. */
export function recommendationActions(rec: Recommendation): KnownBlock | null {
  if (rec.status !== "pending" && rec.status !== "ignored") return null;
  const value = JSON.stringify({ p: rec.partnershipId, r: rec.id });
  const acceptRisk = button(ACTIONS.acceptRisk, "Accept the risk", value, "danger");
  acceptRisk.confirm = {
    title: { type: "plain_text", text: "Accept the risk?" },
    text: {
      type: "mrkdwn",
      text: "You decide not to do this and accept the risk. Both sides will see this decision.",
    },
    confirm: { type: "plain_text", text: "Accept the risk" },
    deny: { type: "plain_text", text: "Go back" },
  };
  return {
    type: "actions",
    block_id: "recommendation_actions",
    elements: [
      button(ACTIONS.accept, "Accept", value, "primary"),
      button(ACTIONS.decline, "Decline", value),
      acceptRisk,
      button(ACTIONS.remind, "Remind me", value),
    ],
  };
}

/** The recommendation card for the client to decide on; after the decision, it says what was decided. */
export function recommendationCard(rec: Recommendation, partnership: Partnership): SlackMessage {
  const title = escapeAndTruncate(rec.title, 300);
  const blocks: KnownBlock[] = [section(`💡 *Recommendation: ${title}*`)];
  if (rec.why) blocks.push(section(`*Why*\n${escapeAndTruncate(rec.why, 2800)}`));
  blocks.push(
    fieldsSection([
      `*Risk if not done*\n${RISK[rec.risk]}`,
      `*Decide by*\n${formatDay(rec.decideBy)}`,
      `*Status*\n${STATUS[rec.status]}`,
      `*Made*\n${slackDate(rec.madeAt, partnership.timezone)}`,
    ]),
  );
  const decided = decisionLine(rec, partnership);
  if (decided) blocks.push(context(decided));
  const actions = recommendationActions(rec);
  if (actions) blocks.push(actions);
  return { text: `Recommendation from ${escapeAndTruncate(partnership.providerOrg, 100)}: ${title}`, blocks };
}
