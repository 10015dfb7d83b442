// The issue card posted in the support channel and updated in place on every change.
import type { ActionsBlock, KnownBlock, StaticSelect } from "@slack/web-api";
import { z } from "zod";
import {
  elapsedBetween,
  type Issue,
  type Partnership,
  PRIORITIES,
  type Priority,
} from "../../../src/index.ts";
import { ACTIONS } from "../ids.ts";
import { slackDate } from "./dates.ts";
import { escapeAndTruncate } from "./escape.ts";
import { button, context, fieldsSection, header, LIMITS, option, section, type SlackMessage } from "./kit.ts";
import { describeTarget } from "../../../src/index.ts";

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

const PRIORITY_MARK: Record<Priority, string> = { P1: "🔴", P2: "🟠", P3: "🟡", P4: "⚪" };
const STATUS_TEXT: Record<Issue["status"], string> = {
  open: "🔵 Open",
  waiting_on_client: "⏸️ Waiting on client",
  resolved: "✅ Resolved",
};

function facts(issue: Issue, p: Partnership): string[] {
  const tz = p.timezone;
  const by = issue.reporter.displayName ? ` by ${escapeAndTruncate(issue.reporter.displayName, 80)}` : "";
  const out = [
    `*Priority*\n${PRIORITY_MARK[issue.priority]} ${issue.priority}: ${describeTarget(p.sla[issue.priority])}`,
    `*Status*\n${STATUS_TEXT[issue.status]}`,
    `*Reported*\n${slackDate(issue.reportedAt, tz)}${by}`,
  ];
  if (issue.category) out.push(`*Category*\n${escapeAndTruncate(issue.category, 100)}`);
  if (issue.startedAt) out.push(`*Started*\n${slackDate(issue.startedAt, tz)}`);
  if (issue.firstResponseAt) {
    const after = elapsedBetween(issue.reportedAt, issue.firstResponseAt);
    out.push(`*First response*\n${slackDate(issue.firstResponseAt, tz)} (after ${after})`);
  }
  if (issue.resolvedAt) {
    out.push(
      `*Resolved*\n${slackDate(issue.resolvedAt, tz)} (after ${elapsedBetween(issue.reportedAt, issue.resolvedAt)})`,
    );
  }
  return out;
}

function priorityMenu(issue: Issue): StaticSelect {
  const opt = (p: Priority) =>
    option(`${PRIORITY_MARK[p]} ${p}`, JSON.stringify({ p: issue.partnershipId, i: issue.id, v: p }));
  return {
    type: "static_select",
    action_id: ACTIONS.priority,
    placeholder: { type: "plain_text", text: "Priority" },
    options: PRIORITIES.map(opt),
    initial_option: opt(issue.priority),
  };
}

/** The buttons an issue in this state offers, in order; exported so listeners and tests agree. */
export function issueActions(issue: Issue): ActionsBlock | null {
  const value = JSON.stringify({ p: issue.partnershipId, i: issue.id });
  const open = issue.status !== "resolved";
  const elements: ActionsBlock["elements"] = [];
  if (open && !issue.firstResponseAt)
    elements.push(button(ACTIONS.acknowledge, "Acknowledge", value, "primary"));
  if (issue.status === "open") elements.push(button(ACTIONS.waitOnClient, "Waiting on client", value));
  if (open) elements.push(button(ACTIONS.resolve, "Resolve", value));
  if (!open) elements.push(button(ACTIONS.reopen, "Reopen", value));
  if (open) elements.push(priorityMenu(issue));
  return elements.length ? { type: "actions", block_id: "issue_actions", elements } : null;
}

function footer(issue: Issue, p: Partnership, now: Date): string[] {
  const parts: string[] = [];
  if (issue.sourceUrl && /^https:\/\/[^\s<>|]+$/.test(issue.sourceUrl)) {
    parts.push(`<${issue.sourceUrl.replace(/&/g, "&amp;")}|Original message>`);
  }
  parts.push(`Updated ${slackDate(now, p.timezone, "{date_short_pretty} at {time}")}`);
  return parts;
}

/** The issue card: what, how urgent, where it stands, and the buttons that move it on. */
export function issueCard(issue: Issue, partnership: Partnership, { now }: { now: Date }): SlackMessage {
  const title = `${issue.key} · ${issue.title}`;
  const blocks: KnownBlock[] = [
    header(escapeAndTruncate(title, LIMITS.header)),
    fieldsSection(facts(issue, partnership)),
  ];
  if (issue.detail) blocks.push(section(escapeAndTruncate(issue.detail, 2900)));
  if (issue.status === "waiting_on_client" && issue.waitingSince) {
    const since = slackDate(issue.waitingSince, partnership.timezone);
    blocks.push(context(`⏸️ Waiting on the client since ${since}: the provider's SLA clock is paused.`));
  }
  const actions = issueActions(issue);
  if (actions) blocks.push(actions);
  blocks.push(context(footer(issue, partnership, now).join(" · ")));
  const text = `${issue.key} [${issue.priority}] ${escapeAndTruncate(issue.title, 200)}: ${STATUS_TEXT[issue.status]}`;
  return { text, blocks };
}

/** The reporter's private confirmation: the key, and what rapport understood (priority, start). */
export function issueConfirmation(issue: Issue): string {
  const started = issue.startedAt ? `, started ${slackDate(issue.startedAt, "UTC")}` : "";
  return (
    `Recorded *${issue.key}*: ${escapeAndTruncate(issue.title, 200)} (${issue.priority}${started}). ` +
    `Its card in the support channel shows every update; reply in its thread to add detail.`
  );
}
