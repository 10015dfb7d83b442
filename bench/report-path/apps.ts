// The five apps of the benchmark, each started as a process of its own: bare Bolt, Bolt with one
// INSERT, a bare CloudAdapter bot, a CloudAdapter bot with one INSERT, and `rapport serve` started
// the way a user starts it (bin/rapport.js), serving Slack and Teams with its jobs on.
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { FakeSlackApi } from "./fakes.ts";
import { SIGNING_SECRET } from "./payloads.ts";
import { freePort, startApp, type AppProcess } from "./processes.ts";
import type { BenchDatabase } from "./setup.ts";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/** The apps under load. */
export interface Apps {
  slackBare: AppProcess;
  slackMinimal: AppProcess;
  teamsBare: AppProcess;
  teamsMinimal: AppProcess;
  rapport: AppProcess;
}

/** Starts the five apps side by side: the four baselines and `rapport serve` as a user starts it. */
export async function startApps(
  db: BenchDatabase,
  fake: FakeSlackApi,
  logDir: string,
  readyTimeoutMs: number,
): Promise<Apps> {
  const base = { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? tmpdir() };
  const slack = {
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_BOT_TOKEN: "xoxb-1111111111-2222222222-benchbenchbenchbench",
    SLACK_API_URL: fake.url,
  };
  const baseline = async (name: string, script: string, record: boolean) => {
    const port = await freePort();
    return startApp(
      {
        name,
        command: process.execPath,
        args: ["--import", "tsx", path.join(ROOT, "bench/report-path", script)],
        env: {
          ...base,
          ...slack,
          DATABASE_URL: db.url,
          BENCH_PORT: String(port),
          BENCH_RECORD: record ? "on" : "off",
        },
        cwd: ROOT,
        port,
        logFile: path.join(logDir, `${name.replace(/\W+/g, "-")}.log`),
        readyPath: "/readyz",
      },
      readyTimeoutMs,
    );
  };
  const rapport = async () => {
    const port = await freePort();
    return startApp(
      {
        name: "rapport",
        command: process.execPath,
        // To see where rapport's time goes: BENCH_RAPPORT_NODE_ARGS="--cpu-prof --cpu-prof-dir=…".
        args: [...nodeArgs(), path.join(ROOT, "bin/rapport.js"), "serve"],
        // As deployed: production, its scheduled jobs and outbox sender on. Teams without an app id
        // (local mode, unauthenticated) must be allowed explicitly in production, on loopback only.
        env: {
          ...base,
          ...slack,
          NODE_ENV: "production",
          PORT: String(port),
          HOST: "127.0.0.1",
          DATABASE_URL: db.url,
          RAPPORT_JOBS: "on",
          LOG_LEVEL: "info",
          RAPPORT_TEAMS_ALLOW_UNAUTHENTICATED: "true",
        },
        // Away from the checkout, so that a developer's .env cannot change what is measured.
        cwd: logDir,
        port,
        logFile: path.join(logDir, "rapport.log"),
        readyPath: "/readyz",
      },
      readyTimeoutMs,
    );
  };
  // Started together, since rapport takes longest; if one does not start, the others are stopped.
  const started = await Promise.allSettled([
    baseline("bare Bolt", "slack-baseline.ts", false),
    baseline("minimal Bolt + INSERT", "slack-baseline.ts", true),
    baseline("bare CloudAdapter", "teams-baseline.ts", false),
    baseline("minimal CloudAdapter + INSERT", "teams-baseline.ts", true),
    rapport(),
  ]);
  const failed = started.find((s) => s.status === "rejected");
  if (failed) {
    await Promise.all(started.map((s) => (s.status === "fulfilled" ? s.value.stop() : null)));
    throw failed.reason;
  }
  const [slackBare, slackMinimal, teamsBare, teamsMinimal, r] = started.map(
    (s) => (s as PromiseFulfilledResult<AppProcess>).value,
  ) as [AppProcess, AppProcess, AppProcess, AppProcess, AppProcess];
  return { slackBare, slackMinimal, teamsBare, teamsMinimal, rapport: r };
}

/** Extra node flags for rapport's process (profiling), from BENCH_RAPPORT_NODE_ARGS. */
function nodeArgs(): string[] {
  return (process.env.BENCH_RAPPORT_NODE_ARGS ?? "").split(" ").filter(Boolean);
}
