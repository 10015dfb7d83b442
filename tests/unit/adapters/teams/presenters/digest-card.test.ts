import { describe, expect, it } from "vitest";
import { cardBytes, TEAMS_LIMITS } from "../../../../../adapters/teams/presenters/card-kit.ts";
import { digestCard, scorecardCard } from "../../../../../adapters/teams/presenters/digest-card.ts";
import type { DigestSection } from "../../../../../src/index.ts";
import { digest } from "./fixtures.ts";
import { expectValidCard } from "./valid-card.ts";

const quiet = digest({
  quiet: true,
  sections: [
    {
      heading: "Quiet week",
      side: "shared",
      facts: [{ label: "Activity", value: "a quiet week: nothing was reported, decided, held or announced" }],
    },
  ],
  actions: [],
});

/** A digest far past any real one: many sections of many long facts. */
function huge(): ReturnType<typeof digest> {
  const section = (n: number): DigestSection => ({
    heading: `Section ${n}`,
    side: "shared",
    facts: Array.from(
      { length: 40 },
      (_, i) => ({ label: `Figure ${i} 📈`, value: "é".repeat(600), status: "warn" }) as const,
    ),
  });
  return digest({ sections: Array.from({ length: 12 }, (_, n) => section(n + 1)) });
}

describe("digestCard", () => {
  it("renders a busy week: scores with sparklines, a fact set per section, the top actions", () => {
    const card = digestCard(digest());
    expectValidCard(card);
    expect(card).toMatchSnapshot();
    const json = JSON.stringify(card);
    expect(json).toContain("▆▆▇▇▇▇█▇");
    expect(json).toContain("⚠️ First response on target");
    expect(card.body.filter((el) => el.type === "FactSet")).toHaveLength(3);
  });

  it("keeps a quiet week short", () => {
    const card = digestCard(quiet);
    expectValidCard(card);
    expect(card).toMatchSnapshot();
    expect(card.body.length).toBeLessThanOrEqual(5);
  });

  it("stays under Teams' 28 KB however long the digest, and says what it left out", () => {
    const card = digestCard(huge());
    expectValidCard(card);
    expect(cardBytes(card)).toBeLessThan(TEAMS_LIMITS.messageBytes);
    expect(JSON.stringify(card)).toMatch(/…and \d+ more sections: see `rapport digest`/);
  });
});

describe("scorecardCard", () => {
  it("shows the scores, what needs attention and the top actions", () => {
    const card = scorecardCard(digest());
    expectValidCard(card);
    expect(card).toMatchSnapshot();
    expect(JSON.stringify(card)).not.toContain("Unanswered > 2 h");
  });

  it("says when every figure is on track", () => {
    const card = scorecardCard(quiet);
    expectValidCard(card);
    expect(JSON.stringify(card)).toContain("Every figure is on track");
  });

  it("stays under Teams' 28 KB", () => {
    const card = scorecardCard(huge());
    expectValidCard(card);
    expect(cardBytes(card)).toBeLessThan(TEAMS_LIMITS.messageBytes);
  });
});
