// The core's card documents as Block Kit. Nothing is decided here but layout: the words, the
// facts and the actions come from the document; this escapes them, maps each action to its
// Slack action id and value, and keeps within Slack's limits.
import type { ActionsBlock, Button, KnownBlock, SectionBlock, StaticSelect } from "@slack/web-api";
import {
  omittedText,
  plainCardText,
  TONE_MARKS,
  type CardAction,
  type CardActionId,
  type CardDocument,
  type CardFact,
  type CardKind,
  type CardScore,
  type CardSection,
  type CardSpan,
  type CardSubject,
  type CardText,
} from "../../../src/index.ts";
import { z } from "zod";
import { ACTIONS } from "../ids.ts";
import { escapeAndTruncate, escapeText } from "./escape.ts";
import { button, context, fieldsSection, header, LIMITS, option, section, type SlackMessage } from "./kit.ts";

/** The Slack action id of each neutral action. */
const ACTION_IDS: Record<CardActionId, string> = {
  "issue.acknowledge": ACTIONS.acknowledge,
  "issue.waitOnClient": ACTIONS.waitOnClient,
  "issue.resolve": ACTIONS.resolve,
  "issue.reopen": ACTIONS.reopen,
  "issue.priority": ACTIONS.priority,
  "recommendation.accept": ACTIONS.accept,
  "recommendation.decline": ACTIONS.decline,
  "recommendation.acceptRisk": ACTIONS.acceptRisk,
  "recommendation.remind": ACTIONS.remind,
};

/** Kinds that lead with a bold line rather than a header: a card in a channel's flow, an ephemeral reply. */
const INLINE_TITLE: ReadonlySet<CardKind> = new Set(["recommendation", "scorecard"]);

function span(s: CardSpan): string {
  const text = escapeText(s.text);
  // Slack's date token shows each reader their own timezone; the text is the fallback.
  if (s.at) return `<!date^${Math.floor(Date.parse(s.at) / 1000)}^{date_short_pretty} at {time}|${text}>`;
  const mark = s.style === "strong" ? "*" : s.style === "code" ? "`" : "";
  if (!mark || !text.trim()) return text;
  // Slack reads a mark only against a word: spaces go outside it.
  const [, before, word, after] = /^(\s*)(.*?)(\s*)$/s.exec(text) ?? ["", "", text, ""];
  return `${before}${mark}${word}${mark}${after}`;
}

/** Document text as mrkdwn within `max` characters; what is too long loses its emphasis before its words. */
export function mrkdwnOf(text: CardText, max: number = LIMITS.text): string {
  if (typeof text === "string") return escapeAndTruncate(text, max);
  const rich = text.map(span).join("");
  return rich.length <= max ? rich : escapeAndTruncate(plainCardText(text), max);
}

/** Lines that fit in one text object; what does not fit is counted, not cut mid-line. */
function fitLines(first: string, lines: readonly string[], max: number = LIMITS.text - 100): string {
  let text = first;
  for (const [i, line] of lines.entries()) {
    if (text.length + line.length + 1 > max) return `${text}\n${mrkdwnOf(omittedText(lines.length - i))}`;
    text += `\n${line}`;
  }
  return text;
}

function factLine(f: CardFact): string {
  const mark = f.tone ? `${TONE_MARKS[f.tone]} ` : "";
  return `${mark}*${escapeAndTruncate(f.label, 200)}:* ${mrkdwnOf(f.value, 1000)}`;
}

/** A section: its heading, facts and lines in one text object. */
export function sectionBlock(s: CardSection): SectionBlock {
  const lines = [...s.facts.map(factLine), ...s.lines.map((l) => mrkdwnOf(l, 1000))];
  return section(fitLines(`*${escapeAndTruncate(s.heading, 200)}*`, lines));
}

/** Scores side by side, each with its trend. */
export function scoresBlock(scores: readonly CardScore[]): SectionBlock {
  return fieldsSection(
    scores.map((s) => `*${escapeText(`${s.label} ${s.value}`)}*\n${escapeAndTruncate(s.trend, 200)}`),
  );
}

function factFields(facts: readonly CardFact[]): SectionBlock[] {
  const fields = facts.map((f) => {
    const mark = f.tone ? `${TONE_MARKS[f.tone]} ` : "";
    return `${mark}*${escapeAndTruncate(f.label, 200)}*\n${mrkdwnOf(f.value, LIMITS.field - 300)}`;
  });
  const blocks: SectionBlock[] = [];
  for (let i = 0; i < fields.length; i += LIMITS.fields)
    blocks.push(fieldsSection(fields.slice(i, i + LIMITS.fields)));
  return blocks;
}

/** What a button or menu sent back: the neutral action, the subject it claims, a menu's choice. */
export interface SlackCardAction {
  action: CardActionId;
  subject: CardSubject;
  choice: string | null;
}

const valueSchema = z.union([
  z.object({ p: z.string().min(1).max(64), i: z.string().min(1).max(64), v: z.string().max(16).optional() }),
  z.object({ p: z.string().min(1).max(64), r: z.string().min(1).max(64) }),
]);

/** The neutral action of each Slack action id. */
export const CARD_ACTIONS = new Map(
  (Object.entries(ACTION_IDS) as [CardActionId, string][]).map(([neutral, slack]) => [slack, neutral]),
);

/** Reads a card's button or menu back (the inverse of `valueOf`); null when it is not one of ours. */
export function readCardAction(actionId: string, value: string | undefined): SlackCardAction | null {
  const action = CARD_ACTIONS.get(actionId);
  let json: unknown = null;
  try {
    json = value === undefined ? null : JSON.parse(value);
  } catch {
    return null;
  }
  const parsed = valueSchema.safeParse(json);
  if (!action || !parsed.success) return null;
  const v = parsed.data;
  const issue = "i" in v;
  if (issue !== action.startsWith("issue.")) return null;
  return {
    action,
    subject: "i" in v ? { partnershipId: v.p, issueId: v.i } : { partnershipId: v.p, recommendationId: v.r },
    choice: "i" in v ? (v.v ?? null) : null,
  };
}

/** What a button or menu carries back: the subject's ids (and a menu option's value). */
function valueOf(subject: CardSubject, extra: Record<string, string> = {}): string {
  const ids =
    "issueId" in subject
      ? { p: subject.partnershipId, i: subject.issueId }
      : { p: subject.partnershipId, r: subject.recommendationId };
  return JSON.stringify({ ...ids, ...extra });
}

function element(a: CardAction): Button | StaticSelect {
  if (a.type === "choice") {
    const options = a.options.map((o) => option(o.label, valueOf(a.subject, { v: o.value })));
    const selected = options[a.options.findIndex((o) => o.value === a.selected)];
    return {
      type: "static_select",
      action_id: ACTION_IDS[a.id],
      placeholder: { type: "plain_text", text: escapeAndTruncate(a.label, LIMITS.placeholder) },
      options,
      ...(selected ? { initial_option: selected } : {}),
    };
  }
  const style = a.style === "default" ? undefined : a.style;
  const b = button(ACTION_IDS[a.id], a.label, valueOf(a.subject), style);
  if (a.confirm) {
    b.confirm = {
      title: { type: "plain_text", text: a.confirm.title },
      text: { type: "mrkdwn", text: escapeText(a.confirm.text) },
      confirm: { type: "plain_text", text: a.confirm.confirm },
      deny: { type: "plain_text", text: a.confirm.deny },
    };
  }
  return b;
}

function actionsBlock(doc: CardDocument): ActionsBlock | null {
  if (doc.actions.length === 0) return null;
  return { type: "actions", block_id: `${doc.kind}_actions`, elements: doc.actions.map(element) };
}

function smallPrint(doc: CardDocument): KnownBlock | null {
  const links = doc.links.map((l) => `<${l.url.replace(/&/g, "&amp;")}|${escapeText(l.label)}>`);
  const parts = [...links, ...doc.notes.map((n) => mrkdwnOf(n, 1000))];
  return parts.length ? context(parts.join(" · ")) : null;
}

function head(doc: CardDocument): KnownBlock[] {
  const blocks: KnownBlock[] = [
    INLINE_TITLE.has(doc.kind)
      ? section(mrkdwnOf(doc.title, 500))
      : header(escapeAndTruncate(plainCardText(doc.title), LIMITS.header)),
  ];
  if (doc.subtitle) blocks.push(context(escapeAndTruncate(doc.subtitle, 500)));
  if (doc.scores.length) blocks.push(scoresBlock(doc.scores));
  blocks.push(...factFields(doc.facts));
  if (doc.text) blocks.push(section(mrkdwnOf(doc.text, 2900)));
  if (doc.status) blocks.push(context(mrkdwnOf(doc.status.text, 1000)));
  return blocks;
}

/** Sections within the blocks left; what does not fit is counted, with where to read it. */
function fitSections(doc: CardDocument, room: number): KnownBlock[] {
  const all = doc.sections.map(sectionBlock);
  if (all.length <= room) return all;
  const shown = all.slice(0, room - 1);
  return [...shown, context(mrkdwnOf(omittedText(all.length - shown.length, "section", doc.seeAlso)))];
}

/** A card document as a Block Kit message (≤ 50 blocks), with its summary as the notification text. */
export function renderCard(doc: CardDocument): SlackMessage {
  const top = head(doc);
  const bottom = [actionsBlock(doc), smallPrint(doc)].filter((b): b is KnownBlock => b !== null);
  const sections = fitSections(doc, LIMITS.messageBlocks - top.length - bottom.length);
  return { text: escapeAndTruncate(doc.summary, 500), blocks: [...top, ...sections, ...bottom] };
}
