import { execFileSync } from "node:child_process";
import { getHeapSpaceStatistics, getHeapStatistics } from "node:v8";
import { describe, expect, it } from "vitest";
import { returnMemoryWhenQuiet } from "../../../app/memory-return.ts";
import { createLogger } from "../../../src/logger.ts";

const oldUsed = () =>
  getHeapSpaceStatistics()
    .filter((s) => !s.space_name.startsWith("new"))
    .reduce((sum, s) => sum + s.space_used_size, 0);

describe("memory given back once a busy spell is over", () => {
  it("makes one full collection when the process goes quiet with much garbage in its old generation", async () => {
    const lines: { msg?: string; freedMb?: number }[] = [];
    const logger = createLogger(
      { level: "debug" },
      { write: (line: string) => void lines.push(JSON.parse(line)) },
    );
    const memory = returnMemoryWhenQuiet(logger);
    try {
      // Objects that live long enough to reach the old generation, then die: a flood's leftovers.
      let kept: unknown[] = [];
      for (let round = 0; round < 20; round++) {
        kept.push(Array.from({ length: 50_000 }, (_, i) => ({ round, i, text: `report ${i}` })));
        await new Promise((resolve) => setImmediate(resolve));
      }
      const before = oldUsed();
      kept = [];
      const deadline = Date.now() + 30_000;
      while (!lines.some((l) => l.msg === "gave memory back after a busy spell") && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      const given = lines.find((l) => l.msg === "gave memory back after a busy spell");
      expect(given, "a full collection once quiet").toBeDefined();
      expect(given!.freedMb).toBeGreaterThan(20);
      expect(oldUsed()).toBeLessThan(before - 20 * 1048576);
      expect(kept).toHaveLength(0);
    } finally {
      memory.stop();
    }
  });
});

describe("memory given back after any busy spell that leaves the heap holding much it does not use", () => {
  it("makes one full collection once quiet, not one at every look while nothing happens", async () => {
    const lines: { msg?: string }[] = [];
    const logger = createLogger(
      { level: "debug" },
      { write: (line: string) => void lines.push(JSON.parse(line)) },
    );
    const memory = returnMemoryWhenQuiet(logger);
    const collections = () => lines.filter((l) => l.msg === "gave memory back after a busy spell").length;
    try {
      // A busy spell whose objects live through a few young collections: the young generation grows.
      const ring: unknown[] = new Array(100_000);
      for (let round = 0; round < 60; round++) {
        for (let i = 0; i < 50_000; i++) ring[(round * 50_000 + i) % ring.length] = { round, i, s: `m${i}` };
        await new Promise((resolve) => setImmediate(resolve));
      }
      ring.fill(null);
      const heap = getHeapStatistics();
      const unused = heap.total_heap_size - heap.used_heap_size;
      // Quiet for four looks and more.
      await new Promise((resolve) => setTimeout(resolve, 2_500));
      if (unused >= 24 * 1048576) expect(collections()).toBe(1);
      else expect(collections()).toBeLessThanOrEqual(1);
      const after = collections();
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      expect(collections()).toBe(after);
    } finally {
      memory.stop();
    }
  });
});

describe("the heap's growth between full collections", () => {
  // A process holding 30 MB alive and making objects that live long enough to reach the old
  // generation, then die (a flood's requests): the most its heap held, with and without the bound.
  const script = (bounded: boolean) => `
    import { getHeapStatistics } from "node:v8";
    import { boundHeapGrowth } from ${JSON.stringify(new URL("../../../app/memory-return.ts", import.meta.url).href)};
    if (${bounded}) boundHeapGrowth({ debug() {} });
    const live = [];
    for (let i = 0; i < 300_000; i++) live.push({ i, s: "live" + i, a: [i] });
    const ring = new Array(200_000);
    let peak = 0;
    for (let i = 0; i < 4_000_000; i++) {
      ring[i % ring.length] = { i, s: "x" + i, a: [i, i] };
      if (i % 50_000 === 0) peak = Math.max(peak, getHeapStatistics().used_heap_size);
    }
    console.log(JSON.stringify({ peak, live: live.length }));
  `;
  const peakOf = (bounded: boolean): number => {
    const out = execFileSync(
      process.execPath,
      ["--import", "tsx", "--input-type=module", "-e", script(bounded)],
      {
        encoding: "utf8",
      },
    );
    return (JSON.parse(out.trim().split("\n").pop()!) as { peak: number }).peak;
  };

  it("grows far less between full collections than V8 alone lets it", () => {
    const free = peakOf(false);
    const bounded = peakOf(true);
    expect(bounded, `${bounded} bytes at most with the bound, ${free} without`).toBeLessThan(free * 0.75);
  }, 120_000);
});
