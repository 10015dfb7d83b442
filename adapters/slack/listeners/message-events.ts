import type { SlackListeners } from "../listener-table.ts";
import type { GenericMessageEvent } from "@slack/types";
import { isRapportError } from "../../../src/index.ts";
import { refreshCards, underMessage } from "../cards.ts";
import { chatText, fromMessage, queueing, slackPlace, type SlackDeps } from "../replies.ts";

/**
 * Messages in support channels: a reply in an issue's thread goes to `replyInThread` (a provider's
 * first reply is the response; a client's reply to an issue waiting on them restarts the clock), a
 * top-level message to `intake` (a client's message becomes an issue when auto-intake is on). A
 * reply also sent to the channel and a message with a file count like any other message a person
 * writes; bot messages, edits, deletions, joins and every other subtype are ignored (PERSON_SUBTYPES);
 * so is a message the core refuses (a channel linked to no partnership): nobody asked rapport anything.
 */
export function registerMessageEvents(app: SlackListeners, deps: SlackDeps): void {
  app.event("message", async ({ event, body, client }) => {
    const message = event as GenericMessageEvent;
    if (!isPersonsMessage(message)) return;
    const inThread = Boolean(message.thread_ts && message.thread_ts !== message.ts);
    // A reply with only a file (a screenshot) still answers; a new request needs words to be one.
    if (!inThread && !message.text) return;
    // In a Slack Connect channel `user_team` is the author's own workspace (not always typed by Slack).
    const team = (message as { user_team?: string }).user_team ?? message.team ?? null;
    const at = { workspaceId: body.team_id, channelId: message.channel, ts: message.ts };
    const { message: ref, ...recorded } = fromMessage(at);
    const request = {
      place: slackPlace(at.workspaceId, at.channelId),
      by: deps.people.user(client, message.user, { team, place: body.team_id }),
      ...recorded,
    };
    try {
      if (inThread && message.thread_ts) {
        const replied = await deps.rapport.replyInThread({ ...request, threadId: message.thread_ts });
        if (replied?.created) {
          const subject = { kind: "issue" as const, issue: replied.issue };
          await queueing(deps.logger, "could not queue the redraw of an issue's cards", () =>
            refreshCards(deps, replied.partnership, subject),
          );
        }
        return;
      }
      await deps.rapport.intake({
        ...request,
        text: chatText(deps, message.text ?? ""),
        message: ref,
        ...underMessage(at),
      });
    } catch (e) {
      if (!isRapportError(e)) throw e;
      // Every channel the bot is in sends its messages; most are linked to nothing.
      const level = e.code === "not_linked" ? "debug" : "info";
      deps.logger[level]({ code: e.code, err: e, channel: at.channelId }, "a Slack message was not recorded");
    }
  });
}

/**
 * The message subtypes that are something a person wrote: none (a plain message), a thread reply
 * also sent to the channel, a message with a file (a screenshot with a caption), a /me message.
 * Every other subtype is Slack telling of something else (bot_message, message_changed,
 * message_deleted, channel_join, channel_topic…) and is not a request or a response.
 */
export const PERSON_SUBTYPES: ReadonlySet<string | undefined> = new Set([
  undefined,
  "thread_broadcast",
  "file_share",
  "me_message",
]);

function isPersonsMessage(message: GenericMessageEvent): boolean {
  const subtype = (message as { subtype?: string }).subtype;
  return PERSON_SUBTYPES.has(subtype) && !message.bot_id && typeof message.user === "string";
}
