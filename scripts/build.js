// Builds what `rapport` runs: the TypeScript sources bundled into plain JavaScript under dist/,
// one folder per version of the sources. `npm install` builds (the `prepare` script) and
// bin/rapport.js builds again only when the sources changed since, so the process never
// transpiles TypeScript while it runs and never runs code older than its sources. Tests run the
// sources (vitest transpiles them), except those that start `rapport` as a process.
//
// Plain JavaScript on purpose: it runs before anything is built.
import { createHash, randomBytes } from "node:crypto";
import {
  readdirSync,
  readFileSync,
  existsSync,
  mkdirSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const DIST = path.join(ROOT, "dist");
const SOURCE_FOLDERS = ["src", "adapters", "app", "migrations"];
const ENTRIES = { cli: "app/cli/index.ts", template: "src/store/pglite-template.ts" };
const KEEP_BUILDS = 3;

/** Every file the build reads, relative to the root, in a stable order. */
function sourceFiles() {
  const files = [];
  for (const folder of SOURCE_FOLDERS) {
    for (const entry of readdirSync(path.join(ROOT, folder), { recursive: true, withFileTypes: true })) {
      if (entry.isFile() && entry.name.endsWith(".ts")) {
        files.push(path.relative(ROOT, path.join(entry.parentPath, entry.name)));
      }
    }
  }
  return files.sort();
}

/** A name for this version of `files`: a hash of their names and contents. */
function versionOf(files) {
  const hash = createHash("sha256");
  for (const file of files) {
    hash
      .update(file)
      .update("\0")
      .update(readFileSync(path.join(ROOT, file)))
      .update("\0");
  }
  return hash.digest("hex").slice(0, 16);
}

/** A name for this version of the sources: a hash of their contents and of how they are built. */
export function sourceVersion() {
  return versionOf([...sourceFiles(), "scripts/build.js", "package.json"]);
}

/**
 * Where the embedded database's template for the current migrations is kept (whether or not it
 * has been built): named by the migrations and the embedded server's version, so that a template
 * is never used with a schema it was not made from.
 */
export function templateFile() {
  // The migrations, and the list that runs them (a migration file it does not name yet is not run).
  const migrations = [
    ...sourceFiles().filter((f) => f.startsWith("migrations" + path.sep)),
    path.join("src", "store", "migrate.ts"),
  ];
  const pglite = "node_modules/@electric-sql/pglite/package.json";
  const files = existsSync(path.join(ROOT, pglite)) ? [...migrations, pglite] : migrations;
  return path.join(DIST, `pglite-${versionOf(files)}.tar.gz`);
}

/**
 * Builds the embedded database's template (see src/store/pglite-template.ts) unless it is there:
 * npm install pays the 10–20 s of making a cluster once, instead of the first start.
 */
async function buildTemplate(entry, quiet) {
  const file = templateFile();
  if (existsSync(file)) return file;
  const started = Date.now();
  const { writeTemplate } = await import(pathToFileURL(path.join(path.dirname(entry), "template.js")).href);
  await writeTemplate(file);
  for (const old of readdirSync(DIST)) {
    if (old.startsWith("pglite-") && path.join(DIST, old) !== file)
      rmSync(path.join(DIST, old), { force: true });
  }
  if (!quiet) {
    process.stderr.write(`rapport: built ${path.relative(ROOT, file)} in ${Date.now() - started} ms\n`);
  }
  return file;
}

/** The built command-line entry for the current sources, building it first if there is none. */
export async function builtEntry({ quiet = true } = {}) {
  const version = sourceVersion();
  const folder = path.join(DIST, version);
  const entry = path.join(folder, "cli.js");
  if (existsSync(entry)) return entry;
  await build(folder, quiet);
  return entry;
}

async function build(folder, quiet) {
  let esbuild;
  try {
    esbuild = await import("esbuild");
  } catch {
    throw new Error("rapport is not built and esbuild is missing to build it: run `npm install` in " + ROOT);
  }
  const started = Date.now();
  mkdirSync(DIST, { recursive: true });
  // Built aside and renamed into place: processes starting together never see half a build.
  const scratch = path.join(DIST, `.building-${process.pid}-${randomBytes(4).toString("hex")}`);
  try {
    const result = await esbuild.build({
      absWorkingDir: ROOT,
      entryPoints: ENTRIES,
      outdir: scratch,
      bundle: true,
      splitting: true, // a command's own modules load only when that command runs
      format: "esm",
      platform: "node",
      target: "node20",
      // The packages are bundled too: one file to read instead of thousands (Bolt and botbuilder
      // alone load over a thousand) halves the CPU a start costs. Left outside: the embedded
      // database (it loads its WebAssembly beside itself), pg's optional native driver, and the
      // logger (its worker threads are started from files of its own).
      external: ["@electric-sql/pglite", "pg-native", "pino"],
      // Bundled CommonJS packages call require() for Node's modules.
      banner: {
        js: 'import { createRequire as createRequire$ } from "node:module"; const require = createRequire$(import.meta.url);',
      },
      sourcemap: "linked",
      chunkNames: "chunks/[name]-[hash]",
      logLevel: "error",
      metafile: true,
    });
    // Which sources each built file holds: for tests that check what a command loads.
    const outputs = Object.entries(result.metafile.outputs).map(([file, output]) => [
      path.relative(scratch, path.join(ROOT, file)).split(path.sep).join("/"),
      { inputs: Object.keys(output.inputs) },
    ]);
    writeFileSync(
      path.join(scratch, "metafile.json"),
      JSON.stringify({ outputs: Object.fromEntries(outputs) }),
    );
    try {
      renameSync(scratch, folder);
    } catch (e) {
      // Another process built the same version first: theirs is as good as ours.
      if (!existsSync(path.join(folder, "cli.js"))) throw e;
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  removeOldBuilds(path.basename(folder));
  if (!quiet) {
    process.stderr.write(`rapport: built ${path.relative(ROOT, folder)} in ${Date.now() - started} ms\n`);
  }
}

/** Keeps the newest few builds (a running process may still load chunks from its own). */
function removeOldBuilds(current) {
  const builds = readdirSync(DIST, { withFileTypes: true })
    .filter((e) => e.isDirectory() && !e.name.startsWith(".") && e.name !== current)
    .map((e) => ({ name: e.name, at: statSync(path.join(DIST, e.name)).mtimeMs }))
    .sort((a, b) => b.at - a.at);
  for (const old of builds.slice(KEEP_BUILDS - 1)) {
    rmSync(path.join(DIST, old.name), { recursive: true, force: true });
  }
}

// `node scripts/build.js` (npm's prepare step): build the code and the template now.
if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  await buildTemplate(await builtEntry({ quiet: false }), false);
}
