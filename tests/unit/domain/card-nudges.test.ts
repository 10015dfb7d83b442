import { describe, expect, it } from "vitest";
import { noticeDocument } from "../../../src/domain/card.ts";
import {
  issueNudgeDocument,
  recommendationNudgeDocument,
  unreachableLeadDocument,
} from "../../../src/domain/card-nudges.ts";
import type { Issue, Recommendation } from "../../../src/domain/records.ts";

const notice = noticeDocument("ACME-7 is past its first-response target", "It waited 2 h.");

const issue = {
  id: "i-7",
  partnershipId: "p-1",
  key: "ACME-7",
  status: "open",
  priority: "P2",
  firstResponseAt: null,
  sourceUrl: "https://acme.slack.com/archives/C1/p17",
} as unknown as Issue;

describe("nudge cards", () => {
  it("an unanswered request's nudge offers what answers it and links to where it was asked", () => {
    const doc = issueNudgeDocument(notice, issue);
    expect(doc.title).toBe(notice.title);
    expect(doc.actions.map((a) => a.id)).toEqual([
      "issue.acknowledge",
      "issue.waitOnClient",
      "issue.resolve",
    ]);
    expect(doc.actions.every((a) => "issueId" in a.subject && a.subject.issueId === "i-7")).toBe(true);
    expect(doc.links).toEqual([{ label: "Original message", url: issue.sourceUrl }]);
    // A link that is not plain https is left out.
    expect(issueNudgeDocument(notice, { ...issue, sourceUrl: "javascript:alert(1)" }).links).toEqual([]);
  });

  it("an ignored recommendation's nudge offers the decision, which still counts late", () => {
    const rec = { id: "r-1", partnershipId: "p-1", status: "pending" } as unknown as Recommendation;
    const doc = recommendationNudgeDocument(notice, rec);
    expect(doc.actions.map((a) => a.id)).toEqual([
      "recommendation.accept",
      "recommendation.decline",
      "recommendation.acceptRisk",
      "recommendation.remind",
    ]);
    expect(recommendationNudgeDocument(notice, { ...rec, status: "accepted" }).actions).toEqual([]);
  });

  it("the admins' note names the lead, says why and what to do on their platform", () => {
    const doc = unreachableLeadDocument({
      name: "Una",
      platform: "teams",
      side: "provider",
      partnershipName: "Fixit ↔ Acme",
      reason: "403 Forbidden",
    });
    expect(doc.title).toBe("rapport cannot send nudges to Una");
    expect(doc.text).toMatch(/Add rapport to a team they belong to/);
    expect(doc.text).toMatch(/Entra object id/);
    expect(doc.facts).toContainEqual({ label: "Why", value: "403 Forbidden" });
  });
});
