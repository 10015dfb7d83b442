import { DateTime, Info } from "luxon";
import { RapportError } from "./errors.ts";
import type { Priority } from "./vocabulary.ts";
import { CLAUSE_END, END, START, type Span } from "./issue-text-tokens.ts";
import { findStart } from "./issue-start-time.ts";
import { truncate } from "./text.ts";
import { Remembered } from "./remembered.ts";
import { zoneNamed } from "./zone-offsets.ts";

/** What a person's free-text issue report says, once rapport has read it. */
export interface ParsedIssueText {
  /** The first sentence, without the priority, time and #category it names; at most 200 characters. */
  title: string;
  /** The rest as typed (minus a trailing #category), at most 4,000 characters; null when none is left. */
  detail: string | null;
  /** The priority the text names; null when it names none, so the caller's default applies. */
  priority: Priority | null;
  /** When the problem started, never later than `now`; null when the text does not say. */
  startedAt: Date | null;
  /** A leading or trailing #tag, else the earliest well-known keyword (ISSUE_CATEGORY_KEYWORDS). */
  category: string | null;
}

/** The longest title rapport keeps; longer first sentences are cut at a word boundary with "…". */
export const ISSUE_TITLE_MAX_LENGTH = 200;

/** The longest detail rapport keeps (as the issue.reported event allows); cut like the title. */
export const ISSUE_DETAIL_MAX_LENGTH = 4000;

/**
 * The categories rapport recognises from plain words, earliest word in the text wins. A #tag that
 * is one of these words maps to its category (#wifi → network); any other #tag is kept as typed.
 */
export const ISSUE_CATEGORY_KEYWORDS = {
  printer: ["printer", "printing", "print", "scanner", "toner", "copier"],
  email: ["email", "e-mail", "outlook", "inbox", "mailbox"],
  network: ["network", "wifi", "wi-fi", "internet", "vpn", "router", "broadband"],
  phone: ["phone", "voip", "voicemail", "handset"],
  computer: ["laptop", "pc", "computer", "desktop", "macbook", "monitor"],
  account: ["password", "log in", "sign in", "account", "locked out", "mfa", "2fa"],
  software: ["software", "application", "app", "install", "licence", "license"],
} as const satisfies Record<string, readonly string[]>;

const EXAMPLE = "printer on floor 2 is jammed p2 since 9am";

function tokenPattern(body: string): RegExp {
  return new RegExp(`${START}#?(?:${body})${END}`, "giu");
}

interface PriorityRule {
  pattern: RegExp;
  /**
   * A word every match holds, looked for first: the patterns check what stands around each
   * position, which costs far more than finding a word, and most reports hold none of them.
   */
  gate: RegExp;
  /** Names a level outright (p2, sev 1, priority 3); beats loose words wherever they stand. */
  explicit: boolean;
  /** Whether the matched words leave the title. */
  removed: boolean;
  level: (digit: string) => Priority;
}

function wordRules(level: Priority, gate: RegExp, words: readonly string[], removed = true): PriorityRule[] {
  const body = words.join("|");
  // "it's urgent" loses its "it's" too, but only where the phrase ends a clause:
  // "it's a critical error" keeps its words.
  const filler = `${START}(?:it['’]?s|it is|this is)[ \t]+(?:an?[ \t]+)?(?:${body})${END}${CLAUSE_END}`;
  return [tokenPattern(body), new RegExp(filler, "giu")].map((pattern) => ({
    pattern,
    gate,
    explicit: false,
    removed,
    level: () => level,
  }));
}

/** Exported for the test that each gate lets through every text its patterns match. */
export const PRIORITY_RULES: readonly PriorityRule[] = [
  {
    pattern: tokenPattern(String.raw`(?:p|sev(?:erity)?[ \t:-]*|prio(?:rity)?[ \t:-]*p?)([0-4])`),
    gate: /[0-4]/,
    explicit: true,
    removed: true,
    // Some teams call their worst level P0 / sev 0; rapport's worst is P1.
    level: (digit) => (digit === "0" ? "P1" : (`P${digit}` as Priority)),
  },
  // Each gate with the patterns' own flags: under `iu`, "ſ" is an "s" and "K" (Kelvin) a "k".
  ...wordRules("P1", /critical|emergency/iu, ["critical", "emergency"]),
  ...wordRules("P2", /urgent|asap|high/iu, [
    "(?:very |really |super )?urgent",
    "asap",
    "high[ -]prio(?:rity)?",
    "prio(?:rity)?[ :-]*high",
  ]),
  ...wordRules("P3", /normal|medium/iu, [
    "(?:normal|medium)[ -]prio(?:rity)?",
    "prio(?:rity)?[ :-]*(?:normal|medium)",
  ]),
  ...wordRules("P4", /urgent|rush|low|you/iu, [
    "not urgent",
    "non[ -]urgent",
    "no rush",
    "low[ -]prio(?:rity)?",
    "prio(?:rity)?[ :-]*low",
    "(?:when|whenever) you (?:can|get a chance|have time)",
  ]),
  // An outage is what the problem is, not a tag on it: it sets P1 but stays in the title.
  ...wordRules("P1", /outage/iu, ["outage"], false),
];

function findPriority(text: string): { priority: Priority | null; spans: Span[] } {
  let best: { index: number; explicit: boolean; priority: Priority } | null = null;
  const spans: Span[] = [];
  for (const rule of PRIORITY_RULES) {
    if (!rule.gate.test(text)) continue;
    for (const m of text.matchAll(rule.pattern)) {
      const index = m.index;
      if (rule.removed) spans.push({ start: index, end: index + m[0].length });
      const better =
        !best || (rule.explicit && !best.explicit) || (rule.explicit === best.explicit && index < best.index);
      if (better) best = { index, explicit: rule.explicit, priority: rule.level(m[1] ?? "") };
    }
  }
  return { priority: best?.priority ?? null, spans };
}

// At most 60 characters, as the issue.reported event allows for a category.
const TAG = String.raw`#(\p{L}[\p{L}\p{N}_-]{0,59})`;
const LEADING_TAG = new RegExp(`^${TAG}${END}`, "u");
const TRAILING_TAG = new RegExp(`${START}${TAG}[ \\t]*$`, "u");

function keywordPattern(words: readonly string[]): string {
  return words.map((w) => `${w.replace(/-/g, "-?").replace(/ /g, "[ \\t]?")}(?:e?s)?`).join("|");
}

const KEYWORD_RULES = Object.entries(ISSUE_CATEGORY_KEYWORDS).map(([category, words]) => ({
  category,
  pattern: new RegExp(`${START}(?:${keywordPattern(words)})${END}`, "iu"),
  whole: new RegExp(`^(?:${keywordPattern(words)})$`, "iu"),
}));

function findCategory(text: string, taken: readonly Span[]): { category: string | null; span: Span | null } {
  for (const m of [LEADING_TAG.exec(text), TRAILING_TAG.exec(text)]) {
    if (!m || taken.some((s) => s.start <= m.index && m.index < s.end)) continue;
    const tag = (m[1] ?? "").toLowerCase();
    const known = KEYWORD_RULES.find((r) => r.whole.test(tag));
    return { category: known?.category ?? tag, span: { start: m.index, end: m.index + m[0].length } };
  }
  let best: { index: number; category: string } | null = null;
  for (const rule of KEYWORD_RULES) {
    const m = rule.pattern.exec(text);
    if (m && (!best || m.index < best.index)) best = { index: m.index, category: rule.category };
  }
  return { category: best?.category ?? null, span: null };
}

const ABBREVIATIONS = new Set(["a.m.", "p.m.", "e.g.", "i.e.", "etc.", "vs.", "approx.", "no."]);

/** Lines, then sentences within a line; an abbreviation ends a sentence only before a capital. */
function segments(text: string): Span[] {
  const result: Span[] = [];
  for (const line of text.matchAll(/[^\n]+/g)) {
    let start = line.index;
    for (const m of line[0].matchAll(/[.!?]+(?=\s)/g)) {
      const end = line.index + m.index + m[0].length;
      const word = /\S+$/.exec(text.slice(start, end))?.[0].toLowerCase() ?? "";
      const next = text.slice(end).trimStart().charAt(0);
      if (ABBREVIATIONS.has(word) && next !== next.toUpperCase()) continue;
      result.push({ start, end });
      start = end;
    }
    result.push({ start, end: line.index + line[0].length });
  }
  return result;
}

function withoutSpans(text: string, within: Span, spans: readonly Span[]): string {
  let out = "";
  let at = within.start;
  for (const s of [...spans].sort((a, b) => a.start - b.start)) {
    const start = Math.max(s.start, within.start);
    const end = Math.min(s.end, within.end);
    if (end <= start || end <= at) continue;
    out += `${text.slice(at, Math.max(at, start))} `;
    at = end;
  }
  return out + text.slice(at, within.end);
}

const SEPARATORS = "[,;:\\-–—/|]";

function tidy(text: string): string {
  let t = text
    .replace(/\s+/g, " ")
    .replace(/\(\s*\)|\[\s*\]/g, " ")
    .replace(/\s+([,;:.!?)])/g, "$1")
    .replace(new RegExp(`(${SEPARATORS})(?:\\s*${SEPARATORS})+(?=\\s|$)`, "g"), "$1");
  for (let before = ""; before !== t;) {
    before = t;
    t = t
      .trim()
      .replace(/^(?:[,;:.!\-–—/|]+|(?:and|but|or|&)(?=\s))\s*/i, "")
      .replace(/(?:[\s,;:.!\-–—/|(]+|\s(?:and|but|or|&|with))$/i, "");
  }
  return t;
}

// Asking luxon whether a zone exists builds a formatter each time; the answer never changes.
const zones = new Remembered<boolean>(1_000);

function isZone(timezone: string): boolean {
  return zones.get(timezone, () => Info.isValidIANAZone(timezone));
}

/**
 * Reads `/itissue` text: the priority words, start time and category it names, a title (first
 * sentence without those words) and the detail. Times are read in `options.timezone` relative to
 * `options.now` and never land after it. Throws RapportError "invalid_input" when no description
 * is left, and "config_invalid" for an unknown timezone.
 */
export function parseIssueText(text: string, options: { now: Date; timezone: string }): ParsedIssueText {
  if (!isZone(options.timezone)) {
    const message = `"${options.timezone}" is not an IANA timezone such as Europe/London.`;
    throw new RapportError("config_invalid", message);
  }
  const body = text.replace(/\r\n?/g, "\n").trim();
  const priority = findPriority(body);
  const start = findStart(body, () =>
    DateTime.fromJSDate(options.now, { zone: zoneNamed(options.timezone) }),
  );
  const category = findCategory(body, priority.spans);
  const tagSpans = category.span ? [category.span] : [];
  const spans = [...priority.spans, ...(start.span ? [start.span] : []), ...tagSpans];

  for (const segment of segments(body)) {
    const title = tidy(withoutSpans(body, segment, spans));
    if (!title) continue;
    const rest = { start: segment.end, end: body.length };
    const tagOnly = tidy(withoutSpans(body, rest, spans)) === "";
    const detail = tagOnly ? "" : withoutSpans(body, rest, tagSpans).trim();
    return {
      title: truncate(title, ISSUE_TITLE_MAX_LENGTH),
      detail: detail === "" ? null : truncate(detail, ISSUE_DETAIL_MAX_LENGTH),
      priority: priority.priority,
      startedAt: start.startedAt,
      category: category.category,
    };
  }
  throw new RapportError("invalid_input", `Describe the problem in a few words, for example: ${EXAMPLE}`);
}
