// The issue card posted in the support channel and updated in place on every change: the core's
// document, rendered; and the readers of what its buttons and menu send back.
import { z } from "zod";
import {
  issueCardDocument,
  type Issue,
  type Partnership,
  PRIORITIES,
  type Priority,
} from "../../../src/index.ts";
import { slackDate } from "./dates.ts";
import { escapeAndTruncate } from "./escape.ts";
import type { SlackMessage } from "./kit.ts";
import { renderCard } from "./render-card.ts";

const cardValueSchema = z.object({ p: z.string().min(1).max(64), i: z.string().min(1).max(64) });
const priorityValueSchema = cardValueSchema.extend({ v: z.enum(PRIORITIES as [Priority, ...Priority[]]) });

/** What an issue card button carries: which partnership and issue it acts on. */
export interface IssueCardValue {
  partnershipId: string;
  issueId: string;
}

/** Reads an issue card button's `value`; null when it is not one of ours. */
export function parseCardValue(value: string | undefined): IssueCardValue | null {
  const parsed = cardValueSchema.safeParse(parseJson(value));
  return parsed.success ? { partnershipId: parsed.data.p, issueId: parsed.data.i } : null;
}

/** Reads the priority menu's selected option value; null when it is not one of ours. */
export function parsePriorityValue(
  value: string | undefined,
): (IssueCardValue & { priority: Priority }) | null {
  const parsed = priorityValueSchema.safeParse(parseJson(value));
  if (!parsed.success) return null;
  return { partnershipId: parsed.data.p, issueId: parsed.data.i, priority: parsed.data.v };
}

function parseJson(value: string | undefined): unknown {
  try {
    return value === undefined ? null : JSON.parse(value);
  } catch {
    return null;
  }
}

/** The issue card: what, how urgent, where it stands, and the buttons that move it on. */
export function issueCard(issue: Issue, partnership: Partnership, { now }: { now: Date }): SlackMessage {
  return renderCard(issueCardDocument(issue, partnership, { now }));
}

/** The reporter's private confirmation: the key, and what rapport understood (priority, start). */
export function issueConfirmation(issue: Issue): string {
  const started = issue.startedAt ? `, started ${slackDate(issue.startedAt, "UTC")}` : "";
  return (
    `Recorded *${issue.key}*: ${escapeAndTruncate(issue.title, 200)} (${issue.priority}${started}). ` +
    `Its card in the support channel shows every update; reply in its thread to add detail.`
  );
}
