import { RapportError } from "../domain/errors.ts";
import type { Core } from "./core.ts";
import { requireSide } from "./actor.ts";
import { loadIssue, prepare, recordAboutIssue, type IssueActionResult, type IssueCommandInput } from "./command.ts";

/** Pauses the provider's clock: the provider needs something from the client to go on. */
export async function waitOnClient(
  core: Core,
  input: IssueCommandInput & { question?: string | null },
): Promise<IssueActionResult> {
  const prepared = await prepare(core, input);
  requireSide(prepared.partnership, prepared.actor, "provider", "put an issue on hold for the client");
  const issue = await loadIssue(core, prepared.partnership.id, input.issue);
  if (issue.status === "resolved") {
    throw new RapportError("conflict", `${issue.key} is resolved; reopen it first if it needs the client again.`);
  }
  if (issue.status === "waiting_on_client") return { issue, created: false };
  return recordAboutIssue(core, prepared, input, {
    type: "issue.waiting_on_client",
    payload: { issueId: issue.id, question: input.question?.trim() || null },
  });
}
