import { expect } from "vitest";
import { isRapportError } from "../../../src/domain/errors.ts";

/** Awaits a use case that must be refused with the core's own error; returns its sentence. */
export async function refusal(work: Promise<unknown>): Promise<string> {
  const e = await work.then(
    () => null,
    (err: unknown) => err,
  );
  expect(isRapportError(e), String(e)).toBe(true);
  return (e as Error).message;
}
