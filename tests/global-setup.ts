import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
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
  forgetAbandonedSeeds();
  const seeded = mkdtempSync(path.join(tmpdir(), SEEDED_PREFIX));
  project.provide("seededFolders", seeded);
  return () => rmSync(seeded, { recursive: true, force: true });
}

const SEEDED_PREFIX = "rapport-seeded-";

/** Seeded folders of runs that ended without their teardown (interrupted), once a day old. */
function forgetAbandonedSeeds(): void {
  const dayAgo = Date.now() - 24 * 3600_000;
  for (const name of readdirSync(tmpdir())) {
    const folder = path.join(tmpdir(), name);
    if (name.startsWith(SEEDED_PREFIX) && statSync(folder).mtimeMs < dayAgo) {
      rmSync(folder, { recursive: true, force: true });
    }
  }
}
