import { z } from "zod";
import { envVariable } from "../../src/index.ts";

// Teams' settings: the variables, how they combine, and what the adapter gets from them. Reading
// them loads no botbuilder, so a command that does not serve can check them cheaply.

const appTypes = ["SingleTenant", "MultiTenant", "UserAssignedMSI"] as const;

/** The variables Teams reads, keyed by their names (as the Bot Framework spells them) so that errors can name them. */
export const teamsVariables = {
  MicrosoftAppId: envVariable(z.string().trim().min(1).optional()),
  MicrosoftAppPassword: envVariable(z.string().trim().min(1).optional()),
  MicrosoftAppType: envVariable(
    z
      .enum(appTypes, { error: "expected SingleTenant, MultiTenant or UserAssignedMSI" })
      .default("SingleTenant"),
  ),
  MicrosoftAppTenantId: envVariable(z.string().trim().min(1).optional()),
  RAPPORT_TEAMS_ALLOW_UNAUTHENTICATED: envVariable(
    z
      .enum(["true", "false"], { error: "expected true or false" })
      .default("false")
      .transform((v) => v === "true"),
  ),
};

/** Of Teams' variables, those whose values are credentials. */
export const teamsSecretVariables = ["MicrosoftAppPassword"] as const;

/**
 * How rapport talks to Teams: with the Azure Bot's credentials; in local mode (no app id: the
 * Bot Framework Emulator and tests, unauthenticated, so only on this machine); or not at all.
 */
export type TeamsConfig =
  | {
      mode: "authenticated";
      appId: string;
      appPassword: string | null;
      appType: (typeof appTypes)[number];
      tenantId: string | null;
    }
  | { mode: "local" }
  | { mode: "off"; reason: string };

/** Teams' parsed variables, and the core's NODE_ENV that decides whether local mode is allowed. */
type TeamsEnv = {
  MicrosoftAppId?: string | undefined;
  MicrosoftAppPassword?: string | undefined;
  MicrosoftAppType: (typeof appTypes)[number];
  MicrosoftAppTenantId?: string | undefined;
  RAPPORT_TEAMS_ALLOW_UNAUTHENTICATED: boolean;
  NODE_ENV: string;
};

/** What an authenticated bot needs besides its app id; each problem names the variable to set. */
export function checkTeamsSettings(env: TeamsEnv, ctx: z.RefinementCtx): void {
  if (!env.MicrosoftAppId) return;
  const need = (name: keyof TeamsEnv, why: string) => {
    if (!env[name]) ctx.addIssue({ code: "custom", path: [name], message: `required ${why}` });
  };
  if (env.MicrosoftAppType !== "UserAssignedMSI")
    need("MicrosoftAppPassword", "with MicrosoftAppId (the bot's client secret)");
  if (env.MicrosoftAppType !== "MultiTenant")
    need("MicrosoftAppTenantId", `for a ${env.MicrosoftAppType} bot (the Azure tenant it is registered in)`);
}

/** Teams' settings from variables that passed `checkTeamsSettings`. */
export function teamsConfig(env: TeamsEnv): TeamsConfig {
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
