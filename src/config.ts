import { z } from "zod";
import { RapportError } from "./domain/errors.ts";

/** Log levels pino understands, most to least severe, plus "silent". */
export const logLevels = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;
export type LogLevel = (typeof logLevels)[number];

/** The environments rapport knows; only "production" changes behaviour elsewhere. */
export const nodeEnvs = ["development", "production", "test"] as const;
export type NodeEnv = (typeof nodeEnvs)[number];

// Values in these variables can hold credentials, so an error never repeats them.
const secretVariables = new Set<string>(["DATABASE_URL"]);

// `PORT=` in a .env file or a compose file means "not set", not "set to nothing".
function variable<T extends z.ZodType>(schema: T) {
  return z.preprocess((v) => (typeof v === "string" && v.trim() === "" ? undefined : v), schema);
}

function oneOf<const T extends readonly [string, ...string[]]>(values: T) {
  return z
    .string()
    .trim()
    .toLowerCase()
    .pipe(z.enum(values, { error: `expected one of ${values.join(", ")}` }));
}

const port = z
  .string()
  .trim()
  .refine((s) => /^\d{1,5}$/.test(s) && Number(s) >= 1 && Number(s) <= 65535, {
    error: "expected a whole number from 1 to 65535",
  })
  .transform(Number);

const postgresUrl = z.string().trim().refine(isPostgresUrl, {
  error: "expected a postgres:// or postgresql:// URL",
});

function isPostgresUrl(s: string): boolean {
  try {
    const { protocol } = new URL(s);
    return protocol === "postgres:" || protocol === "postgresql:";
  } catch {
    return false;
  }
}

/**
 * Parses environment variables (keyed by their names, so errors can name them) into a `Config`.
 * Add a platform's settings as more variables here and a group in the transform.
 */
export const configSchema = z
  .object({
    PORT: variable(port.default(3000)),
    HOST: variable(z.string().trim().default("0.0.0.0")),
    DATABASE_URL: variable(postgresUrl.optional()),
    RAPPORT_DATA_DIR: variable(z.string().trim().default("./.rapport")),
    LOG_LEVEL: variable(oneOf(logLevels).default("info")),
    NODE_ENV: variable(oneOf(nodeEnvs).default("development")),
  })
  .transform((env) => ({
    http: { port: env.PORT, host: env.HOST },
    // Same shape as the store's DatabaseTarget, so main can hand it straight to openStore.
    database: env.DATABASE_URL
      ? { kind: "postgres" as const, url: env.DATABASE_URL }
      : { kind: "pglite" as const, dataDir: env.RAPPORT_DATA_DIR },
    logLevel: env.LOG_LEVEL,
    nodeEnv: env.NODE_ENV,
  }));

/** rapport's settings, checked and typed; see `.env.example` for the variables behind them. */
export type Config = z.output<typeof configSchema>;

/** Reads the settings from `env`; throws one `config_invalid` RapportError naming every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const result = configSchema.safeParse(env);
  if (!result.success) {
    throw new RapportError("config_invalid", describeIssues(result.error, env), { cause: result.error });
  }
  return Object.freeze(result.data);
}

function describeIssues(error: z.ZodError, env: NodeJS.ProcessEnv): string {
  const lines = new Map<string, string>();
  for (const issue of error.issues) {
    const name = String(issue.path[0] ?? "(environment)");
    if (lines.has(name)) continue; // the first complaint per variable is the useful one
    lines.set(name, `  ${name}: ${issue.message}${shownValue(name, env[name])}`);
  }
  return ["Configuration is invalid:", ...lines.values()].join("\n");
}

function shownValue(name: string, value: string | undefined): string {
  if (value === undefined) return "";
  if (secretVariables.has(name)) return " (value not shown: it may hold a password)";
  return `, got ${JSON.stringify(value)}`;
}
