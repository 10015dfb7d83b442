import { randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../../../app/cli/index.ts";
import { templateFile } from "../../../scripts/build.js";

// Every runCli that reaches the database opens the embedded one (about 3 s), so the cases below
// share one data folder and group their assertions; flag and config errors never open it.
const SLOW = { timeout: 60_000 };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const SPARK = /[▁▂▃▄▅▆▇█]/;

let root: string;
let dataDir: string;

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), "rapport-cli-"));
  dataDir = path.join(root, "data");
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

/** `argv\`digest --partnership ${id}\``: the text splits on spaces; each `${value}` stays one argument. */
function argv(text: TemplateStringsArray, ...values: string[]): string[] {
  return text.flatMap((part, i) => [
    ...part.split(/\s+/).filter(Boolean),
    ...(i < values.length ? [values[i]!] : []),
  ]);
}

interface Run {
  code: number;
  stdout: string[];
  stderr: string[];
}

// One entry per printed line: an Output call may carry several lines (the digest, config errors).
function lines(calls: string[]): string[] {
  return calls
    .join("\n")
    .split("\n")
    .filter((l, i, all) => l !== "" || i < all.length - 1);
}

async function rapport(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Run> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(
    args,
    { RAPPORT_DATA_DIR: dataDir, RAPPORT_PGLITE_TEMPLATE: templateFile(), LOG_LEVEL: "silent", ...env },
    {
      out: (line) => void out.push(line),
      err: (line) => void err.push(line),
    },
  );
  return { code, stdout: lines(out), stderr: lines(err) };
}

interface ExportJson {
  partnership: { id: string; name: string };
  events: unknown[];
  issues: unknown[];
  recommendations: unknown[];
  calls: unknown[];
}

async function exportJson(partnershipId: string): Promise<ExportJson> {
  const out = path.join(root, `json-${randomUUID()}`);
  const run = await rapport(["export", "--partnership", partnershipId, "--format", "json", "--out", out]);
  expect(run, run.stderr.join("\n")).toMatchObject({ code: 0, stderr: [] });
  const [file, ...others] = await readdir(out);
  expect(others).toEqual([]);
  expect(file).toMatch(/^rapport-[a-z0-9-]+-export\.json$/);
  return JSON.parse(await readFile(path.join(out, file!), "utf8")) as ExportJson;
}

/** RFC 4180 records (quoted fields may hold commas, quotes and newlines). */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") {
      record.push(field);
      field = "";
    } else if (c === "\n" || (c === "\r" && text[i + 1] === "\n")) {
      if (c === "\r") i++;
      record.push(field);
      records.push(record);
      record = [];
      field = "";
    } else field += c;
  }
  if (field !== "" || record.length > 0) records.push([...record, field]);
  return records;
}

describe("rapport partnership and member commands", () => {
  it(
    "creates a partnership (printing only its id), lists it, links a channel and adds a member",
    SLOW,
    async () => {
      const created = await rapport(
        argv`partnership create --name ${"Acme ↔ Globex"} --provider ${"Acme IT"} --client Globex --timezone America/New_York`,
      );
      expect(created.stderr).toEqual([]);
      expect(created.code).toBe(0);
      expect(created.stdout).toHaveLength(1);
      expect(created.stdout[0]).toMatch(UUID);
      const id = created.stdout[0]!;

      const listed = await rapport(["partnership", "list"]);
      expect(listed.code).toBe(0);
      const line = listed.stdout.find((l) => l.startsWith(id));
      expect(line).toContain("Acme ↔ Globex");
      expect(line).toContain("(Acme IT ↔ Globex, America/New_York)");

      const linked = await rapport(
        argv`partnership link --partnership ${id} --platform slack --workspace T01 --channel C01 --purpose support,digest`,
      );
      expect(linked).toEqual({
        code: 0,
        stdout: ["linked slack channel C01 for support and digest"],
        stderr: [],
      });

      const added = await rapport(
        argv`member add --partnership ${id} --platform teams --workspace tenant-1 --user U42 --side client --role lead --name Dana`,
      );
      expect(added).toEqual({ code: 0, stdout: ["U42 is client side, lead"], stderr: [] });

      const again = await rapport(
        argv`partnership create --name ${"Acme ↔ Globex"} --provider ${"Acme IT"} --client Globex`,
      );
      expect(again.code).not.toBe(0);
      expect(again.stderr).toEqual([
        'rapport partnership create: A partnership named "Acme ↔ Globex" already exists.',
      ]);
    },
  );

  const someId = randomUUID();
  const link = argv`partnership link --partnership ${someId} --workspace T01 --channel C01`;
  const member = argv`member add --partnership ${someId} --platform slack --workspace T01 --user U1 --role tech`;
  const create = argv`partnership create --provider ${"Acme IT"} --client Globex`;

  it.each([
    [
      "an unknown flag",
      [...create, "--name", "A", "--colour", "red"],
      /^rapport partnership create: unknown option --colour$/,
    ],
    ["a missing --name", create, /^rapport partnership create: --name is required$/],
    [
      "--platform discord",
      [...link, "--platform", "discord", "--purpose", "support"],
      /^rapport partnership link: --platform: .*\(got "discord"\)$/,
    ],
    ["--side vendor", [...member, "--side", "vendor"], /^rapport member add: --side: .*\(got "vendor"\)$/],
    [
      "--purpose billing",
      [...link, "--platform", "slack", "--purpose", "billing"],
      /^rapport partnership link: --purpose: .*\(got "billing"\)$/,
    ],
    [
      "an empty --purpose",
      [...link, "--platform", "slack", "--purpose", ","],
      /^rapport partnership link: --purpose: expected support, digest or support,digest \(got ","\)$/,
    ],
    [
      "--week 2026-1-1",
      ["digest", "--partnership", someId, "--week", "2026-1-1"],
      /^rapport digest: --week: expected a date as YYYY-MM-DD \(got "2026-1-1"\)$/,
    ],
    [
      "a flag without its value",
      ["partnership", "create", "--name"],
      /^rapport partnership create: --name needs a value$/,
    ],
    [
      "a positional argument",
      [...create, "--name", "A", "extra"],
      /^rapport partnership create: Unexpected argument 'extra'/,
    ],
    [
      "--timezone Mars/Olympus",
      [...create, "--name", "A", "--timezone", "Mars/Olympus"],
      /^rapport partnership create: --timezone: Use an IANA timezone name such as Europe\/London or America\/New_York \(got "Mars\/Olympus"\)$/,
    ],
    [
      "digest --format xml",
      ["digest", "--partnership", someId, "--format", "xml"],
      /^rapport digest: --format: expected text or json \(got "xml"\)$/,
    ],
    [
      "export --format xml",
      ["export", "--partnership", someId, "--format", "xml", "--out", "x"],
      /^rapport export: --format: expected json or csv \(got "xml"\)$/,
    ],
    ["demo --weeks 0", ["demo", "--weeks", "0"], /^rapport demo: --weeks: must be at least 1 \(got "0"\)$/],
    [
      "demo --issues-per-week lots",
      ["demo", "--issues-per-week", "lots"],
      /^rapport demo: --issues-per-week: must be a whole number \(got "lots"\)$/,
    ],
  ])("rejects %s with exit 2 and one line, before opening the database", async (_what, args, message) => {
    const run = await rapport(args, { RAPPORT_DATA_DIR: path.join(root, "never-opened") });
    expect(run.code).toBe(2);
    expect(run.stdout).toEqual([]);
    expect(run.stderr).toHaveLength(1);
    expect(run.stderr[0]).toMatch(message);
    expect(existsSync(path.join(root, "never-opened"))).toBe(false);
  });

  it("says in one line that an unknown partnership id (a UUID or not) does not exist", SLOW, async () => {
    const uuid = randomUUID();
    const byUuid = await rapport(
      argv`partnership link --partnership ${uuid} --platform slack --workspace T01 --channel C01 --purpose support`,
    );
    expect(byUuid.code).toBe(1);
    expect(byUuid.stdout).toEqual([]);
    expect(byUuid.stderr).toEqual([
      `rapport partnership link: No partnership has the id ${uuid}. \`rapport partnership list\` shows them.`,
    ]);

    const byName = await rapport(["digest", "--partnership", "acme"]);
    expect(byName.code).toBe(1);
    expect(byName.stdout).toEqual([]);
    expect(byName.stderr).toEqual([
      "rapport digest: No partnership has the id acme. `rapport partnership list` shows them.",
    ]);
  });
});

describe("rapport with no command to run", () => {
  it.each([["frobnicate"], ["partnership", "delete"], ["partnership"]])(
    "exits 2 for the unknown command %j",
    async (...args) => {
      const run = await rapport(args);
      expect(run.code).toBe(2);
      expect(run.stderr).toEqual([
        `rapport: unknown command "${args.join(" ")}"; \`rapport help\` lists the commands`,
      ]);
    },
  );

  it.each([["help"], ["--help"], ["-h"]])("prints the usage for %s and exits 0", async (flag) => {
    const run = await rapport([flag]);
    expect(run.code).toBe(0);
    expect(run.stderr).toEqual([]);
    expect(run.stdout[0]).toMatch(/^rapport: /);
    for (const command of [
      "serve",
      "migrate",
      "partnership create",
      "partnership link",
      "partnership list",
      "partnership configure",
      "member add",
      "demo",
      "digest",
      "export",
    ]) {
      expect(run.stdout.some((l) => l.trimStart().startsWith(command))).toBe(true);
    }
  });

  it("names a bad environment variable and exits non-zero without opening the database", async () => {
    const run = await rapport(["partnership", "list"], {
      PORT: "abc",
      RAPPORT_DATA_DIR: path.join(root, "never-opened"),
    });
    expect(run.code).toBe(2);
    expect(run.stdout).toEqual([]);
    expect(run.stderr).toContain('  PORT: expected a whole number from 1 to 65535, got "abc"');
    expect(run.stderr[0]).toBe("rapport partnership list: Configuration is invalid:");
    expect(existsSync(path.join(root, "never-opened"))).toBe(false);
  });
});

describe("rapport demo, digest and export", () => {
  let demoId: string;
  let firstExport: ExportJson;

  beforeAll(async () => {
    const run = await rapport(["demo"]);
    expect(run.stderr).toEqual([]);
    expect(run.code).toBe(0);
    expect(run.stdout[0]).toMatch(/^Demo partnership ".+" has \d+ new events\.$/);
    expect(run.stdout[1]).toMatch(UUID);
    demoId = run.stdout[1]!;
    expect(run.stdout[2]).toBe(`See its digest: rapport digest --partnership ${demoId}`);
    firstExport = await exportJson(demoId);
  }, 60_000);

  it("records nothing new when run a second time", SLOW, async () => {
    const again = await rapport(["demo"]);
    expect(again.code).toBe(0);
    expect(again.stdout[0]).toMatch(/^Demo partnership ".+" is already there; nothing new recorded\.$/);
    expect(again.stdout[1]).toBe(demoId);
    const second = await exportJson(demoId);
    expect(firstExport.events.length).toBeGreaterThan(100);
    expect(second.events.length).toBe(firstExport.events.length);
    expect(second.issues.length).toBe(firstExport.issues.length);
  });

  it("prints the digest as text with both health scores and sparklines, and as JSON", SLOW, async () => {
    const text = await rapport(["digest", "--partnership", demoId]);
    expect(text.code).toBe(0);
    expect(text.stderr).toEqual([]);
    expect(text.stdout.join("\n")).toMatch(/^Health {2}provider \d{1,3}\/100 {2}client \d{1,3}\/100$/m);
    const trend = text.stdout.find((l) => l.startsWith("Trend"));
    expect(trend).toMatch(new RegExp(`provider ${SPARK.source}+ {2}client ${SPARK.source}+$`));

    const json = await rapport(["digest", "--partnership", demoId, "--format", "json"]);
    expect(json.code).toBe(0);
    const parsed = JSON.parse(json.stdout.join("\n")) as {
      digest: { scores: { provider: unknown; client: unknown } };
      metrics: unknown;
    };
    expect(parsed.digest.scores).toEqual({ provider: expect.any(Number), client: expect.any(Number) });
    expect(parsed.metrics).toBeTypeOf("object");
    // The text and the JSON describe the same week.
    expect(text.stdout.join("\n")).toContain(
      `provider ${String(parsed.digest.scores.provider)}/100  client ${String(parsed.digest.scores.client)}/100`,
    );
  });

  it("rejects a week that is not a date with exit 2 and one line", SLOW, async () => {
    const run = await rapport(["digest", "--partnership", demoId, "--week", "2026-13-45"]);
    expect(run.code).toBe(2);
    expect(run.stdout).toEqual([]);
    expect(run.stderr).toEqual(['rapport digest: --week: no such date (got "2026-13-45")']);
  });

  it("exports CSV files with a header and one row per exported item", SLOW, async () => {
    const out = path.join(root, "csv");
    const run = await rapport(["export", "--partnership", demoId, "--format", "csv", "--out", out]);
    expect(run.code).toBe(0);
    const { events, issues, recommendations, calls } = firstExport;
    expect(run.stdout[0]).toBe(
      `exported ${events.length} events, ${issues.length} issues, ${recommendations.length} recommendations ` +
        `and ${calls.length} calls of "${firstExport.partnership.name}":`,
    );
    for (const [name, items] of Object.entries({ events, issues, recommendations, calls })) {
      const file = path.join(out, `${name}.csv`);
      expect(run.stdout).toContain(`  ${file}`);
      const [header, ...rows] = parseCsv(await readFile(file, "utf8"));
      expect(header, name).toContain("id");
      expect(items.length, name).toBeGreaterThan(0);
      expect(rows.length, name).toBe(items.length);
      for (const row of rows) expect(row.length, name).toBe(header!.length);
    }
  });
});
