import type { SlackListeners } from "../listener-table.ts";
import type { WebClient } from "@slack/web-api";
import { isRapportError } from "../../../src/index.ts";
import { underMessage } from "../cards.ts";
import { TICKET_REACTION } from "../ids.ts";
import { homeView } from "../presenters/digest-blocks.ts";
import { chatText, fromMessage, inBackground, slackPlace, type SlackDeps } from "../replies.ts";
import { slackErrorCode, slackUnavailable } from "../slack-errors.ts";

/** Forgets an install's tokens; given by the app (a no-op with a single bot token). */
export type ForgetInstall = (team: {
  teamId?: string;
  enterpriseId?: string;
  isEnterpriseInstall: boolean;
}) => Promise<void>;

/** The :ticket: reaction, App Home, and uninstall / token revocation. */
export function registerOtherEvents(app: SlackListeners, deps: SlackDeps, forget: ForgetInstall): void {
  // Slack was answered when the event was stored (see event-intake.ts): a failure here (Slack
  // busy, the database down) is tried again from the inbox.
  app.event("reaction_added", async ({ event, body, client }) => {
    if (event.reaction !== TICKET_REACTION || event.item.type !== "message") return;
    const at = {
      workspaceId: body.team_id,
      channelId: event.item.channel,
      ts: event.item.ts,
      reactor: event.user,
    };
    await ticketReaction(deps, client, at);
  });
  // Nothing is recorded: the tab is drawn after Slack has been answered.
  app.event("app_home_opened", async ({ event, body, client }) => {
    if (event.tab !== "home") return;
    inBackground(deps.logger, "could not draw a Slack App Home", async () => {
      // Drawn after Slack was answered, so users.info may be waited for.
      const by = await deps.people.settled(client, event.user, { place: body.team_id });
      const scorecards = await deps.rapport.status({ place: slackPlace(body.team_id, null), by });
      const entries = scorecards.map((s) => ({ partnershipName: s.partnership.name, digest: s.digest }));
      await client.views.publish({ user_id: event.user, view: homeView(entries) });
    });
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

/** Slack's answers to conversations.history that mean rapport is not in the channel. */
const NOT_IN_CHANNEL = new Set(["not_in_channel", "channel_not_found"]);

const INVITE =
  "rapport cannot read this channel, so your :ticket: reaction was not recorded. " +
  "Invite it with `/invite @rapport`, then add the reaction again.";

const UNREADABLE =
  "Slack would not give rapport that message, so your :ticket: reaction was not recorded. " +
  "Use the message's “Report as IT issue” shortcut, or type the issue after /itissue.";

/** A message a reaction was added to: where, and who reacted. */
interface Reacted {
  workspaceId: string;
  channelId: string;
  ts: string;
  reactor: string;
}

// The reaction names only the message: its author and text are read back from the channel, and the
// issue is reported on the author's behalf. A refusal (a channel linked to no partnership) is silent.
async function ticketReaction(deps: SlackDeps, client: WebClient, at: Reacted): Promise<void> {
  const message = await readMessage(deps, client, at);
  if (!message?.user || !message.text) return;
  const by = await deps.people.settled(client, message.user, {
    team: message.user_team ?? message.team,
    place: at.workspaceId,
  });
  try {
    const threadTs = message.thread_ts && message.thread_ts !== message.ts ? message.thread_ts : undefined;
    await deps.rapport.report({
      place: slackPlace(at.workspaceId, at.channelId),
      by,
      ...fromMessage(at),
      via: "reaction",
      text: chatText(deps, message.text),
      ...underMessage({ ...at, threadTs }),
    });
  } catch (e) {
    if (!isRapportError(e)) throw e;
    deps.logger.info({ code: e.code, channel: at.channelId }, "a :ticket: reaction was refused");
  }
}

/**
 * The message reacted to, read back from the channel (a thread reply from its thread: the channel's
 * history holds only top-level messages); null where rapport cannot read it, and the one who
 * reacted is told why and what to do instead. Slack being busy throws: the inbox tries again.
 */
async function readMessage(deps: SlackDeps, client: WebClient, at: Reacted): Promise<HistoryMessage | null> {
  const tell = (text: string) =>
    client.chat.postEphemeral({ channel: at.channelId, user: at.reactor, text }).catch((err: unknown) => {
      deps.logger.debug({ err, channel: at.channelId }, "could not tell a Slack user about their :ticket:");
    });
  try {
    const history = await client.conversations.history({
      channel: at.channelId,
      latest: at.ts,
      inclusive: true,
      limit: 1,
    });
    const top = history.messages?.find((m) => m.ts === at.ts);
    if (top) return top;
    // Given a reply's own ts, conversations.replies answers with its thread: the parent, then
    // the replies from `oldest` on, so the reply is the second message at most.
    const thread = await client.conversations.replies({
      channel: at.channelId,
      ts: at.ts,
      oldest: at.ts,
      inclusive: true,
      limit: 2,
    });
    return thread.messages?.find((m) => m.ts === at.ts) ?? null;
  } catch (e) {
    const code = slackErrorCode(e);
    if (slackUnavailable(e)) throw e;
    // Slack's own refusal (not_in_channel, missing_scope…) is expected; anything else is logged whole.
    if (code)
      deps.logger.info(
        { code, channel: at.channelId },
        "a :ticket: reaction on a message rapport cannot read",
      );
    else
      deps.logger.warn(
        { err: e, channel: at.channelId },
        "could not read the message of a :ticket: reaction",
      );
    await tell(code && NOT_IN_CHANNEL.has(code) ? INVITE : UNREADABLE);
    return null;
  }
}

/** What rapport reads of a message from conversations.history or conversations.replies. */
type HistoryMessage = {
  ts?: string;
  thread_ts?: string;
  user?: string;
  text?: string;
  user_team?: string;
  team?: string;
};
