// The personal nudges as card documents: each says what happened and offers the action that
// settles it (acknowledge the request, decide the recommendation), rendered by each adapter like
// any other card. Also the note to a partnership's admins about a lead rapport cannot reach.
import { noticeDocument, type CardDocument } from "./card.ts";
import { issueCardActions, recommendationCardActions } from "./card-records.ts";
import type { Issue, Recommendation } from "./records.ts";

/** https only: a link a platform will not read as markup. */
const SAFE_URL = /^https:\/\/[^\s<>|]+$/;

/**
 * A nudge about a request: `notice` (title, sentence, facts) with the buttons that answer it (the
 * first of them acknowledges it, which settles the nudge) and a link to the message it came from.
 */
export function issueNudgeDocument(notice: CardDocument, issue: Issue): CardDocument {
  const doc = { ...notice };
  doc.actions = issueCardActions(issue).filter((a) => a.type === "button" && a.id !== "issue.reopen");
  if (issue.sourceUrl && SAFE_URL.test(issue.sourceUrl)) {
    doc.links = [{ label: "Original message", url: issue.sourceUrl }];
  }
  return doc;
}

/** A nudge about a recommendation: `notice` with the decision buttons (a late decision still counts). */
export function recommendationNudgeDocument(notice: CardDocument, rec: Recommendation): CardDocument {
  // The nudge is sent as the recommendation becomes ignored: it is still open to a decision.
  const open: Recommendation = rec.status === "pending" ? { ...rec, status: "ignored" } : rec;
  return { ...notice, actions: recommendationCardActions(open) };
}

/** Who a lead is, as the admins' note names them. */
export interface UnreachableLead {
  name: string;
  platform: "slack" | "teams";
  side: "provider" | "client";
  partnershipName: string;
  reason: string;
}

const HOW_TO_FIX: Record<UnreachableLead["platform"], string> = {
  teams:
    "Add rapport to a team they belong to, or ask them to add rapport for themselves in Teams (Apps → rapport → Add); " +
    "also check that their member entry uses their Entra object id and their tenant id (rapport member add --platform teams).",
  slack:
    "Check that they are still in the Slack workspace and that rapport may message them; " +
    "also check that their member entry uses their Slack user id (U…) and the workspace's team id (T…).",
};

/** The admins' note, posted once in the linked channel: which lead misses nudges, why, and what to do. */
export function unreachableLeadDocument(lead: UnreachableLead): CardDocument {
  return noticeDocument(
    `rapport cannot send nudges to ${lead.name}`,
    `${lead.name}, a ${lead.side} lead of ${lead.partnershipName}, cannot receive rapport's direct messages, ` +
      `so they miss nudges about late requests, missed calls and recommendations. ` +
      `For the partnership's admins: ${HOW_TO_FIX[lead.platform]}`,
    [
      { label: "Lead", value: lead.name },
      { label: "Platform", value: lead.platform === "teams" ? "Microsoft Teams" : "Slack" },
      { label: "Why", value: lead.reason },
    ],
  );
}
