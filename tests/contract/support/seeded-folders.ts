// A partnership seeded through the `rapport` command line costs six or seven commands, each opening
// the embedded database again (about a second of CPU each). The same seed into an empty data
// folder always leaves the same folder, so the first harness of a run to ask for it runs the
// commands and keeps a copy of the folder; later harnesses (any worker) copy that folder instead.
// The copies live for one `vitest run` only (tests/global-setup.ts provides and removes them), so
// a change to the code between runs is always seeded afresh.
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { cp, mkdir, mkdtemp, readFile, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { setTimeout } from "node:timers/promises";
import { inject } from "vitest";

// Left behind by a closed database or by the folder's lock: nothing to copy.
const NOT_COPIED = new Set(["rapport.lock", "rapport.lock.owner", "postmaster.pid"]);

/**
 * Runs `seed` against the empty data folder `env.RAPPORT_DATA_DIR`, or copies the folder the same
 * `key` left earlier in this run and returns what `seed` returned then. `seed` must leave the
 * folder closed (every command it runs has finished) and return JSON. Where the folder is not
 * empty, or no run-wide store was provided, it simply runs `seed`.
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
  // One harness seeds a key at a time (it holds `.seeding`); the others wait for its copy, or for
  // it to give up (then they seed themselves). Waiting costs no CPU; seeding again would.
  const claim = `${kept}.seeding`;
  const deadline = Date.now() + 120_000;
  let claimed = false;
  while (!existsSync(kept) && !claimed && Date.now() < deadline) {
    claimed = await mkdir(claim).then(
      () => true,
      () => false,
    );
    if (!claimed) await setTimeout(50);
  }
  if (!claimed && existsSync(kept)) {
    await cp(path.join(kept, "data"), dataDir, { recursive: true });
    return JSON.parse(await readFile(path.join(kept, "result.json"), "utf8")) as T;
  }
  try {
    const result = await seed();
    if (claimed) await keep(dataDir, kept, result);
    return result;
  } finally {
    if (claimed) await rm(claim, { recursive: true, force: true });
  }
}

async function keep(dataDir: string, kept: string, result: unknown): Promise<void> {
  // Written beside, then renamed into place: a harness in another worker never sees half a copy.
  const writing = await mkdtemp(`${kept}.writing-`);
  try {
    await cp(dataDir, path.join(writing, "data"), {
      recursive: true,
      filter: (from) => !NOT_COPIED.has(path.basename(from)),
    });
    await writeFile(path.join(writing, "result.json"), JSON.stringify(result));
    await rename(writing, kept);
  } finally {
    await rm(writing, { recursive: true, force: true });
  }
}

// The seed and every setting the commands read; not the per-harness port, folder or fake's address.
function fingerprint(env: NodeJS.ProcessEnv, key: unknown): string {
  const settings = Object.entries(env)
    .filter(([name]) => !["PORT", "RAPPORT_DATA_DIR", "SLACK_API_URL"].includes(name))
    .sort(([a], [b]) => a.localeCompare(b));
  return createHash("sha256")
    .update(JSON.stringify([key, settings]))
    .digest("hex")
    .slice(0, 24);
}

declare module "vitest" {
  export interface ProvidedContext {
    /** Where `seededFolder` keeps seeded data folders for this run; "" when not provided. */
    seededFolders: string;
  }
}
