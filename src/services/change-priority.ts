import type { Priority } from "../domain/vocabulary.ts";
import type { Core } from "./core.ts";
import { issueAction, type IssueActionResult, type IssueCommandInput } from "./command.ts";

/** Changes an issue's priority (either side: the provider triages, the client escalates). */
export function changePriority(
  core: Core,
  input: IssueCommandInput & { priority: Priority },
): Promise<IssueActionResult> {
  return issueAction(core, input, (issue) =>
    issue.priority === input.priority
      ? null
      : {
          type: "issue.priority_changed",
          payload: { issueId: issue.id, from: issue.priority, to: input.priority },
        },
  );
}
