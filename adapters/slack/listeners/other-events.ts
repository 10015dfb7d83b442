import type { App } from "@slack/bolt";
import type { WebClient } from "@slack/web-api";
import { isRapportError } from "../../../src/index.ts";
import { postCardUnderMessage } from "../cards.ts";
import { TICKET_REACTION } from "../ids.ts";
import { homeView } from "../presenters/digest-blocks.ts";
import { unescapeText } from "../presenters/escape.ts";
import { fromMessage, slackPlace, type SlackDeps } from "../replies.ts";

/** Forgets an install's tokens; given by the app (a no-op with a single bot token). */
export type ForgetInstall = (team: {
  teamId?: string;
  enterpriseId?: string;
  isEnterpriseInstall: boolean;
}) => Promise<void>;

/** The :ticket: reaction, App Home, and uninstall / token revocation. */
export function registerOtherEvents(app: App, deps: SlackDeps, forget: ForgetInstall): void {
  app.event("reaction_added", async ({ event, body, client }) => {
    if (event.reaction !== TICKET_REACTION || event.item.type !== "message") return;
    await ticketReaction(deps, client, {
      workspaceId: body.team_id,
      channelId: event.item.channel,
      ts: event.item.ts,
    });
  });
  app.event("app_home_opened", async ({ event, body, client }) => {
    if (event.tab !== "home") return;
    const by = await deps.people.user(client, event.user, { team: body.team_id });
    const scorecards = await deps.rapport.status({ place: slackPlace(body.team_id, null), by });
    const entries = scorecards.map((s) => ({ partnershipName: s.partnership.name, digest: s.digest }));
    await client.views.publish({ user_id: event.user, view: homeView(entries) });
  });
  app.event("app_uninstalled", async ({ body }) => {
    await forget({
      teamId: body.team_id,
      enterpriseId: body.enterprise_id ?? undefined,
      isEnterpriseInstall: Boolean(body.is_enterprise_install),
    });
    deps.logger.info(
      { team: body.team_id },
      "rapport was uninstalled from a Slack workspace; its tokens are gone",
    );
  });
  app.event("tokens_revoked", async ({ event, body }) => {
    if (!event.tokens.bot?.length) return;
    await forget({
      teamId: body.team_id,
      enterpriseId: body.enterprise_id ?? undefined,
      isEnterpriseInstall: Boolean(body.is_enterprise_install),
    });
    deps.logger.info(
      { team: body.team_id },
      "a Slack workspace revoked rapport's bot token; its tokens are gone",
    );
  });
}

// The reaction names only the message: its author and text are read back from the channel, and the
// issue is reported on the author's behalf. A refusal (a channel linked to no partnership) is silent.
async function ticketReaction(
  deps: SlackDeps,
  client: WebClient,
  at: { workspaceId: string; channelId: string; ts: string },
): Promise<void> {
  const history = await client.conversations.history({
    channel: at.channelId,
    latest: at.ts,
    inclusive: true,
    limit: 1,
  });
  const message = history.messages?.find((m) => m.ts === at.ts) as
    { user?: string; text?: string; user_team?: string; team?: string } | undefined;
  if (!message?.user || !message.text) return;
  const by = await deps.people.user(client, message.user, {
    team: message.user_team ?? message.team ?? null,
  });
  try {
    const reported = await deps.rapport.report({
      place: slackPlace(at.workspaceId, at.channelId),
      by,
      ...fromMessage(at),
      via: "reaction",
      text: unescapeText(message.text),
    });
    await postCardUnderMessage(deps, reported, at);
  } catch (e) {
    if (!isRapportError(e)) throw e;
    deps.logger.info({ code: e.code, channel: at.channelId }, "a :ticket: reaction was refused");
  }
}
