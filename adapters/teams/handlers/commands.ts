import { TurnContext } from "botbuilder";
import {
  findLinkedChannel,
  partnershipsOf,
  recommend,
  reportIssue,
  requireLinkedChannel,
  weeklyDigest,
  type LinkedChannel,
} from "../../../src/index.ts";
import { digestCard, scorecardCard } from "../presenters/digest-card.ts";
import {
  callFormCard,
  headsUpFormCard,
  issueFormCard,
  recommendFormCard,
  setupFormCard,
} from "../presenters/forms.ts";
import { helpCard } from "../presenters/help-card.ts";
import { issueCard } from "../presenters/issue-card.ts";
import { recommendationCard } from "../presenters/recommendation-card.ts";
import { placeOf, senderOf } from "../people.ts";
import { HOW_TO_LINK, sendCard, userMessage, type TeamsDeps } from "./context.ts";

type Command = (deps: TeamsDeps, context: TurnContext, rest: string) => Promise<void>;

const linked = (deps: TeamsDeps, context: TurnContext, purpose?: "support"): Promise<LinkedChannel> =>
  requireLinkedChannel(deps.core, { platform: "teams", ...placeOf(context) }, HOW_TO_LINK, purpose);

const source = (context: TurnContext) => ({ platform: "teams" as const, id: `msg:${context.activity.id}` });

const COMMANDS: Record<string, Command> = {
  issue: async (deps, context, rest) => {
    const { partnership } = await linked(deps, context, "support");
    if (!rest) {
      await sendCard(context, issueFormCard({ partnershipId: partnership.id }));
      return;
    }
    const place = placeOf(context);
    const { issue, created } = await reportIssue(deps.core, {
      partnershipId: partnership.id,
      by: senderOf(context),
      source: source(context),
      via: "command",
      text: rest,
      message: {
        platform: "teams",
        workspaceId: place.workspaceId,
        channelId: place.channelId,
        messageId: context.activity.id ?? "",
      },
    });
    if (!created) return;
    const cardId = await sendCard(context, issueCard(issue, partnership, { now: deps.core.clock.now() }));
    if (cardId) {
      await deps.core.messages.remember({
        platform: "teams",
        workspaceId: place.workspaceId,
        channelId: place.channelId,
        messageId: cardId,
        partnershipId: partnership.id,
        subjectId: issue.id,
        kind: "card",
      });
    }
  },
  status: async (deps, context) => {
    // In a personal chat (never linked) the person sees the scorecards of their partnerships.
    const place = placeOf(context);
    const partnerships =
      place.kind === "personal"
        ? await partnershipsOf(deps.core, senderOf(context))
        : [(await linked(deps, context)).partnership];
    if (partnerships.length === 0) {
      await context.sendActivity(
        "You are not in any partnership yet: an admin can add you with `setup` in its channel.",
      );
      return;
    }
    for (const p of partnerships.slice(0, 5)) {
      await sendCard(
        context,
        scorecardCard((await weeklyDigest(deps.core, p.id, deps.core.clock.now())).digest),
      );
    }
  },
  digest: async (deps, context) => {
    const { partnership } = await linked(deps, context);
    await sendCard(context, digestCard((await weeklyDigest(deps.core, partnership.id)).digest));
  },
  recommend: async (deps, context, rest) => {
    const { partnership } = await linked(deps, context);
    const clock = { now: deps.core.clock.now(), timezone: partnership.timezone };
    if (!rest)
      return void (await sendCard(context, recommendFormCard({ partnershipId: partnership.id }, clock)));
    const { recommendation, created } = await recommend(deps.core, {
      partnershipId: partnership.id,
      by: senderOf(context),
      source: source(context),
      title: rest,
    });
    if (created) await sendCard(context, recommendationCard(recommendation, partnership));
  },
  call: async (deps, context) =>
    void (await sendCard(
      context,
      callFormCard({ partnershipId: (await linked(deps, context)).partnership.id }),
    )),
  headsup: async (deps, context) =>
    void (await sendCard(
      context,
      headsUpFormCard({ partnershipId: (await linked(deps, context)).partnership.id }),
    )),
  setup: async (deps, context) => {
    const place = placeOf(context);
    const found = await findLinkedChannel(deps.core, "teams", place.workspaceId, place.channelId);
    const name = (context.activity.channelData as { channel?: { name?: string } } | undefined)?.channel?.name;
    await sendCard(
      context,
      setupFormCard({
        partnership: found?.partnership ?? null,
        conversation: { conversationId: place.channelId, ...(name ? { name } : {}) },
        purposes: found?.link.purposes ?? ["support", "digest"],
      }),
    );
  },
  help: async (_deps, context) => void (await sendCard(context, helpCard())),
};

/** A text message to the bot: `issue …`, `status`, `recommend …`, `call`, `headsup`, `setup`, `help`. */
export async function onCommandMessage(deps: TeamsDeps, context: TurnContext): Promise<void> {
  const text = (TurnContext.removeRecipientMention(context.activity) ?? context.activity.text ?? "")
    .replace(/<[^>]+>/g, " ")
    .replace(/&nbsp;/g, " ")
    .trim();
  const [word = "help", ...rest] = text.split(/\s+/);
  const command = COMMANDS[word.toLowerCase()];
  try {
    if (!command) {
      await context.sendActivity(`I don't know "${word}". Here is what I can do:`);
      await sendCard(context, helpCard());
      return;
    }
    await command(deps, context, rest.join(" ").trim());
  } catch (e) {
    await context.sendActivity(userMessage(e, deps.logger));
  }
}
