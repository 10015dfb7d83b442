import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MAX_PAYLOAD_DEPTH, storableJson, storableString } from "../../../src/domain/storable.ts";

/** What PostgreSQL refuses in text and in jsonb: a NUL, and half of a surrogate pair. */
const unstorable = (s: string) =>
  s.includes("\u0000") || /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(s);

describe("storableJson", () => {
  it("takes NUL characters out and replaces lone surrogates, in values and in keys", () => {
    expect(
      storableJson({ "team\u0000": "T0\u0000PROVIDER", text: ["half \ud83c", "\udfab reversed"], n: 7 }),
    ).toEqual({ team: "T0PROVIDER", text: ["half \ufffd", "\ufffd reversed"], n: 7 });
  });

  it("keeps whole emoji and gives back the very same object when nothing needed changing", () => {
    const payload = { text: "🎫 printer jammed", blocks: [{ type: "section" }], ok: true, none: null };
    expect(storableJson(payload)).toBe(payload);
  });

  it("refuses what is nested deeper than any platform's payload", () => {
    let deep: unknown = "bottom";
    for (let i = 0; i <= MAX_PAYLOAD_DEPTH; i++) deep = [deep];
    expect(storableJson(deep)).toBeNull();
    expect(storableJson({ a: [{ b: "shallow" }] })).not.toBeNull();
  });

  it("leaves nothing PostgreSQL refuses, whatever the JSON", () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), fc.string({ unit: "binary" }), (value, s) => {
        const out = storableJson({ value, [s]: s });
        const strings: string[] = [];
        JSON.stringify(out, (key, v: unknown) => {
          strings.push(key);
          if (typeof v === "string") strings.push(v);
          return v;
        });
        expect(strings.filter(unstorable)).toEqual([]);
      }),
    );
  });

  it("storableString changes only what it must", () => {
    expect(storableString("a\u0000b\ud800c")).toBe("ab\ufffdc");
    expect(storableString("plain")).toBe("plain");
  });
});
