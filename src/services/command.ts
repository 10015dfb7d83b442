import { storedText } from "../domain/chat-text.ts";
import { RapportError } from "../domain/errors.ts";
import type { Partnership } from "../domain/partnership.ts";
import type { NewEvent } from "../domain/events.ts";
import type { Issue } from "../domain/records.ts";
import type { Actor, ChannelPurpose, EventSource, Place, PlatformUser } from "../domain/vocabulary.ts";
import { authorize, type Access } from "./access.ts";
import { resolveActor } from "./actor.ts";
import type { Core } from "./core.ts";

/**
 * What every recording use case is given: where, by whom, from which platform message, when.
 * With a `place` (every chat action) the partnership id is a claim that `authorize` checks against
 * the place and the person; without one the caller is rapport itself or the operator at the
 * command line, and the id is taken as given.
 */
export interface CommandInput {
  partnershipId: string | null;
  by: PlatformUser;
  place?: Place;
  /** What the place must be linked for. */
  purpose?: ChannelPurpose;
  /** Access a use case already decided for this place and person: not decided again. */
  decided?: Access;
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

/** Decides the partnership and the actor (authorized when the command came from a place); refuses a time in the future. */
export async function prepare(core: Core, input: CommandInput): Promise<Prepared> {
  const { partnership, actor } = await access(core, input);
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

/** The partnership and actor of a command: checked at its place, or as given by the operator. */
export async function access(core: Core, input: CommandInput): Promise<Access> {
  if (input.decided) return input.decided;
  if (input.place) return authorize(core, { ...input, place: input.place });
  if (input.partnershipId === null) throw new RapportError("invalid_input", "Name the partnership.");
  const partnership = await core.partnerships.get(input.partnershipId);
  return { partnership, link: null, actor: await resolveActor(core, partnership, input.by) };
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
  /** The partnership the action was found to be about. */
  partnership: Partnership;
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
    const issue = await loadIssue(core, prepared.partnership.id, issueId);
    return { issue, partnership: prepared.partnership, created: false };
  }
  const issue = await loadIssue(core, prepared.partnership.id, input.issue);
  const event = decide(issue, prepared);
  return event
    ? recordAboutIssue(core, prepared, input, event)
    : { issue, partnership: prepared.partnership, created: false };
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
  const issue = await loadIssue(core, prepared.partnership.id, issueId);
  return { issue, partnership: prepared.partnership, created };
}

/**
 * Checks a piece of text a person typed against the limit the ledger keeps, with a sentence that
 * says what to change; returns it as stored text (trimmed, no control characters, no live
 * mention: `storedText` read as plain text), or null when optional and empty.
 */
export function checkedText(
  value: string | null | undefined,
  what: string,
  max: number,
  required = false,
): string | null {
  // Whatever an adapter sent, what is stored holds no control character and no live mention.
  const text = storedText(value ?? "", { markup: "plain", max: Number.MAX_SAFE_INTEGER });
  if (required && !text) throw new RapportError("invalid_input", `The ${what} must not be empty.`);
  if (text.length > max) {
    throw new RapportError(
      "invalid_input",
      `The ${what} is ${text.length} characters long; keep it to ${max}.`,
    );
  }
  return text || null;
}
