import { describe, expect, it } from "vitest";
import { LaterWrites } from "../../../src/store/later-writes.ts";

// Writes that need not hold up an answer: started after the caller has gone on, waited for by
// `settled` (which closing a store awaits), failures reported and never thrown at anyone.

describe("writes started after the answer", () => {
  it("starts nothing before the caller has gone on, and settles once all have finished", async () => {
    const later = new LaterWrites();
    const seen: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    later.run(
      async () => {
        seen.push("write started");
        await gate;
        seen.push("write done");
      },
      () => {},
    );
    seen.push("caller goes on");
    await Promise.resolve();
    seen.push("caller's next turn");
    let settled = false;
    const waiting = later.settled().then(() => (settled = true));
    await new Promise((resolve) => setImmediate(resolve));
    expect(seen).toEqual(["caller goes on", "caller's next turn", "write started"]);
    expect(settled).toBe(false);
    release();
    await waiting;
    expect(seen.at(-1)).toBe("write done");
  });

  it("waits for writes that a write started", async () => {
    const later = new LaterWrites();
    const done: number[] = [];
    later.run(
      async () => {
        later.run(
          async () => {
            await new Promise((resolve) => setTimeout(resolve, 5));
            done.push(2);
          },
          () => {},
        );
        done.push(1);
      },
      () => {},
    );
    await later.settled();
    expect(done).toEqual([1, 2]);
  });

  it("starts nothing once closed, and closing waits for what had started", async () => {
    const later = new LaterWrites();
    const done: string[] = [];
    later.run(
      async () => {
        await new Promise((resolve) => setTimeout(resolve, 5));
        done.push("before close");
      },
      () => {},
    );
    await later.close();
    later.run(
      async () => {
        done.push("after close");
      },
      () => {},
    );
    await new Promise((resolve) => setImmediate(resolve));
    await later.settled();
    expect(done).toEqual(["before close"]);
  });

  it("hands a failure to onError, not to the caller, and goes on", async () => {
    const later = new LaterWrites();
    const errors: unknown[] = [];
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on("unhandledRejection", onUnhandled);
    try {
      later.run(
        () => Promise.reject(new Error("database gone")),
        (err) => errors.push(err),
      );
      later.run(
        () => Promise.reject(new Error("again")),
        () => {
          throw new Error("the report of it fails too");
        },
      );
      await later.settled();
      await new Promise((resolve) => setTimeout(resolve, 10));
    } finally {
      process.off("unhandledRejection", onUnhandled);
    }
    expect(errors.map((e) => (e as Error).message)).toEqual(["database gone"]);
    expect(unhandled).toEqual([]);
    await expect(later.settled()).resolves.toBeUndefined();
  });
});
