// Text a person typed, made safe to show in a card. Teams pings only through the `mentions`
// entities of an activity, which rapport never builds from user text; still, an `<at>` tag copied
// from a Teams message must not render as a mention-looking tag, and a markdown link must not turn
// "Click here" into a link to somewhere else. Nothing HTML-like is escaped: Teams shows it as typed.

const AT_PAIR = /<\s*at\b[^>]*>([\s\S]*?)<\s*\/\s*at\s*>/gi;
const AT_TAG = /<\s*\/?\s*at\b[^>]*>/gi;

/** Turns `<at>Dana</at>` into "@Dana" and drops any stray `<at>` or `</at>` tag. */
export function neutraliseMentions(s: string): string {
  return s.replace(AT_PAIR, (_m, name: string) => `@${name.trim()}`).replace(AT_TAG, "");
}

/** Breaks markdown link syntax (`[text](url)` becomes `[text] (url)`), so user text links nowhere. */
export function defuseLinks(s: string): string {
  return s.replace(/\]\s*\(/g, "] (");
}

/** Cuts `s` to at most `max` characters, at a word boundary where one is near, ending in "…". */
export function truncate(s: string, max: number): string {
  if (s.length <= max) return s;
  if (max <= 1) return "…".slice(0, Math.max(0, max));
  let cut = s.slice(0, max - 1);
  // Never leave half of a surrogate pair (an emoji) behind.
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1);
  const space = cut.search(/\s\S*$/);
  if (space >= Math.floor(max / 2)) cut = cut.slice(0, space);
  return `${cut.replace(/[\s,;:.-]+$/, "")}…`;
}

/** Person-typed text for a TextBlock or FactSet: no mention tags, no links, at most `max` characters. */
export function plainText(s: string, max: number): string {
  return truncate(defuseLinks(neutraliseMentions(s)), max);
}
