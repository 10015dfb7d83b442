// The issue card posted in the support conversation. Its buttons are Universal Actions: Teams sends
// the verb and data to the bot, which records the change and answers with this card refreshed.
import { z } from "zod";
import {
  elapsedBetween,
  formatDateTime,
  type Issue,
  type Partnership,
  PRIORITIES,
  type Priority,
  prioritySchema,
} from "../../../src/index.ts";
import { VERBS } from "../ids.ts";
import {
  actionExecute,
  actionOpenUrl,
  actionSet,
  adaptiveCard,
  column,
  columnSet,
  factSet,
  heading,
  inputChoiceSet,
  textBlock,
  type AdaptiveCardJson,
  type CardAction,
  type CardElement,
} from "./card-kit.ts";
import { plainText } from "./plain-text.ts";
import { describeTarget } from "../../../src/index.ts";

/** The id of the card's priority menu, whose value Teams merges into the action data. */
export const ISSUE_CARD_PRIORITY_INPUT = "priority";

/** What every issue card action carries (with `priority` from the menu for the priority verb). */
export const issueActionDataSchema = z.object({
  partnershipId: z.string().min(1).max(64),
  issueId: z.string().min(1).max(64),
  [ISSUE_CARD_PRIORITY_INPUT]: prioritySchema.optional(),
});
/** The parsed data of an issue card action. */
export type IssueActionData = z.infer<typeof issueActionDataSchema>;

const ISSUE_VERBS = [VERBS.acknowledge, VERBS.waitOnClient, VERBS.resolve, VERBS.reopen] as const;
type IssueVerb = (typeof ISSUE_VERBS)[number];

/** An issue card action as the handler dispatches it. */
export type IssueAction =
  | { verb: IssueVerb; partnershipId: string; issueId: string }
  | { verb: typeof VERBS.priority; partnershipId: string; issueId: string; priority: Priority };

/** Reads an `adaptiveCard/action` invoke's verb and data; null when it is not an issue card action. */
export function parseIssueAction(verb: string, data: unknown): IssueAction | null {
  const parsed = issueActionDataSchema.safeParse(data);
  if (!parsed.success) return null;
  const { partnershipId, issueId, priority } = parsed.data;
  if (verb === VERBS.priority) return priority ? { verb, partnershipId, issueId, priority } : null;
  const known = ISSUE_VERBS.find((v) => v === verb);
  return known ? { verb: known, partnershipId, issueId } : null;
}

const PRIORITY_MARK: Record<Priority, string> = { P1: "🔴", P2: "🟠", P3: "🟡", P4: "⚪" };
const STATUS_TEXT: Record<Issue["status"], string> = {
  open: "🔵 Open",
  waiting_on_client: "⏸️ Waiting on client",
  resolved: "✅ Resolved",
};

function facts(issue: Issue, p: Partnership): [string, string][] {
  const at = (d: Date) => formatDateTime(d, p.timezone);
  const by = issue.reporter.displayName ? ` by ${plainText(issue.reporter.displayName, 80)}` : "";
  const out: [string, string][] = [
    [
      "Priority",
      `${PRIORITY_MARK[issue.priority]} ${issue.priority}: ${describeTarget(p.sla[issue.priority])}`,
    ],
    ["Status", STATUS_TEXT[issue.status]],
    ["Reported", `${at(issue.reportedAt)}${by}`],
  ];
  if (issue.category) out.push(["Category", plainText(issue.category, 100)]);
  if (issue.startedAt) out.push(["Started", at(issue.startedAt)]);
  if (issue.firstResponseAt) {
    out.push([
      "First response",
      `${at(issue.firstResponseAt)} (after ${elapsedBetween(issue.reportedAt, issue.firstResponseAt)})`,
    ]);
  }
  if (issue.resolvedAt) {
    out.push([
      "Resolved",
      `${at(issue.resolvedAt)} (after ${elapsedBetween(issue.reportedAt, issue.resolvedAt)})`,
    ]);
  }
  return out;
}

/** The verbs of the buttons an issue in this state offers, in order; listeners and tests agree on it. */
export function issueVerbs(issue: Issue): string[] {
  const open = issue.status !== "resolved";
  const verbs: string[] = [];
  if (open && !issue.firstResponseAt) verbs.push(VERBS.acknowledge);
  if (issue.status === "open") verbs.push(VERBS.waitOnClient);
  verbs.push(open ? VERBS.resolve : VERBS.reopen);
  if (open) verbs.push(VERBS.priority);
  return verbs;
}

const BUTTON_TITLES: Record<IssueVerb, string> = {
  [VERBS.acknowledge]: "Acknowledge",
  [VERBS.waitOnClient]: "Waiting on client",
  [VERBS.resolve]: "Resolve",
  [VERBS.reopen]: "Reopen",
};

function buttons(issue: Issue): CardAction[] {
  const data = { partnershipId: issue.partnershipId, issueId: issue.id };
  return ISSUE_VERBS.filter((v) => issueVerbs(issue).includes(v)).map((verb) =>
    actionExecute(BUTTON_TITLES[verb], verb, data, {
      associatedInputs: "none",
      ...(verb === VERBS.acknowledge ? { style: "positive" as const } : {}),
    }),
  );
}

function priorityRow(issue: Issue): CardElement {
  const choices = PRIORITIES.map((p) => [p, `${PRIORITY_MARK[p]} ${p}`] as const);
  const menu = inputChoiceSet(ISSUE_CARD_PRIORITY_INPUT, "Priority", choices, { value: issue.priority });
  const data = { partnershipId: issue.partnershipId, issueId: issue.id };
  const change = actionSet([actionExecute("Change priority", VERBS.priority, data)]);
  const row = columnSet([column([menu]), column([change], "auto")]);
  row.columns[1]!.verticalContentAlignment = "Bottom";
  return row;
}

/** The issue card: what, how urgent, where it stands, and the buttons that move it on. */
export function issueCard(issue: Issue, partnership: Partnership, { now }: { now: Date }): AdaptiveCardJson {
  const tz = partnership.timezone;
  const body: CardElement[] = [
    heading(`${issue.key} · ${plainText(issue.title, 200)}`),
    factSet(facts(issue, partnership)),
  ];
  if (issue.detail) body.push(textBlock(plainText(issue.detail, 4000)));
  if (issue.status === "waiting_on_client" && issue.waitingSince) {
    const since = formatDateTime(issue.waitingSince, tz);
    body.push(
      textBlock(`⏸️ Waiting on the client since ${since}: the provider's SLA clock is paused.`, {
        isSubtle: true,
      }),
    );
  }
  body.push(actionSet(buttons(issue), { separator: true }));
  if (issue.status !== "resolved") body.push(priorityRow(issue));
  body.push(textBlock(`Updated ${formatDateTime(now, tz)}`, { size: "Small", isSubtle: true }));
  const link = issue.sourceUrl && /^https:\/\/\S+$/.test(issue.sourceUrl) ? issue.sourceUrl : null;
  const fallback = `${issue.key} [${issue.priority}] ${plainText(issue.title, 200)}: ${STATUS_TEXT[issue.status]}`;
  return adaptiveCard(fallback, body, link ? [actionOpenUrl("Original message", link)] : []);
}

/** The reporter's confirmation (TextBlock markdown): the key, and what rapport understood. */
export function issueConfirmation(issue: Issue, partnership: Partnership): string {
  const started = issue.startedAt ? `, started ${formatDateTime(issue.startedAt, partnership.timezone)}` : "";
  return (
    `Recorded **${issue.key}**: ${plainText(issue.title, 200)} (${issue.priority}${started}). ` +
    "Its card in the support channel shows every update; reply to it to add detail."
  );
}
