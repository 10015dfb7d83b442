import { performance } from "node:perf_hooks";
import { getHeapSpaceStatistics, getHeapStatistics, setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import type { Logger } from "../src/logger.ts";

/** How often the process looks whether it is quiet. */
const LOOK_EVERY_MS = 500;
/** The share of the last look's interval the event loop may have been busy and still count as quiet. */
const QUIET_BELOW = 0.1;
/** How much the old generation must have grown since the last full collection to be worth one. */
const GROWN_BY_BYTES = 48 * 1024 * 1024;
/**
 * How much of the heap may be reserved and unused after a busy spell without a full collection:
 * the young generation, grown to tens of megabytes while busy, is shrunk by V8's memory reducer,
 * which a full collection sets going (it acts some 8 s later, once allocation stays low).
 */
const UNUSED_AFTER_BUSY_BYTES = 24 * 1024 * 1024;

/**
 * Gives memory back once a flood is over. V8 collects its old generation only when it reaches a
 * limit that starts at well over 100 MB on a machine with a few gigabytes and grows from there;
 * after an office's outage (thousands of reports, messages and cards in a minute) the objects
 * that lived through a few database round trips, long dead, can hold 150 MB or more of memory
 * for as long as the process then stays quiet, which is most of the time. When the event loop
 * has been nearly idle for half a second and the old generation has grown by more than 48 MB
 * since the last full collection, one is made: it costs tens of milliseconds, at a moment when
 * nothing waits. So is one after any busy spell (the start is one) that leaves 24 MB or more of
 * the heap reserved and unused, at most one per spell. A process that is never quiet is left to
 * V8's own heuristics.
 */
export function returnMemoryWhenQuiet(logger: Logger): { stop(): void } {
  boundHeapGrowth(logger);
  const gc = fullCollection(logger);
  if (!gc) return { stop: () => {} };
  let baseline = oldGenerationUsed();
  // Loading the code and the first pass of the jobs are a busy spell of their own.
  let busySinceCollection = true;
  let last = performance.eventLoopUtilization();
  const timer = setInterval(() => {
    const now = performance.eventLoopUtilization();
    const quiet = performance.eventLoopUtilization(now, last).utilization < QUIET_BELOW;
    last = now;
    if (!quiet) {
      busySinceCollection = true;
      return;
    }
    const used = oldGenerationUsed();
    if (used < baseline) baseline = used;
    const grown = used - baseline >= GROWN_BY_BYTES;
    const unused = busySinceCollection && heapUnused() >= UNUSED_AFTER_BUSY_BYTES;
    if (!grown && !unused) return;
    busySinceCollection = false;
    const started = performance.now();
    gc();
    baseline = oldGenerationUsed();
    logger.debug(
      { freedMb: Math.round((used - baseline) / 1048576), ms: Math.round(performance.now() - started) },
      "gave memory back after a busy spell",
    );
  }, LOOK_EVERY_MS);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}

/**
 * How far the heap may grow past what the last full collection found alive before V8 makes the
 * next one: V8 lets it grow up to four times on a machine with memory to spare, so that during a
 * flood, with some 40 MB alive, 150 MB and more of dead objects wait to be collected (and the
 * process's memory grows with them). Twice is still few full collections (each one tens of
 * milliseconds, mostly on V8's own threads). The flag is read each time V8 sets its next limit,
 * so it works when set at runtime.
 */
const HEAP_GROWING_PERCENT = 100;

export function boundHeapGrowth(logger: Logger): void {
  try {
    setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
  } catch (err) {
    logger.debug({ err }, "the heap grows as V8 decides here");
  }
}

/** Bytes the heap holds reserved and does not use. */
function heapUnused(): number {
  const heap = getHeapStatistics();
  return heap.total_heap_size - heap.used_heap_size;
}

/** Bytes in use in the old generation (old objects, code and large objects). */
function oldGenerationUsed(): number {
  let used = 0;
  for (const space of getHeapSpaceStatistics()) {
    if (!space.space_name.startsWith("new")) used += space.space_used_size;
  }
  return used;
}

/** V8's full collection, made available to this process; null where it cannot be. */
function fullCollection(logger: Logger): (() => void) | null {
  try {
    setFlagsFromString("--expose-gc");
    const gc = runInNewContext("gc") as unknown;
    return typeof gc === "function" ? (gc as () => void) : null;
  } catch (err) {
    logger.debug({ err }, "memory is left to V8 alone: no full collection on demand here");
    return null;
  }
}
