import type { App, BlockAction, ButtonAction, StaticSelectAction } from "@slack/bolt";
import type { WebClient } from "@slack/web-api";
import {
  changePriority,
  decideRecommendation,
  reopenIssue,
  resolveIssue,
  respond as acknowledge,
  waitOnClient,
  type IssueActionResult,
  type IssueCommandInput,
  type Core,
} from "../../../src/index.ts";
import { refreshCards } from "../cards.ts";
import { ACTIONS } from "../ids.ts";
import { parseCardValue, parsePriorityValue } from "../presenters/issue-card.ts";
import { parseRecommendationValue } from "../presenters/recommendation-card.ts";
import { userMessage, type SlackDeps } from "../replies.ts";
import { scheduleReminder } from "./reminders.ts";

type IssueAction = (core: Core, input: IssueCommandInput) => Promise<IssueActionResult>;

const ISSUE_BUTTONS: Record<string, IssueAction> = {
  [ACTIONS.acknowledge]: (core, input) => acknowledge(core, { ...input, via: "button" }),
  [ACTIONS.waitOnClient]: (core, input) => waitOnClient(core, input),
  [ACTIONS.resolve]: (core, input) => resolveIssue(core, input),
  [ACTIONS.reopen]: (core, input) => reopenIssue(core, input),
};

const DECISIONS = {
  [ACTIONS.accept]: "accepted",
  [ACTIONS.decline]: "declined",
  [ACTIONS.acceptRisk]: "risk_accepted",
} as const;

/** Issue and recommendation card buttons: one service each, then every card of the subject redrawn. */
export function registerCardActions(app: App, deps: SlackDeps): void {
  for (const [actionId, action] of Object.entries(ISSUE_BUTTONS)) {
    app.action<BlockAction<ButtonAction>>(
      actionId,
      async ({ body, action: button, ack, client, respond }) => {
        await guarded(deps, ack, respond, async () => {
          const value = parseCardValue(button.value);
          if (!value) throw new Error(`unreadable issue button value: ${button.value}`);
          await onIssue(deps, client, body, value.partnershipId, (input) =>
            action(deps.core, { ...input, issue: value.issueId }),
          );
        });
      },
    );
  }
  app.action<BlockAction<StaticSelectAction>>(
    ACTIONS.priority,
    async ({ body, action: select, ack, client, respond }) => {
      await guarded(deps, ack, respond, async () => {
        const value = parsePriorityValue(select.selected_option?.value);
        if (!value) throw new Error("unreadable priority menu value");
        await onIssue(deps, client, body, value.partnershipId, (input) =>
          changePriority(deps.core, { ...input, issue: value.issueId, priority: value.priority }),
        );
      });
    },
  );
  for (const [actionId, decision] of Object.entries(DECISIONS)) {
    app.action<BlockAction<ButtonAction>>(
      actionId,
      async ({ body, action: button, ack, client, respond }) => {
        await guarded(deps, ack, respond, async () => {
          const value = parseRecommendationValue(button.value);
          if (!value) throw new Error(`unreadable recommendation button value: ${button.value}`);
          const by = await deps.people.user(client, body.user.id, { team: body.user.team_id ?? null });
          const { recommendation, created } = await decideRecommendation(deps.core, {
            partnershipId: value.partnershipId,
            by,
            source: { platform: "slack", id: `act:${body.trigger_id}` },
            recommendationId: value.recommendationId,
            decision,
          });
          if (created) {
            const partnership = await deps.core.partnerships.get(value.partnershipId);
            await refreshCards(deps, client, partnership, { kind: "recommendation", recommendation });
          }
        });
      },
    );
  }
  app.action<BlockAction<ButtonAction>>(
    ACTIONS.remind,
    async ({ body, action: button, ack, client, respond }) => {
      await guarded(deps, ack, respond, async () => {
        const value = parseRecommendationValue(button.value);
        if (!value) throw new Error(`unreadable recommendation button value: ${button.value}`);
        const text = await scheduleReminder(deps, client, body.user.id, value);
        await respond({ response_type: "ephemeral", replace_original: false, text });
      });
    },
  );
}

async function onIssue(
  deps: SlackDeps,
  client: WebClient,
  body: BlockAction,
  partnershipId: string,
  run: (input: Omit<IssueCommandInput, "issue">) => Promise<IssueActionResult>,
): Promise<void> {
  const by = await deps.people.user(client, body.user.id, { team: body.user.team_id ?? null });
  const { issue, created } = await run({
    partnershipId,
    by,
    source: { platform: "slack", id: `act:${body.trigger_id}` },
  });
  if (!created) return;
  const partnership = await deps.core.partnerships.get(partnershipId);
  await refreshCards(deps, client, partnership, { kind: "issue", issue });
}

// Record first, then answer Slack (a refusal goes back to the clicker only, as an ephemeral message).
async function guarded(
  deps: SlackDeps,
  ack: () => Promise<void>,
  respond: (msg: { response_type: "ephemeral"; replace_original: false; text: string }) => Promise<unknown>,
  work: () => Promise<void>,
): Promise<void> {
  try {
    await work();
    await ack();
  } catch (e) {
    await ack();
    await respond({
      response_type: "ephemeral",
      replace_original: false,
      text: userMessage(e, deps.logger),
    }).catch((err: unknown) =>
      deps.logger.warn({ err }, "could not tell a Slack user why their click was refused"),
    );
  }
}
