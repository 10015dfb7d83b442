import type { IncomingMessage, ServerResponse } from "node:http";
import { CloudAdapter, ConfigurationBotFrameworkAuthentication, type TurnContext } from "botbuilder";
import { z } from "zod";
import type { Logger, Rapport } from "../../src/index.ts";
import type { TeamsConfig } from "./settings.ts";
import { RapportTeamsBot } from "./bot.ts";
import { botRequest, botResponse, readJson } from "./http-bridge.ts";
import { singleAttemptConnectors } from "./connector-clients.ts";
import { TeamsNotifier } from "./notifier.ts";

/** Where Teams (the Bot Framework connector) posts activities. */
export const TEAMS_PATH = "/api/messages";

/**
 * What every activity rapport can act on carries. CloudAdapter throws (a 500) on JSON without a
 * type, and a turn without a serviceUrl or conversation fails when it tries to answer.
 */
const activityShape = z.object({
  type: z.string().min(1),
  serviceUrl: z.string().min(1),
  conversation: z.object({ id: z.string().min(1) }),
});

/** What the composition root mounts: the route and the notifier. */
export interface TeamsAdapter {
  route: {
    method: "POST";
    path: string;
    handler: (req: IncomingMessage, res: ServerResponse) => Promise<void>;
  };
  notifier: TeamsNotifier;
}

/**
 * Builds the Teams side of rapport: botbuilder's CloudAdapter with rapport's activity handler.
 * Authenticated with the Azure Bot's credentials; in local mode (no app id) it accepts
 * unauthenticated requests, for the Bot Framework Emulator and tests only.
 */
export function createTeamsAdapter(opts: {
  config: Exclude<TeamsConfig, { mode: "off" }>;
  rapport: Rapport;
  logger: Logger;
}): TeamsAdapter {
  const { config, rapport, logger } = opts;
  const log = logger.child({ component: "teams" });
  const appId = config.mode === "authenticated" ? config.appId : "";
  const credentials =
    config.mode === "authenticated"
      ? {
          MicrosoftAppId: config.appId,
          MicrosoftAppPassword: config.appPassword ?? undefined,
          MicrosoftAppType: config.appType,
          MicrosoftAppTenantId: config.tenantId ?? undefined,
        }
      : {};
  const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication(credentials));
  // The outbox posts through an adapter of its own whose connector calls are made once each: the
  // outbox decides about retries.
  const outbound = new CloudAdapter(
    singleAttemptConnectors(new ConfigurationBotFrameworkAuthentication(credentials)),
  );
  adapter.onTurnError = async (context: TurnContext, err: Error) => {
    log.error({ err, activity: context.activity.type }, "a Teams activity failed");
    if (context.activity.type === "message") {
      await context.sendActivity(
        "Something went wrong on rapport's side; nothing already recorded was lost. Please try again in a minute.",
      );
    }
  };
  const bot = new RapportTeamsBot(rapport, log);
  const handler = async (req: IncomingMessage, res: ServerResponse) => {
    if (config.mode === "local" && !isLoopback(req.socket.remoteAddress)) {
      // Unauthenticated, anyone could speak as anyone: only callers on this machine are heard.
      req.resume();
      res.writeHead(403, { "content-type": "application/json" });
      res.end(
        JSON.stringify({
          error: "Teams runs in local mode (no MicrosoftAppId): it answers only requests from this machine",
        }),
      );
      return;
    }
    const parsed = await readJson(req);
    if ("error" in parsed) {
      res.writeHead(parsed.error, { "content-type": "application/json" });
      res.end(
        JSON.stringify({
          error: parsed.error === 413 ? "activity too large" : "the body must be a JSON activity",
        }),
      );
      return;
    }
    if (!activityShape.safeParse(parsed.body).success) {
      res.writeHead(400, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: "the body must be a Bot Framework activity" }));
      return;
    }
    await adapter.process(botRequest(req, parsed.body), botResponse(res), (context) => bot.run(context));
  };
  return {
    route: { method: "POST", path: TEAMS_PATH, handler },
    // The notifier finds the conversation that reaches a person or channel through the application interface.
    notifier: new TeamsNotifier(outbound, appId, {
      conversations: {
        reach: (platform, workspace, target) => rapport.conversationFor(platform, workspace, target),
        sharedIn: (platform, workspace) => rapport.conversationsSharedIn(platform, workspace),
        remember: (conversation) => rapport.rememberConversation(conversation),
        gone: (platform, conversationId) => rapport.conversationGone(platform, conversationId),
      },
    }),
  };
}

/** True for an address of this machine's loopback interface (IPv4, IPv6, or IPv4 mapped into IPv6). */
export function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  const v4 = address.startsWith("::ffff:") ? address.slice("::ffff:".length) : address;
  return v4.startsWith("127.") || address === "::1";
}
