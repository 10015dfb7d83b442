// Text a person typed, made safe to show in a card. Teams pings only through the `mentions`
// entities of an activity, which rapport never builds from user text; still, an `<at>` tag copied
// from a Teams message must not render as a mention-looking tag, and a markdown link must not turn
// "Click here" into a link to somewhere else. Nothing HTML-like is escaped: Teams shows it as typed.

import { truncate } from "../../../src/index.ts";

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

/** Person-typed text for a TextBlock or FactSet: no mention tags, no links, at most `max` characters. */
export function plainText(s: string, max: number): string {
  return truncate(defuseLinks(neutraliseMentions(s)), max);
}
