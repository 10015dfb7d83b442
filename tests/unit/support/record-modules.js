// Records the modules a process loads, one file URL a line, in the file RAPPORT_MODULE_TRACE
// names. Preload it (`node --import <this file> …`): it registers itself as a resolution hook, so
// every ES module resolution is recorded from the loader thread, and when the process exits it
// adds every CommonJS file in require's cache, which on Node 20 includes the files a package
// require()s itself, past the hook.
import { appendFileSync } from "node:fs";
import { createRequire, register } from "node:module";
import { pathToFileURL } from "node:url";
import { isMainThread } from "node:worker_threads";

const trace = process.env.RAPPORT_MODULE_TRACE;
if (!trace) throw new Error("record-modules.js: set RAPPORT_MODULE_TRACE to the file to write");

/** The resolution hook, run in the loader thread for each import. */
export async function resolve(specifier, context, nextResolve) {
  const resolved = await nextResolve(specifier, context);
  appendFileSync(trace, `${resolved.url}\n`);
  return resolved;
}

if (isMainThread) {
  register(import.meta.url);
  const cache = createRequire(import.meta.url).cache;
  process.on("exit", () => {
    appendFileSync(
      trace,
      Object.keys(cache)
        .map((file) => `${pathToFileURL(file).href}\n`)
        .join(""),
    );
  });
}
