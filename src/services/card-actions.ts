import type { CardActionId } from "../domain/card.ts";
import { RapportError } from "../domain/errors.ts";
import { prioritySchema } from "../domain/vocabulary.ts";
import type { Decision } from "./decide-recommendation.ts";
import type { IssueChange } from "./rapport.ts";

// What each neutral card action stands for: the use case a button or menu runs (Rapport.cardAction).

/** What a person hears when a button's value is not one of rapport's. */
export const UNREADABLE_ACTION = "rapport could not read that button, so nothing was recorded.";

/** The decision each recommendation button records. */
export const DECISIONS: Partial<Record<CardActionId, Decision>> = {
  "recommendation.accept": "accepted",
  "recommendation.decline": "declined",
  "recommendation.acceptRisk": "risk_accepted",
};

/** The change an issue card's button or menu stands for. */
export function issueChangeOf(action: CardActionId, choice: string | null | undefined): IssueChange {
  switch (action) {
    case "issue.acknowledge":
      return { kind: "acknowledge" };
    case "issue.waitOnClient":
      return { kind: "waitOnClient" };
    case "issue.resolve":
      return { kind: "resolve" };
    case "issue.reopen":
      return { kind: "reopen" };
    case "issue.priority": {
      const priority = prioritySchema.safeParse(choice);
      if (priority.success) return { kind: "priority", priority: priority.data };
    }
  }
  throw new RapportError("invalid_input", UNREADABLE_ACTION);
}
