import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { templateFile } from "../scripts/build.js";
import { writeTemplate } from "../src/store/pglite-template.ts";

/**
 * Before any worker starts: the embedded database's migrated template, built once for the run (as
 * `npm install` does) rather than once per worker or per test; and a folder where harnesses keep
 * the data folders they seeded (tests/contract/support/seeded-folders.ts), removed after the run.
 */
export async function setup(project: TestProject): Promise<() => void> {
  const file = templateFile();
  if (!existsSync(file)) {
    mkdirSync(path.dirname(file), { recursive: true });
    await writeTemplate(file);
  }
  const seeded = mkdtempSync(path.join(tmpdir(), "rapport-seeded-"));
  project.provide("seededFolders", seeded);
  return () => rmSync(seeded, { recursive: true, force: true });
}
