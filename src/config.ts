import { z } from "zod";
import { RapportError } from "./domain/errors.ts";

/** Log levels pino understands, most to least severe, plus "silent". */
export const logLevels = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;
export type LogLevel = (typeof logLevels)[number];

/** The environments rapport knows; only "production" changes behaviour elsewhere. */
export const nodeEnvs = ["development", "production", "test"] as const;
export type NodeEnv = (typeof nodeEnvs)[number];

// Values in these variables can hold credentials, so an error never repeats them.
const secretVariables = new Set<string>([
  "DATABASE_URL",
  "SLACK_SIGNING_SECRET",
  "SLACK_BOT_TOKEN",
  "SLACK_CLIENT_SECRET",
  "SLACK_STATE_SECRET",
  "SLACK_APP_TOKEN",
  "RAPPORT_ENCRYPTION_KEY",
  "MicrosoftAppPassword",
]);

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

const token = (prefix: string, what: string) =>
  z
    .string()
    .trim()
    .startsWith(prefix, { error: `expected ${what} (it starts with ${prefix})` });

const httpUrl = z
  .string()
  .trim()
  .refine((s) => /^https?:\/\/[^\s]+$/.test(s), { error: "expected an http:// or https:// URL" })
  .transform((s) => (s.endsWith("/") ? s : `${s}/`));

// 32 bytes for AES-256, written as 64 hex digits or in base64.
const encryptionKey = z
  .string()
  .trim()
  .transform((s) => (/^[0-9a-f]{64}$/i.test(s) ? Buffer.from(s, "hex") : Buffer.from(s, "base64")))
  .refine((b) => b.length === 32, {
    error: "expected 32 random bytes as 64 hex digits or base64 (openssl rand -hex 32)",
  });

const teamsVariables = {
  MicrosoftAppId: variable(z.string().trim().min(1).optional()),
  MicrosoftAppPassword: variable(z.string().trim().min(1).optional()),
  MicrosoftAppType: variable(
    z
      .enum(["SingleTenant", "MultiTenant", "UserAssignedMSI"], {
        error: "expected SingleTenant, MultiTenant or UserAssignedMSI",
      })
      .default("SingleTenant"),
  ),
  MicrosoftAppTenantId: variable(z.string().trim().min(1).optional()),
  RAPPORT_TEAMS_ALLOW_UNAUTHENTICATED: variable(
    z
      .enum(["true", "false"], { error: "expected true or false" })
      .default("false")
      .transform((v) => v === "true"),
  ),
};

/**
 * How rapport talks to Teams: with the Azure Bot's credentials; in local mode (no app id: the
 * Bot Framework Emulator and tests, unauthenticated, so only on this machine); or not at all.
 */
export type TeamsConfig =
  | {
      mode: "authenticated";
      appId: string;
      appPassword: string | null;
      appType: "SingleTenant" | "MultiTenant" | "UserAssignedMSI";
      tenantId: string | null;
    }
  | { mode: "local" }
  | { mode: "off"; reason: string };

type TeamsEnv = {
  MicrosoftAppId?: string | undefined;
  MicrosoftAppPassword?: string | undefined;
  MicrosoftAppType: "SingleTenant" | "MultiTenant" | "UserAssignedMSI";
  MicrosoftAppTenantId?: string | undefined;
  RAPPORT_TEAMS_ALLOW_UNAUTHENTICATED: boolean;
  NODE_ENV: string;
};

function checkTeams(env: TeamsEnv, ctx: z.RefinementCtx): void {
  if (!env.MicrosoftAppId) return;
  const need = (name: keyof TeamsEnv, why: string) => {
    if (!env[name]) ctx.addIssue({ code: "custom", path: [name], message: `required ${why}` });
  };
  if (env.MicrosoftAppType !== "UserAssignedMSI")
    need("MicrosoftAppPassword", "with MicrosoftAppId (the bot's client secret)");
  if (env.MicrosoftAppType !== "MultiTenant")
    need("MicrosoftAppTenantId", `for a ${env.MicrosoftAppType} bot (the Azure tenant it is registered in)`);
}

function teamsConfig(env: TeamsEnv): TeamsConfig {
  if (env.MicrosoftAppId) {
    return {
      mode: "authenticated",
      appId: env.MicrosoftAppId,
      appPassword: env.MicrosoftAppPassword ?? null,
      appType: env.MicrosoftAppType,
      tenantId: env.MicrosoftAppTenantId ?? null,
    };
  }
  // Without an app id anyone who can reach /api/messages can speak as any user: never by accident in production.
  if (env.NODE_ENV === "production" && !env.RAPPORT_TEAMS_ALLOW_UNAUTHENTICATED) {
    return { mode: "off", reason: "NODE_ENV is production and MicrosoftAppId is not set" };
  }
  return { mode: "local" };
}

const slackVariables = {
  SLACK_SIGNING_SECRET: variable(z.string().trim().min(1).optional()),
  SLACK_BOT_TOKEN: variable(token("xoxb-", "a bot token").optional()),
  SLACK_CLIENT_ID: variable(z.string().trim().min(1).optional()),
  SLACK_CLIENT_SECRET: variable(z.string().trim().min(1).optional()),
  SLACK_STATE_SECRET: variable(
    z.string().trim().min(8, { error: "expected at least 8 characters" }).optional(),
  ),
  SLACK_APP_TOKEN: variable(token("xapp-", "an app-level token").optional()),
  SLACK_API_URL: variable(httpUrl.optional()),
  RAPPORT_ENCRYPTION_KEY: variable(encryptionKey.optional()),
};

type SlackEnv = { [K in keyof typeof slackVariables]?: z.output<(typeof slackVariables)[K]> };

/** How rapport talks to Slack, or null when no Slack variable is set. */
export type SlackConfig = {
  signingSecret: string | null;
  auth:
    | { kind: "single"; botToken: string }
    | { kind: "oauth"; clientId: string; clientSecret: string; stateSecret: string; encryptionKey: Buffer };
  appToken: string | null;
  apiUrl: string | null;
};

// Which combinations make a working Slack set-up; each problem names the variable to set.
const anySlack = (env: SlackEnv) =>
  (
    [
      "SLACK_SIGNING_SECRET",
      "SLACK_BOT_TOKEN",
      "SLACK_CLIENT_ID",
      "SLACK_CLIENT_SECRET",
      "SLACK_STATE_SECRET",
      "SLACK_APP_TOKEN",
      "SLACK_API_URL",
    ] as const
  ).some((k) => env[k] !== undefined);

function checkSlack(env: SlackEnv, ctx: z.RefinementCtx): void {
  if (!anySlack(env)) return;
  const need = (name: keyof SlackEnv, why: string) => {
    if (env[name] === undefined) ctx.addIssue({ code: "custom", path: [name], message: `required ${why}` });
  };
  if (!env.SLACK_APP_TOKEN) need("SLACK_SIGNING_SECRET", "to verify Slack's requests");
  const oauth = env.SLACK_CLIENT_ID || env.SLACK_CLIENT_SECRET || env.SLACK_STATE_SECRET;
  if (env.SLACK_BOT_TOKEN && oauth) {
    ctx.addIssue({
      code: "custom",
      path: ["SLACK_BOT_TOKEN"],
      message:
        "set either SLACK_BOT_TOKEN (one workspace) or SLACK_CLIENT_ID/SECRET/STATE_SECRET (many), not both",
    });
  } else if (oauth) {
    for (const name of ["SLACK_CLIENT_ID", "SLACK_CLIENT_SECRET", "SLACK_STATE_SECRET"] as const) {
      need(name, "for installs through OAuth");
    }
    need("RAPPORT_ENCRYPTION_KEY", "to encrypt the stored Slack tokens");
  } else if (!env.SLACK_BOT_TOKEN) {
    need(
      "SLACK_BOT_TOKEN",
      "(or SLACK_CLIENT_ID, SLACK_CLIENT_SECRET and SLACK_STATE_SECRET) to talk to Slack",
    );
  }
}

function slackConfig(env: SlackEnv): SlackConfig | null {
  if (!anySlack(env)) return null;
  return {
    signingSecret: env.SLACK_SIGNING_SECRET ?? null,
    auth: env.SLACK_BOT_TOKEN
      ? { kind: "single", botToken: env.SLACK_BOT_TOKEN }
      : {
          kind: "oauth",
          clientId: env.SLACK_CLIENT_ID!,
          clientSecret: env.SLACK_CLIENT_SECRET!,
          stateSecret: env.SLACK_STATE_SECRET!,
          encryptionKey: env.RAPPORT_ENCRYPTION_KEY!,
        },
    appToken: env.SLACK_APP_TOKEN ?? null,
    apiUrl: env.SLACK_API_URL ?? null,
  };
}

/**
 * Parses environment variables (keyed by their names, so errors can name them) into a `Config`.
 * Add a platform's settings as more variables here and a group in the transform.
 */
export const configSchema = z
  .object({
    PORT: variable(port.default(3000)),
    HOST: variable(z.string().trim().optional()),
    DATABASE_URL: variable(postgresUrl.optional()),
    RAPPORT_DATA_DIR: variable(z.string().trim().default("./.rapport")),
    LOG_LEVEL: variable(oneOf(logLevels).default("info")),
    NODE_ENV: variable(oneOf(nodeEnvs).default("development")),
    RAPPORT_JOBS: variable(oneOf(["on", "off"] as const).default("on")),
    ...slackVariables,
    ...teamsVariables,
  })
  .superRefine((env, ctx) => {
    checkSlack(env, ctx);
    checkTeams(env, ctx);
  })
  .transform((env) => ({
    // Local-mode Teams accepts unauthenticated requests, so by default only this machine may send them.
    http: { port: env.PORT, host: env.HOST ?? (teamsConfig(env).mode === "local" ? "127.0.0.1" : "0.0.0.0") },
    // Same shape as the store's DatabaseTarget, so main can hand it straight to openStore.
    database: env.DATABASE_URL
      ? { kind: "postgres" as const, url: env.DATABASE_URL }
      : { kind: "pglite" as const, dataDir: env.RAPPORT_DATA_DIR },
    logLevel: env.LOG_LEVEL,
    nodeEnv: env.NODE_ENV,
    // A replica (or a test) can serve HTTP only; the jobs' exactly-once never depends on it.
    jobs: env.RAPPORT_JOBS === "on",
    slack: slackConfig(env),
    teams: teamsConfig(env),
    // The key also protects other secrets rapport may store, so it lives outside the Slack group.
    encryptionKey: env.RAPPORT_ENCRYPTION_KEY ?? null,
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
