import type { Core } from "./core.ts";
import { requireSide } from "./actor.ts";
import { issueAction, type IssueActionResult, type IssueCommandInput } from "./command.ts";

/** Marks an issue resolved by the provider; resolving a resolved issue records nothing. */
export function resolveIssue(
  core: Core,
  input: IssueCommandInput & { resolution?: string | null },
): Promise<IssueActionResult> {
  return issueAction(core, input, (issue, { partnership, actor }) => {
    requireSide(partnership, actor, "provider", "resolve an issue");
    if (issue.status === "resolved") return null;
    return {
      type: "issue.resolved",
      payload: { issueId: issue.id, resolution: input.resolution?.trim() || null },
    };
  });
}
