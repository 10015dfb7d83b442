import { z } from "zod";
import { RapportError } from "./domain/errors.ts";

/** Log levels pino understands, most to least severe, plus "silent". */
export const logLevels = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;
export type LogLevel = (typeof logLevels)[number];

/** The environments rapport knows; only "production" changes behaviour elsewhere. */
export const nodeEnvs = ["development", "production", "test"] as const;
export type NodeEnv = (typeof nodeEnvs)[number];

/**
 * An environment variable read by `schema`. `PORT=` in a .env file or a compose file means
 * "not set", not "set to nothing", so a blank value reads as unset.
 */
export function envVariable<T extends z.ZodType>(schema: T) {
  return z.preprocess((v) => (typeof v === "string" && v.trim() === "" ? undefined : v), schema);
}

/** One of `values`, in any case, with an error that lists them. */
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

// 32 bytes for AES-256, written as 64 hex digits or in base64.
const encryptionKey = z
  .string()
  .trim()
  .transform((s) => (/^[0-9a-f]{64}$/i.test(s) ? Buffer.from(s, "hex") : Buffer.from(s, "base64")))
  .refine((b) => b.length === 32, {
    error: "expected 32 random bytes as 64 hex digits or base64 (openssl rand -hex 32)",
  });

/** The variables the core reads, keyed by their names so that errors can name them. */
export const coreVariables = {
  PORT: envVariable(port.default(3000)),
  HOST: envVariable(z.string().trim().optional()),
  DATABASE_URL: envVariable(postgresUrl.optional()),
  RAPPORT_DATA_DIR: envVariable(z.string().trim().default("./.rapport")),
  // Set by bin/rapport.js to the template `npm install` built: a new folder starts from it.
  RAPPORT_PGLITE_TEMPLATE: envVariable(z.string().trim().optional()),
  LOG_LEVEL: envVariable(oneOf(logLevels).default("info")),
  NODE_ENV: envVariable(oneOf(nodeEnvs).default("development")),
  RAPPORT_JOBS: envVariable(oneOf(["on", "off"] as const).default("on")),
  // The key also protects other secrets rapport may store, so it is the core's, not a platform's.
  RAPPORT_ENCRYPTION_KEY: envVariable(encryptionKey.optional()),
};

/** Of the core's variables, those whose values can hold credentials. */
export const coreSecretVariables = ["DATABASE_URL", "RAPPORT_ENCRYPTION_KEY"] as const;

type CoreEnv = z.output<z.ZodObject<typeof coreVariables>>;

/**
 * The core's settings from its parsed variables. `defaultHost` is where to listen when HOST is
 * not set: the one who composes the settings knows whether a platform needs it kept local.
 */
export function coreConfig(env: CoreEnv, defaultHost: string) {
  return {
    http: { port: env.PORT, host: env.HOST ?? defaultHost },
    // Same shape as the store's DatabaseTarget, so it goes straight to openStore.
    database: env.DATABASE_URL
      ? { kind: "postgres" as const, url: env.DATABASE_URL }
      : {
          kind: "pglite" as const,
          dataDir: env.RAPPORT_DATA_DIR,
          template: env.RAPPORT_PGLITE_TEMPLATE ?? null,
        },
    logLevel: env.LOG_LEVEL,
    nodeEnv: env.NODE_ENV,
    // A replica (or a test) can serve HTTP only; the jobs' exactly-once never depends on it.
    jobs: env.RAPPORT_JOBS === "on",
    encryptionKey: env.RAPPORT_ENCRYPTION_KEY ?? null,
  };
}

/** The core's settings, checked and typed; see `.env.example` for the variables behind them. */
export type Config = ReturnType<typeof coreConfig>;

/**
 * Parses environment variables with `schema` (an object keyed by variable names); throws one
 * `config_invalid` RapportError naming every bad variable, never showing the value of one in
 * `secrets`.
 */
export function parseEnvironment<T extends z.ZodType>(
  schema: T,
  env: NodeJS.ProcessEnv,
  secrets: Iterable<string>,
): Readonly<z.output<T>> {
  const result = schema.safeParse(env);
  if (!result.success) {
    throw new RapportError("config_invalid", describeIssues(result.error, env, new Set(secrets)), {
      cause: result.error,
    });
  }
  return Object.freeze(result.data);
}

function describeIssues(error: z.ZodError, env: NodeJS.ProcessEnv, secrets: ReadonlySet<string>): string {
  const lines = new Map<string, string>();
  for (const issue of error.issues) {
    const name = String(issue.path[0] ?? "(environment)");
    if (lines.has(name)) continue; // the first complaint per variable is the useful one
    const value = env[name];
    const shown =
      value === undefined
        ? ""
        : secrets.has(name)
          ? " (value not shown: it may hold a password)"
          : `, got ${JSON.stringify(value)}`;
    lines.set(name, `  ${name}: ${issue.message}${shown}`);
  }
  return ["Configuration is invalid:", ...lines.values()].join("\n");
}
