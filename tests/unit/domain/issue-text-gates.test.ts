import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ANY_PHRASE, TIME_RULES } from "../../../src/domain/issue-start-time.ts";
import { PRIORITY_RULES } from "../../../src/domain/issue-text.ts";

// The priority and start-time patterns are looked for only in texts that hold a word each of their
// matches holds (their gate). A gate that missed a match would lose a priority or a start time
// without a word said: for any text, wherever a pattern matches, its gate must match too.

const FRAGMENTS = [
  ...[
    "p",
    "P",
    "0",
    "1",
    "2",
    "3",
    "4",
    "5",
    "9",
    "sev",
    "severity",
    "prio",
    "priority",
    ":",
    "-",
    " ",
    "\t",
  ],
  ...["critical", "emergency", "very ", "really ", "super ", "urgent", "asap", "high", "normal", "medium"],
  ...["not ", "non", "no ", "rush", "low", "when", "whenever", " you ", "can", "get a chance", "have time"],
  ...["outage", "it's ", "it’s ", "it is ", "this is ", "an ", "a ", "and ", "please", ",", ".", "!", "\n"],
  ...["since ", "for ", " ago", "9am", "10:30", "noon", "yesterday", "today", "last ", "monday", "this "],
  ...["morning", "night", "lunch", "2 ", "two ", "couple of ", "hours", "hrs", "min", "days", "w", "h"],
  ...["the past ", "the last ", "about ", "half an hour", "2026-11-19", " at ", "on ", "#", "printer"],
  // Whole phrases of each rule, so that every pattern is reached.
  ...["p2", "sev 1", "priority: 3", "it's critical", "this is an emergency", "it is urgent", "it's asap"],
  ...["high priority", "it's high prio", "normal priority", "it is medium prio", "prio low", "not urgent"],
  ...["it's non-urgent", "no rush", "whenever you have time", "when you get a chance", "it's an outage"],
  ...["since 2026-11-19 at 9am", "since yesterday 10:30", "since last monday", "since 9am today"],
  ...["since this morning", "since last night", "2 hours ago", "for a couple of days", "for half an hour"],
  // Letters that case-fold to ASCII under the patterns' `iu` flags: the long s and the Kelvin sign.
  ...["ſ", "K", "ſince", "Since", "FOR", "AGO", "URGENT", "Outage", "ASAP"],
];

const texts = fc
  .array(fc.constantFrom(...FRAGMENTS), { minLength: 1, maxLength: 14 })
  .chain((parts) =>
    fc
      .array(fc.boolean(), { minLength: parts.length, maxLength: parts.length })
      .map((upper) => parts.map((p, i) => (upper[i] ? p.toUpperCase() : p)).join("")),
  );

/** Whether `pattern` (a global one, whose lastIndex a test would move) matches anywhere in `text`. */
const matches = (pattern: RegExp, text: string) => text.match(pattern) !== null;

describe("the issue text's gates", () => {
  it("let through every text a priority pattern matches", () => {
    fc.assert(
      fc.property(texts, (text) => {
        for (const rule of PRIORITY_RULES)
          if (matches(rule.pattern, text))
            expect(rule.gate.test(text), `${rule.pattern} in ${text}`).toBe(true);
      }),
      { numRuns: 3_000 },
    );
  });

  it("let through every text a start-time pattern matches", () => {
    fc.assert(
      fc.property(texts, (text) => {
        for (const rule of TIME_RULES)
          if (matches(rule.pattern, text))
            expect(ANY_PHRASE.test(text), `${rule.pattern} in ${text}`).toBe(true);
      }),
      { numRuns: 3_000 },
    );
  });

  it("are not all open: each pattern's own words reach it, and texts without them are not read further", () => {
    // Sanity that the property above is not empty: every rule matches something generated.
    const seen = new Set<RegExp>();
    fc.assert(
      fc.property(texts, (text) => {
        for (const rule of [...PRIORITY_RULES, ...TIME_RULES])
          if (matches(rule.pattern, text)) seen.add(rule.pattern);
      }),
      { numRuns: 3_000 },
    );
    expect(seen.size).toBe(PRIORITY_RULES.length + TIME_RULES.length);
    expect(PRIORITY_RULES.some((r) => r.gate.test("the shared drive says access denied"))).toBe(false);
    expect(ANY_PHRASE.test("the shared drive says access denied")).toBe(false);
  });
});
