import { describe, expect, it } from "vitest";
import {
  digestBlocks,
  homeView,
  scorecardBlocks,
} from "../../../../../adapters/slack/presenters/digest-blocks.ts";
import { checkBlockKit } from "../../../../../adapters/slack/presenters/limits.ts";
import { digest } from "./fixtures.ts";

const quiet = digest({
  quiet: true,
  sections: [
    {
      heading: "Quiet week",
      side: "shared",
      facts: [
        { label: "Activity", value: "a quiet week: nothing was reported, decided, held or announced" },
        { label: "Recommendations pending", value: "1" },
      ],
    },
  ],
  actions: [],
});

/** Everything a digest could hold and more: long texts, many sections and facts, hostile strings. */
const maximal = digest({
  title: `Weekly digest: ${"<!channel> Very Long Partnership Name ".repeat(10)}`,
  sections: Array.from({ length: 70 }, (_, s) => ({
    heading: `Section ${s} <@U123> ${"heading ".repeat(40)}`,
    side: "provider" as const,
    facts: Array.from({ length: 40 }, (_, f) => ({
      label: `Fact ${f} ${"label ".repeat(10)}`,
      value: `${"&<> value ".repeat(30)}`,
      status: (["good", "warn", "bad"] as const)[f % 3],
    })),
  })),
  actions: Array.from({ length: 20 }, (_, i) => `Action ${i}: ${"do the thing ".repeat(60)}`),
});

describe("digestBlocks", () => {
  it("renders a busy week", () => {
    const message = digestBlocks(digest());
    expect(checkBlockKit(message.blocks)).toEqual([]);
    expect(message).toMatchSnapshot();
    expect(JSON.stringify(message.blocks)).toContain("*Provider 83/100*\\n▆▆▇▇▇▇█▇");
  });

  it("keeps a quiet week short", () => {
    const message = digestBlocks(quiet);
    expect(message.blocks.length).toBeLessThanOrEqual(6);
    expect(message).toMatchSnapshot();
  });

  it("stays within 50 blocks and every text limit with maximal content", () => {
    const message = digestBlocks(maximal);
    expect(message.blocks.length).toBeLessThanOrEqual(50);
    expect(checkBlockKit(message.blocks)).toEqual([]);
    expect(JSON.stringify(message)).not.toMatch(/<!channel>|<@U123>/);
  });

  it("marks each fact by its status", () => {
    const json = JSON.stringify(digestBlocks(digest()).blocks);
    expect(json).toContain("⚠️ *First response on target:*");
    expect(json).toContain("✅ *Unanswered &gt; 2 h:*");
    expect(json).toContain("🔴 *Downtime:*");
    expect(json).toContain("1. 1 recommendation has waited");
  });
});

describe("scorecardBlocks", () => {
  it("shows the scores, what needs attention and the top actions", () => {
    const message = scorecardBlocks(digest());
    expect(checkBlockKit(message.blocks)).toEqual([]);
    expect(message).toMatchSnapshot();
  });

  it("fits with maximal content", () => {
    expect(checkBlockKit(scorecardBlocks(maximal).blocks)).toEqual([]);
  });
});

describe("homeView", () => {
  it("greets someone in no partnership", () => {
    const view = homeView([]);
    expect(JSON.stringify(view)).toContain("You are not in any partnership yet: an admin can add you with");
    expect(checkBlockKit(view)).toEqual([]);
    expect(view).toMatchSnapshot();
  });

  it("shows ten partnerships within 100 blocks", () => {
    const entries = Array.from({ length: 10 }, (_, i) => ({
      partnershipName: `Client ${i} <!channel>`,
      digest: i === 9 ? null : maximal,
    }));
    const view = homeView(entries);
    expect(view.type).toBe("home");
    expect(checkBlockKit(view)).toEqual([]);
    expect(JSON.stringify(view)).toContain("Client 9 &lt;!channel&gt;");
  });

  it("renders two partnerships", () => {
    expect(
      homeView([
        { partnershipName: "Acme Dental", digest: digest() },
        { partnershipName: "Globex", digest: null },
      ]),
    ).toMatchSnapshot();
  });

  it("says how many more when there are too many to show", () => {
    const entries = Array.from({ length: 40 }, (_, i) => ({
      partnershipName: `Client ${i}`,
      digest: digest(),
    }));
    const view = homeView(entries);
    expect(checkBlockKit(view)).toEqual([]);
    expect(JSON.stringify(view.blocks.at(-1))).toMatch(/and \d+ more partnerships/);
  });
});
