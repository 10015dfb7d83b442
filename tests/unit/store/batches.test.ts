import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Batches } from "../../../src/store/batches.ts";

// The batching under every write that may arrive with many others: what goes in one write, when,
// and what becomes of a write that fails. The writer here records what it is given.

interface Item {
  key: string;
  n: number;
  fails?: boolean;
}

function recorder(most = 100) {
  const writes: Item[][] = [];
  let atOnce = 0;
  let mostAtOnce = 0;
  const batches = new Batches<Item, number>({
    writeAll: async (items) => {
      writes.push([...items]);
      atOnce += 1;
      mostAtOnce = Math.max(mostAtOnce, atOnce);
      await new Promise((resolve) => setTimeout(resolve, 2));
      atOnce -= 1;
      if (items.some((i) => i.fails)) throw new Error(`failed: ${items.map((i) => i.n).join(",")}`);
      return items.map((i) => i.n * 10);
    },
    keyOf: (i) => i.key,
    most,
  });
  return { batches, writes, mostAtOnce: () => mostAtOnce };
}

describe("writes that arrive together", () => {
  it("go in few writes, one at the server at a time, each item answered with its own result", async () => {
    const { batches, writes, mostAtOnce } = recorder();
    const items = Array.from({ length: 50 }, (_, n) => ({ key: `k${n}`, n }));
    const out = await Promise.all(items.map((i) => batches.write(i)));
    expect(out).toEqual(items.map((i) => i.n * 10));
    expect(writes.length).toBeLessThanOrEqual(3);
    expect(writes[0]).toHaveLength(1);
    expect(mostAtOnce()).toBe(1);
  });

  it("never put two items of one key in one write, nor in two at once, and keep at most `most` in one", () => {
    return fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 1, maxLength: 40 }),
        fc.integer({ min: 1, max: 8 }),
        async (keys, most) => {
          const { batches, writes, mostAtOnce } = recorder(most);
          const items = keys.map((k, n) => ({ key: `k${k}`, n }));
          const out = await Promise.all(items.map((i) => batches.write(i)));
          expect(out).toEqual(items.map((i) => i.n * 10));
          for (const w of writes) {
            expect(w.length).toBeLessThanOrEqual(most);
            expect(new Set(w.map((i) => i.key)).size).toBe(w.length);
          }
          expect(mostAtOnce()).toBe(1);
          // Items of one key are written in the order they came.
          for (const k of new Set(keys)) {
            const order = writes
              .flat()
              .filter((i) => i.key === `k${k}`)
              .map((i) => i.n);
            expect(order).toEqual([...order].sort((a, b) => a - b));
          }
        },
      ),
      { numRuns: 100 },
    );
  });

  it("write again item by item when a write fails: the failure stays with the item that caused it", async () => {
    const { batches, writes } = recorder();
    const first = batches.write({ key: "a", n: 0 });
    const rest = [1, 2, 3, 4].map((n) => batches.write({ key: `k${n}`, n, fails: n === 3 }));
    const settled = await Promise.allSettled([first, ...rest]);
    expect(settled.map((s) => s.status)).toEqual([
      "fulfilled",
      "fulfilled",
      "fulfilled",
      "rejected",
      "fulfilled",
    ]);
    expect((settled[3] as PromiseRejectedResult).reason).toMatchObject({ message: "failed: 3" });
    // The lone first item, the four together (failed), then each of the four on its own.
    expect(writes.map((w) => w.map((i) => i.n))).toEqual([[0], [1, 2, 3, 4], [1], [2], [3], [4]]);
  });
});
