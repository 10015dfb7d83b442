import type { MessagingExtensionAction, MessagingExtensionActionResponse, TurnContext } from "botbuilder";
import { isRapportError, storedText, truncate, type PlatformUser } from "../../../src/index.ts";
import { MESSAGE_ACTIONS } from "../ids.ts";
import type { AdaptiveCardJson } from "../presenters/card-kit.ts";
import {
  directRequestFormCard,
  issueFormCard,
  parseDirectRequestForm,
  parseIssueForm,
} from "../presenters/forms.ts";
import { timedFormContextSchema } from "../presenters/form-kit.ts";
import { placeOf, senderOf, tenantOf } from "../people.ts";
import { postCard, queuedCardSpot, replyText, userMessage, type TeamsDeps } from "./context.ts";
import { fieldsOf, FormErrors } from "./form-errors.ts";

const REPORT_TITLE = "Report as IT issue";
const LOG_TITLE = "Log direct request";

const dialog = (title: string, card: AdaptiveCardJson): MessagingExtensionActionResponse => ({
  task: {
    type: "continue",
    value: { title, card: { contentType: "application/vnd.microsoft.card.adaptive", content: card } },
  },
});
const popup = (text: string): MessagingExtensionActionResponse => ({
  task: { type: "message", value: replyText(text) },
});

/** The message's text as rapport keeps it: Teams' HTML read into words. */
function textOf(action: MessagingExtensionAction): string {
  return storedText(action.messagePayload?.body?.content ?? "", { markup: "html" });
}

// Identities Teams gives a message's author from outside the tenant the action was used in.
const EXTERNAL_IDENTITIES = new Set(["federatedUser", "anonymousGuest", "personalMicrosoftAccountUser"]);

/**
 * The author of the message an action was used on. Their tenant is the one the message names, not
 * the clicker's: in a chat with another organisation the author is of theirs. Where the message
 * names none but says the author is from outside, their tenant is unknown (never the provider's).
 */
function authorOf(context: TurnContext, action: MessagingExtensionAction): PlatformUser | null {
  const user = action.messagePayload?.from?.user as
    { id?: string; displayName?: string; userIdentityType?: string; tenantId?: unknown } | undefined;
  if (!user?.id) return null;
  const tenant =
    typeof user.tenantId === "string" && user.tenantId
      ? user.tenantId
      : EXTERNAL_IDENTITIES.has(user.userIdentityType ?? "")
        ? ""
        : tenantOf(context);
  return {
    platform: "teams",
    workspaceId: tenant,
    userId: user.id,
    ...(user.displayName ? { displayName: user.displayName } : {}),
  };
}

/** What is said for a message action rapport does not have (an old manifest, a forged invoke). */
function unknownAction(action: MessagingExtensionAction): MessagingExtensionActionResponse {
  const name = truncate(String(action.commandId ?? ""), 40);
  return popup(
    `rapport has no message action called “${name}”, so nothing was recorded. ` +
      "Use “Report as IT issue” or “Log direct request” from the message's menu.",
  );
}

const KNOWN_ACTIONS = new Set<string>(Object.values(MESSAGE_ACTIONS));

/** "Report as IT issue" and "Log direct request": the dialog each opens. */
export async function onFetchTask(
  deps: TeamsDeps,
  context: TurnContext,
  action: MessagingExtensionAction,
): Promise<MessagingExtensionActionResponse> {
  if (!KNOWN_ACTIONS.has(action.commandId ?? "")) return unknownAction(action);
  const by = senderOf(context);
  try {
    if (action.commandId === MESSAGE_ACTIONS.reportIssue) {
      const { partnership } = await deps.rapport.locate({ place: placeOf(context), by, purpose: "support" });
      const card = issueFormCard({
        partnershipId: partnership.id,
        timezone: partnership.timezone,
        initial: { title: textOf(action).slice(0, 200) },
        surface: "dialog",
      });
      return dialog(REPORT_TITLE, card);
    }
    const mine = await deps.rapport.partnershipsOf(by, { side: "provider" });
    const requesterName = action.messagePayload?.from?.user?.displayName ?? null;
    return dialog(
      LOG_TITLE,
      directRequestFormCard({
        messageText: textOf(action),
        requesterName,
        partnerships: mine.map((p) => ({ id: p.id, name: p.name })),
      }),
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
  if (!KNOWN_ACTIONS.has(action.commandId ?? "")) return unknownAction(action);
  const report = action.commandId === MESSAGE_ACTIONS.reportIssue;
  try {
    return report ? await reportIssue(deps, context, action) : await logDirectRequest(deps, context, action);
  } catch (e) {
    const errors =
      e instanceof FormErrors ? e.errors : isRapportError(e) ? [userMessage(e, deps.logger)] : null;
    if (!errors) return popup(userMessage(e, deps.logger));
    // The issue form comes back with what to fix and what was typed; a refused direct request says why.
    const ctx = report ? timedFormContextSchema.safeParse(action.data) : null;
    if (!ctx?.success) return popup(errors.join(" "));
    const comeback = { submitted: action.data, errors };
    return dialog(REPORT_TITLE, issueFormCard({ ...ctx.data, surface: "dialog", comeback }));
  }
}

const sourceOf = (context: TurnContext, action: MessagingExtensionAction) => {
  const messageId = action.messagePayload?.id ?? context.activity.id ?? "";
  const created = action.messagePayload?.createdDateTime;
  return { messageId, ...(created ? { occurredAt: new Date(created) } : {}) };
};

async function reportIssue(
  deps: TeamsDeps,
  context: TurnContext,
  action: MessagingExtensionAction,
): Promise<MessagingExtensionActionResponse> {
  const ctx = timedFormContextSchema.safeParse(action.data);
  if (!ctx.success) throw new FormErrors(["This form could not be read. Please open it again."]);
  const now = deps.rapport.now();
  const { partnershipId, ...fields } = fieldsOf(
    parseIssueForm(action.data, { now, timezone: ctx.data.timezone }),
  );
  const { messageId, occurredAt } = sourceOf(context, action);
  const place = placeOf(context);
  // Queued with the issue, in one write; in a personal chat it is sent in the turn.
  const card = queuedCardSpot(context);
  // The reporter is who wrote the message, not who used the action on it.
  const { issue, partnership, created } = await deps.rapport.report({
    place,
    by: authorOf(context, action) ?? senderOf(context),
    source: { platform: "teams", id: `msg:${messageId}` },
    ...(occurredAt ? { occurredAt } : {}),
    partnershipId,
    via: "shortcut",
    message: { ...place, messageId },
    fields,
    ...(card ? { card } : {}),
  });
  if (created && !card) await postCard(deps, context, partnership, { kind: "issue", issue });
  return popup(`Recorded as ${issue.key}.`);
}

async function logDirectRequest(
  deps: TeamsDeps,
  context: TurnContext,
  action: MessagingExtensionAction,
): Promise<MessagingExtensionActionResponse> {
  const fields = fieldsOf(parseDirectRequestForm(action.data));
  const author = authorOf(context, action);
  if (!author)
    return popup("That message has no author rapport can see, so it cannot be logged as a direct request.");
  const { messageId, occurredAt } = sourceOf(context, action);
  const { issue } = await deps.rapport.logDirectRequest({
    place: placeOf(context),
    by: senderOf(context),
    partnershipId: fields.partnershipId,
    requester: author,
    text: fields.text,
    source: { platform: "teams", id: `direct:${messageId}` },
    ...(occurredAt ? { occurredAt } : {}),
  });
  return popup(`Logged as ${issue.key}; it will be answered and measured like any other request.`);
}
