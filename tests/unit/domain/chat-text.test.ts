import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  fitText,
  hasLiveMention,
  STORED_TEXT_MAX_LENGTH,
  storedText,
  utf8Length,
  type ChatMarkup,
} from "../../../src/domain/chat-text.ts";

const names: Record<string, string> = { U0TECH: "Tess Tech" };
const slack = (s: string, max?: number) =>
  storedText(s, { markup: "mrkdwn", nameOf: (id) => names[id], ...(max ? { max } : {}) });
const teams = (s: string) => storedText(s, { markup: "html" });

describe("storedText: Slack's mrkdwn", () => {
  it("reads the issue's example as words: no markup, nobody pinged", () => {
    expect(slack("<!channel> <@U0TECH> <https://intranet.example.com|intranet>")).toBe(
      "@channel @Tess Tech intranet (https://intranet.example.com)",
    );
  });

  it.each([
    ["<@U0NOBODY>", "@U0NOBODY"],
    ["<@U0NOBODY|sam>", "@sam"],
    ["<@U0TECH|old name>", "@Tess Tech"],
    ["<#C0SUPPORT|support>", "#support"],
    ["<#C0SUPPORT>", "#C0SUPPORT"],
    ["<!here> <!everyone> <!here|here>", "@here @everyone @here"],
    ["<!subteam^S0ONCALL|@oncall> please", "@oncall please"],
    ["<!subteam^S0ONCALL>", "@S0ONCALL"],
    ["<!date^1392734382^{date_short}|Feb 18, 2014>", "Feb 18, 2014"],
    ["<https://example.com>", "https://example.com"],
    ["<https://example.com|https://example.com>", "https://example.com"],
    ["<mailto:help@example.com|help@example.com>", "help@example.com"],
    ["<https://x.example/?a=1&amp;b=2|the form>", "the form (https://x.example/?a=1&b=2)"],
    ["VPN &amp; Outlook down &lt;again&gt;", "VPN & Outlook down <again>"],
  ])("%s → %s", (input, expected) => {
    expect(slack(input)).toBe(expected);
  });

  it("markup typed literally (escaped by Slack) is neutralised too", () => {
    expect(slack("&lt;!channel&gt; look")).toBe("@channel look");
    expect(hasLiveMention(slack("&lt;@U0TECH&gt;"))).toBe(false);
  });
});

describe("storedText: Teams' HTML", () => {
  it.each([
    ["<p>VPN &amp; Outlook down</p>", "VPN & Outlook down"],
    ['<at id="0">Tess</at> the printer', "@Tess the printer"],
    ["line one<br>line two<br/>three", "line one\nline two\nthree"],
    ["<div>a&nbsp;b</div><div>c</div>", "a b\nc"],
    ["it&#39;s &quot;down&quot; &eacute;", 'it\'s "down" é'],
    ["&lt;at&gt;Olive&lt;/at&gt; hi", "@Olive hi"],
    ["a <b>bold</b> <i>move</i>", "a bold move"],
  ])("%s → %s", (input, expected) => {
    expect(teams(input)).toBe(expected);
  });
});

describe("storedText: every markup", () => {
  it("drops control characters (PostgreSQL refuses a NUL) and keeps line breaks", () => {
    expect(storedText("a\u0000b\r\nc\u0007", { markup: "plain" })).toBe("ab\nc");
  });

  it("cuts long text visibly", () => {
    const out = storedText("word ".repeat(5_000), { markup: "plain" });
    expect(out.length).toBeLessThanOrEqual(STORED_TEXT_MAX_LENGTH);
    expect(out.endsWith("…")).toBe(true);
  });
});

// Text made of the pieces that matter: markup, entities, tags, mentions, and ordinary words.
const piece = fc.oneof(
  fc.constantFrom(
    "<!channel>",
    "<!here>",
    "<!everyone>",
    "<!here|here>",
    "<@U0TECH>",
    "<@U1|x>",
    "<#C1|general>",
    "<!subteam^S1|@team>",
    "<https://a.example|a>",
    "<",
    ">",
    "&lt;",
    "&gt;",
    "&amp;",
    "&lt;!channel&gt;",
    "&lt;at&gt;",
    "<at>",
    "</at>",
    '<at id="1">',
    "<p>",
    "</p>",
    "<br>",
    "&nbsp;",
    "&#60;",
    "@",
    "!",
    "#",
    "|",
    "\n",
    "\u0000",
    "😀",
  ),
  fc.string({ maxLength: 8 }),
);
const chatText = fc.array(piece, { maxLength: 40 }).map((parts) => parts.join(""));
const markup = fc.constantFrom<ChatMarkup>("mrkdwn", "html", "plain");

describe("storedText properties", () => {
  it("never keeps a live mention of either platform", () => {
    fc.assert(
      fc.property(chatText, markup, (text, m) => {
        const out = storedText(text, { markup: m });
        expect(hasLiveMention(out)).toBe(false);
        // Slack reads `<!here>`, `<@U1>`, `<#C1>` only when closed; Teams reads an `<at>` tag.
        expect(out).not.toMatch(/<[!@#][^<>]*>/);
        expect(out).not.toMatch(/<\s*\/?\s*at(\s[^>]*)?>/i);
      }),
      { numRuns: 2_000 },
    );
  });

  it("never exceeds the cap", () => {
    fc.assert(
      fc.property(chatText, markup, fc.integer({ min: 1, max: 60 }), (text, m, max) => {
        expect(storedText(text, { markup: m, max }).length).toBeLessThanOrEqual(max);
      }),
      { numRuns: 1_000 },
    );
  });

  it("stored text read again as plain text is unchanged", () => {
    fc.assert(
      fc.property(chatText, markup, (text, m) => {
        const once = storedText(text, { markup: m });
        expect(storedText(once, { markup: "plain" })).toBe(once);
      }),
      { numRuns: 2_000 },
    );
  });

  it("has no control characters besides line breaks and tabs", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 60 }), markup, (text, m) => {
        // eslint-disable-next-line no-control-regex -- the property is about control characters
        expect(storedText(text, { markup: m })).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
      }),
    );
  });
});

describe("fitText", () => {
  it("leaves text within the limit alone", () => {
    expect(fitText("I don't know that", { chars: 3_000 })).toBe("I don't know that");
  });

  it("keeps a 40,000-character echo under Teams' 28 KB with a visible cut", () => {
    const out = fitText(`I don't know "${"é".repeat(40_000)}"`, { bytes: 24 * 1024 });
    expect(utf8Length(out)).toBeLessThanOrEqual(24 * 1024);
    expect(out.endsWith("…")).toBe(true);
  });

  it("never exceeds either limit, and fitting twice is fitting once", () => {
    const text = fc.string({ unit: "grapheme", maxLength: 300 });
    fc.assert(
      fc.property(
        text,
        fc.integer({ min: 1, max: 200 }),
        fc.integer({ min: 4, max: 400 }),
        (s, chars, bytes) => {
          const out = fitText(s, { chars, bytes });
          expect(out.length).toBeLessThanOrEqual(chars);
          expect(utf8Length(out)).toBeLessThanOrEqual(bytes);
          expect(fitText(out, { chars, bytes })).toBe(out);
          if (out !== s) expect(out.endsWith("…")).toBe(true);
        },
      ),
      { numRuns: 1_000 },
    );
  });

  it("counts UTF-8 bytes as Node does", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme", maxLength: 50 }), (s) => {
        expect(utf8Length(s)).toBe(Buffer.byteLength(s, "utf8"));
      }),
    );
  });
});
