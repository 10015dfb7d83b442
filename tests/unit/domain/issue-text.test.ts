import { describe, expect, it } from "vitest";
import {
  ISSUE_DETAIL_MAX_LENGTH,
  ISSUE_TITLE_MAX_LENGTH,
  parseIssueText,
} from "../../../src/domain/issue-text.ts";
import { RapportError } from "../../../src/domain/errors.ts";

// Friday 20 November 2026, 10:15 in London (GMT, so local time equals UTC).
const LONDON = { now: new Date("2026-11-20T10:15:00Z"), timezone: "Europe/London" };

function startOf(text: string, options = LONDON): string | undefined {
  return parseIssueText(text, options).startedAt?.toISOString();
}

describe("parseIssueText: the example from the product design", () => {
  it("reads title, priority, start and category", () => {
    expect(parseIssueText("printer on floor 2 is jammed p2 since 9am", LONDON)).toEqual({
      title: "printer on floor 2 is jammed",
      detail: null,
      priority: "P2",
      startedAt: new Date("2026-11-20T09:00:00Z"),
      category: "printer",
    });
  });

  it("returns nulls when the text names no priority, time or category", () => {
    expect(parseIssueText("the kitchen screen is blank", LONDON)).toEqual({
      title: "the kitchen screen is blank",
      detail: null,
      priority: null,
      startedAt: null,
      category: null,
    });
  });
});

describe("parseIssueText: priority words", () => {
  const cases: [string, string][] = [
    ["p1", "P1"],
    ["P2", "P2"],
    ["p3", "P3"],
    ["p4", "P4"],
    ["p0", "P1"],
    ["#p1", "P1"],
    ["sev1", "P1"],
    ["sev 2", "P2"],
    ["sev-3", "P3"],
    ["SEV:4", "P4"],
    ["severity 1", "P1"],
    ["priority 1", "P1"],
    ["priority: 2", "P2"],
    ["prio 3", "P3"],
    ["prio-4", "P4"],
    ["critical", "P1"],
    ["CRITICAL", "P1"],
    ["emergency", "P1"],
    ["urgent", "P2"],
    ["very urgent", "P2"],
    ["asap", "P2"],
    ["ASAP", "P2"],
    ["high priority", "P2"],
    ["priority high", "P2"],
    ["high prio", "P2"],
    ["normal priority", "P3"],
    ["low priority", "P4"],
    ["prio: low", "P4"],
    ["not urgent", "P4"],
    ["no rush", "P4"],
    ["when you can", "P4"],
    ["whenever you get a chance", "P4"],
  ];

  it.each(cases)("understands %j after the description and removes it", (words, priority) => {
    expect(parseIssueText(`printer jammed ${words}`, LONDON)).toMatchObject({
      title: "printer jammed",
      priority,
    });
  });

  it.each(cases)("understands %j before the description and removes it", (words, priority) => {
    expect(parseIssueText(`${words}: printer jammed`, LONDON)).toMatchObject({
      title: "printer jammed",
      priority,
    });
  });

  it("reads 'outage' as P1 but keeps it in the title, because it says what is wrong", () => {
    expect(parseIssueText("internet outage", LONDON)).toMatchObject({
      title: "internet outage",
      priority: "P1",
    });
  });

  it("drops 'it's' along with a priority word that ends a clause", () => {
    expect(parseIssueText("server down, it's urgent", LONDON)).toMatchObject({
      title: "server down",
      priority: "P2",
    });
    expect(parseIssueText("It's an emergency - server down", LONDON)).toMatchObject({
      title: "server down",
      priority: "P1",
    });
    expect(parseIssueText("finance share slow, it's not urgent", LONDON)).toMatchObject({
      title: "finance share slow",
      priority: "P4",
    });
  });

  it("lets an explicit level beat a loose word, wherever each stands", () => {
    expect(parseIssueText("urgent: printer jammed p3", LONDON).priority).toBe("P3");
  });

  it("takes the first loose word when there are several", () => {
    expect(parseIssueText("asap please, low priority for the rest", LONDON).priority).toBe("P2");
  });

  it("does not read 'urgent' inside 'not urgent' as P2", () => {
    expect(parseIssueText("not urgent but printer jammed", LONDON).priority).toBe("P4");
  });

  it("understands a priority named in the detail without changing the detail", () => {
    expect(
      parseIssueText("Printer jammed.\nIt's urgent, the board pack is due at noon.", LONDON),
    ).toMatchObject({
      title: "Printer jammed",
      detail: "It's urgent, the board pack is due at noon.",
      priority: "P2",
    });
  });

  it("ignores priority-looking text inside other words and ordinary uses of high/low", () => {
    expect(parseIssueText("HP1020 printer toner low", LONDON)).toMatchObject({
      title: "HP1020 printer toner low",
      priority: null,
    });
    expect(parseIssueText("high CPU on the file server", LONDON).priority).toBeNull();
    expect(parseIssueText("stamp2 is missing a p5 key", LONDON).priority).toBeNull();
  });
});

describe("parseIssueText: start times", () => {
  it.each([
    ["since 9am", "2026-11-20T09:00:00.000Z"],
    ["since 9 am", "2026-11-20T09:00:00.000Z"],
    ["since 9:30am", "2026-11-20T09:30:00.000Z"],
    ["since 9.30", undefined],
    ["since 09:30", "2026-11-20T09:30:00.000Z"],
    ["since 9:30", "2026-11-20T09:30:00.000Z"],
    ["Since 12am", "2026-11-20T00:00:00.000Z"],
    ["since midnight", "2026-11-20T00:00:00.000Z"],
    // later than now today, so yesterday
    ["since 16:00", "2026-11-19T16:00:00.000Z"],
    ["since noon", "2026-11-19T12:00:00.000Z"],
    ["since 12pm", "2026-11-19T12:00:00.000Z"],
    ["since yesterday", "2026-11-19T00:00:00.000Z"],
    ["since yesterday 16:00", "2026-11-19T16:00:00.000Z"],
    ["since yesterday at 4pm", "2026-11-19T16:00:00.000Z"],
    ["since 4pm yesterday", "2026-11-19T16:00:00.000Z"],
    ["since yesterday afternoon", "2026-11-19T13:00:00.000Z"],
    ["since last night", "2026-11-19T21:00:00.000Z"],
    ["since this morning", "2026-11-20T09:00:00.000Z"],
    ["since today", "2026-11-20T00:00:00.000Z"],
    // 20 November 2026 is a Friday
    ["since monday", "2026-11-16T00:00:00.000Z"],
    ["since Mon", "2026-11-16T00:00:00.000Z"],
    ["since last tuesday", "2026-11-17T00:00:00.000Z"],
    ["since thursday", "2026-11-19T00:00:00.000Z"],
    ["since friday", "2026-11-13T00:00:00.000Z"],
    ["since sunday", "2026-11-15T00:00:00.000Z"],
    ["since monday at 2pm", "2026-11-16T14:00:00.000Z"],
    ["since 2 hours ago", "2026-11-20T08:15:00.000Z"],
    ["2 hours ago", "2026-11-20T08:15:00.000Z"],
    ["an hour ago", "2026-11-20T09:15:00.000Z"],
    ["for 2 hours", "2026-11-20T08:15:00.000Z"],
    ["for 2h", "2026-11-20T08:15:00.000Z"],
    ["for 1.5 hours", "2026-11-20T08:45:00.000Z"],
    ["for 30 minutes", "2026-11-20T09:45:00.000Z"],
    ["for half an hour", "2026-11-20T09:45:00.000Z"],
    ["for the last hour", "2026-11-20T09:15:00.000Z"],
    ["for about two hours", "2026-11-20T08:15:00.000Z"],
    ["for a couple of days", "2026-11-18T10:15:00.000Z"],
    ["for 3 days", "2026-11-17T10:15:00.000Z"],
    ["for a week", "2026-11-13T10:15:00.000Z"],
    ["since 2026-11-19 14:00", "2026-11-19T14:00:00.000Z"],
    ["since 2026-11-19T14:00", "2026-11-19T14:00:00.000Z"],
    ["since 2026-11-18", "2026-11-18T00:00:00.000Z"],
  ])("reads %j", (phrase, expected) => {
    const parsed = parseIssueText(`vpn drops ${phrase}`, LONDON);
    expect(parsed.startedAt?.toISOString()).toBe(expected);
    if (expected !== undefined) expect(parsed.title).toBe("vpn drops");
  });

  it("reads a bare clock time later than now as yesterday (9pm at 08:00 is yesterday 21:00)", () => {
    expect(startOf("vpn drops since 9pm", { ...LONDON, now: new Date("2026-11-20T08:00:00Z") })).toBe(
      "2026-11-19T21:00:00.000Z",
    );
  });

  it("never returns a time after now", () => {
    expect(startOf("vpn drops since 2026-11-21 14:00")).toBe("2026-11-20T10:15:00.000Z");
    expect(startOf("vpn drops since this afternoon")).toBe("2026-11-20T10:15:00.000Z");
  });

  it("reads times in the partnership's timezone (London in summer is UTC+1)", () => {
    const summer = { now: new Date("2026-07-01T10:15:00Z"), timezone: "Europe/London" };
    expect(startOf("vpn drops since 9am", summer)).toBe("2026-07-01T08:00:00.000Z");
    expect(startOf("vpn drops since yesterday", summer)).toBe("2026-06-29T23:00:00.000Z");
  });

  describe("across New York's change to daylight saving (02:00 EST → 03:00 EDT on Sunday 8 March 2026)", () => {
    const sunday = { now: new Date("2026-03-08T18:00:00Z"), timezone: "America/New_York" }; // 14:00 EDT
    const monday = { now: new Date("2026-03-09T14:00:00Z"), timezone: "America/New_York" }; // 10:00 EDT

    it("puts yesterday 16:00 on Saturday in EST (UTC-5), not 24 hours before today's 16:00", () => {
      expect(startOf("vpn drops since yesterday 16:00", sunday)).toBe("2026-03-07T21:00:00.000Z");
    });

    it("puts yesterday 16:00 on Sunday in EDT (UTC-4)", () => {
      expect(startOf("vpn drops since yesterday 16:00", monday)).toBe("2026-03-08T20:00:00.000Z");
    });

    it("starts 'yesterday' at Saturday midnight EST and 'this morning' at 09:00 EDT", () => {
      expect(startOf("vpn drops since yesterday", sunday)).toBe("2026-03-07T05:00:00.000Z");
      expect(startOf("vpn drops since this morning", sunday)).toBe("2026-03-08T13:00:00.000Z");
    });

    it("counts days as calendar days (same wall-clock time) and hours as elapsed hours", () => {
      expect(startOf("vpn drops for 3 days", monday)).toBe("2026-03-06T15:00:00.000Z");
      expect(startOf("vpn drops for 72 hours", monday)).toBe("2026-03-06T14:00:00.000Z");
    });
  });

  it("handles New York's change back to standard time (1 November 2026)", () => {
    const monday = { now: new Date("2026-11-02T15:00:00Z"), timezone: "America/New_York" }; // 10:00 EST
    expect(startOf("vpn drops since yesterday 16:00", monday)).toBe("2026-11-01T21:00:00.000Z");
    expect(startOf("vpn drops since yesterday", monday)).toBe("2026-11-01T04:00:00.000Z");
  });

  it("uses the first time phrase and leaves words that are not a time alone", () => {
    expect(parseIssueText("vpn drops since the update", LONDON)).toMatchObject({
      title: "vpn drops since the update",
      startedAt: null,
    });
    expect(parseIssueText("laptop for ad campaigns is slow", LONDON).startedAt).toBeNull();
    expect(parseIssueText("vpn drops for hours", LONDON).startedAt).toBeNull();
    expect(parseIssueText("vpn drops since 25:00", LONDON).startedAt).toBeNull();
    expect(parseIssueText("vpn drops since 13pm", LONDON).startedAt).toBeNull();
  });

  it("understands a time named in the detail and keeps the detail as typed", () => {
    expect(parseIssueText("Printer jammed\nIt has been like this for 2 hours.", LONDON)).toMatchObject({
      title: "Printer jammed",
      detail: "It has been like this for 2 hours.",
      startedAt: new Date("2026-11-20T08:15:00Z"),
    });
  });
});

describe("parseIssueText: category", () => {
  it.each([
    ["#printer floor 2 jammed", "printer", "floor 2 jammed"],
    ["floor 2 jammed #Printer", "printer", "floor 2 jammed"],
    ["slow everywhere #wifi", "network", "slow everywhere"],
    ["cannot open the invoices folder #Payroll", "payroll", "cannot open the invoices folder"],
    ["can't send e-mail from Outlook", "email", "can't send e-mail from Outlook"],
    ["the internet is down", "network", "the internet is down"],
    ["desk phone has no dial tone", "phone", "desk phone has no dial tone"],
    ["Sarah's laptop won't charge", "computer", "Sarah's laptop won't charge"],
    ["locked out after password reset", "account", "locked out after password reset"],
    ["need the design software installed", "software", "need the design software installed"],
    // the earliest keyword wins
    ["can't log in to my laptop", "account", "can't log in to my laptop"],
    ["the kitchen screen is blank", null, "the kitchen screen is blank"],
  ])("reads %j as %j", (text, category, title) => {
    expect(parseIssueText(text, LONDON)).toMatchObject({ category, title });
  });

  it("prefers a #tag to keywords and does not treat a #priority as a category", () => {
    expect(parseIssueText("printer jammed #facilities", LONDON).category).toBe("facilities");
    expect(parseIssueText("#urgent scanner offline", LONDON)).toMatchObject({
      title: "scanner offline",
      priority: "P2",
      category: "printer",
    });
  });

  it("removes a trailing #tag from the detail", () => {
    expect(parseIssueText("Scanner offline.\nThe light is red. #printer", LONDON)).toMatchObject({
      title: "Scanner offline",
      detail: "The light is red.",
      category: "printer",
    });
  });

  it("ignores a #tag longer than a category may be", () => {
    expect(parseIssueText(`scanner offline #${"x".repeat(61)}`, LONDON).category).toBe("printer");
  });

  it("keeps a #tag in the middle of the text as typed", () => {
    expect(parseIssueText("the #general channel lost its history", LONDON).title).toBe(
      "the #general channel lost its history",
    );
  });
});

describe("parseIssueText: title and detail", () => {
  it("takes the first sentence as the title and the rest as detail", () => {
    expect(parseIssueText("Email is down. Nobody can send! Started after the update?", LONDON)).toMatchObject(
      {
        title: "Email is down",
        detail: "Nobody can send! Started after the update?",
      },
    );
  });

  it("takes the first line as the title and keeps the rest's line breaks", () => {
    expect(
      parseIssueText("  Scanner offline  \n\nSteps:\n1. press scan\n2. nothing  ", LONDON),
    ).toMatchObject({
      title: "Scanner offline",
      detail: "Steps:\n1. press scan\n2. nothing",
    });
  });

  it("keeps a question mark and does not split after e.g. or a.m.", () => {
    expect(parseIssueText("Why can't I print? It says offline", LONDON)).toMatchObject({
      title: "Why can't I print?",
      detail: "It says offline",
    });
    expect(parseIssueText("shared drives e.g. finance are missing", LONDON).title).toBe(
      "shared drives e.g. finance are missing",
    );
    expect(parseIssueText("scanner dead since 9 a.m. on floor 3", LONDON)).toMatchObject({
      title: "scanner dead on floor 3",
      startedAt: new Date("2026-11-20T09:00:00Z"),
    });
  });

  it("skips a first sentence that held only a priority or a time", () => {
    expect(parseIssueText("P1! Email is down for everyone. Nobody can send.", LONDON)).toMatchObject({
      title: "Email is down for everyone",
      detail: "Nobody can send.",
      priority: "P1",
    });
  });

  it("drops a detail that held only a priority or a time", () => {
    expect(parseIssueText("printer jammed\np2 since 9am", LONDON)).toMatchObject({
      title: "printer jammed",
      detail: null,
      priority: "P2",
      startedAt: new Date("2026-11-20T09:00:00Z"),
    });
  });

  it("collapses spaces and removes dangling punctuation, brackets and 'and'", () => {
    expect(parseIssueText("printer   jammed,  urgent, since 9am , floor 2", LONDON).title).toBe(
      "printer jammed, floor 2",
    );
    expect(parseIssueText("printer jammed (p2)", LONDON).title).toBe("printer jammed");
    expect(parseIssueText("printer jammed and urgent", LONDON).title).toBe("printer jammed");
    expect(parseIssueText("printer jammed - sev 1 - floor 2", LONDON).title).toBe("printer jammed - floor 2");
    expect(parseIssueText("URGENT!!! server down.", LONDON).title).toBe("server down");
  });

  it("cuts a long title at a word boundary with an ellipsis", () => {
    const long = Array.from({ length: 60 }, (_, i) => `word${i}`).join(" ");
    const { title } = parseIssueText(long, LONDON);
    expect(title.length).toBeLessThanOrEqual(ISSUE_TITLE_MAX_LENGTH);
    expect(title.endsWith("…")).toBe(true);
    expect(long.startsWith(title.slice(0, -1))).toBe(true);
    expect(long.charAt(title.length - 1)).toBe(" ");
  });

  it("cuts a title without spaces at the limit", () => {
    const { title } = parseIssueText("x".repeat(300), LONDON);
    expect(title).toBe(`${"x".repeat(ISSUE_TITLE_MAX_LENGTH - 1)}…`);
  });

  it("cuts a long detail the same way", () => {
    const detail = parseIssueText(`printer jammed\n${"paper ".repeat(1000)}`, LONDON).detail ?? "";
    expect(detail.length).toBeLessThanOrEqual(ISSUE_DETAIL_MAX_LENGTH);
    expect(detail).toMatch(/^paper paper .*paper…$/s);
  });

  it("keeps a title of exactly the limit whole", () => {
    const exact = "y".repeat(ISSUE_TITLE_MAX_LENGTH);
    expect(parseIssueText(exact, LONDON).title).toBe(exact);
  });
});

describe("parseIssueText: errors", () => {
  it.each(["", "   \n ", "p1", "urgent since 9am", "#printer", "sev 2 - for 3 hours."])(
    "asks for a description when %j leaves none",
    (text) => {
      let error: unknown;
      try {
        parseIssueText(text, LONDON);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(RapportError);
      expect(error).toMatchObject({ code: "invalid_input" });
      expect((error as RapportError).message).toMatch(/^Describe the problem.*for example: .*p2 since 9am$/);
    },
  );

  it("rejects an unknown timezone as a configuration error", () => {
    expect(() => parseIssueText("printer jammed", { ...LONDON, timezone: "Mars/Olympus" })).toThrow(
      expect.objectContaining({ code: "config_invalid" }),
    );
  });
});
