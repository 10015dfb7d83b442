import type { Core } from "./core.ts";
import { requireSide } from "./actor.ts";
import { issueAction, type IssueActionResult, type IssueCommandInput } from "./command.ts";

/** Restarts the provider's clock: the client answered what the provider was waiting for. */
export function clientReplied(core: Core, input: IssueCommandInput): Promise<IssueActionResult> {
  return issueAction(core, input, (issue, { partnership, actor }) => {
    requireSide(partnership, actor, "client", "answer an issue that waits on the client");
    return issue.status === "waiting_on_client"
      ? { type: "issue.client_replied", payload: { issueId: issue.id } }
      : null;
  });
}
