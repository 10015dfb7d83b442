import { describe, expect, it } from "vitest";
import { cardDocumentSchema, noticeDocument, omittedText, plainCardText } from "../../../src/domain/card.ts";
import { digestDocument, scorecardDocument } from "../../../src/domain/card-digest.ts";
import { helpCommands, helpDocument } from "../../../src/domain/card-help.ts";
import { issueCardDocument, recommendationCardDocument } from "../../../src/domain/card-records.ts";
import type { CardDocument } from "../../../src/domain/card.ts";
import { presenterFixtures } from "../adapters/presenter-fixtures.ts";

const { NOW, partnership, issue, recommendation, digest } = presenterFixtures({
  providerWorkspace: "T0PROVIDER",
  reporter: "U0CLIENT1",
  message: { platform: "slack", workspaceId: "T0CLIENT", channelId: "C0SUPPORT", messageId: "1.1" },
  sourceUrl: "https://acme.slack.com/archives/C0SUPPORT/p11",
});

const answered = new Date("2026-03-04T09:52:00Z");
const issues = {
  open: issue(),
  answered: issue({ firstResponseAt: answered }),
  waiting: issue({
    status: "waiting_on_client",
    firstResponseAt: answered,
    waitingSince: new Date("2026-03-04T10:15:00Z"),
  }),
  resolved: issue({
    status: "resolved",
    firstResponseAt: answered,
    resolvedAt: new Date("2026-03-04T13:05:00Z"),
  }),
};
const decidedAt = new Date("2026-03-10T14:00:00Z");

const issueDoc = (i: ReturnType<typeof issue>) => issueCardDocument(i, partnership, { now: NOW });
const actionIds = (doc: CardDocument) => doc.actions.map((a) => a.id);
const fact = (doc: CardDocument, label: string) => {
  const found = doc.facts.find((f) => f.label === label);
  return found ? plainCardText(found.value) : undefined;
};

describe("issueCardDocument", () => {
  it("offers acknowledging, waiting on the client, resolving and the priority while open and unanswered", () => {
    const doc = issueDoc(issues.open);
    expect(actionIds(doc)).toEqual([
      "issue.acknowledge",
      "issue.waitOnClient",
      "issue.resolve",
      "issue.priority",
    ]);
    expect(doc.actions.map((a) => [a.label, a.style, a.side])).toEqual([
      ["Acknowledge", "primary", "provider"],
      ["Waiting on client", "default", "provider"],
      ["Resolve", "default", "provider"],
      ["Priority", "default", "anyone"],
    ]);
  });

  it("drops Acknowledge once answered, and Waiting on client while it waits", () => {
    expect(actionIds(issueDoc(issues.answered))).toEqual([
      "issue.waitOnClient",
      "issue.resolve",
      "issue.priority",
    ]);
    expect(actionIds(issueDoc(issues.waiting))).toEqual(["issue.resolve", "issue.priority"]);
  });

  it("offers only Reopen, to either side, once resolved", () => {
    const doc = issueDoc(issues.resolved);
    expect(doc.actions).toEqual([
      {
        type: "button",
        id: "issue.reopen",
        label: "Reopen",
        style: "default",
        side: "anyone",
        subject: { partnershipId: partnership.id, issueId: issues.resolved.id },
      },
    ]);
  });

  it("carries the partnership and issue in every action, and the priority's options with the current one", () => {
    const doc = issueDoc(issues.open);
    const subject = { partnershipId: partnership.id, issueId: issues.open.id };
    for (const a of doc.actions) expect(a.subject).toEqual(subject);
    const menu = doc.actions.find((a) => a.type === "choice");
    expect(menu).toMatchObject({ submitLabel: "Change priority", selected: "P2" });
    expect(menu?.type === "choice" && menu.options).toEqual([
      { value: "P1", label: "🔴 P1" },
      { value: "P2", label: "🟠 P2" },
      { value: "P3", label: "🟡 P3" },
      { value: "P4", label: "⚪ P4" },
    ]);
  });

  it("labels the facts and the status", () => {
    const doc = issueDoc(issues.open);
    expect(doc.title).toBe("ACME-42 · Printer on floor 2 jammed");
    expect(doc.summary).toBe("ACME-42 [P2] Printer on floor 2 jammed: 🔵 Open");
    expect(doc.facts.map((f) => f.label)).toEqual(["Priority", "Status", "Reported", "Category", "Started"]);
    expect(fact(doc, "Priority")).toBe("🟠 P2: respond within 1 h, resolve within 8 h (working hours)");
    expect(fact(doc, "Reported")).toBe("Wed 4 Mar 2026, 09:40 GMT by Dana Reyes");
    expect(fact(issueDoc(issues.waiting), "Status")).toBe("⏸️ Waiting on client");
    expect(fact(issueDoc(issues.resolved), "Status")).toBe("✅ Resolved");
    expect(fact(issueDoc(issues.resolved), "Resolved")).toBe("Wed 4 Mar 2026, 13:05 GMT (after 3 h 25 min)");
    expect(fact(issueDoc(issues.answered), "First response")).toBe(
      "Wed 4 Mar 2026, 09:52 GMT (after 12 min)",
    );
    expect(doc.text).toBe(issues.open.detail);
  });

  it("says the clock is paused while waiting on the client, with the instant each reader may localise", () => {
    expect(issueDoc(issues.open).status).toBeUndefined();
    const { status } = issueDoc(issues.waiting);
    expect(status?.tone).toBe("warning");
    expect(plainCardText(status!.text)).toBe(
      "⏸️ Waiting on the client since Wed 4 Mar 2026, 10:15 GMT: the provider's SLA clock is paused.",
    );
    expect(status!.text).toContainEqual({
      text: "Wed 4 Mar 2026, 10:15 GMT",
      at: "2026-03-04T10:15:00.000Z",
    });
  });

  it("links the original message only when it is plain https", () => {
    expect(issueDoc(issues.open).links).toEqual([
      { label: "Original message", url: "https://acme.slack.com/archives/C0SUPPORT/p11" },
    ]);
    expect(issueDoc(issue({ sourceUrl: "javascript:alert(1)" })).links).toEqual([]);
    expect(issueDoc(issue({ sourceUrl: "https://x.example/a|b" })).links).toEqual([]);
  });
});

describe("recommendationCardDocument", () => {
  const recs = {
    pending: recommendation(),
    ignored: recommendation({ status: "ignored" }),
    accepted: recommendation({ status: "accepted", decidedAt, decisionNote: "Go ahead in April" }),
    declined: recommendation({ status: "declined", decidedAt }),
    risk_accepted: recommendation({ status: "risk_accepted", decidedAt }),
  };
  const doc = (r: ReturnType<typeof recommendation>) => recommendationCardDocument(r, partnership);

  it("offers the client's decision and a reminder while pending, and still once ignored", () => {
    const all = [
      "recommendation.accept",
      "recommendation.decline",
      "recommendation.acceptRisk",
      "recommendation.remind",
    ];
    expect(actionIds(doc(recs.pending))).toEqual(all);
    expect(actionIds(doc(recs.ignored))).toEqual(all);
    expect(doc(recs.pending).actions.map((a) => [a.label, a.style, a.side])).toEqual([
      ["Accept", "primary", "client"],
      ["Decline", "default", "client"],
      ["Accept the risk", "danger", "client"],
      ["Remind me", "default", "anyone"],
    ]);
    const subject = { partnershipId: partnership.id, recommendationId: recs.pending.id };
    for (const a of doc(recs.pending).actions) expect(a.subject).toEqual(subject);
  });

  it("asks before accepting the risk", () => {
    const acceptRisk = doc(recs.pending).actions.find((a) => a.id === "recommendation.acceptRisk");
    expect(acceptRisk?.type === "button" && acceptRisk.confirm).toMatchObject({
      title: "Accept the risk?",
      confirm: "Accept the risk",
      deny: "Go back",
    });
  });

  it("offers nothing once decided, and says what was decided and when", () => {
    for (const r of [recs.accepted, recs.declined, recs.risk_accepted]) expect(doc(r).actions).toEqual([]);
    const accepted = doc(recs.accepted);
    expect(plainCardText(accepted.status!.text)).toBe(
      "✅ Accepted Tue 10 Mar 2026, 14:00 GMT: “Go ahead in April”",
    );
    expect(accepted.status?.tone).toBe("good");
    expect(doc(recs.risk_accepted).status?.tone).toBe("warning");
    expect(doc(recs.pending).status).toBeUndefined();
    expect(doc(recs.ignored).status).toBeUndefined();
  });

  it("labels the risk, the decide-by day and where it stands", () => {
    const pending = doc(recs.pending);
    expect(plainCardText(pending.title)).toBe("💡 Recommendation: Replace the unsupported firewall");
    expect(pending.summary).toBe("Recommendation from Northwind IT: Replace the unsupported firewall");
    expect(pending.facts.map((f) => [f.label, plainCardText(f.value)])).toEqual([
      ["Risk if not done", "🟠 High"],
      ["Decide by", "Wed 18 Mar 2026"],
      ["Status", "⏳ Waiting for the client's decision"],
      ["Made", "Wed 4 Mar 2026, 10:00 GMT"],
    ]);
    expect(fact(doc(recs.ignored), "Status")).toBe("⌛ No decision by the date: counted as ignored");
    expect(fact(doc(recs.declined), "Status")).toBe("❌ Declined");
    expect(fact(doc(recommendation({ risk: "critical" })), "Risk if not done")).toBe("🔴 Critical");
    expect(plainCardText(pending.text!)).toMatch(/^Why: The FortiGate 60D/);
  });
});

describe("digestDocument and scorecardDocument", () => {
  it("shows every section's facts, each marked by how it reads, and the top actions numbered", () => {
    const doc = digestDocument(digest());
    expect(doc.summary).toBe(
      "Weekly digest: Acme Dental and Northwind IT, week of 2026-W10: provider 83/100, client 64/100",
    );
    expect(doc.subtitle).toBe("2026-03-02 to 2026-03-08 · health 0–100, trend over 8 weeks, oldest first");
    expect(doc.scores).toEqual([
      { label: "Provider", value: "83/100", trend: "▆▆▇▇▇▇█▇" },
      { label: "Client", value: "64/100", trend: "▅▅▅▅▆▆▆▆" },
    ]);
    expect(doc.sections.map((s) => s.heading)).toEqual([
      "Provider: Northwind IT",
      "Client: Acme Dental",
      "Shared",
      "What would raise the scores most",
    ]);
    expect(doc.sections[0]?.facts.map((f) => f.tone)).toEqual([
      "neutral",
      "warning",
      "neutral",
      "good",
      "warning",
    ]);
    expect(doc.sections[3]?.lines[0]).toBe("1. 1 recommendation has waited > 14 days for a decision");
    expect(doc.actions).toEqual([]);
  });

  it("keeps a quiet week to one line of scores", () => {
    const doc = digestDocument(digest({ quiet: true, actions: [] }));
    expect(doc.scores).toEqual([]);
    expect(doc.text).toBe("Health: provider 83/100, client 64/100");
    expect(doc.sections.map((s) => s.heading)).not.toContain("What would raise the scores most");
  });

  it("shows on the scorecard only what needs attention, or says all is on track", () => {
    const doc = scorecardDocument(digest());
    expect(plainCardText(doc.title)).toBe(
      "Acme Dental and Northwind IT: scorecard for 2026-03-02 to 2026-03-08",
    );
    const attention = doc.sections.find((s) => s.heading === "Needs attention");
    expect(attention?.facts.map((f) => f.label)).toEqual([
      "First response on target",
      "Open backlog",
      "Through the agreed channel",
      "Recommendations pending",
      "Downtime",
    ]);
    expect(doc.status).toBeUndefined();
    const calm = scorecardDocument(digest({ sections: [], actions: [] }));
    expect(calm.status).toEqual({ text: "✅ Every figure is on track this week.", tone: "good" });
    expect(calm.sections).toEqual([]);
  });
});

describe("helpDocument", () => {
  it("lists the same commands on both platforms, each as it is typed there", () => {
    expect(helpCommands("slack")).toEqual([
      "/itissue",
      "/itpartner status",
      "/itpartner recommend",
      "/itpartner call",
      "/itpartner headsup",
      "/itpartner setup",
      "/itpartner export",
      "/itpartner help",
    ]);
    expect(helpCommands("teams")).toEqual([
      "issue",
      "status",
      "recommend",
      "call",
      "headsup",
      "setup",
      "export",
      "help",
    ]);
    const commands = (p: "slack" | "teams") =>
      helpDocument(p)
        .sections.find((s) => s.heading === "Commands")
        ?.facts.map((f) => f.label);
    expect(commands("slack")).toEqual(helpCommands("slack"));
    expect(commands("teams")).toEqual(helpCommands("teams"));
  });

  it("differs between platforms only in how commands are typed and where the message menu is", () => {
    const text = (p: "slack" | "teams") =>
      JSON.stringify(helpDocument(p).sections.map((s) => s.lines.map(plainCardText)));
    expect(text("slack")).toContain("/itissue printer on floor 2 jammed p2 since 9am records it at once");
    expect(text("teams")).toContain("issue printer on floor 2 jammed p2 since 9am records it at once");
    expect(text("slack")).toContain("On any message: ⋮ → Report as IT issue, or react with :ticket:.");
    expect(text("teams")).toContain("On any message: … → More actions → Report as IT issue");
    expect(text("teams")).toContain("In a channel, @mention rapport first.");
    expect(helpDocument("teams").summary).toBe(
      "rapport help: issue, status, recommend, call, headsup, setup, export, help",
    );
    expect(helpDocument("slack").title).toBe(helpDocument("teams").title);
  });
});

describe("documents", () => {
  it("are plain JSON that reads back as it was written", () => {
    const docs = [
      ...Object.values(issues).map(issueDoc),
      recommendationCardDocument(recommendation({ status: "accepted", decidedAt }), partnership, {
        now: NOW,
      }),
      digestDocument(digest()),
      scorecardDocument(digest()),
      helpDocument("slack"),
      noticeDocument("ACME-42 is past its first-response target", "No answer for 2 h.", [
        { label: "Issue", value: "ACME-42" },
      ]),
    ];
    for (const doc of docs) {
      const stored = JSON.parse(JSON.stringify(doc)) as unknown;
      expect(cardDocumentSchema.parse(stored)).toEqual(doc);
    }
  });

  it("makes a notice of a title, a sentence and facts", () => {
    expect(noticeDocument("Title", "Text.", [{ label: "A", value: "1" }])).toMatchObject({
      kind: "notice",
      title: "Title",
      summary: "Title: Text.",
      text: "Text.",
      facts: [{ label: "A", value: "1" }],
      actions: [],
    });
  });

  it("counts what a platform had no room for, and says where to read it", () => {
    expect(omittedText(3)).toBe("…and 3 more");
    expect(omittedText(1, "section")).toBe("…and 1 more section");
    expect(plainCardText(omittedText(2, "section", digestDocument(digest()).seeAlso))).toBe(
      "…and 2 more sections: see rapport digest.",
    );
  });
});
