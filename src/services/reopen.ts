import type { Core } from "./core.ts";
import { issueAction, type IssueActionResult, type IssueCommandInput } from "./command.ts";

/** Reopens a resolved issue (either side may: the client when it is not fixed after all). */
export function reopenIssue(
  core: Core,
  input: IssueCommandInput & { reason?: string | null },
): Promise<IssueActionResult> {
  return issueAction(core, input, (issue) =>
    issue.status === "resolved"
      ? { type: "issue.reopened", payload: { issueId: issue.id, reason: input.reason?.trim() || null } }
      : null,
  );
}
