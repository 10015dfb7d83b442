// One partnership with a stored setting this runtime cannot use (a timezone it does not know)
// affects only itself: every command and job says so in one line and goes on with the others,
// and `rapport partnership configure` fixes it.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../../../app/cli/index.ts";
import { openStore } from "../../../src/store/database.ts";
import { templateFile } from "../../../scripts/build.js";

let root: string;
let dataDir: string;

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), "rapport-unusable-"));
  dataDir = path.join(root, "data");
});
afterAll(() => rm(root, { recursive: true, force: true }));

async function rapport(...args: string[]) {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const code = await runCli(
    args,
    {
      RAPPORT_DATA_DIR: dataDir,
      RAPPORT_PGLITE_TEMPLATE: templateFile(),
      LOG_LEVEL: "silent",
      RAPPORT_JOBS: "on",
    },
    { out: (l) => void stdout.push(...l.split("\n")), err: (l) => void stderr.push(...l.split("\n")) },
  );
  return { code, stdout, stderr };
}

/** Stores a timezone no runtime knows, as an older build (or a hand edit) could have left it. */
async function storeUnknownTimezone(name: string): Promise<void> {
  const store = await openStore({ kind: "pglite", dataDir });
  try {
    const tz = JSON.stringify("Mars/Olympus");
    await sql`update partnerships set settings = jsonb_set(settings, '{timezone}', ${tz}::jsonb) where name = ${name}`.execute(
      store.db,
    );
    await sql`update partnership_settings set settings = jsonb_set(settings, '{timezone}', ${tz}::jsonb)
      where partnership_id = (select id from partnerships where name = ${name})`.execute(store.db);
  } finally {
    await store.close();
  }
}

describe("a partnership with an unusable stored setting", { timeout: 120_000 }, () => {
  it("is named in one line by each command, the others go on, and configure fixes it", async () => {
    const good = (
      await rapport("partnership", "create", "--name", "Good", "--provider", "P", "--client", "C")
    ).stdout.at(-1)!;
    const bad = (
      await rapport("partnership", "create", "--name", "Bad", "--provider", "P", "--client", "D")
    ).stdout.at(-1)!;
    await storeUnknownTimezone("Bad");
    const problem =
      `Partnership "Bad" is skipped: its stored setting timezone must be an IANA timezone such as ` +
      `Europe/London, not "Mars/Olympus". Fix it with \`rapport partnership configure --partnership ${bad} --timezone <IANA zone>\`.`;

    const list = await rapport("partnership", "list");
    expect(list.code).toBe(0);
    expect(list.stdout).toEqual([expect.stringMatching(new RegExp(`^${good}\\s+\\S+\\s+Good `))]);
    expect(list.stderr).toEqual([problem]);

    const badDigest = await rapport("digest", "--partnership", bad);
    expect(badDigest.code).toBe(2);
    expect(badDigest.stderr).toEqual([`rapport digest: ${problem}`]);
    const goodDigest = await rapport("digest", "--partnership", good);
    expect(goodDigest.code).toBe(0);
    expect(goodDigest.stdout[0]).toMatch(/^Weekly digest: Good, week of /);

    // Every job reports the one partnership, once, in one line; no stack.
    const jobs = await rapport("jobs", "run");
    expect(jobs.stdout.filter((l) => l.includes("Bad"))).toEqual([`  ${problem}`]);
    expect(jobs.stderr).toEqual(["rapport jobs run: some jobs failed; see the lines above"]);

    const fix = await rapport("partnership", "configure", "--partnership", bad, "--timezone", "Europe/Paris");
    expect(fix.code).toBe(0);
    const after = await rapport("partnership", "list");
    expect(after.stderr).toEqual([]);
    expect(after.stdout).toHaveLength(2);
    const fixedDigest = await rapport("digest", "--partnership", bad);
    expect(fixedDigest.code).toBe(0);
    expect((await rapport("jobs", "run")).code).toBe(0);
  });
});
