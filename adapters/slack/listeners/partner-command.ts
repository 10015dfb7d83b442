import type { RespondArguments, RespondFn, SlashCommand } from "@slack/bolt";
import type { SlackListeners } from "../listener-table.ts";
import type { WebClient } from "@slack/web-api";
import {
  HOW_TO_LINK,
  truncate,
  type Member,
  type PartnershipExport,
  type Scorecard,
  type Visit,
} from "../../../src/index.ts";
import { postCard } from "../cards.ts";
import { COMMANDS } from "../ids.ts";
import { scorecardBlocks } from "../presenters/digest-blocks.ts";
import { escapeText } from "../presenters/escape.ts";
import { callModal, headsUpModal, recommendModal } from "../presenters/forms-modal.ts";
import { helpBlocks } from "../presenters/help.ts";
import { LIMITS, type SlackMessage } from "../presenters/kit.ts";
import { setupModal, type SetupPeople } from "../presenters/setup-modal.ts";
import { chatText, inBackground, queueing, slackPlace, userMessage, type SlackDeps } from "../replies.ts";

type Reply = (message: RespondArguments, silent?: boolean) => Promise<void>;

/** Said to someone rapport has not placed in an organisation yet (it is asking Slack meanwhile). */
export const STILL_LOOKING =
  "rapport is still finding out from Slack which organisation you are in. Try the command again in a few seconds.";

/** One `/itpartner` subcommand: the command, where and by whom, the words after it, and how to answer. */
interface Invocation {
  deps: SlackDeps;
  client: WebClient;
  command: SlashCommand;
  visit: Visit;
  rest: string;
  reply: Reply;
  /** Speaks to the person after Slack was answered (the command's response_url). */
  respond: RespondFn;
}

const SUBCOMMANDS: Record<string, (i: Invocation) => Promise<void>> = {
  help: ({ reply }) => reply({ response_type: "ephemeral", ...helpBlocks() }),
  status: async ({ deps, visit, reply }) => {
    await reply({ response_type: "ephemeral", ...scorecards(await deps.rapport.status(visit)) });
  },
  recommend: async ({ deps, client, command, visit, rest, reply }) => {
    if (!rest) {
      const { partnership } = await deps.rapport.locate(visit);
      const metadata = { partnershipId: partnership.id, channelId: command.channel_id };
      const clock = { now: deps.rapport.now(), timezone: partnership.timezone };
      return openForm(client, command, reply, recommendModal(metadata, clock));
    }
    const { recommendation, partnership, created } = await deps.rapport.recommend({
      ...visit,
      source: { platform: "slack", id: `cmd:${command.trigger_id}` },
      title: rest,
    });
    const at = { workspaceId: command.team_id, channelId: command.channel_id };
    const subject = { kind: "recommendation" as const, recommendation };
    if (created)
      await queueing(deps.logger, "could not queue a recommendation card", () =>
        postCard(deps, partnership, subject, at),
      );
    await reply({
      response_type: "ephemeral",
      text: `Recorded your recommendation: decide by ${recommendation.decideBy}.`,
    });
  },
  call: async ({ deps, client, command, visit, reply }) => {
    const { partnership } = await deps.rapport.locate(visit);
    await openForm(
      client,
      command,
      reply,
      callModal({ partnershipId: partnership.id, channelId: command.channel_id }),
    );
  },
  headsup: async ({ deps, client, command, visit, reply }) => {
    const { partnership } = await deps.rapport.locate(visit);
    const metadata = { partnershipId: partnership.id, channelId: command.channel_id };
    await openForm(client, command, reply, headsUpModal(metadata, partnership));
  },
  setup: async ({ deps, client, command, visit, reply }) => {
    const { partnership, purposes, members } = await deps.rapport.setupForm(visit);
    // The form names people by id alone: their teams, known here, are what its submission will need.
    for (const m of members) if (m.platform === "slack") deps.people.remember(m.userId, m.workspaceId);
    const view = setupModal({
      metadata: { partnershipId: partnership?.id ?? null, channelId: command.channel_id },
      partnership,
      purposes,
      people: peopleOf(members),
    });
    await openForm(client, command, reply, view);
  },
  export: async ({ deps, client, command, visit, reply, respond }) => {
    const pack = await deps.rapport.export(visit);
    await reply({
      response_type: "ephemeral",
      text: "I am sending you the partnership's record as a file in a direct message.",
    });
    inBackground(deps.logger, "could not tell a Slack user why their export was not sent", () =>
      sendExport(client, command.user_id, pack).catch((err: unknown) =>
        respond({
          response_type: "ephemeral",
          text: `I could not send you the record. ${userMessage(err, deps.logger)}`,
        }),
      ),
    );
  },
};

/** `/itpartner <help|status|recommend|call|headsup|setup|export>`. */
export function registerPartnerCommand(app: SlackListeners, deps: SlackDeps): void {
  app.command(COMMANDS.partner, async ({ command, ack, client, respond }) => {
    const [word = "help", ...restWords] = chatText(deps, command.text ?? "").split(/\s+/);
    const sub = SUBCOMMANDS[word.toLowerCase()];
    let acked = false;
    const reply: Reply = async (message, silent = false) => {
      acked = true;
      await (silent ? ack() : ack(message));
    };
    try {
      if (!sub) {
        await reply({
          response_type: "ephemeral",
          text: `There is no \`/itpartner ${escapeText(truncate(word, 40))}\`. ${helpBlocks().text}`,
        });
        return;
      }
      // `team_id` is the workspace the command came through, not necessarily the person's own.
      const { user: by, tentative } = deps.people.person(client, command.user_id, {
        name: command.user_name,
        place: command.team_id,
      });
      // Every subcommand but help shows or changes what only some people may: it does not act on a
      // guessed organisation (a Slack Connect guest would pass for one of the place's workspace).
      if (tentative && sub !== SUBCOMMANDS.help)
        return void (await reply({ response_type: "ephemeral", text: STILL_LOOKING }));
      const visit = { place: slackPlace(command.team_id, command.channel_id), by };
      await sub({ deps, client, command, visit, rest: restWords.join(" ").trim(), reply, respond });
    } catch (e) {
      if (!acked) await ack({ response_type: "ephemeral", text: userMessage(e, deps.logger) });
      else deps.logger.error({ err: e }, `/itpartner ${word} failed after it was answered`);
    }
  });
}

/** Sends an export as a JSON file in a direct message with the person who asked. */
async function sendExport(client: WebClient, userId: string, pack: PartnershipExport): Promise<void> {
  const { partnership } = pack;
  const dm = await client.conversations.open({ users: userId });
  await client.files.uploadV2({
    channel_id: dm.channel?.id ?? userId,
    filename: `rapport-${partnership.key.toLowerCase()}-export.json`,
    content: JSON.stringify(pack, null, 2),
    initial_comment: `The whole record of ${partnership.name}: ${pack.events.length} events, ${pack.issues.length} issues.`,
  });
}

async function openForm(
  client: WebClient,
  command: SlashCommand,
  reply: Reply,
  view: Parameters<WebClient["views"]["open"]>[0]["view"],
): Promise<void> {
  await client.views.open({ trigger_id: command.trigger_id, view });
  await reply({ response_type: "ephemeral", text: "" }, true);
}

/**
 * The scorecards `status` found: the channel's partnership's, or, in a channel linked to none, those
 * of every partnership the person is in (one message, within Slack's block limit).
 */
function scorecards(found: Scorecard[]): Pick<SlackMessage, "text"> & Partial<SlackMessage> {
  if (found.length === 0) {
    return {
      text: `This channel is not linked to a partnership, and you are in none yet. ${HOW_TO_LINK.slack}`,
    };
  }
  const messages = found.map((s) => scorecardBlocks(s.digest));
  return {
    text: messages.map((m) => m.text).join("\n"),
    blocks: messages.flatMap((m) => m.blocks).slice(0, LIMITS.messageBlocks),
  };
}

/** Who the set-up form shows in each menu: the partnership's Slack people. */
function peopleOf(members: Member[]): SetupPeople {
  const slack = members.filter((m) => m.platform === "slack");
  const ids = (keep: (m: Member) => boolean) => slack.filter(keep).map((m) => m.userId);
  return {
    provider: ids((m) => m.side === "provider"),
    client: ids((m) => m.side === "client"),
    leads: ids((m) => m.role === "lead"),
    admins: ids((m) => m.role === "admin"),
  };
}
