import type { IntakeVia, MessageRef } from "./events.ts";
import type { IssueStatus, Priority, RecommendationRisk, RecommendationStatus, Side } from "./vocabulary.ts";

/** An issue as its projection holds it: the current state after every event about it. */
export interface Issue {
  id: string;
  partnershipId: string;
  number: number;
  key: string;
  title: string;
  detail: string | null;
  priority: Priority;
  category: string | null;
  status: IssueStatus;
  via: IntakeVia;
  reporter: { memberId: string | null; side: Side | null; userId: string | null; displayName: string | null };
  startedAt: Date | null;
  reportedAt: Date;
  firstResponseAt: Date | null;
  waitingSince: Date | null;
  resolvedAt: Date | null;
  message: MessageRef | null;
  sourceUrl: string | null;
}

/** A recommendation the provider made and the client's decision on it so far. */
export interface Recommendation {
  id: string;
  partnershipId: string;
  title: string;
  why: string | null;
  risk: RecommendationRisk;
  decideBy: string;
  status: RecommendationStatus;
  madeAt: Date;
  decidedAt: Date | null;
  decisionNote: string | null;
}

/** A scheduled call that was held or missed. */
export interface Call {
  id: string;
  partnershipId: string;
  title: string | null;
  scheduledAt: Date;
  status: "held" | "missed";
  missedBy: Side | null;
}

/** A stretch of time a service was down; `endedAt` is null while it still is. */
export interface Downtime {
  id: string;
  partnershipId: string;
  service: string;
  issueId: string | null;
  startedAt: Date;
  endedAt: Date | null;
}
