// Pieces of pattern shared by the issue-text readers: a token must stand alone, not inside a word.

/** Nothing word-like (or a #) just before. */
export const START = String.raw`(?<![\p{L}\p{N}_#])`;
/** Nothing word-like just after. */
export const END = String.raw`(?![\p{L}\p{N}_])`;
/** The end of a clause: punctuation, the end, or a joining word. */
export const CLAUSE_END = String.raw`(?=[ \t]*(?:[,.;:!?)\-–—\n]|$|(?:and|but|since|for|please)\b))`;

/** A stretch of the text, by character offsets (end exclusive). */
export interface Span {
  start: number;
  end: number;
}
