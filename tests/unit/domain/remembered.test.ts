import { describe, expect, it } from "vitest";
import { Remembered } from "../../../src/domain/remembered.ts";

describe("Remembered", () => {
  it("works an answer out once per key, false and zero included", () => {
    const known = new Remembered<boolean | number>(10);
    let asked = 0;
    const work = (answer: boolean | number) => () => (asked++, answer);
    expect(known.get("a", work(false))).toBe(false);
    expect(known.get("a", work(true))).toBe(false);
    expect(known.get("b", work(0))).toBe(0);
    expect(known.get("b", work(1))).toBe(0);
    expect(asked).toBe(2);
  });

  it("keeps at most its limit: when full it forgets everything and starts again", () => {
    const known = new Remembered<string>(3);
    let asked = 0;
    const answer = (key: string) => known.get(key, () => (asked++, key.toUpperCase()));
    for (const key of ["a", "b", "c"]) answer(key);
    expect(asked).toBe(3);
    expect(answer("a")).toBe("A");
    expect(asked).toBe(3);
    expect(answer("d")).toBe("D"); // the fourth key: the three before are forgotten
    expect(asked).toBe(4);
    expect(answer("a")).toBe("A");
    expect(asked).toBe(5);
    expect(answer("d")).toBe("D");
    expect(asked).toBe(5);
  });
});
