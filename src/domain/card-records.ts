// The issue and recommendation cards as documents: their facts, status and the actions each
// state offers, with the ids those actions act on.
import {
  blankCard,
  instant,
  ISSUE_STATUS_LABELS,
  PRIORITY_MARKS,
  RECOMMENDATION_STATUS_LABELS,
  RISK_LABELS,
  strong,
  type CardAction,
  type CardButton,
  type CardDocument,
  type CardFact,
  type Tone,
} from "./card.ts";
import { elapsedBetween, formatDay } from "./figure-format.ts";
import type { Partnership } from "./partnership.ts";
import type { Issue, Recommendation } from "./records.ts";
import { describeTarget } from "./settings-text.ts";
import { PRIORITIES, type RecommendationStatus } from "./vocabulary.ts";

function issueFacts(issue: Issue, p: Partnership): CardFact[] {
  const at = (d: Date) => instant(d, p.timezone);
  const after = (d: Date) => ({ text: ` (after ${elapsedBetween(issue.reportedAt, d)})` });
  const by = issue.reporter.displayName ? [{ text: ` by ${issue.reporter.displayName}` }] : [];
  const facts: CardFact[] = [
    {
      label: "Priority",
      value: `${PRIORITY_MARKS[issue.priority]} ${issue.priority}: ${describeTarget(p.sla[issue.priority])}`,
    },
    { label: "Status", value: ISSUE_STATUS_LABELS[issue.status] },
    { label: "Reported", value: [at(issue.reportedAt), ...by] },
  ];
  if (issue.category) facts.push({ label: "Category", value: issue.category });
  if (issue.startedAt) facts.push({ label: "Started", value: [at(issue.startedAt)] });
  if (issue.firstResponseAt) {
    facts.push({ label: "First response", value: [at(issue.firstResponseAt), after(issue.firstResponseAt)] });
  }
  if (issue.resolvedAt)
    facts.push({ label: "Resolved", value: [at(issue.resolvedAt), after(issue.resolvedAt)] });
  return facts;
}

type ButtonSpec = Omit<CardButton, "type" | "subject">;

const ISSUE_BUTTONS = {
  acknowledge: { id: "issue.acknowledge", label: "Acknowledge", style: "primary", side: "provider" },
  waitOnClient: { id: "issue.waitOnClient", label: "Waiting on client", style: "default", side: "provider" },
  resolve: { id: "issue.resolve", label: "Resolve", style: "default", side: "provider" },
  reopen: { id: "issue.reopen", label: "Reopen", style: "default", side: "anyone" },
} satisfies Record<string, ButtonSpec>;

const DECISION_BUTTONS: ButtonSpec[] = [
  { id: "recommendation.accept", label: "Accept", style: "primary", side: "client" },
  { id: "recommendation.decline", label: "Decline", style: "default", side: "client" },
  {
    id: "recommendation.acceptRisk",
    label: "Accept the risk",
    style: "danger",
    side: "client",
    confirm: {
      title: "Accept the risk?",
      text: "You decide not to do this and accept the risk. Both sides will see this decision.",
      confirm: "Accept the risk",
      deny: "Go back",
    },
  },
  // A reminder is for whoever clicks; deciding stays the client's.
  { id: "recommendation.remind", label: "Remind me", style: "default", side: "anyone" },
];

/** The actions an issue in this state offers, in order: the provider moves it on; either side reopens or re-prioritises. */
export function issueCardActions(issue: Issue): CardAction[] {
  const subject = { partnershipId: issue.partnershipId, issueId: issue.id };
  const open = issue.status !== "resolved";
  const specs: ButtonSpec[] = [];
  if (open && !issue.firstResponseAt) specs.push(ISSUE_BUTTONS.acknowledge);
  if (issue.status === "open") specs.push(ISSUE_BUTTONS.waitOnClient);
  specs.push(open ? ISSUE_BUTTONS.resolve : ISSUE_BUTTONS.reopen);
  const actions: CardAction[] = specs.map((spec) => ({ type: "button", ...spec, subject }));
  if (open) {
    actions.push({
      type: "choice",
      id: "issue.priority",
      label: "Priority",
      submitLabel: "Change priority",
      style: "default",
      side: "anyone",
      subject,
      options: PRIORITIES.map((p) => ({ value: p, label: `${PRIORITY_MARKS[p]} ${p}` })),
      selected: issue.priority,
    });
  }
  return actions;
}

/** A link people may follow: https only, nothing a platform would read as markup. */
const SAFE_URL = /^https:\/\/[^\s<>|]+$/;

/** The issue card: what, how urgent, where it stands, and the actions that move it on. */
export function issueCardDocument(
  issue: Issue,
  partnership: Partnership,
  { now }: { now: Date },
): CardDocument {
  const doc = blankCard(
    "issue",
    `${issue.key} · ${issue.title}`,
    `${issue.key} [${issue.priority}] ${issue.title}: ${ISSUE_STATUS_LABELS[issue.status]}`,
  );
  if (issue.detail) doc.text = issue.detail;
  doc.facts = issueFacts(issue, partnership);
  if (issue.status === "waiting_on_client" && issue.waitingSince) {
    const since = instant(issue.waitingSince, partnership.timezone);
    const text = [
      { text: "⏸️ Waiting on the client since " },
      since,
      { text: ": the provider's SLA clock is paused." },
    ];
    doc.status = { text, tone: "warning" };
  }
  doc.actions = issueCardActions(issue);
  doc.notes = [[{ text: "Updated " }, instant(now, partnership.timezone)]];
  if (issue.sourceUrl && SAFE_URL.test(issue.sourceUrl))
    doc.links = [{ label: "Original message", url: issue.sourceUrl }];
  return doc;
}

const DECISION_TONES: Record<RecommendationStatus, Tone> = {
  pending: "neutral",
  accepted: "good",
  declined: "neutral",
  risk_accepted: "warning",
  ignored: "attention",
};

/** The decision a recommendation offers while pending or ignored (a late decision still counts); none once decided. */
export function recommendationCardActions(rec: Recommendation): CardAction[] {
  if (rec.status !== "pending" && rec.status !== "ignored") return [];
  const subject = { partnershipId: rec.partnershipId, recommendationId: rec.id };
  return DECISION_BUTTONS.map((spec) => ({ type: "button", ...spec, subject }));
}

/** The recommendation card for the client to decide on; after the decision, it says what was decided. */
export function recommendationCardDocument(
  rec: Recommendation,
  partnership: Partnership,
  { now }: { now?: Date } = {},
): CardDocument {
  const tz = partnership.timezone;
  const doc = blankCard(
    "recommendation",
    [{ text: "💡 " }, strong(`Recommendation: ${rec.title}`)],
    `Recommendation from ${partnership.providerOrg}: ${rec.title}`,
  );
  doc.facts = [
    { label: "Risk if not done", value: RISK_LABELS[rec.risk] },
    { label: "Decide by", value: formatDay(rec.decideBy) },
    { label: "Status", value: RECOMMENDATION_STATUS_LABELS[rec.status] },
    { label: "Made", value: [instant(rec.madeAt, tz)] },
  ];
  if (rec.why) doc.text = [strong("Why:"), { text: ` ${rec.why}` }];
  if (rec.decidedAt && rec.status !== "pending" && rec.status !== "ignored") {
    const note = rec.decisionNote ? [{ text: `: “${rec.decisionNote}”` }] : [];
    const text = [
      { text: `${RECOMMENDATION_STATUS_LABELS[rec.status]} ` },
      instant(rec.decidedAt, tz),
      ...note,
    ];
    doc.status = { text, tone: DECISION_TONES[rec.status] };
  }
  doc.actions = recommendationCardActions(rec);
  if (now) doc.notes = [[{ text: "Updated " }, instant(now, tz)]];
  return doc;
}
