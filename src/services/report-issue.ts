import { randomUUID } from "node:crypto";
import { RapportError } from "../domain/errors.ts";
import type { IntakeVia, MessageRef } from "../domain/events.ts";
import { parseIssueText } from "../domain/issue-text.ts";
import type { Partnership } from "../domain/partnership.ts";
import type { Issue } from "../domain/records.ts";
import type { Priority } from "../domain/vocabulary.ts";
import { linkOf, newIssueCard, type CardSpot } from "./card-board.ts";
import type { Core } from "./core.ts";
import { checkedText, loadIssue, prepare, type CommandInput } from "./command.ts";

/** The fields of an issue form; a free-text report is parsed into these. */
export interface IssueFields {
  title: string;
  detail?: string | null;
  priority?: Priority | null;
  category?: string | null;
  startedAt?: Date | null;
}

/** A report: either free text as typed (`/itissue printer jammed p2 since 9am`) or form fields. */
export type ReportIssueInput = CommandInput & {
  via: IntakeVia;
  message?: MessageRef | null;
  /** Where the issue's card goes: queued in the same write as the issue, so both or neither. */
  card?: CardSpot;
  /** Remembers `message` as the issue's source (in the same write): replies in its thread reach the issue. */
  linkMessage?: boolean;
} & ({ text: string } | { fields: IssueFields });

/** What reporting came to: the issue, and whether this call recorded it (false on a redelivery). */
export interface ReportIssueResult {
  issue: Issue;
  partnership: Partnership;
  created: boolean;
}

/** The priority of an issue whose reporter named none. */
export const DEFAULT_PRIORITY: Priority = "P3";

/** Records a new issue from text or form fields and returns it with its key. */
export async function reportIssue(core: Core, input: ReportIssueInput): Promise<ReportIssueResult> {
  const { partnership, actor, occurredAt } = await prepare(core, input);
  const fields =
    "text" in input
      ? parseIssueText(input.text, { now: occurredAt, timezone: partnership.timezone })
      : input.fields;
  if (!fields.title.trim()) {
    throw new RapportError("invalid_input", "An issue needs a title: describe what is wrong in a few words.");
  }
  if (fields.startedAt && fields.startedAt.getTime() > occurredAt.getTime()) {
    throw new RapportError(
      "invalid_input",
      "The problem cannot have started after it was reported; check the start time.",
    );
  }
  const issueId = randomUUID();
  const card = input.card ? newIssueCard(partnership.id, issueId, input.card) : null;
  const { message } = input;
  const source =
    input.linkMessage && message?.channelId && message.messageId
      ? linkOf(
          partnership.id,
          issueId,
          { ...message, channelId: message.channelId, messageId: message.messageId },
          "source",
        )
      : null;
  const { event, created, issue } = await core.ledger.report(
    {
      type: "issue.reported",
      partnershipId: partnership.id,
      actor,
      occurredAt,
      source: input.source,
      payload: {
        issueId,
        key: "",
        title: checkedText(fields.title, "title", 200, true)!,
        detail: checkedText(fields.detail, "description", 4000),
        priority: fields.priority ?? DEFAULT_PRIORITY,
        category: checkedText(fields.category, "category", 60),
        startedAt: fields.startedAt ? fields.startedAt.toISOString() : null,
        via: input.via,
        message: input.message ?? null,
      },
    },
    { card, source },
  );
  if (issue) return { issue, partnership, created };
  if (event.type !== "issue.reported") {
    throw new RapportError("conflict", "That message was already recorded as something other than an issue.");
  }
  return { issue: await loadIssue(core, partnership.id, event.payload.issueId), partnership, created };
}
