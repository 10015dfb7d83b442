import type { IncomingMessage, ServerResponse } from "node:http";
import { CloudAdapter, ConfigurationBotFrameworkAuthentication, type TurnContext } from "botbuilder";
import { z } from "zod";
import { storableJson, type Logger, type Rapport } from "../../src/index.ts";
import type { TeamsConfig } from "./settings.ts";
import { RapportTeamsBot } from "./bot.ts";
import { INVOKES, offersInvoke } from "./ids.ts";
import { answerUnavailable, botRequest, botResponse, readJson } from "./http-bridge.ts";
import { singleAttemptConnectors } from "./connector-clients.ts";
import { replyText } from "./listeners/context.ts";
import { TeamsNotifier } from "./notifier.ts";

/** Where Teams (the Bot Framework connector) posts activities. */
export const TEAMS_PATH = "/api/messages";

/**
 * The longest id rapport takes. Teams' own ids (conversations, users, activities) stay well under
 * 200 characters; a longer one would be kept in memory and in database indexes for nothing, and
 * would not fit in the connector's URL when rapport replies.
 */
const MAX_ID = 512;
/**
 * Printable ASCII only: an id goes into the connector's URL and into headers when rapport replies,
 * where a control character splits the request and a character past Latin-1 makes Node refuse to
 * send it at all. Teams' own ids (`19:…@thread.tacv2`, `29:…`, `a:…`, GUIDs, numbers) are ASCII.
 */
const PRINTABLE = /^[\x20-\x7e]*$/;
const ref = z.string().max(MAX_ID).regex(PRINTABLE);
const id = ref.min(1);
const account = z
  .object({ id, name: z.string().nullish(), aadObjectId: ref.nullish(), role: z.string().nullish() })
  .loose();

/** An entity of an activity; botbuilder reads a mention's `mentioned.id` when it takes the bot's name out of the text. */
const entity = z
  .object({
    type: z.string(),
    mentioned: z.object({ id: ref }).loose().nullish(),
    text: z.string().nullish(),
  })
  .loose()
  .refine((e) => e.type !== "mention" || e.mentioned, { message: "a mention names who is mentioned" });

/** The message a message action was used on: its fields are read as the author's. */
const messagePayload = z
  .object({
    id: ref.nullish(),
    createdDateTime: z.iso.datetime({ offset: true }).nullish(),
    from: z
      .object({
        user: z
          .object({
            id: ref.nullish(),
            displayName: z.string().nullish(),
            userIdentityType: z.string().nullish(),
            tenantId: ref.nullish(),
          })
          .loose()
          .nullish(),
      })
      .loose()
      .nullish(),
    body: z.object({ content: z.string().nullish() }).loose().nullish(),
  })
  .loose();
const messageExtension = z
  .object({
    commandId: z.string().nullish(),
    commandContext: z.string().nullish(),
    messagePayload: messagePayload.nullish(),
  })
  .loose();

/** The shape of the `value` each invoke rapport offers carries. */
const INVOKE_VALUES: Record<string, z.ZodType> = {
  [INVOKES.cardAction]: z
    .object({ action: z.object({ type: z.string(), verb: z.string().nullish() }).loose() })
    .loose(),
  [INVOKES.fetchTask]: messageExtension,
  [INVOKES.submitAction]: messageExtension,
  [INVOKES.fileConsent]: z.object({ action: z.string() }).loose(),
};

/**
 * What every activity rapport can act on carries, with the types it reads them as. CloudAdapter
 * throws (a 500) on JSON without a type, a turn without a serviceUrl or conversation fails when it
 * tries to answer, and a field of another type (a `recipient.name` of false, an object `id`, a
 * number as `text`) fails deep in a listener: each is a 400 here instead. So is a serviceUrl that
 * is not a web address (rapport answers there), an activity without `from` or `recipient` (the
 * Bot Framework always gives both), and an invoke rapport offers whose `value` is not shaped as
 * Teams sends it.
 */
export const activityShape = z
  .object({
    type: id,
    id: ref.nullish(),
    serviceUrl: z.url({ protocol: /^https?$/ }).max(2048),
    channelId: z.string().nullish(),
    timestamp: z.string().nullish(),
    locale: z.string().nullish(),
    text: z.string().nullish(),
    textFormat: z.string().nullish(),
    name: z.string().nullish(),
    replyToId: ref.nullish(),
    from: account,
    recipient: account,
    conversation: z
      .object({
        id,
        name: z.string().nullish(),
        tenantId: ref.nullish(),
        conversationType: z.string().nullish(),
        isGroup: z.boolean().nullish(),
      })
      .loose(),
    channelData: z
      .object({
        tenant: z.object({ id: ref }).loose().nullish(),
        team: z.object({ id: ref, name: z.string().nullish() }).loose().nullish(),
        channel: z.object({ id: ref, name: z.string().nullish() }).loose().nullish(),
      })
      .loose()
      .nullish(),
    // botbuilder reads `entities` whenever it is not undefined: null is not a list it can read.
    entities: z.array(entity).optional(),
    attachments: z.array(z.object({ contentType: z.string() }).loose()).nullish(),
    membersAdded: z.array(account).nullish(),
    membersRemoved: z.array(account).nullish(),
    value: z.unknown().optional(),
  })
  .loose()
  .superRefine((a, ctx) => {
    const shape = a.type === "invoke" && offersInvoke(a.name) ? INVOKE_VALUES[a.name!] : undefined;
    if (!shape) return;
    const value = shape.safeParse(a.value);
    for (const issue of value.success ? [] : value.error.issues)
      ctx.addIssue({ code: "custom", path: ["value", ...issue.path], message: issue.message });
  });

/**
 * How long a request may wait for its token to be verified (botbuilder fetches Microsoft's OpenID
 * metadata and keys the first time, and again when they expire) before it is answered 503: the
 * connector gives up on a bot after 15 s, and a hung metadata endpoint must not hold it that long.
 */
export const VERIFY_TIMEOUT_MS = 2_000;

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
    if (context.activity.type !== "message") return;
    // The apology goes where the failure may have come from (the connector refusing a reply): if
    // it cannot be sent either, that is logged and the turn ends, answered 200. A 500 would blame
    // the request for a reply that could not be delivered.
    try {
      await context.sendActivity(
        "Something went wrong on rapport's side; nothing already recorded was lost. Please try again in a minute.",
      );
    } catch (sendErr) {
      log.warn({ err: sendErr }, "could not tell the person that their Teams message failed");
    }
  };
  // The one rule for every text rapport sends in a turn: within Teams' limit, however long what it echoes.
  adapter.use(async (context, next) => {
    context.onSendActivities(async (_context, activities, send) => {
      for (const a of activities) if (typeof a.text === "string") a.text = replyText(a.text);
      return send();
    });
    await next();
  });
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
    // What rapport keeps must be storable (no NUL, no half of a surrogate pair); deeper than any
    // activity is not one.
    const body = storableJson(parsed.body);
    const shape = body ? activityShape.safeParse(body) : null;
    if (!body || !shape?.success) {
      const issue = shape?.error?.issues[0];
      log.info(
        { field: issue?.path.join(".") ?? "body", code: issue?.code ?? "too_deep" },
        "refused a malformed Teams activity",
      );
      res.writeHead(400, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: "the body must be a Bot Framework activity" }));
      return;
    }
    // The turn begins only once the token is verified; a request that cannot be verified in time is
    // answered 503 and its turn, if verification ends later, does nothing.
    let began = false;
    let abandoned = false;
    const timer = setTimeout(() => {
      if (began) return;
      abandoned = true;
      log.warn({ timeoutMs: VERIFY_TIMEOUT_MS }, "a Teams request could not be verified in time");
      answerUnavailable(res);
    }, VERIFY_TIMEOUT_MS);
    try {
      await adapter.process(
        botRequest(req, body),
        botResponse(res, () => began, log),
        async (context) => {
          if (abandoned) return;
          began = true;
          await bot.run(context);
        },
      );
    } finally {
      clearTimeout(timer);
    }
  };
  return {
    route: { method: "POST", path: TEAMS_PATH, handler },
    // The notifier finds the conversation that reaches a person or channel through the application interface.
    notifier: new TeamsNotifier(outbound, appId, {
      conversations: {
        reach: (platform, workspace, target) => rapport.conversationFor(platform, workspace, target),
        sharedIn: (platform, workspace) => rapport.conversationsSharedIn(platform, workspace),
        remember: (conversation) => rapport.rememberConversation(conversation),
        gone: (platform, workspace, conversationId) =>
          rapport.conversationGone(platform, workspace, conversationId),
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
