import { isRapportError } from "../../src/domain/errors.ts";
import { JobsFailed, UsageError } from "./args.ts";
import { createCliContext, type CliContext } from "./context.ts";
import { processOutput, type Output } from "./output.ts";

type Command = (argv: string[], ctx: CliContext) => Promise<void>;

// Each command's module is imported when that command runs, so a command loads only what it
// uses: `partnership list` never loads the chat SDKs, the digest or the demo history.
const partnership = () => import("./partnership-commands.ts");
const run = () => import("./run-commands.ts");
const commands: Record<string, () => Promise<Command>> = {
  serve: async () => (await run()).serveCommand,
  migrate: async () => (await run()).migrateCommand,
  "partnership create": async () => (await partnership()).partnershipCreate,
  "partnership link": async () => (await partnership()).partnershipLink,
  "partnership list": async () => (await partnership()).partnershipList,
  "partnership configure": async () => (await import("./configure-command.ts")).partnershipConfigure,
  "member add": async () => (await partnership()).memberAdd,
  demo: async () => (await run()).demoCommand,
  digest: async () => (await import("./digest-command.ts")).digestCommand,
  export: async () => (await import("./export-command.ts")).exportCommand,
  "jobs run": async () => (await run()).jobsRunCommand,
};

/** The `rapport` command's help text. */
export const USAGE = `rapport: a two-sided ledger of an IT provider and its client, in Slack and Teams

usage: rapport <command> [flags]

  serve                      run the bot's HTTP server (the default; also \`npm start\`)
  migrate                    bring the database schema up to date
  partnership create --name <name> --provider <org> --client <org> [--timezone <IANA zone>]
                             [--provider-workspace <Slack team or Teams tenant ids, comma-separated>]
  partnership link --partnership <id> --platform slack|teams --workspace <id> --channel <id>
                   --purpose support,digest
  partnership list
  partnership configure --partnership <id> [--file <settings.json>] [--timezone <IANA zone>]
                   [--working-hours "Mon-Fri 09:00-17:30"] [--sla "P1 15m/4h 24x7, P2 1h/8h, …"]
                   [--holidays <YYYY-MM-DD,…>] [--add-holidays <YYYY-MM-DD,…>] [--holidays-ical <file.ics>]
                   [--unanswered-minutes <n>] [--nearing-percent <n>] [--stale-days <n>]
                   [--downtime-cost <amount an hour>] [--currency <ISO code>]
                   [--digest-day monday..sunday] [--digest-time <HH:MM>] [--auto-intake on|off]
  member add --partnership <id> --platform slack|teams --workspace <id> --user <id>
             --side provider|client --role lead|tech|staff|admin [--name <display name>]
  demo                       create a fictional partnership with a realistic quarter of history
  demo --weeks <n> --issues-per-week <m>
                             create one with a synthetic history of that size (e.g. 52 and 1000)
  digest --partnership <id> [--week <YYYY-MM-DD>] [--format text|json] [--explain]
  export --partnership <id> --format json|csv --out <dir>
  jobs run [--dry-run] [--at <ISO time>]
                             run every due job once: SLA nudges, recommendation expiry, digests, the outbox;
                             --dry-run lists what would be sent, to whom and why, and sends and records nothing
  help                       this text

Settings come from environment variables; see .env.example.`;

/** Runs `rapport` with `argv` (without node and script); returns the process exit code. */
export async function runCli(
  argv: string[],
  env: NodeJS.ProcessEnv = process.env,
  output: Output = processOutput,
): Promise<number> {
  if (["help", "--help", "-h"].includes(argv[0] ?? "")) {
    output.out(USAGE);
    return 0;
  }
  const args = argv.length === 0 ? ["serve"] : argv;
  const name = commands[`${args[0]} ${args[1]}`] ? `${args[0]} ${args[1]}` : args[0]!;
  const load = commands[name];
  if (!load) {
    output.err(
      `rapport: unknown command "${args.slice(0, 2).join(" ")}"; \`rapport help\` lists the commands`,
    );
    return 2;
  }
  try {
    const command = await load();
    await command(args.slice(name.split(" ").length), createCliContext(env, output));
    return 0;
  } catch (e) {
    return report(e, name, output);
  }
}

function report(e: unknown, name: string, output: Output): number {
  if (e instanceof JobsFailed) {
    output.err(`rapport ${name}: ${e.message}`);
    return 1;
  }
  if (e instanceof UsageError) {
    output.err(`rapport ${name}: ${e.message}`);
    return 2;
  }
  if (isRapportError(e)) {
    // Partnerships are the only thing the command line looks up by id.
    const hint =
      e.code === "storage_unavailable" && e.cause instanceof Error
        ? ` (${e.cause.message})`
        : e.code === "not_found"
          ? " `rapport partnership list` shows them."
          : "";
    output.err(`rapport ${name}: ${e.message}${hint}`);
    return e.code === "invalid_input" || e.code === "config_invalid" ? 2 : 1;
  }
  // Operating-system errors (a port in use, a folder that cannot be written) are the operator's
  // to fix, and their message says what happened: one line. Anything else is a bug: the stack.
  const sys = e as NodeJS.ErrnoException;
  if (typeof sys?.code === "string" && typeof sys.syscall === "string") {
    output.err(`rapport ${name}: ${sys.message}`);
    return 1;
  }
  output.err(`rapport ${name}: unexpected error: ${sys?.stack ?? String(e)}`);
  return 1;
}
