import type { App, BlockAction, ButtonAction, StaticSelectAction } from "@slack/bolt";
import type { WebClient } from "@slack/web-api";
import { RapportError, type Decision, type IssueChange, type Request } from "../../../src/index.ts";
import { refreshCards } from "../cards.ts";
import { ACTIONS } from "../ids.ts";
import { parseCardValue, parsePriorityValue, type IssueCardValue } from "../presenters/issue-card.ts";
import { parseRecommendationValue } from "../presenters/recommendation-card.ts";
import { acting, slackPlace, type SlackDeps } from "../replies.ts";

const ISSUE_BUTTONS: Record<string, IssueChange> = {
  [ACTIONS.acknowledge]: { kind: "acknowledge" },
  [ACTIONS.waitOnClient]: { kind: "waitOnClient" },
  [ACTIONS.resolve]: { kind: "resolve" },
  [ACTIONS.reopen]: { kind: "reopen" },
};

const DECISIONS: Record<string, Decision> = {
  [ACTIONS.accept]: "accepted",
  [ACTIONS.decline]: "declined",
  [ACTIONS.acceptRisk]: "risk_accepted",
};

/**
 * Issue and recommendation card buttons: one use case each, then every card of the subject redrawn.
 * The click's team and channel are the place; the ids the card carries are claims the core checks.
 */
export function registerCardActions(app: App, deps: SlackDeps): void {
  for (const [actionId, change] of Object.entries(ISSUE_BUTTONS)) {
    app.action<BlockAction<ButtonAction>>(actionId, async ({ body, action, ack, client, respond }) => {
      await acting(deps, ack, respond, async () => {
        await changeIssue(deps, client, body, readable(parseCardValue(action.value)), change);
      });
    });
  }
  app.action<BlockAction<StaticSelectAction>>(
    ACTIONS.priority,
    async ({ body, action, ack, client, respond }) => {
      await acting(deps, ack, respond, async () => {
        const value = readable(parsePriorityValue(action.selected_option?.value));
        await changeIssue(deps, client, body, value, { kind: "priority", priority: value.priority });
      });
    },
  );
  for (const [actionId, decision] of Object.entries(DECISIONS)) {
    app.action<BlockAction<ButtonAction>>(actionId, async ({ body, action, ack, client, respond }) => {
      await acting(deps, ack, respond, async () => {
        const value = readable(parseRecommendationValue(action.value));
        const click = await clickOf(deps, client, body, value.partnershipId);
        const { recommendation, partnership, created } = await deps.rapport.decide({
          ...click,
          recommendationId: value.recommendationId,
          decision,
        });
        if (created)
          await refreshCards(deps, client, partnership, { kind: "recommendation", recommendation });
      });
    });
  }
  app.action<BlockAction<ButtonAction>>(ACTIONS.remind, async ({ body, action, ack, client, respond }) => {
    await acting(deps, ack, respond, async () => {
      const value = readable(parseRecommendationValue(action.value));
      const click = await clickOf(deps, client, body, value.partnershipId);
      const { text } = await deps.rapport.remindMe({ ...click, recommendationId: value.recommendationId });
      await respond({ response_type: "ephemeral", replace_original: false, text });
    });
  });
}

async function changeIssue(
  deps: SlackDeps,
  client: WebClient,
  body: BlockAction,
  value: IssueCardValue,
  change: IssueChange,
): Promise<void> {
  const click = await clickOf(deps, client, body, value.partnershipId);
  const { issue, partnership, created } = await deps.rapport.changeIssue({
    ...click,
    issue: value.issueId,
    change,
  });
  if (created) await refreshCards(deps, client, partnership, { kind: "issue", issue });
}

async function clickOf(
  deps: SlackDeps,
  client: WebClient,
  body: BlockAction,
  partnershipId: string,
): Promise<Request> {
  return {
    place: slackPlace(body.team?.id, body.channel?.id),
    by: await deps.people.user(client, body.user.id, { team: body.user.team_id ?? null }),
    source: { platform: "slack", id: `act:${body.trigger_id}` },
    partnershipId,
  };
}

function readable<T>(value: T | null): T {
  if (value === null)
    throw new RapportError("invalid_input", "rapport could not read that button, so nothing was recorded.");
  return value;
}
