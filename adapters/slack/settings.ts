import { z } from "zod";
import { envVariable } from "../../src/index.ts";

// Slack's settings: the variables, how they combine, and what the adapter gets from them. Reading
// them loads no Slack SDK, so a command that does not serve can check them cheaply.

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

/** The variables Slack reads, keyed by their names so that errors can name them. */
export const slackVariables = {
  SLACK_SIGNING_SECRET: envVariable(z.string().trim().min(1).optional()),
  SLACK_BOT_TOKEN: envVariable(token("xoxb-", "a bot token").optional()),
  SLACK_CLIENT_ID: envVariable(z.string().trim().min(1).optional()),
  SLACK_CLIENT_SECRET: envVariable(z.string().trim().min(1).optional()),
  SLACK_STATE_SECRET: envVariable(
    z.string().trim().min(8, { error: "expected at least 8 characters" }).optional(),
  ),
  SLACK_APP_TOKEN: envVariable(token("xapp-", "an app-level token").optional()),
  SLACK_API_URL: envVariable(httpUrl.optional()),
  // The usual proxy variables: every call to Slack (Web API, Socket Mode's WebSocket) goes through them.
  HTTPS_PROXY: envVariable(httpUrl.optional()),
  NO_PROXY: envVariable(z.string().trim().optional()),
};

/** Variables that shape how Slack is reached without turning Slack on by themselves. */
const TRANSPORT_VARIABLES = new Set(["HTTPS_PROXY", "NO_PROXY"]);

/** Of Slack's variables, those whose values are credentials. */
export const slackSecretVariables = [
  "SLACK_SIGNING_SECRET",
  "SLACK_BOT_TOKEN",
  "SLACK_CLIENT_SECRET",
  "SLACK_STATE_SECRET",
  "SLACK_APP_TOKEN",
] as const;

/** Slack's parsed variables, and the core's encryption key that OAuth installs need. */
type SlackEnv = { [K in keyof typeof slackVariables]?: z.output<(typeof slackVariables)[K]> } & {
  RAPPORT_ENCRYPTION_KEY?: Buffer | undefined;
};

/** How rapport talks to Slack, or null when no Slack variable is set. */
export type SlackConfig = {
  signingSecret: string | null;
  auth:
    | { kind: "single"; botToken: string }
    | { kind: "oauth"; clientId: string; clientSecret: string; stateSecret: string; encryptionKey: Buffer };
  appToken: string | null;
  apiUrl: string | null;
  /** HTTPS_PROXY and NO_PROXY, when a proxy stands between rapport and Slack. */
  proxy: { url: string; noProxy: string | null } | null;
};

const anySlack = (env: SlackEnv) =>
  (Object.keys(slackVariables) as (keyof typeof slackVariables)[]).some(
    (k) => !TRANSPORT_VARIABLES.has(k) && env[k] !== undefined,
  );

/** Which combinations make a working Slack set-up; each problem names the variable to set. */
export function checkSlackSettings(env: SlackEnv, ctx: z.RefinementCtx): void {
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

/** Slack's settings from variables that passed `checkSlackSettings`. */
export function slackConfig(env: SlackEnv): SlackConfig | null {
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
    proxy: env.HTTPS_PROXY ? { url: env.HTTPS_PROXY, noProxy: env.NO_PROXY ?? null } : null,
  };
}
