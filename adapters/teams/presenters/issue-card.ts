// The issue card posted in the support conversation: the core's document, rendered. Its buttons are
// Universal Actions: Teams sends the verb and data to the bot, which records the change and
// answers with this card refreshed.
import { z } from "zod";
import {
  formatDateTime,
  issueCardDocument,
  type Issue,
  type Partnership,
  type Priority,
  prioritySchema,
} from "../../../src/index.ts";
import { VERBS } from "../ids.ts";
import type { AdaptiveCardJson } from "./card-kit.ts";
import { plainText } from "./plain-text.ts";
import { CHOICE_INPUTS, renderCard } from "./render-card.ts";

/** The id of the card's priority menu, whose value Teams merges into the action data. */
export const ISSUE_CARD_PRIORITY_INPUT = CHOICE_INPUTS["issue.priority"];

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

/** The issue card: what, how urgent, where it stands, and the buttons that move it on. */
export function issueCard(issue: Issue, partnership: Partnership, { now }: { now: Date }): AdaptiveCardJson {
  return renderCard(issueCardDocument(issue, partnership, { now }));
}

/** The reporter's confirmation (TextBlock markdown): the key, and what rapport understood. */
export function issueConfirmation(issue: Issue, partnership: Partnership): string {
  const started = issue.startedAt ? `, started ${formatDateTime(issue.startedAt, partnership.timezone)}` : "";
  return (
    `Recorded **${issue.key}**: ${plainText(issue.title, 200)} (${issue.priority}${started}). ` +
    "Its card in the support channel shows every update; reply to it to add detail."
  );
}
