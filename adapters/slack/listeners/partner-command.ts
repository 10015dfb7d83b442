import type { App, RespondArguments, SlashCommand } from "@slack/bolt";
import type { WebClient } from "@slack/web-api";
import {
  exportPartnershipFor,
  findLinkedChannel,
  recommend,
  requireLinkedChannel,
  weeklyDigest,
  type LinkedChannel,
} from "../../../src/index.ts";
import { postRecommendationCard } from "../cards.ts";
import { COMMANDS } from "../ids.ts";
import { scorecardBlocks } from "../presenters/digest-blocks.ts";
import { unescapeText } from "../presenters/escape.ts";
import { callModal, headsUpModal, recommendModal } from "../presenters/forms-modal.ts";
import { helpBlocks } from "../presenters/help.ts";
import { setupModal } from "../presenters/setup-modal.ts";
import { HOW_TO_LINK, userMessage, type SlackDeps } from "../replies.ts";

type Reply = (message: RespondArguments, silent?: boolean) => Promise<void>;
type Sub = (
  deps: SlackDeps,
  client: WebClient,
  command: SlashCommand,
  rest: string,
  reply: Reply,
) => Promise<void>;

const SUBCOMMANDS: Record<string, Sub> = {
  help: async (_deps, _client, _command, _rest, reply) =>
    reply({ response_type: "ephemeral", ...helpBlocks() }),
  status: async (deps, _client, command, _rest, reply) => {
    const { partnership } = await linked(deps, command);
    const { digest } = await weeklyDigest(deps.core, partnership.id, deps.core.clock.now());
    await reply({ response_type: "ephemeral", ...scorecardBlocks(digest) });
  },
  recommend: async (deps, client, command, rest, reply) => {
    const { partnership } = await linked(deps, command);
    if (!rest) {
      const clock = { now: deps.core.clock.now(), timezone: partnership.timezone };
      const view = recommendModal({ partnershipId: partnership.id, channelId: command.channel_id }, clock);
      await client.views.open({ trigger_id: command.trigger_id, view });
      return reply({ response_type: "ephemeral", text: "" }, true);
    }
    const by = await deps.people.user(client, command.user_id, { name: command.user_name });
    const { recommendation, created } = await recommend(deps.core, {
      partnershipId: partnership.id,
      by,
      source: { platform: "slack", id: `cmd:${command.trigger_id}` },
      title: rest,
    });
    await reply({
      response_type: "ephemeral",
      text: `Recorded your recommendation: decide by ${recommendation.decideBy}.`,
    });
    const where = { workspaceId: command.team_id, channelId: command.channel_id };
    if (created) await postRecommendationCard(deps, client, partnership, recommendation, where);
  },
  call: async (deps, client, command, _rest, reply) => {
    const { partnership } = await linked(deps, command);
    const view = callModal({ partnershipId: partnership.id, channelId: command.channel_id });
    await client.views.open({ trigger_id: command.trigger_id, view });
    await reply({ response_type: "ephemeral", text: "" }, true);
  },
  headsup: async (deps, client, command, _rest, reply) => {
    const { partnership } = await linked(deps, command);
    const view = headsUpModal({ partnershipId: partnership.id, channelId: command.channel_id });
    await client.views.open({ trigger_id: command.trigger_id, view });
    await reply({ response_type: "ephemeral", text: "" }, true);
  },
  setup: async (deps, client, command, _rest, reply) => {
    const found = await findLinkedChannel(deps.core, "slack", command.team_id, command.channel_id);
    const metadata = {
      partnershipId: found?.partnership.id ?? null,
      workspaceId: command.team_id,
      channelId: command.channel_id,
    };
    const view = setupModal({
      metadata,
      partnership: found?.partnership ?? null,
      purposes: found?.link.purposes ?? ["support", "digest"],
      people: await people(deps, found),
    });
    await client.views.open({ trigger_id: command.trigger_id, view });
    await reply({ response_type: "ephemeral", text: "" }, true);
  },
  export: async (deps, client, command, _rest, reply) => {
    const { partnership } = await linked(deps, command);
    const by = await deps.people.user(client, command.user_id, { name: command.user_name });
    const pack = await exportPartnershipFor(deps.core, partnership.id, by);
    const dm = await client.conversations.open({ users: command.user_id });
    await client.files.uploadV2({
      channel_id: dm.channel?.id ?? command.user_id,
      filename: `rapport-${partnership.key.toLowerCase()}-export.json`,
      content: JSON.stringify(pack, null, 2),
      initial_comment: `The whole record of ${partnership.name}: ${pack.events.length} events, ${pack.issues.length} issues.`,
    });
    await reply({
      response_type: "ephemeral",
      text: "I sent you the partnership's record as a file in a direct message.",
    });
  },
};

/** `/itpartner <help|status|recommend|call|headsup|setup|export>`. */
export function registerPartnerCommand(app: App, deps: SlackDeps): void {
  app.command(COMMANDS.partner, async ({ command, ack, client }) => {
    const [word = "help", ...restWords] = unescapeText(command.text ?? "")
      .trim()
      .split(/\s+/);
    const sub = SUBCOMMANDS[word.toLowerCase()];
    let acked = false;
    const reply = async (message: RespondArguments, silent = false) => {
      acked = true;
      await (silent ? ack() : ack(message));
    };
    try {
      if (!sub) {
        await reply({
          response_type: "ephemeral",
          text: `There is no \`/itpartner ${word}\`. ${helpBlocks().text}`,
        });
        return;
      }
      await sub(deps, client, command, restWords.join(" ").trim(), reply);
    } catch (e) {
      if (!acked) await ack({ response_type: "ephemeral", text: userMessage(e, deps.logger) });
      else deps.logger.error({ err: e }, `/itpartner ${word} failed after it was answered`);
    }
  });
}

function linked(deps: SlackDeps, command: SlashCommand): Promise<LinkedChannel> {
  return requireLinkedChannel(
    deps.core,
    { platform: "slack", workspaceId: command.team_id, channelId: command.channel_id },
    HOW_TO_LINK,
  );
}

async function people(deps: SlackDeps, found: LinkedChannel | null) {
  if (!found) return undefined;
  const members = (await deps.core.partnerships.members(found.partnership.id)).filter(
    (m) => m.platform === "slack",
  );
  return {
    provider: members.filter((m) => m.side === "provider").map((m) => m.userId),
    client: members.filter((m) => m.side === "client").map((m) => m.userId),
    leads: members.filter((m) => m.role === "lead").map((m) => m.userId),
    admins: members.filter((m) => m.role === "admin").map((m) => m.userId),
  };
}
