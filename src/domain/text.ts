/**
 * Cuts `s` to at most `max` characters, at a word boundary where one is near, ending in "…". Never
 * leaves half of a surrogate pair (an emoji) behind, nor a dangling comma or dash before the "…".
 */
export function truncate(s: string, max: number): string {
  if (s.length <= max) return s;
  if (max <= 1) return "…".slice(0, Math.max(0, max));
  let cut = s.slice(0, max - 1);
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1);
  const space = cut.search(/\s\S*$/);
  if (space >= Math.floor(max / 2)) cut = cut.slice(0, space);
  return `${cut.replace(/[\s,;:.\-–—]+$/, "")}…`;
}
