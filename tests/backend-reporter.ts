import type { Reporter, TestModule } from "vitest/node";

// The database suites run once per backend (projects "pglite" and "postgres"). A backend whose
// suites were left out or did not pass must fail the run where both are required (CI), rather
// than let a green run hide that one backend was never tested.
const BACKENDS = ["pglite", "postgres"] as const;

/** Prints how many database tests passed on each backend; fails the run if a required one ran none. */
export default class BackendReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    const passed = new Map<string, number>(BACKENDS.map((b) => [b, 0]));
    const failed = new Map<string, number>(BACKENDS.map((b) => [b, 0]));
    for (const mod of testModules) {
      const name = mod.project.name;
      if (!passed.has(name)) continue;
      for (const test of mod.children.allTests()) {
        const state = test.result().state;
        if (state === "passed") passed.set(name, (passed.get(name) ?? 0) + 1);
        if (state === "failed") failed.set(name, (failed.get(name) ?? 0) + 1);
      }
    }
    const line = BACKENDS.map((b) => `${b} ${passed.get(b)} passed, ${failed.get(b)} failed`).join("; ");
    console.log(`\nDatabase suites by backend: ${line}`);
    const required = (process.env.RAPPORT_REQUIRE_BACKENDS ?? "").split(",").filter(Boolean);
    for (const backend of required) {
      if (!passed.get(backend)) {
        console.error(`The ${backend} database suites did not run or did not pass: failing the run.`);
        process.exitCode = 1;
      }
    }
  }
}
