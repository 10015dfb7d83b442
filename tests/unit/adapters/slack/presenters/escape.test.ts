import { describe, expect, it } from "vitest";
import {
  escapeAndTruncate,
  escapeText,
  unescapeText,
} from "../../../../../adapters/slack/presenters/escape.ts";
import { truncate } from "../../../../../src/domain/text.ts";

describe("escapeText", () => {
  it("escapes &, < and > so mentions and links stay text", () => {
    expect(escapeText("<!channel> printer <@U123> & <https://x|y>")).toBe(
      "&lt;!channel&gt; printer &lt;@U123&gt; &amp; &lt;https://x|y&gt;",
    );
  });

  it("is undone by unescapeText", () => {
    const s = "a < b && c > d <!here>";
    expect(unescapeText(escapeText(s))).toBe(s);
  });
});

describe("truncate", () => {
  it("leaves short text alone", () => {
    expect(truncate("printer jammed", 20)).toBe("printer jammed");
  });

  it("cuts at a word boundary and ends in …", () => {
    const out = truncate("the printer on floor two is jammed again", 20);
    expect(out).toBe("the printer on…");
    expect(out.length).toBeLessThanOrEqual(20);
  });

  it("cuts a long word where it must", () => {
    expect(truncate("a".repeat(30), 10)).toBe(`${"a".repeat(9)}…`);
  });

  it("never splits an emoji", () => {
    const out = truncate(`${"x".repeat(8)}😀😀😀`, 10);
    expect(out).toBe(`${"x".repeat(8)}…`);
  });
});

describe("escapeAndTruncate", () => {
  it("fits the escaped text, entities whole", () => {
    const out = escapeAndTruncate("<".repeat(100), 50);
    expect(out.length).toBeLessThanOrEqual(50);
    expect(out).toMatch(/^(&lt;)+…$/);
  });
});
