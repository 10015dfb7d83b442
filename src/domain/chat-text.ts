// What a person typed in a chat client, as rapport keeps it, and what rapport says back, as a
// platform will take it. Both chat platforms send text in a markup of their own: Slack's mrkdwn
// (`<@U123>`, `<#C123|name>`, `<https://x|label>`, `<!here>`, with &, < and > escaped) and Teams'
// HTML (`<at>Dana</at>`, `<p>`, `&amp;`). rapport stores readable words: a title in a digest or an
// export reads as the person meant it, and no stored text can ping anyone when it is shown again.
import { decodeHTML } from "entities";
import { truncate } from "./text.ts";

/** The markup a piece of chat text arrives in: Slack's mrkdwn, Teams' HTML, or none (a form's field). */
export type ChatMarkup = "mrkdwn" | "html" | "plain";

/** The longest text rapport keeps from one message; longer text is cut with a visible "…". */
export const STORED_TEXT_MAX_LENGTH = 8_000;

/** How to read a piece of chat text. */
export interface ChatTextOptions {
  markup: ChatMarkup;
  /** A person's display name by platform user id, when known; an unknown person stays "@U123". */
  nameOf?: (userId: string) => string | null | undefined;
  /** At most this many characters (default STORED_TEXT_MAX_LENGTH). */
  max?: number;
}

// `<!here>`, `<!channel>`, `<!everyone>`: the mentions that notify a whole channel or workspace.
const SPECIAL = new Set(["here", "channel", "everyone"]);

/**
 * Chat text as rapport stores it: markup decoded into readable words (a mention into "@name", a
 * channel into "#name", a link into "label (address)"), mentions of a whole channel into plain
 * words ("@here"), HTML tags dropped and entities decoded, control characters removed and the
 * length capped with "…". The result contains no live mention in either platform's markup, and
 * reading it again as plain text changes nothing.
 */
export function storedText(text: string, options: ChatTextOptions): string {
  const decoded =
    options.markup === "mrkdwn"
      ? fromMrkdwn(text, options.nameOf)
      : options.markup === "html"
        ? fromHtml(text)
        : text;
  return truncate(tidy(defuse(withoutControls(decoded))), options.max ?? STORED_TEXT_MAX_LENGTH);
}

function fromMrkdwn(text: string, nameOf: ChatTextOptions["nameOf"]): string {
  // Slack escapes a literal &, < and > in message text, so every < left is the start of markup.
  return decodeEntities(text.replace(/<([^<>]*)>/g, (_m, inner: string) => mrkdwnToken(inner, nameOf)));
}

function mrkdwnToken(inner: string, nameOf: ChatTextOptions["nameOf"]): string {
  const bar = inner.indexOf("|");
  const target = bar < 0 ? inner : inner.slice(0, bar);
  const label = bar < 0 ? "" : inner.slice(bar + 1).trim();
  if (target.startsWith("@")) {
    const id = target.slice(1);
    return `@${nameOf?.(id) || label || id}`;
  }
  if (target.startsWith("#")) return `#${label || target.slice(1)}`;
  if (target.startsWith("!")) {
    const word = target.slice(1);
    if (SPECIAL.has(word)) return `@${word}`;
    // A user group (`!subteam^S123|@oncall`) reads as its handle; a date as its fallback text.
    if (word.startsWith("subteam^")) return `@${label.replace(/^@/, "") || word.slice("subteam^".length)}`;
    return label || word;
  }
  const address = decodeEntities(target);
  const shown = address.replace(/^mailto:/, "");
  if (!label || label === address || label === shown) return shown;
  return `${label} (${shown})`;
}

function fromHtml(text: string): string {
  const words = text
    .replace(/<\s*at\b[^>]*>([\s\S]*?)<\s*\/\s*at\s*>/gi, (_m, name: string) => `@${stripTags(name).trim()}`)
    .replace(/<\s*br\s*\/?\s*>/gi, "\n")
    .replace(/<\s*\/\s*(p|div|li|h[1-6]|tr|blockquote)\s*>/gi, "\n");
  return decodeEntities(stripTags(words));
}

function stripTags(s: string): string {
  return s.replace(/<\/?[a-zA-Z][^<>]*>/g, "").replace(/<!--[\s\S]*?-->/g, "");
}

function decodeEntities(s: string): string {
  return decodeHTML(s);
}

// Control characters go (PostgreSQL refuses a NUL), before anything is read: a NUL between "<" and
// "!here>" must not hide a mention. Line breaks stay.
function withoutControls(s: string): string {
  // eslint-disable-next-line no-control-regex -- removing control characters is the point
  return s.replace(/\r\n?/g, "\n").replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, "");
}

// Spacing as a person would type it: no-break spaces as spaces, no blank runs, nothing around.
function tidy(s: string): string {
  return s
    .replace(/\u00a0/g, " ")
    .replace(/[ \t]+\n/g, "\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}

// Markup that survived decoding (a person who typed `&lt;!channel&gt;` now has `<!channel>`):
// read the same way once more, so nothing that looks like a live mention is kept.
function defuse(s: string): string {
  let out = s;
  // Each pass removes at least one "<", so this ends.
  while (LIVE.test(out)) {
    out = out
      .replace(/<\s*at\b[^>]*>([\s\S]*?)<\s*\/\s*at\s*>/gi, (_m, name: string) => `@${name.trim()}`)
      .replace(/<\s*\/?\s*at\b[^>]*>/gi, "")
      .replace(/<([@#!][^<>]*)>/g, (_m, inner: string) => mrkdwnToken(inner, undefined));
  }
  return out;
}

/** Whether `s` holds a live mention in Slack's or Teams' markup (`<!here>`, `<@U1>`, `<#C1>`, `<at>`). */
export function hasLiveMention(s: string): boolean {
  return LIVE.test(s);
}

const LIVE = /<[@#!][^<>]*>|<\s*\/?\s*at\b[^>]*>/i;

/** A platform's limit on one text rapport sends: characters, UTF-8 bytes, or both. */
export interface TextLimit {
  chars?: number;
  bytes?: number;
}

/**
 * Text rapport sends back, cut with "…" so that it is within `limit`: the one rule for every reply,
 * so that echoing what someone typed never makes a platform refuse the answer. Text already within
 * the limit is returned unchanged, so fitting twice is fitting once.
 */
export function fitText(text: string, limit: TextLimit): string {
  const chars = limit.chars ?? Infinity;
  const bytes = limit.bytes ?? Infinity;
  const fits = (s: string) => s.length <= chars && (bytes === Infinity || utf8Length(s) <= bytes);
  if (fits(text)) return text;
  // UTF-8 takes at most 3 bytes per UTF-16 unit, so this many characters always fit.
  let max = Math.min(chars, text.length);
  if (!fits(truncate(text, max))) {
    let [lo, hi] = [Math.min(max, Math.floor(bytes / 3)), max];
    while (lo < hi) {
      const mid = Math.ceil((lo + hi) / 2);
      if (fits(truncate(text, mid))) lo = mid;
      else hi = mid - 1;
    }
    max = lo;
  }
  return truncate(text, max);
}

/** How many bytes `s` takes in UTF-8 (a lone surrogate as the 3 bytes of its replacement). */
export function utf8Length(s: string): number {
  let n = 0;
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    n += c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
  }
  return n;
}
