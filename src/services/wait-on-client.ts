import { RapportError } from "../domain/errors.ts";
import type { Core } from "./core.ts";
import { requireSide } from "./actor.ts";
import { issueAction, type IssueActionResult, type IssueCommandInput } from "./command.ts";

/** Pauses the provider's clock: the provider needs something from the client to go on. */
export function waitOnClient(
  core: Core,
  input: IssueCommandInput & { question?: string | null },
): Promise<IssueActionResult> {
  return issueAction(core, input, (issue, { partnership, actor }) => {
    requireSide(partnership, actor, "provider", "put an issue on hold for the client");
    if (issue.status === "resolved") {
      throw new RapportError(
        "conflict",
        `${issue.key} is resolved; reopen it first if it needs the client again.`,
      );
    }
    if (issue.status === "waiting_on_client") return null;
    return {
      type: "issue.waiting_on_client",
      payload: { issueId: issue.id, question: input.question?.trim() || null },
    };
  });
}
