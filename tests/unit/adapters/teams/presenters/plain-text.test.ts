import { describe, expect, it } from "vitest";
import {
  defuseLinks,
  neutraliseMentions,
  plainText,
} from "../../../../../adapters/teams/presenters/plain-text.ts";
import { truncate } from "../../../../../src/domain/text.ts";

describe("plainText", () => {
  it("turns mention tags into plain @names, whatever their form", () => {
    expect(neutraliseMentions("ping <at>Dana Reyes</at> now")).toBe("ping @Dana Reyes now");
    expect(neutraliseMentions('<AT id="0">General</AT> and < at >x</ at >')).toBe("@General and @x");
    expect(neutraliseMentions("stray </at> and <at> tags")).toBe("stray  and  tags");
  });

  it("breaks markdown links but keeps the text readable", () => {
    expect(defuseLinks("[invoice](https://evil.example)")).toBe("[invoice] (https://evil.example)");
  });

  it("leaves HTML-like text as typed", () => {
    expect(plainText("a <b>bold</b> & <script>", 100)).toBe("a <b>bold</b> & <script>");
  });

  it("truncates at a word boundary without splitting an emoji", () => {
    expect(truncate("printer on floor two jammed again", 20)).toBe("printer on floor…");
    expect(truncate("😀😀😀", 4)).toBe("😀…");
    expect(plainText("x".repeat(300), 200)).toHaveLength(200);
  });
});
