import type { Core } from "./core.ts";
import { loadIssue, prepare, recordAboutIssue, type IssueActionResult, type IssueCommandInput } from "./command.ts";

/** Reopens a resolved issue (either side may: the client when it is not fixed after all). */
export async function reopenIssue(
  core: Core,
  input: IssueCommandInput & { reason?: string | null },
): Promise<IssueActionResult> {
  const prepared = await prepare(core, input);
  const issue = await loadIssue(core, prepared.partnership.id, input.issue);
  if (issue.status !== "resolved") return { issue, created: false };
  return recordAboutIssue(core, prepared, input, {
    type: "issue.reopened",
    payload: { issueId: issue.id, reason: input.reason?.trim() || null },
  });
}
