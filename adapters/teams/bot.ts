import {
  TeamsActivityHandler,
  type AdaptiveCardInvokeResponse,
  type AdaptiveCardInvokeValue,
  type MessagingExtensionAction,
  type MessagingExtensionActionResponse,
  type TurnContext,
} from "botbuilder";
import type { Core, Logger } from "../../src/index.ts";
import { forgetConversation, rememberConversation } from "./conversations.ts";
import { onCardInvoke } from "./handlers/card-invokes.ts";
import { onCommandMessage } from "./handlers/commands.ts";
import { onFetchTask, onSubmitAction } from "./handlers/message-actions.ts";

/**
 * rapport's Teams activity handler: bot commands in messages, card actions, message actions, and
 * the install/remove events that keep the conversations it may post into up to date.
 */
export class RapportTeamsBot extends TeamsActivityHandler {
  constructor(
    private readonly core: Core,
    private readonly logger: Logger,
  ) {
    super();
    const deps = { core, logger };
    this.onMessage(async (context, next) => {
      await rememberConversation(core, context, logger);
      if (context.activity.text) await onCommandMessage(deps, context);
      await next();
    });
    this.onInstallationUpdateAdd(async (context, next) => {
      await rememberConversation(core, context, logger);
      await next();
    });
    this.onInstallationUpdateRemove(async (context, next) => {
      await forgetConversation(core, context);
      await next();
    });
    this.onMembersAdded(async (context, next) => {
      const botAdded = context.activity.membersAdded?.some((m) => m.id === context.activity.recipient.id);
      if (botAdded) await rememberConversation(core, context, logger);
      await next();
    });
    this.onMembersRemoved(async (context, next) => {
      const botRemoved = context.activity.membersRemoved?.some((m) => m.id === context.activity.recipient.id);
      if (botRemoved) await forgetConversation(core, context);
      await next();
    });
  }

  protected override onAdaptiveCardInvoke(
    context: TurnContext,
    value: AdaptiveCardInvokeValue,
  ): Promise<AdaptiveCardInvokeResponse> {
    return onCardInvoke({ core: this.core, logger: this.logger }, context, value);
  }

  protected override handleTeamsMessagingExtensionFetchTask(
    context: TurnContext,
    action: MessagingExtensionAction,
  ): Promise<MessagingExtensionActionResponse> {
    return onFetchTask({ core: this.core, logger: this.logger }, context, action);
  }

  protected override handleTeamsMessagingExtensionSubmitAction(
    context: TurnContext,
    action: MessagingExtensionAction,
  ): Promise<MessagingExtensionActionResponse> {
    return onSubmitAction({ core: this.core, logger: this.logger }, context, action);
  }
}
