import { DateTime, Info } from "luxon";
import { RapportError } from "./errors.ts";
import type { Priority } from "./vocabulary.ts";

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
const START = String.raw`(?<![\p{L}\p{N}_#])`;
const END = String.raw`(?![\p{L}\p{N}_])`;
const CLAUSE_END = String.raw`(?=[ \t]*(?:[,.;:!?)\-–—\n]|$|(?:and|but|since|for|please)\b))`;

interface Span {
  start: number;
  end: number;
}

function tokenPattern(body: string): RegExp {
  return new RegExp(`${START}#?(?:${body})${END}`, "giu");
}

interface PriorityRule {
  pattern: RegExp;
  /** Names a level outright (p2, sev 1, priority 3); beats loose words wherever they stand. */
  explicit: boolean;
  /** Whether the matched words leave the title. */
  removed: boolean;
  level: (digit: string) => Priority;
}

function wordRules(level: Priority, words: readonly string[], removed = true): PriorityRule[] {
  const body = words.join("|");
  // "it's urgent" loses its "it's" too, but only where the phrase ends a clause:
  // "it's a critical error" keeps its words.
  const filler = `${START}(?:it['’]?s|it is|this is)[ \t]+(?:an?[ \t]+)?(?:${body})${END}${CLAUSE_END}`;
  return [tokenPattern(body), new RegExp(filler, "giu")].map((pattern) => ({
    pattern,
    explicit: false,
    removed,
    level: () => level,
  }));
}

const PRIORITY_RULES: readonly PriorityRule[] = [
  {
    pattern: tokenPattern(String.raw`(?:p|sev(?:erity)?[ \t:-]*|prio(?:rity)?[ \t:-]*p?)([0-4])`),
    explicit: true,
    removed: true,
    // Some teams call their worst level P0 / sev 0; rapport's worst is P1.
    level: (digit) => (digit === "0" ? "P1" : (`P${digit}` as Priority)),
  },
  ...wordRules("P1", ["critical", "emergency"]),
  ...wordRules("P2", [
    "(?:very |really |super )?urgent",
    "asap",
    "high[ -]prio(?:rity)?",
    "prio(?:rity)?[ :-]*high",
  ]),
  ...wordRules("P3", ["(?:normal|medium)[ -]prio(?:rity)?", "prio(?:rity)?[ :-]*(?:normal|medium)"]),
  ...wordRules("P4", [
    "not urgent",
    "non[ -]urgent",
    "no rush",
    "low[ -]prio(?:rity)?",
    "prio(?:rity)?[ :-]*low",
    "(?:when|whenever) you (?:can|get a chance|have time)",
  ]),
  // An outage is what the problem is, not a tag on it: it sets P1 but stays in the title.
  ...wordRules("P1", ["outage"], false),
];

function findPriority(text: string): { priority: Priority | null; spans: Span[] } {
  let best: { index: number; explicit: boolean; priority: Priority } | null = null;
  const spans: Span[] = [];
  for (const rule of PRIORITY_RULES) {
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

const CLOCK = String.raw`(?:\d{1,2}(?::\d{2})?[ \t]*(?:am|pm|a\.m\.|p\.m\.)|\d{1,2}:\d{2}|noon|midday|midnight)`;
const WEEKDAY =
  "monday|mon|tuesday|tues|tue|wednesday|wed|thursday|thurs|thur|thu|friday|fri|saturday|sat|sunday|sun";
const DAY = String.raw`(?:today|yesterday|(?:last[ \t]+)?(?:${WEEKDAY}))`;
const PART = String.raw`(?:morning|lunchtime|lunch|afternoon|evening|night)`;
const NUMBER_WORDS = "one two three four five six seven eight nine ten eleven twelve".split(" ");
// A number in words needs a space before its unit, so "for ad campaigns" is not "for a day".
const NUM = String.raw`(?:\d+(?:\.\d+)?|(?:an?|${NUMBER_WORDS.join("|")}|(?:a[ \t]+)?couple(?:[ \t]+of)?)(?=[ \t]))`;
const UNIT = String.raw`(?:minutes?|mins?|m|hours?|hrs?|h|days?|d|weeks?|wks?|w)`;

/** Named parts of the day, as the hour they start. */
const PART_HOURS: Record<string, number> = {
  morning: 9,
  lunch: 12,
  lunchtime: 12,
  afternoon: 13,
  evening: 18,
  night: 21,
};
const WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

type Resolve = (m: RegExpMatchArray, now: DateTime) => DateTime | null;

const TIME_RULES: readonly { pattern: RegExp; resolve: Resolve }[] = [
  {
    pattern: timePattern(String.raw`since[ \t]+(\d{4}-\d{2}-\d{2})(?:(?:T|[ \t]+(?:at[ \t]+)?)(${CLOCK}))?`),
    resolve: (m, now) => {
      const day = DateTime.fromISO(m[1] ?? "", { zone: now.zone });
      return day.isValid ? atClock(day, m[2] ?? "midnight") : null;
    },
  },
  {
    pattern: timePattern(
      String.raw`since[ \t]+(?:on[ \t]+)?(${DAY})(?:[ \t]+(?:at[ \t]+)?(${CLOCK}|${PART}))?`,
    ),
    resolve: (m, now) => atClockOrPart(dayStart(m[1] ?? "", now), m[2]),
  },
  {
    pattern: timePattern(String.raw`since[ \t]+(?:at[ \t]+)?(${CLOCK})(?:[ \t]+(?:on[ \t]+)?(${DAY}))?`),
    resolve: (m, now) => {
      if (m[2] !== undefined) return atClockOrPart(dayStart(m[2], now), m[1]);
      // A bare clock time later than now can only mean yesterday.
      const today = atClock(now.startOf("day"), m[1] ?? "");
      if (!today || today <= now) return today;
      return atClock(now.startOf("day").minus({ days: 1 }), m[1] ?? "");
    },
  },
  {
    pattern: timePattern(String.raw`since[ \t]+(this[ \t]+${PART}|last[ \t]+night|lunch(?:time)?)`),
    resolve: (m, now) => {
      const phrase = (m[1] ?? "").toLowerCase();
      if (phrase.startsWith("last")) return atPart(now.startOf("day").minus({ days: 1 }), "night");
      return atPart(now.startOf("day"), phrase.split(/\s+/).pop() ?? "");
    },
  },
  {
    pattern: timePattern(String.raw`(?:(?:since|for)[ \t]+)?(${NUM})[ \t]*(${UNIT})[ \t]+ago`),
    resolve: (m, now) => minusAmount(now, m[1], m[2] ?? ""),
  },
  {
    pattern: timePattern(
      String.raw`(?:for|since)[ \t]+(?:(?:over|about|around|almost|nearly|more[ \t]+than)[ \t]+)?` +
        String.raw`(the[ \t]+(?:last|past)[ \t]+)?(?:(${NUM})[ \t]*)?(${UNIT}|half[ \t]+an[ \t]+hour)`,
    ),
    resolve: (m, now) => {
      if ((m[3] ?? "").toLowerCase().startsWith("half")) return now.minus({ minutes: 30 });
      // "for hours" names no amount; "for the last hour" means one.
      if (m[2] === undefined && m[1] === undefined) return null;
      return minusAmount(now, m[2] ?? "1", m[3] ?? "");
    },
  },
];

function timePattern(body: string): RegExp {
  return new RegExp(`${START}(?:${body})${END}`, "giu");
}

function parseClock(text: string): { hour: number; minute: number } | null {
  const t = text.toLowerCase().replace(/[\s.]/g, "");
  if (t === "noon" || t === "midday") return { hour: 12, minute: 0 };
  if (t === "midnight") return { hour: 0, minute: 0 };
  const m = /^(\d{1,2})(?::(\d{2}))?(am|pm)?$/.exec(t);
  if (!m) return null;
  let hour = Number(m[1]);
  const minute = Number(m[2] ?? "0");
  if (minute > 59) return null;
  if (m[3]) {
    if (hour < 1 || hour > 12) return null;
    hour = (hour % 12) + (m[3] === "pm" ? 12 : 0);
  } else if (hour > 23) {
    return null;
  }
  return { hour, minute };
}

function atClock(day: DateTime, clock: string): DateTime | null {
  const c = parseClock(clock);
  return c ? day.set({ hour: c.hour, minute: c.minute, second: 0, millisecond: 0 }) : null;
}

function atPart(day: DateTime, part: string): DateTime | null {
  const hour = PART_HOURS[part.toLowerCase()];
  return hour === undefined ? null : day.set({ hour, minute: 0, second: 0, millisecond: 0 });
}

function atClockOrPart(day: DateTime, clockOrPart: string | undefined): DateTime | null {
  if (clockOrPart === undefined) return day;
  return atPart(day, clockOrPart) ?? atClock(day, clockOrPart);
}

function dayStart(word: string, now: DateTime): DateTime {
  const w = word.toLowerCase().replace(/^last\s+/, "");
  const today = now.startOf("day");
  if (w === "today") return today;
  if (w === "yesterday") return today.minus({ days: 1 });
  // A weekday means its most recent past occurrence: today's own weekday means a week ago.
  const target = WEEKDAYS.indexOf(w.slice(0, 3)) + 1;
  return today.minus({ days: (now.weekday - target + 7) % 7 || 7 });
}

function amountOf(text: string): number {
  const a = text.toLowerCase();
  if (/^an?$/.test(a)) return 1;
  if (a.includes("couple")) return 2;
  const word = NUMBER_WORDS.indexOf(a);
  return word >= 0 ? word + 1 : Number(a);
}

function minusAmount(now: DateTime, amountText: string | undefined, unitText: string): DateTime | null {
  const amount = amountOf(amountText ?? "");
  if (!Number.isFinite(amount)) return null;
  const unit = unitText.toLowerCase()[0];
  if (unit === "m") return now.minus({ milliseconds: amount * 60_000 });
  if (unit === "h") return now.minus({ milliseconds: amount * 3_600_000 });
  const days = unit === "w" ? amount * 7 : amount;
  // Whole days are calendar days (same wall-clock time), so a DST change does not shift the hour.
  return Number.isInteger(days) ? now.minus({ days }) : now.minus({ milliseconds: days * 86_400_000 });
}

function findStart(text: string, now: DateTime): { startedAt: Date | null; span: Span | null } {
  let best: { span: Span; at: DateTime } | null = null;
  for (const rule of TIME_RULES) {
    for (const m of text.matchAll(rule.pattern)) {
      const at = rule.resolve(m, now);
      if (!at?.isValid) continue;
      const span = { start: m.index, end: m.index + m[0].length };
      const earlier =
        !best || span.start < best.span.start || (span.start === best.span.start && span.end > best.span.end);
      if (earlier) best = { span, at };
    }
  }
  if (!best) return { startedAt: null, span: null };
  const at = best.at > now ? now : best.at;
  return { startedAt: at.toJSDate(), span: best.span };
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

/** Cuts at the last space (or at `max` when there is none nearby) and ends with "…". */
function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = text.slice(0, max - 1);
  const space = cut.search(/\s\S*$/);
  if (space > max / 2) cut = cut.slice(0, space);
  // Never leave half of a surrogate pair (an emoji) before the ellipsis.
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1);
  return `${cut.replace(/[\s,;:.\-–—]+$/, "")}…`;
}

/**
 * Reads `/itissue` text: the priority words, start time and category it names, a title (first
 * sentence without those words) and the detail. Times are read in `options.timezone` relative to
 * `options.now` and never land after it. Throws RapportError "invalid_input" when no description
 * is left, and "config_invalid" for an unknown timezone.
 */
export function parseIssueText(text: string, options: { now: Date; timezone: string }): ParsedIssueText {
  if (!Info.isValidIANAZone(options.timezone)) {
    const message = `"${options.timezone}" is not an IANA timezone such as Europe/London.`;
    throw new RapportError("config_invalid", message);
  }
  const now = DateTime.fromJSDate(options.now, { zone: options.timezone });
  const body = text.replace(/\r\n?/g, "\n").trim();
  const priority = findPriority(body);
  const start = findStart(body, now);
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
