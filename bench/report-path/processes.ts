// The apps under load, each a child process of its own so that its CPU time and memory can be read
// from /proc: started, waited on until ready (never a fixed sleep), measured, stopped.
import { spawn, type ChildProcess } from "node:child_process";
import { openSync, readFileSync, closeSync } from "node:fs";
import { createServer } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";

/** Clock ticks per second of /proc/<pid>/stat's utime and stime (USER_HZ, 100 on Linux). */
const TICKS_PER_SECOND = 100;

/** One app under load. */
export interface AppProcess {
  name: string;
  pid: number;
  /** "http://127.0.0.1:<port>". */
  url: string;
  /** Where its stdout and stderr go. */
  logFile: string;
  /** User + system CPU time it has used so far, in milliseconds. */
  cpuMs(): number;
  /** Its resident memory now, in MB. */
  rssMb(): number;
  /** SIGTERM, then SIGKILL if it has not exited within 10 s. */
  stop(): Promise<void>;
}

/** How to start an app. */
export interface AppSpec {
  name: string;
  command: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  cwd: string;
  port: number;
  logFile: string;
  /** Path answering 200 once the app can take requests. */
  readyPath: string;
}

/** A TCP port nothing listens on now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

/** Starts `spec` and resolves once its ready path answers 200, within `timeoutMs`. */
export async function startApp(spec: AppSpec, timeoutMs: number): Promise<AppProcess> {
  const log = openSync(spec.logFile, "w");
  const child = spawn(spec.command, spec.args, { cwd: spec.cwd, env: spec.env, stdio: ["ignore", log, log] });
  closeSync(log);
  if (child.pid === undefined) throw new Error(`${spec.name} did not start: ${spec.command}`);
  const pid = child.pid;
  const app: AppProcess = {
    name: spec.name,
    pid,
    url: `http://127.0.0.1:${spec.port}`,
    logFile: spec.logFile,
    cpuMs: () => cpuMs(pid),
    rssMb: () => rssMb(pid),
    stop: () => stopChild(child),
  };
  try {
    await waitReady(app, child, spec.readyPath, timeoutMs);
  } catch (e) {
    await app.stop();
    throw e;
  }
  return app;
}

async function waitReady(app: AppProcess, child: ChildProcess, path: string, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`${app.name} exited (${child.exitCode ?? child.signalCode}):\n${tail(app.logFile)}`);
    }
    try {
      const res = await fetch(`${app.url}${path}`, { signal: AbortSignal.timeout(2_000) });
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await sleep(200);
  }
  throw new Error(`${app.name} was not ready within ${timeoutMs / 1000} s:\n${tail(app.logFile)}`);
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill("SIGTERM");
  });
}

/** CPU an app may use and still count as at rest: 2 % of a core. */
const AT_REST_SHARE = 0.02;

/**
 * Waits until each app has been at rest (at most 2 % of a core) for `restMs` in a row, once (the
 * baselines have their own short blips now and then, so not all at the same time), or `ceilingMs`
 * at most; resolves whether they all were. Idle memory is that of a process at rest,
 * not of one still in its start: rapport's start runs a first pass of its jobs, and V8 gives back
 * the memory of a busy spell some 8 s after it ends.
 */
export async function atRest(
  apps: readonly AppProcess[],
  restMs = 10_000,
  ceilingMs = 120_000,
): Promise<boolean> {
  const stepMs = 500;
  const restingSince = new Map(apps.map((a) => [a, Date.now()]));
  const rested = new Set<AppProcess>();
  let cpu = new Map(apps.map((a) => [a, a.cpuMs()]));
  for (const end = Date.now() + ceilingMs; Date.now() < end;) {
    await sleep(stepMs);
    const now = Date.now();
    const next = new Map(apps.map((a) => [a, a.cpuMs()]));
    for (const a of apps) {
      if (rested.has(a)) continue;
      if (next.get(a)! - cpu.get(a)! > stepMs * AT_REST_SHARE) restingSince.set(a, now);
      else if (now - restingSince.get(a)! >= restMs) rested.add(a);
    }
    cpu = next;
    if (rested.size === apps.length) return true;
  }
  return false;
}

/** utime + stime of a process, in milliseconds (fields 14 and 15 of /proc/<pid>/stat). */
function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  // The command name (field 2) is in parentheses and may hold spaces: count fields after it.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const ticks = Number(fields[11]) + Number(fields[12]);
  return (ticks * 1000) / TICKS_PER_SECOND;
}

/** VmRSS of a process, in MB. */
function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = Number(/^VmRSS:\s+(\d+) kB/m.exec(status)?.[1] ?? NaN);
  return kb / 1024;
}

/** The last lines of a log file, to say why an app did not start. */
export function tail(file: string, lines = 30): string {
  try {
    return readFileSync(file, "utf8").trimEnd().split("\n").slice(-lines).join("\n");
  } catch {
    return "(no log)";
  }
}
