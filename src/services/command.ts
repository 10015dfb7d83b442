import { RapportError } from "../domain/errors.ts";
import type { Partnership } from "../domain/partnership.ts";
import type { NewEvent } from "../domain/events.ts";
import type { Issue } from "../domain/records.ts";
import type { Actor, EventSource, PlatformUser } from "../domain/vocabulary.ts";
import { resolveActor } from "./actor.ts";
import type { Core } from "./core.ts";

/** What every recording use case is given: where, by whom, from which platform message, when. */
export interface CommandInput {
  partnershipId: string;
  by: PlatformUser;
  /** The platform's own id for this action: recording the same source twice records once. */
  source: EventSource;
  /** When it happened in the world; defaults to now. */
  occurredAt?: Date;
}

/** A command with its partnership loaded and its actor's side decided. */
export interface Prepared {
  partnership: Partnership;
  actor: Actor;
  occurredAt: Date;
}

/** Loads the partnership and resolves the actor; refuses a time in the future. */
export async function prepare(core: Core, input: CommandInput): Promise<Prepared> {
  const partnership = await core.partnerships.get(input.partnershipId);
  const actor = await resolveActor(core, partnership, input.by);
  const now = core.clock.now();
  const occurredAt = input.occurredAt ?? now;
  if (occurredAt.getTime() > now.getTime() + 60_000) {
    throw new RapportError(
      "invalid_input",
      "That time is in the future; give the time it actually happened.",
    );
  }
  return { partnership, actor, occurredAt };
}

/** The issue with this id or key in the partnership, or an error naming it. */
export async function loadIssue(core: Core, partnershipId: string, idOrKey: string): Promise<Issue> {
  const issue = await core.records.issue(partnershipId, idOrKey);
  if (!issue)
    throw new RapportError(
      "not_found",
      `There is no issue ${idOrKey} in this partnership. Check the key on the issue card.`,
    );
  return issue;
}

/** What an action on an issue came to: the issue now, and whether this call recorded anything. */
export interface IssueActionResult {
  issue: Issue;
  created: boolean;
}

/** An action on one issue, named by id or key. */
export type IssueCommandInput = CommandInput & { issue: string };

/**
 * The shared flow of an action on an issue: a source already recorded returns what it recorded
 * (before any state check, so a redelivered button never fails); otherwise `decide` looks at the
 * issue and returns the event to record, or null when there is nothing to do.
 */
export async function issueAction(
  core: Core,
  input: IssueCommandInput,
  decide: (issue: Issue, prepared: Prepared) => Pick<NewEvent, "type" | "payload"> | null,
): Promise<IssueActionResult> {
  const prepared = await prepare(core, input);
  const prior = await core.ledger.findBySource(prepared.partnership.id, input.source);
  if (prior) {
    const issueId = (prior.payload as { issueId?: string }).issueId ?? input.issue;
    return { issue: await loadIssue(core, prepared.partnership.id, issueId), created: false };
  }
  const issue = await loadIssue(core, prepared.partnership.id, input.issue);
  const event = decide(issue, prepared);
  return event ? recordAboutIssue(core, prepared, input, event) : { issue, created: false };
}

/** Appends one event about an issue and returns the issue as it now stands. */
export async function recordAboutIssue(
  core: Core,
  prepared: Prepared,
  input: CommandInput,
  event: Pick<NewEvent, "type" | "payload">,
): Promise<IssueActionResult> {
  const { event: stored, created } = await core.ledger.append({
    ...event,
    partnershipId: prepared.partnership.id,
    actor: prepared.actor,
    occurredAt: prepared.occurredAt,
    source: input.source,
  } as NewEvent);
  const issueId = ((stored ?? event).payload as { issueId: string }).issueId;
  return { issue: await loadIssue(core, prepared.partnership.id, issueId), created };
}

/**
 * Checks a piece of text a person typed against the limit the ledger keeps, with a sentence that
 * says what to change; returns it trimmed (null when optional and empty).
 */
export function checkedText(
  value: string | null | undefined,
  what: string,
  max: number,
  required = false,
): string | null {
  const text = value?.trim() ?? "";
  if (required && !text) throw new RapportError("invalid_input", `The ${what} must not be empty.`);
  if (text.length > max) {
    throw new RapportError(
      "invalid_input",
      `The ${what} is ${text.length} characters long; keep it to ${max}.`,
    );
  }
  return text || null;
}
