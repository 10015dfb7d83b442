import {
  TeamsActivityHandler,
  type AdaptiveCardInvokeResponse,
  type AdaptiveCardInvokeValue,
  type FileConsentCardResponse,
  type InvokeResponse,
  type MessagingExtensionAction,
  type MessagingExtensionActionResponse,
  type TurnContext,
} from "botbuilder";
import type { Logger, Rapport } from "../../src/index.ts";
import { ConversationBook } from "./conversations.ts";
import { offersInvoke } from "./ids.ts";
import { onCardInvoke } from "./listeners/card-invokes.ts";
import { onCommandMessage } from "./listeners/commands.ts";
import { userMessage, type TeamsDeps } from "./listeners/context.ts";
import { onFileConsent } from "./listeners/export.ts";
import { onFetchTask, onSubmitAction } from "./listeners/message-actions.ts";

/**
 * rapport's Teams activity handler: bot commands in messages, card actions, message actions, the
 * export file's consent, and the install/remove events that keep the conversations it may post
 * into up to date.
 */
export class RapportTeamsBot extends TeamsActivityHandler {
  private readonly deps: TeamsDeps;

  constructor(rapport: Rapport, logger: Logger) {
    super();
    const deps = (this.deps = { rapport, logger });
    const conversations = new ConversationBook(rapport, logger);
    const isBot = (id: string | undefined, context: TurnContext) => id === context.activity.recipient.id;
    // Before anything else in the turn: a card queued in it is posted through the stored reference.
    this.onTurn(async (context, next) => {
      await conversations.heard(context);
      await next();
    });
    this.onMessage(async (context, next) => {
      if (context.activity.text) await onCommandMessage(deps, context);
      await next();
    });
    this.onInstallationUpdateAdd(async (context, next) => {
      await conversations.remember(context);
      await next();
    });
    this.onInstallationUpdateRemove(async (context, next) => {
      await conversations.forget(context);
      await next();
    });
    this.onMembersAdded(async (context, next) => {
      if (context.activity.membersAdded?.some((m) => isBot(m.id, context)))
        await conversations.remember(context);
      await next();
    });
    this.onMembersRemoved(async (context, next) => {
      if (context.activity.membersRemoved?.some((m) => isBot(m.id, context)))
        await conversations.forget(context);
      await next();
    });
  }

  /**
   * An invoke rapport does not offer (a foreign or older manifest, a forged request) is acknowledged
   * with an empty 200 and left alone: botbuilder would answer 501, a server failure, for a request
   * rapport simply has nothing for.
   */
  protected override async onInvokeActivity(context: TurnContext): Promise<InvokeResponse> {
    const { name } = context.activity;
    if (offersInvoke(name)) return super.onInvokeActivity(context);
    this.deps.logger.info(
      { name: typeof name === "string" ? name.slice(0, 80) : null },
      "acknowledged a Teams invoke rapport does not offer",
    );
    return { status: 200 };
  }

  protected override onAdaptiveCardInvoke(
    context: TurnContext,
    value: AdaptiveCardInvokeValue,
  ): Promise<AdaptiveCardInvokeResponse> {
    return onCardInvoke(this.deps, context, value);
  }

  protected override handleTeamsMessagingExtensionFetchTask(
    context: TurnContext,
    action: MessagingExtensionAction,
  ): Promise<MessagingExtensionActionResponse> {
    return onFetchTask(this.deps, context, action);
  }

  protected override handleTeamsMessagingExtensionSubmitAction(
    context: TurnContext,
    action: MessagingExtensionAction,
  ): Promise<MessagingExtensionActionResponse> {
    return onSubmitAction(this.deps, context, action);
  }

  protected override async handleTeamsFileConsent(
    context: TurnContext,
    response: FileConsentCardResponse,
  ): Promise<void> {
    try {
      await onFileConsent(this.deps, context, response);
    } catch (e) {
      await context.sendActivity(userMessage(e, this.deps.logger));
    }
  }
}
