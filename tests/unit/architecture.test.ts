import { spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { builtinModules } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import ts from "typescript";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// The dependency rule of STYLE.md ("The house"), checked by reading every import so that it
// stays true without anyone remembering it.

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const SCANNED = ["src", "adapters", "app", "migrations"];

interface SourceFile {
  /** Repository-relative, with forward slashes: "src/domain/issue.ts". */
  path: string;
  specifiers: string[];
}

interface Violation {
  file: string;
  specifier: string;
  rule: string;
}

/** What an import points at: a file of ours (repository-relative), a Node builtin, or a package. */
type Target = { kind: "file"; path: string } | { kind: "builtin" } | { kind: "package"; name: string };

const BUILTINS = new Set(builtinModules);

function listSources(dir: string): string[] {
  let entries;
  try {
    entries = readdirSync(path.join(ROOT, dir), { withFileTypes: true });
  } catch {
    return [];
  }
  return entries.flatMap((entry) => {
    const relative = `${dir}/${entry.name}`;
    if (entry.isDirectory()) return entry.name === "node_modules" ? [] : listSources(relative);
    return /\.[mc]?ts$/.test(entry.name) ? [relative] : [];
  });
}

/** Static, side-effect and dynamic imports, `export … from`, `import("…")` types and `require("…")`. */
function importSpecifiers(source: string): string[] {
  // TypeScript's own scanner skips comments and strings, which a regex cannot do reliably.
  return ts.preProcessFile(source, true, true).importedFiles.map((f) => f.fileName);
}

function resolveTarget(file: string, specifier: string): Target {
  if (specifier.startsWith(".")) {
    return { kind: "file", path: path.posix.normalize(path.posix.join(path.posix.dirname(file), specifier)) };
  }
  if (specifier.startsWith("node:") || BUILTINS.has(specifier)) return { kind: "builtin" };
  const parts = specifier.split("/");
  const name = specifier.startsWith("@") ? parts.slice(0, 2).join("/") : (parts[0] ?? specifier);
  return { kind: "package", name };
}

function under(filePath: string, ...dirs: string[]): boolean {
  return dirs.some((dir) => filePath === dir || filePath.startsWith(`${dir}/`));
}

const STORE_PACKAGES = new Set(["kysely", "pg", "@electric-sql/pglite"]);
const CORE_ENTRY = new Set(["src/index.ts", "src/index.js", "src/index"]);

/** Returns why `specifier` in `file` breaks the dependency rule, or null when it does not. */
function brokenRule(file: string, specifier: string): string | null {
  const target = resolveTarget(file, specifier);
  const pkg = target.kind === "package" ? target.name : null;
  const into = target.kind === "file" ? target.path : null;

  if (under(file, "src/domain")) {
    if (into !== null && !under(into, "src/domain"))
      return "src/domain imports nothing of ours outside src/domain";
    if (target.kind === "builtin") return "src/domain is pure: no Node builtins";
    // ical.js only parses text (holiday calendars), entities only decodes HTML entities (chat
    // text): no I/O, so the domain stays pure.
    const pure = pkg === null || ["zod", "luxon", "ical.js", "entities"].includes(pkg);
    if (!pure) return "src/domain imports only zod, luxon, ical.js and entities";
  }
  if (under(file, "src/services", "src/jobs")) {
    const allowed =
      into === null ||
      under(into, "src/domain", "src/store", "src/services", "src/jobs") ||
      into === "src/ports.ts" ||
      into === "src/telemetry.ts";
    if (!allowed) {
      return "src/services and src/jobs import only domain, store, ports.ts, telemetry.ts, services, jobs";
    }
    const cron = pkg === "node-cron" && file === "src/jobs/scheduler.ts";
    if (pkg !== null && pkg !== "zod" && pkg !== "luxon" && !cron) {
      return "src/services and src/jobs import only zod, luxon and node: builtins";
    }
  }
  if (
    pkg !== null &&
    STORE_PACKAGES.has(pkg) &&
    !under(file, "src/store") &&
    !(pkg === "kysely" && under(file, "migrations"))
  ) {
    return "only src/store speaks SQL (kysely, pg, @electric-sql/pglite); migrations/ may use kysely";
  }
  if (pkg?.startsWith("@slack/") && !under(file, "adapters/slack"))
    return "only adapters/slack imports @slack/*";
  if ((pkg?.startsWith("botbuilder") || pkg?.startsWith("botframework-")) && !under(file, "adapters/teams")) {
    return "only adapters/teams imports botbuilder*";
  }
  if (into !== null && under(file, "adapters/slack") && under(into, "adapters/teams"))
    return "adapters/slack never imports adapters/teams";
  if (into !== null && under(file, "adapters/teams") && under(into, "adapters/slack"))
    return "adapters/teams never imports adapters/slack";
  if (into !== null && under(file, "adapters") && under(into, "src") && !CORE_ENTRY.has(into)) {
    return "adapters import the core only through src/index.ts";
  }
  if (pkg === "node-cron" && file !== "src/jobs/scheduler.ts")
    return "only src/jobs/scheduler.ts imports node-cron";
  if (into !== null && under(file, "src") && under(into, "adapters", "app")) {
    return "src/ imports nothing from adapters/ or app/";
  }
  if (into !== null && under(into, "app") && !under(file, "app")) {
    return "nothing of ours imports app/ (the composition root) but app/ itself";
  }
  if (into !== null && under(into, "adapters") && !under(file, "adapters", "app")) {
    return "only app/ (the composition root) wires in adapters/";
  }
  return null;
}

/** Every import in `files` that breaks the dependency rule. */
function checkDependencyRule(files: readonly SourceFile[]): Violation[] {
  return files.flatMap((f) =>
    f.specifiers.flatMap((specifier) => {
      const rule = brokenRule(f.path, specifier);
      return rule === null ? [] : [{ file: f.path, specifier, rule }];
    }),
  );
}

function report(violations: readonly Violation[]): string {
  return violations.map((v) => `${v.file}: "${v.specifier}" (${v.rule})`).join("\n");
}

describe("the dependency rule", () => {
  const files: SourceFile[] = SCANNED.flatMap(listSources).map((p) => ({
    path: p,
    specifiers: importSpecifiers(readFileSync(path.join(ROOT, p), "utf8")),
  }));

  it("holds for every import in src/, adapters/, app/ and migrations/", () => {
    expect(files.some((f) => f.path.startsWith("src/domain/"))).toBe(true);
    expect(files.some((f) => f.path === "app/server.ts")).toBe(true);
    expect(report(checkDependencyRule(files))).toBe("");
  });

  it("reads every kind of import, and not imports in comments", () => {
    const source = [
      'import { z } from "zod";',
      'import type {\n  A,\n  B,\n} from "./a.ts";',
      'import "./side-effect.ts";',
      'export * from "./b.ts";',
      'export { c } from "./c.ts";',
      'const d = await import("./d.ts");',
      "const e = await import(`./e.ts`);",
      '// import { x } from "./commented.ts";',
      '/** Use `import("pg")` elsewhere. */',
      'const url = "https://example.com"; import f from "./f.ts";',
      'const glob = "src/**/*.ts"; import g from "./g.ts"; /* a comment */',
      'type T = typeof import("./t.ts");',
    ].join("\n");
    expect(importSpecifiers(source).sort()).toEqual(
      [
        "zod",
        "./a.ts",
        "./side-effect.ts",
        "./b.ts",
        "./c.ts",
        "./d.ts",
        "./e.ts",
        "./f.ts",
        "./g.ts",
        "./t.ts",
      ].sort(),
    );
  });

  it("reports each kind of violation (so the first test cannot pass by finding nothing)", () => {
    const fake: SourceFile[] = [
      {
        path: "src/domain/issue.ts",
        specifiers: ["./vocabulary.ts", "zod", "../store/ledger.ts", "node:fs", "pino"],
      },
      {
        path: "src/services/report-issue.ts",
        specifiers: ["../ports.ts", "../store/ledger.ts", "../http/server.ts", "pino", "node:crypto"],
      },
      { path: "src/jobs/scheduler.ts", specifiers: ["node-cron", "../telemetry.ts"] },
      { path: "src/jobs/outbox.ts", specifiers: ["node-cron"] },
      {
        path: "src/http/server.ts",
        specifiers: ["kysely", "../../adapters/slack/app.ts", "../../app/cli/index.ts"],
      },
      { path: "src/main.ts", specifiers: ["../adapters/slack/app.ts", "../adapters/teams/app.ts"] },
      { path: "src/store/database.ts", specifiers: ["kysely", "pg", "@electric-sql/pglite"] },
      {
        path: "migrations/0001_init.ts",
        specifiers: ["kysely", "pg", "../adapters/slack/settings.ts", "../app/config.ts"],
      },
      {
        path: "app/server.ts",
        specifiers: [
          "../src/app.ts",
          "../src/store/database.ts",
          "../adapters/slack/app.ts",
          "../adapters/teams/app.ts",
          "./config.ts",
        ],
      },
      { path: "app/cli/index.ts", specifiers: ["../../src/services/report-issue.ts", "../server.ts", "zod"] },
      { path: "adapters/teams/settings.ts", specifiers: ["zod", "../../src/index.ts"] },
      {
        path: "adapters/slack/app.ts",
        specifiers: [
          "@slack/bolt",
          "../../src/index.ts",
          "../../app/config.ts",
          "../../src/domain/issue.ts",
          "../teams/cards.ts",
          "botbuilder",
        ],
      },
      {
        path: "adapters/teams/app.ts",
        specifiers: ["botbuilder", "../slack/blocks.ts", "@slack/web-api", "../../src/index.ts"],
      },
    ];
    const found = checkDependencyRule(fake).map((v) => `${v.file} -> ${v.specifier}`);
    expect(found.sort()).toEqual(
      [
        "src/domain/issue.ts -> ../store/ledger.ts",
        "src/domain/issue.ts -> node:fs",
        "src/domain/issue.ts -> pino",
        "src/services/report-issue.ts -> ../http/server.ts",
        "src/services/report-issue.ts -> pino",
        "src/jobs/outbox.ts -> node-cron",
        "src/http/server.ts -> kysely",
        "src/http/server.ts -> ../../adapters/slack/app.ts",
        "src/http/server.ts -> ../../app/cli/index.ts",
        "src/main.ts -> ../adapters/slack/app.ts",
        "src/main.ts -> ../adapters/teams/app.ts",
        "migrations/0001_init.ts -> pg",
        "migrations/0001_init.ts -> ../adapters/slack/settings.ts",
        "migrations/0001_init.ts -> ../app/config.ts",
        "adapters/slack/app.ts -> ../../app/config.ts",
        "adapters/slack/app.ts -> ../../src/domain/issue.ts",
        "adapters/slack/app.ts -> ../teams/cards.ts",
        "adapters/slack/app.ts -> botbuilder",
        "adapters/teams/app.ts -> ../slack/blocks.ts",
        "adapters/teams/app.ts -> @slack/web-api",
      ].sort(),
    );
  });
});

// Adapters reach the core only through src/index.ts, so what it exports is all they can touch: the
// application interface (Rapport), pure domain code and types. A store, the Core that holds the
// stores, or a raw service would let an adapter read or write the database around the use cases.
const STORE_REACHING = [/^\.\/store\//, /^\.\/services\/(?!rapport\.ts$|access\.ts$)/, /^\.\/app\.ts$/];

/** Every value (not type) src/index.ts exports from a store, the Core or a raw service. */
function storeReachingExports(source: string): string[] {
  const file = ts.createSourceFile("index.ts", source, ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  for (const statement of file.statements) {
    if (!ts.isExportDeclaration(statement) || !statement.moduleSpecifier) continue;
    const from = (statement.moduleSpecifier as ts.StringLiteral).text;
    if (!STORE_REACHING.some((re) => re.test(from)) || statement.isTypeOnly) continue;
    const clause = statement.exportClause;
    if (!clause) {
      found.push(`* from ${from}`);
      continue;
    }
    if (ts.isNamedExports(clause)) {
      for (const element of clause.elements) {
        // Constants and pure helpers of a service module (DEFAULT_PRIORITY) are no way in.
        const name = element.name.text;
        const constant = /^[A-Z][A-Z0-9_]*$/.test(name);
        if (!element.isTypeOnly && !constant) found.push(`${name} from ${from}`);
      }
    } else found.push(`* as ${clause.name.text} from ${from}`);
  }
  return found;
}

describe("the core's public surface", () => {
  it("offers adapters the application interface, never a store, the Core or a raw service", () => {
    const source = readFileSync(path.join(ROOT, "src/index.ts"), "utf8");
    expect(source).toMatch(/\bRapport\b/);
    expect(storeReachingExports(source)).toEqual([]);
  });

  it("finds each way around the use cases (so the test above cannot pass by finding nothing)", () => {
    const fake = [
      'export type { Member } from "./store/partnerships.ts";',
      'export { PartnershipStore } from "./store/partnerships.ts";',
      'export * from "./store/ledger.ts";',
      'export type { Core } from "./services/core.ts";',
      'export { createCore } from "./services/core.ts";',
      'export { reportIssue, DEFAULT_PRIORITY, type IssueFields } from "./services/report-issue.ts";',
      'export { Rapport, type Request } from "./services/rapport.ts";',
      'export { HOW_TO_LINK } from "./services/access.ts";',
      'export { openApp } from "./app.ts";',
    ].join("\n");
    expect(storeReachingExports(fake)).toEqual([
      "PartnershipStore from ./store/partnerships.ts",
      "* from ./store/ledger.ts",
      "createCore from ./services/core.ts",
      "reportIssue from ./services/report-issue.ts",
      "openApp from ./app.ts",
    ]);
  });
});

// The rule above is about what a file names; this is about what a process loads. Commands that do
// not serve must not pay for (or depend on) the chat SDKs, so the CLI imports the composition root
// lazily, and the composition root each adapter only when its platform is configured.
describe("a rapport command that does not serve", () => {
  const BIN = path.join(ROOT, "bin/rapport.js");
  const RECORDER = pathToFileURL(path.join(ROOT, "tests/unit/support/record-modules.js")).href;
  const ADAPTERS = `${pathToFileURL(ROOT).href}/adapters/`;
  const CHAT_SDK = /\/node_modules\/(@slack\/|botbuilder|botframework-)/;
  /** How long one command may take on a slow, busy machine (each opens the embedded database). */
  const EXIT_MS = 120_000;
  let root: string;

  beforeAll(async () => {
    root = await mkdtemp(path.join(tmpdir(), "rapport-modules-"));
  });

  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  interface Recorded {
    code: number | null;
    stderr: string;
    /** The URL of every module the process resolved or required, node_modules included. */
    modules: string[];
  }

  /** Runs `rapport <args>` through bin/rapport.js, as an operator would, recording what it loads. */
  async function recorded(args: string[], slackApiUrl = "http://127.0.0.1:9/api/"): Promise<Recorded> {
    const trace = path.join(root, `${args.join("-")}.modules`);
    // Nothing from the shell running the tests: its own settings, a .env (the temporary folder is
    // the working directory) or NODE_OPTIONS.
    const outside = Object.fromEntries(
      Object.entries(process.env).filter(
        ([k]) =>
          !/^(DATABASE_URL|PORT|HOST|LOG_LEVEL|NODE_ENV|NODE_OPTIONS|RAPPORT_|SLACK_|Microsoft)/.test(k),
      ),
    );
    const child = spawn(process.execPath, ["--import", RECORDER, BIN, ...args], {
      cwd: root,
      env: {
        ...outside,
        RAPPORT_MODULE_TRACE: trace,
        RAPPORT_DATA_DIR: path.join(root, "data"),
        LOG_LEVEL: "silent",
        NODE_ENV: "test",
        // Both platforms are configured (Teams is in local mode without an app id), so a command
        // that wired them in would load their SDKs.
        SLACK_SIGNING_SECRET: "not-a-secret",
        SLACK_BOT_TOKEN: "xoxb-not-a-token",
        SLACK_API_URL: slackApiUrl,
      },
      stdio: ["ignore", "ignore", "pipe"],
      timeout: EXIT_MS,
      killSignal: "SIGKILL",
    });
    let stderr = "";
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    const code = await new Promise<number | null>((resolve, reject) => {
      child.once("error", reject);
      child.once("close", (exitCode, signal) => {
        if (signal) stderr += `\n(ended by ${signal}: more than ${EXIT_MS} ms?)`;
        resolve(exitCode);
      });
    });
    const modules = (await readFile(trace, "utf8").catch(() => "")).split("\n").filter(Boolean);
    return { code, stderr, modules: [...new Set(modules.flatMap(sourcesOf))] };
  }

  /**
   * The sources a loaded file holds: a built file under dist/ stands for the sources bundled into
   * it (the build's metafile says which), so the checks below speak of sources either way.
   */
  function sourcesOf(url: string): string[] {
    const dist = `${pathToFileURL(ROOT).href}/dist/`;
    if (!url.startsWith(dist)) return [url];
    const [version, ...rest] = url.slice(dist.length).split("/");
    const meta = JSON.parse(readFileSync(path.join(ROOT, "dist", version!, "metafile.json"), "utf8")) as {
      outputs: Record<string, { inputs: string[] }>;
    };
    const inputs = meta.outputs[rest.join("/")]?.inputs ?? [];
    return inputs.map((input) => `${pathToFileURL(ROOT).href}/${input}`);
  }

  it(
    "loads no chat SDK and no adapter but its settings: rapport migrate, rapport partnership list",
    async () => {
      for (const args of [["migrate"], ["partnership", "list"]]) {
        const run = await recorded(args);
        expect(run.code, run.stderr).toBe(0);
        // The recorder saw this process's packages, so finding no SDK below means something.
        expect(run.modules.some((m) => m.includes("/node_modules/@electric-sql/pglite/"))).toBe(true);
        expect(run.modules.filter((m) => CHAT_SDK.test(m))).toEqual([]);
        const adapterFiles = run.modules.filter((m) => m.startsWith(ADAPTERS));
        expect(adapterFiles.sort()).toEqual([`${ADAPTERS}slack/settings.ts`, `${ADAPTERS}teams/settings.ts`]);
      }
    },
    2 * EXIT_MS + 10_000,
  );

  it(
    "while rapport jobs run, which sends through the platforms, does load them (the recorder sees an SDK when one loads)",
    async () => {
      // Bolt checks its token as soon as it is built, and retries for minutes while Slack does not answer.
      const slack = createServer((_req, res) => {
        res.setHeader("content-type", "application/json");
        res.end(JSON.stringify({ ok: true, team_id: "T0", user_id: "U0", bot_id: "B0" }));
      });
      await new Promise<void>((resolve) => slack.listen(0, "127.0.0.1", resolve));
      const { port } = slack.address() as AddressInfo;
      const run = await recorded(["jobs", "run"], `http://127.0.0.1:${port}/api/`).finally(
        () => new Promise((resolve) => slack.close(resolve)),
      );
      expect(run.code, run.stderr).toBe(0);
      expect(run.modules.some((m) => m.includes("/node_modules/@slack/bolt/"))).toBe(true);
      expect(run.modules.some((m) => m.includes("/node_modules/botbuilder/"))).toBe(true);
      expect(run.modules).toContain(`${ADAPTERS}slack/slack-app.ts`);
      expect(run.modules).toContain(`${ADAPTERS}teams/teams-app.ts`);
    },
    EXIT_MS + 10_000,
  );
});
