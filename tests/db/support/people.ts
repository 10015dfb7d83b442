import type { PlatformUser } from "../../../src/domain/vocabulary.ts";

/** The provider's Slack team: its users are provider side unless a membership says otherwise. */
export const PROVIDER_TEAM = "T0PROVIDER";
/** The client's Slack team, joined to the provider's through a Slack Connect channel. */
export const CLIENT_TEAM = "T0CLIENT";

/** A technician of the provider (no explicit membership: provider side by workspace). */
export const tech: PlatformUser = {
  platform: "slack",
  workspaceId: PROVIDER_TEAM,
  userId: "U0TECH",
  displayName: "Tara Tech",
};
/** The provider's lead. */
export const lead: PlatformUser = { platform: "slack", workspaceId: PROVIDER_TEAM, userId: "U0LEAD" };
/** A member of the client's staff. */
export const staff: PlatformUser = {
  platform: "slack",
  workspaceId: CLIENT_TEAM,
  userId: "U0STAFF",
  displayName: "Sam Staff",
};
/** The client's owner, its lead. */
export const owner: PlatformUser = { platform: "slack", workspaceId: CLIENT_TEAM, userId: "U0OWNER" };
