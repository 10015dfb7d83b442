import type { App } from "@slack/bolt";
import type { WebClient } from "@slack/web-api";
import {
  findLinkedChannel,
  partnershipsOf,
  reportIssue,
  weeklyDigest,
  type Digest,
} from "../../../src/index.ts";
import { postIssueCard } from "../cards.ts";
import { TICKET_REACTION } from "../ids.ts";
import { homeView } from "../presenters/digest-blocks.ts";
import { unescapeText } from "../presenters/escape.ts";
import { messageUrl, tsToDate, type SlackDeps } from "../replies.ts";

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
    await ticketReaction(deps, client, body.team_id, event.item.channel, event.item.ts);
  });
  app.event("app_home_opened", async ({ event, body, client }) => {
    if (event.tab !== "home") return;
    const by = await deps.people.user(client, event.user, { team: body.team_id });
    const partnerships = await partnershipsOf(deps.core, by);
    const entries: { partnershipName: string; digest: Digest | null }[] = [];
    for (const p of partnerships.slice(0, 10)) {
      const { digest } = await weeklyDigest(deps.core, p.id, deps.core.clock.now());
      entries.push({ partnershipName: p.name, digest });
    }
    await client.views.publish({ user_id: event.user, view: homeView(entries) });
  });
  app.event("app_uninstalled", async ({ body }) => {
    const enterpriseId = body.enterprise_id ?? undefined;
    await forget({
      teamId: body.team_id,
      enterpriseId,
      isEnterpriseInstall: Boolean(body.is_enterprise_install),
    });
    deps.logger.info(
      { team: body.team_id },
      "rapport was uninstalled from a Slack workspace; its tokens are gone",
    );
  });
  app.event("tokens_revoked", async ({ event, body }) => {
    if (!event.tokens.bot?.length) return;
    const enterpriseId = body.enterprise_id ?? undefined;
    await forget({
      teamId: body.team_id,
      enterpriseId,
      isEnterpriseInstall: Boolean(body.is_enterprise_install),
    });
    deps.logger.info(
      { team: body.team_id },
      "a Slack workspace revoked rapport's bot token; its tokens are gone",
    );
  });
}

async function ticketReaction(
  deps: SlackDeps,
  client: WebClient,
  workspaceId: string,
  channel: string,
  ts: string,
) {
  const linked = await findLinkedChannel(deps.core, "slack", workspaceId, channel);
  if (!linked || !linked.link.purposes.includes("support")) return;
  const history = await client.conversations.history({ channel, latest: ts, inclusive: true, limit: 1 });
  const message = history.messages?.find((m) => m.ts === ts);
  if (!message?.user || !message.text) return;
  const team =
    (message as { user_team?: string; team?: string }).user_team ??
    (message as { team?: string }).team ??
    null;
  const by = await deps.people.user(client, message.user, { team });
  const where = { platform: "slack" as const, workspaceId, channelId: channel, messageId: ts };
  const { issue, created } = await reportIssue(deps.core, {
    partnershipId: linked.partnership.id,
    by,
    source: { platform: "slack", id: `msg:${channel}:${ts}`, url: messageUrl(channel, ts) },
    occurredAt: tsToDate(ts),
    via: "reaction",
    message: where,
    text: unescapeText(message.text),
  });
  if (!created) return;
  await deps.core.messages.remember({
    ...where,
    partnershipId: linked.partnership.id,
    subjectId: issue.id,
    kind: "source",
  });
  await postIssueCard(deps, client, linked.partnership, issue, {
    workspaceId,
    channelId: channel,
    threadTs: ts,
  });
}
