import type { Core } from "./core.ts";
import { requireSide } from "./actor.ts";
import { loadIssue, prepare, recordAboutIssue, type IssueActionResult, type IssueCommandInput } from "./command.ts";

/**
 * Records the provider's first response to an issue (a thread reply, the Acknowledge button).
 * Later replies record nothing: only the first one starts and stops the first-response clock.
 */
export async function respond(
  core: Core,
  input: IssueCommandInput & { via: "reply" | "button" | "command" },
): Promise<IssueActionResult> {
  const prepared = await prepare(core, input);
  requireSide(prepared.partnership, prepared.actor, "provider", "acknowledge an issue");
  const issue = await loadIssue(core, prepared.partnership.id, input.issue);
  if (issue.firstResponseAt) return { issue, created: false };
  return recordAboutIssue(core, prepared, input, {
    type: "issue.responded",
    payload: { issueId: issue.id, via: input.via },
  });
}
