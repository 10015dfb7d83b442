// Slack reads &, < and > as control characters in message text: `<!channel>` pings a channel,
// `<@U123>` a person and `<https://x|y>` is a link. Text a person typed must never do either.

import { truncate } from "../../../src/index.ts";

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;" };
const UNESCAPES: Record<string, string> = { "&amp;": "&", "&lt;": "<", "&gt;": ">" };

/** Escapes &, < and > the way Slack asks, so user text shows as typed and never mentions or links. */
export function escapeText(s: string): string {
  return s.replace(/[&<>]/g, (c) => ESCAPES[c] ?? c);
}

/** Undoes `escapeText` (and Slack's own escaping of message text), for values put into inputs. */
export function unescapeText(s: string): string {
  return s.replace(/&(amp|lt|gt);/g, (e) => UNESCAPES[e] ?? e);
}

/** Escapes `s` and truncates it so that the escaped text fits in `max` characters. */
export function escapeAndTruncate(s: string, max: number): string {
  const fits = (budget: number) => escapeText(truncate(s, budget)).length <= max;
  if (fits(max)) return escapeText(truncate(s, max));
  // Truncating the raw text first never splits an entity; search the longest raw cut that fits.
  let [lo, hi] = [1, max];
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (fits(mid)) lo = mid;
    else hi = mid - 1;
  }
  return escapeText(truncate(s, lo));
}
