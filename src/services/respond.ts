import type { Core } from "./core.ts";
import { requireSide } from "./actor.ts";
import { issueAction, type IssueActionResult, type IssueCommandInput } from "./command.ts";

/**
 * Records the provider's first response to an issue (a thread reply, the Acknowledge button).
 * Later replies record nothing: only the first one stops the first-response clock.
 */
export function respond(
  core: Core,
  input: IssueCommandInput & { via: "reply" | "button" | "command" },
): Promise<IssueActionResult> {
  return issueAction(core, input, (issue, { partnership, actor }) => {
    requireSide(partnership, actor, "provider", "acknowledge an issue");
    return issue.firstResponseAt
      ? null
      : { type: "issue.responded", payload: { issueId: issue.id, via: input.via } };
  });
}
