// A partnership seeded through the `rapport` command line costs six or seven commands, each opening
// the embedded database again (about a second of CPU each). The same seed into an empty data
// folder by the same code always leaves the same folder, so the first harness of a run to ask for
// it runs the commands and keeps a copy of the folder; later harnesses (any worker) copy that
// folder instead. The copies are named by the seed, the settings and the sources (a watch run
// that edits the code seeds afresh), and live for one `vitest run` (tests/global-setup.ts).
import { createHash } from "node:crypto";
import { existsSync, statSync } from "node:fs";
import { cp, mkdir, mkdtemp, readFile, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { setTimeout } from "node:timers/promises";
import { inject } from "vitest";
import { sourceVersion } from "../../../scripts/build.js";

// Left behind by a closed database or by the folder's lock: nothing to copy.
const NOT_COPIED = new Set(["rapport.lock", "rapport.lock.owner", "postmaster.pid"]);
// How long a harness waits for another one seeding the same key before seeding on its own: well
// inside the minute a harness is given to start, and longer than a seeding on a busy machine.
const WAIT_MS = 20_000;
// A claim this old was left by a harness that never finished (its file timed out): taken over.
const ABANDONED_MS = 90_000;

/**
 * Runs `seed` against the empty data folder `env.RAPPORT_DATA_DIR`, or copies the folder the same
 * `key` left earlier in this run and returns what `seed` returned then. `seed` must leave the
 * folder closed (every command it runs has finished) and return JSON. Where the folder is not
 * empty, or no run-wide store was provided, it simply runs `seed`; keeping a copy never fails it.
 */
export async function seededFolder<T>(
  env: NodeJS.ProcessEnv,
  key: unknown,
  seed: () => Promise<T>,
): Promise<T> {
  const dataDir = env.RAPPORT_DATA_DIR;
  const store = inject("seededFolders");
  if (!dataDir || !store || existsSync(path.join(dataDir, "PG_VERSION"))) return seed();
  const kept = path.join(store, fingerprint(env, key));
  // One harness seeds a key at a time (it holds `.seeding`); the others wait for its copy, and
  // seed on their own if it takes too long. Waiting costs no CPU; seeding again would.
  const claim = `${kept}.seeding`;
  const deadline = Date.now() + WAIT_MS;
  let claimed = false;
  while (!existsSync(kept) && !claimed && Date.now() < deadline) {
    if (ageOf(claim) > ABANDONED_MS) await rm(claim, { recursive: true, force: true });
    claimed = await mkdir(claim).then(
      () => true,
      () => false,
    );
    if (!claimed) await setTimeout(50);
  }
  try {
    // Checked again once claimed: the copy may have been kept between the check and the claim.
    if (existsSync(kept)) {
      await cp(path.join(kept, "data"), dataDir, { recursive: true });
      return JSON.parse(await readFile(path.join(kept, "result.json"), "utf8")) as T;
    }
    const result = await seed();
    if (claimed) await keep(dataDir, kept, result);
    return result;
  } finally {
    if (claimed) await rm(claim, { recursive: true, force: true });
  }
}

/** A copy of the seeded folder and what the seed returned, renamed into place whole; or nothing. */
async function keep(dataDir: string, kept: string, result: unknown): Promise<void> {
  const writing = await mkdtemp(`${kept}.writing-`);
  try {
    await cp(dataDir, path.join(writing, "data"), {
      recursive: true,
      filter: (from) => !NOT_COPIED.has(path.basename(from)),
    });
    await writeFile(path.join(writing, "result.json"), JSON.stringify(result));
    await rename(writing, kept);
  } catch {
    // Not kept (another harness kept it first, or the disk refused): the next harness seeds.
  } finally {
    await rm(writing, { recursive: true, force: true });
  }
}

function ageOf(file: string): number {
  try {
    return Date.now() - statSync(file).mtimeMs;
  } catch {
    return 0;
  }
}

let sources: string | null = null;

// The seed, every setting the commands read (not the per-harness port, folder or fake's address)
// and the code that runs them.
function fingerprint(env: NodeJS.ProcessEnv, key: unknown): string {
  sources ??= sourceVersion();
  const settings = Object.entries(env)
    .filter(([name]) => !["PORT", "RAPPORT_DATA_DIR", "SLACK_API_URL"].includes(name))
    .sort(([a], [b]) => a.localeCompare(b));
  return createHash("sha256")
    .update(JSON.stringify([key, settings, sources]))
    .digest("hex")
    .slice(0, 24);
}

declare module "vitest" {
  export interface ProvidedContext {
    /** Where `seededFolder` keeps seeded data folders for this run; "" when not provided. */
    seededFolders: string;
  }
}
