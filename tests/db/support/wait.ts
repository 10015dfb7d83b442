import { setTimeout as sleep } from "node:timers/promises";

/** Polls `check` every 20 ms until it is true; fails with `what` after `ms` (a ceiling, never a wait). */
export async function waitUntil(
  check: () => boolean | Promise<boolean>,
  ms: number,
  what: string,
): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what} did not happen within ${ms} ms`);
    await sleep(20);
  }
}
