import { z } from "zod";

/** Which side of the partnership a person (or the system) acts for. */
export const sideSchema = z.enum(["provider", "client"]);
export type Side = z.infer<typeof sideSchema>;

/** What a member may do beyond their side: leads are nudged, admins configure. */
export const roleSchema = z.enum(["lead", "tech", "staff", "admin"]);
export type Role = z.infer<typeof roleSchema>;

/** Where a member, channel or event lives. `cli` and `system` are rapport's own sources. */
export const platformSchema = z.enum(["slack", "teams"]);
export type Platform = z.infer<typeof platformSchema>;

export const sourcePlatformSchema = z.enum(["slack", "teams", "cli", "system", "demo"]);
export type SourcePlatform = z.infer<typeof sourcePlatformSchema>;

/** P1 is an outage of something the business cannot work without; P4 is a request that can wait. */
export const prioritySchema = z.enum(["P1", "P2", "P3", "P4"]);
export type Priority = z.infer<typeof prioritySchema>;
export const PRIORITIES: readonly Priority[] = prioritySchema.options;

/** What a linked channel is used for. */
export const channelPurposeSchema = z.enum(["support", "digest"]);
export type ChannelPurpose = z.infer<typeof channelPurposeSchema>;

export const issueStatusSchema = z.enum(["open", "waiting_on_client", "resolved"]);
export type IssueStatus = z.infer<typeof issueStatusSchema>;

export const recommendationRiskSchema = z.enum(["low", "medium", "high", "critical"]);
export type RecommendationRisk = z.infer<typeof recommendationRiskSchema>;

export const recommendationStatusSchema = z.enum([
  "pending",
  "accepted",
  "declined",
  "risk_accepted",
  "ignored",
]);
export type RecommendationStatus = z.infer<typeof recommendationStatusSchema>;

/** A person as a platform knows them, before rapport decides their side. */
export interface PlatformUser {
  platform: Platform;
  workspaceId: string;
  userId: string;
  displayName?: string;
}

/**
 * Where an action happened: the platform, the workspace (Slack team) or tenant (Teams), and the
 * channel or conversation; `channelId` is null where there is none (App Home, a form opened
 * outside any channel). The core decides from it which partnership the action is about.
 */
export interface Place {
  platform: Platform;
  workspaceId: string;
  channelId: string | null;
}

/** A person acting in the partnership, with the side and role rapport resolved for them. */
export interface Actor {
  memberId: string | null;
  side: Side;
  role: Role | null;
  platform: SourcePlatform;
  userId: string | null;
  displayName: string | null;
}

/** Where an event came from: the platform and the platform's own id for it (dedupe key). */
export interface EventSource {
  platform: SourcePlatform;
  id: string;
  /** A link back to the source message, where the platform gives one. */
  url?: string | null;
}
