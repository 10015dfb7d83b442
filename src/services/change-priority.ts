import type { Priority } from "../domain/vocabulary.ts";
import type { Core } from "./core.ts";
import { loadIssue, prepare, recordAboutIssue, type IssueActionResult, type IssueCommandInput } from "./command.ts";

/** Changes an issue's priority (either side: the provider triages, the client escalates). */
export async function changePriority(
  core: Core,
  input: IssueCommandInput & { priority: Priority },
): Promise<IssueActionResult> {
  const prepared = await prepare(core, input);
  const issue = await loadIssue(core, prepared.partnership.id, input.issue);
  if (issue.priority === input.priority) return { issue, created: false };
  return recordAboutIssue(core, prepared, input, {
    type: "issue.priority_changed",
    payload: { issueId: issue.id, from: issue.priority, to: input.priority },
  });
}
