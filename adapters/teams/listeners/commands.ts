import { TurnContext } from "botbuilder";
import { storedText, truncate } from "../../../src/index.ts";
import { digestCard, scorecardCard } from "../presenters/digest-card.ts";
import {
  callFormCard,
  headsUpFormCard,
  issueFormCard,
  recommendFormCard,
  setupFormCard,
} from "../presenters/forms.ts";
import { helpCard } from "../presenters/help-card.ts";
import { peopleRows } from "../presenters/setup-people.ts";
import { kindOf, peopleNamedIn, placeOf, senderOf } from "../people.ts";
import { messageSource, postCard, queuedCardSpot, sendCard, userMessage, type TeamsDeps } from "./context.ts";
import { sendExport } from "./export.ts";

type Command = (deps: TeamsDeps, context: TurnContext, rest: string) => Promise<void>;

const visit = (context: TurnContext) => ({ place: placeOf(context), by: senderOf(context) });

/** The form's context: the partnership the place is linked to, and its timezone. */
async function formContext(deps: TeamsDeps, context: TurnContext, purpose?: "support") {
  const { partnership } = await deps.rapport.locate({ ...visit(context), ...(purpose ? { purpose } : {}) });
  return { partnershipId: partnership.id, timezone: partnership.timezone };
}

const COMMANDS: Record<string, Command> = {
  issue: async (deps, context, rest) => {
    if (!rest)
      return void (await sendCard(context, issueFormCard(await formContext(deps, context, "support"))));
    const place = placeOf(context);
    // Queued with the issue, in one write; in a personal chat it is sent in the turn.
    const card = queuedCardSpot(context);
    const { issue, partnership, created } = await deps.rapport.report({
      place,
      by: senderOf(context),
      source: messageSource(context),
      via: "command",
      text: rest,
      message: { ...place, messageId: context.activity.id ?? "" },
      ...(card ? { card } : {}),
    });
    if (created && !card) await postCard(deps, context, partnership, { kind: "issue", issue });
  },
  status: async (deps, context) => {
    // In a personal chat the person sees the scorecards of all their partnerships; a channel or
    // group chat shows only its own, since everyone there reads the answer.
    const scorecards = await deps.rapport.status({
      ...visit(context),
      sharedPlace: kindOf(context) !== "personal",
    });
    if (scorecards.length === 0) {
      await context.sendActivity(
        "You are not in any partnership yet: an admin can add you with `setup` in its channel.",
      );
      return;
    }
    for (const { digest } of scorecards) await sendCard(context, scorecardCard(digest));
  },
  digest: async (deps, context) => {
    await sendCard(context, digestCard((await deps.rapport.digest(visit(context))).digest));
  },
  recommend: async (deps, context, rest) => {
    if (!rest) {
      const ctx = await formContext(deps, context);
      return void (await sendCard(
        context,
        recommendFormCard(ctx, { now: deps.rapport.now(), timezone: ctx.timezone }),
      ));
    }
    const { recommendation, partnership, created } = await deps.rapport.recommend({
      ...visit(context),
      source: messageSource(context),
      title: rest,
    });
    if (created) await postCard(deps, context, partnership, { kind: "recommendation", recommendation });
  },
  call: async (deps, context) =>
    void (await sendCard(context, callFormCard(await formContext(deps, context)))),
  headsup: async (deps, context) =>
    void (await sendCard(context, headsUpFormCard(await formContext(deps, context)))),
  setup: async (deps, context) => {
    const by = senderOf(context);
    const place = placeOf(context);
    const view = await deps.rapport.setupForm({ place, by });
    const named = await peopleNamedIn(context);
    const name = (context.activity.channelData as { channel?: { name?: string } } | undefined)?.channel?.name;
    // On a new partnership the person setting it up starts as the provider's admin; on an existing
    // one they are listed like anyone else, where they stand now.
    const people = view.partnership
      ? peopleRows({ members: view.members, candidates: [by, ...named], creator: null })
      : peopleRows({ members: [], candidates: named, creator: by });
    await sendCard(
      context,
      setupFormCard({
        partnership: view.partnership,
        conversation: { conversationId: place.channelId, ...(name ? { name } : {}) },
        purposes: view.purposes,
        people,
      }),
    );
  },
  export: (deps, context) => sendExport(deps, context),
  help: async (_deps, context) => void (await sendCard(context, helpCard())),
};

/** A text message to the bot: `issue …`, `status`, `recommend …`, `call`, `headsup`, `setup`, `export`, `help`. */
export async function onCommandMessage(deps: TeamsDeps, context: TurnContext): Promise<void> {
  // Teams sends a message's text as HTML: a title typed as "VPN &amp; Outlook down" is kept as words.
  const typed = TurnContext.removeRecipientMention(context.activity) ?? context.activity.text ?? "";
  const text = storedText(typed, { markup: "html" });
  const [word = "help", ...rest] = text.split(/\s+/);
  const command = COMMANDS[word.toLowerCase()];
  try {
    if (!command) {
      await context.sendActivity(`I don't know "${truncate(word, 40)}". Here is what I can do:`);
      await sendCard(context, helpCard());
      return;
    }
    await command(deps, context, rest.join(" ").trim());
  } catch (e) {
    await context.sendActivity(userMessage(e, deps.logger));
  }
}
