import type { Core } from "./core.ts";
import { requireSide } from "./actor.ts";
import { loadIssue, prepare, recordAboutIssue, type IssueActionResult, type IssueCommandInput } from "./command.ts";

/** Restarts the provider's clock: the client answered what the provider was waiting for. */
export async function clientReplied(core: Core, input: IssueCommandInput): Promise<IssueActionResult> {
  const prepared = await prepare(core, input);
  requireSide(prepared.partnership, prepared.actor, "client", "answer an issue that waits on the client");
  const issue = await loadIssue(core, prepared.partnership.id, input.issue);
  if (issue.status !== "waiting_on_client") return { issue, created: false };
  return recordAboutIssue(core, prepared, input, { type: "issue.client_replied", payload: { issueId: issue.id } });
}
