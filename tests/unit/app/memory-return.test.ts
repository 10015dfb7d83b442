import { getHeapSpaceStatistics } from "node:v8";
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
