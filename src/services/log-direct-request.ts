import { RapportError } from "../domain/errors.ts";
import type { MessageRef } from "../domain/events.ts";
import type { Partnership } from "../domain/partnership.ts";
import type { Issue } from "../domain/records.ts";
import type { PlatformUser } from "../domain/vocabulary.ts";
import { requireSide, resolveActor } from "./actor.ts";
import { prepare, type CommandInput } from "./command.ts";
import type { Core } from "./core.ts";
import { reportIssue } from "./report-issue.ts";

/** A request that reached a technician directly: who asked, what, and where. */
export type LogDirectRequestInput = CommandInput & {
  requester: PlatformUser;
  text: string;
  message?: MessageRef | null;
  /** `logged`: a technician logged it; `detected`: rapport noticed an @mention outside the support channel. */
  via?: "logged" | "detected";
};

/** What logging came to: the issue opened for the request, and whether this call recorded it. */
export interface LogDirectRequestResult {
  issue: Issue;
  partnership: Partnership;
  created: boolean;
}

/**
 * Records that a client bypassed the agreed channel, and opens an issue for the request so it is
 * still answered and measured. The issue's clock starts when the client asked, not when logged.
 */
export async function logDirectRequest(
  core: Core,
  input: LogDirectRequestInput,
): Promise<LogDirectRequestResult> {
  const { partnership, actor } = await prepare(core, input);
  requireSide(partnership, actor, "provider", "log a direct request");
  const requester = await resolveActor(core, partnership, input.requester);
  if (requester.side !== "client") {
    throw new RapportError(
      "invalid_input",
      "That message is from the provider side; only client requests count as direct requests.",
    );
  }
  const reported = await reportIssue(core, {
    partnershipId: partnership.id,
    by: input.requester,
    source: { ...input.source, id: `${input.source.id}:issue` },
    occurredAt: input.occurredAt,
    text: input.text,
    via: "direct",
    message: input.message ?? null,
  });
  const person = (a: typeof actor) => ({
    memberId: a.memberId,
    userId: a.userId,
    displayName: a.displayName,
  });
  const { created } = await core.ledger.append({
    type: "request.direct",
    partnershipId: partnership.id,
    actor,
    occurredAt: reported.issue.reportedAt,
    source: input.source,
    payload: {
      issueId: reported.issue.id,
      technician: person(actor),
      requester: person(requester),
      summary: reported.issue.title,
      via: input.via ?? "logged",
    },
  });
  return { issue: reported.issue, partnership, created };
}
