import { existsSync, mkdirSync } from "node:fs";
import path from "node:path";
import { templateFile } from "../scripts/build.js";
import { writeTemplate } from "../src/store/pglite-template.ts";

/**
 * Before any worker starts: the embedded database's migrated template, built once for the run (as
 * `npm install` does) rather than once per worker or per test.
 */
export async function setup(): Promise<void> {
  const file = templateFile();
  if (existsSync(file)) return;
  mkdirSync(path.dirname(file), { recursive: true });
  await writeTemplate(file);
}
