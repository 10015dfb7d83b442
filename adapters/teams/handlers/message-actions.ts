import type { MessagingExtensionAction, MessagingExtensionActionResponse, TurnContext } from "botbuilder";
import {
  logDirectRequest,
  providerPartnershipsOf,
  reportIssue,
  requireLinkedChannel,
  type PlatformUser,
} from "../../../src/index.ts";
import { MESSAGE_ACTIONS } from "../ids.ts";
import type { AdaptiveCardJson } from "../presenters/card-kit.ts";
import {
  directRequestFormCard,
  issueFormCard,
  parseDirectRequestForm,
  parseIssueForm,
} from "../presenters/forms.ts";
import { issueCard } from "../presenters/issue-card.ts";
import { placeOf, senderOf, tenantOf } from "../people.ts";
import { HOW_TO_LINK, sendCard, userMessage, type TeamsDeps } from "./context.ts";
import { fieldsOf, FormErrors } from "./form-errors.ts";

const dialog = (title: string, card: AdaptiveCardJson): MessagingExtensionActionResponse => ({
  task: {
    type: "continue",
    value: { title, card: { contentType: "application/vnd.microsoft.card.adaptive", content: card } },
  },
});
const popup = (text: string): MessagingExtensionActionResponse => ({
  task: { type: "message", value: text },
});

/** The message's text without Teams' HTML. */
function textOf(action: MessagingExtensionAction): string {
  const content = action.messagePayload?.body?.content ?? "";
  return content
    .replace(/<br\s*\/?>/gi, "\n")
    .replace(/<[^>]+>/g, "")
    .replace(/&nbsp;/g, " ")
    .replace(/&amp;/g, "&")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .trim();
}

/** The author of the message an action was used on. */
function authorOf(context: TurnContext, action: MessagingExtensionAction): PlatformUser | null {
  const user = action.messagePayload?.from?.user;
  if (!user?.id) return null;
  return {
    platform: "teams",
    workspaceId: tenantOf(context),
    userId: user.id,
    ...(user.displayName ? { displayName: user.displayName } : {}),
  };
}

/** "Report as IT issue" and "Log direct request": the dialog each opens. */
export async function onFetchTask(
  deps: TeamsDeps,
  context: TurnContext,
  action: MessagingExtensionAction,
): Promise<MessagingExtensionActionResponse> {
  try {
    if (action.commandId === MESSAGE_ACTIONS.reportIssue) {
      const { partnership } = await requireLinkedChannel(
        deps.core,
        { platform: "teams", ...placeOf(context) },
        HOW_TO_LINK,
        "support",
      );
      const card = issueFormCard({
        partnershipId: partnership.id,
        initial: { title: textOf(action).slice(0, 200) },
        surface: "dialog",
      });
      return dialog("Report as IT issue", card);
    }
    const tech = senderOf(context);
    const mine = (await providerPartnershipsOf(deps.core, tech)).map((p) => ({ id: p.id, name: p.name }));
    const requesterName = action.messagePayload?.from?.user?.displayName ?? null;
    return dialog(
      "Log direct request",
      directRequestFormCard({ messageText: textOf(action), requesterName, partnerships: mine }),
    );
  } catch (e) {
    return popup(userMessage(e, deps.logger));
  }
}

/** The dialog's submission: records the issue or the direct request, and posts the issue card. */
export async function onSubmitAction(
  deps: TeamsDeps,
  context: TurnContext,
  action: MessagingExtensionAction,
): Promise<MessagingExtensionActionResponse> {
  try {
    const author = authorOf(context, action);
    const messageId = action.messagePayload?.id ?? context.activity.id ?? "";
    const occurredAt = action.messagePayload?.createdDateTime
      ? new Date(action.messagePayload.createdDateTime)
      : undefined;
    if (action.commandId === MESSAGE_ACTIONS.reportIssue) {
      const place = placeOf(context);
      const { partnership } = await requireLinkedChannel(
        deps.core,
        { platform: "teams", ...place },
        HOW_TO_LINK,
        "support",
      );
      const fields = fieldsOf(
        parseIssueForm(action.data, { now: deps.core.clock.now(), timezone: partnership.timezone }),
      );
      const { issue, created } = await reportIssue(deps.core, {
        partnershipId: partnership.id,
        by: author ?? senderOf(context),
        source: { platform: "teams", id: `msg:${messageId}` },
        ...(occurredAt ? { occurredAt } : {}),
        via: "shortcut",
        message: { platform: "teams", workspaceId: place.workspaceId, channelId: place.channelId, messageId },
        fields,
      });
      if (created) await sendCard(context, issueCard(issue, partnership, { now: deps.core.clock.now() }));
      return popup(`Recorded as ${issue.key}.`);
    }
    const fields = fieldsOf(parseDirectRequestForm(action.data));
    if (!author)
      return popup("That message has no author rapport can see, so it cannot be logged as a direct request.");
    const { issue } = await logDirectRequest(deps.core, {
      partnershipId: fields.partnershipId,
      by: senderOf(context),
      requester: author,
      text: fields.text,
      source: { platform: "teams", id: `direct:${messageId}` },
      ...(occurredAt ? { occurredAt } : {}),
    });
    return popup(`Logged as ${issue.key}; it will be answered and measured like any other request.`);
  } catch (e) {
    return popup(e instanceof FormErrors ? e.errors.join(" ") : userMessage(e, deps.logger));
  }
}
