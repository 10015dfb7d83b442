import type { Core } from "./core.ts";
import { requireSide } from "./actor.ts";
import { loadIssue, prepare, recordAboutIssue, type IssueActionResult, type IssueCommandInput } from "./command.ts";

/** Marks an issue resolved by the provider; resolving a resolved issue records nothing. */
export async function resolveIssue(
  core: Core,
  input: IssueCommandInput & { resolution?: string | null },
): Promise<IssueActionResult> {
  const prepared = await prepare(core, input);
  requireSide(prepared.partnership, prepared.actor, "provider", "resolve an issue");
  const issue = await loadIssue(core, prepared.partnership.id, input.issue);
  if (issue.status === "resolved") return { issue, created: false };
  return recordAboutIssue(core, prepared, input, {
    type: "issue.resolved",
    payload: { issueId: issue.id, resolution: input.resolution?.trim() || null },
  });
}
