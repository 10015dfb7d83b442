import type { WebClient } from "@slack/web-api";
import type { PlatformUser } from "../../src/index.ts";

const CACHE_MS = 60 * 60_000;

/**
 * Finds a Slack user's home team, which decides their side under the Slack Connect rule. Payloads
 * carry it most of the time (`user_team`, `user.team_id`); otherwise users.info is asked once an
 * hour per user.
 */
export class SlackPeople {
  private readonly teams = new Map<string, { team: string; name: string | null; until: number }>();

  /** The platform user for a Slack user id, with the team the payload gave as a hint. */
  async user(
    client: WebClient,
    userId: string,
    hint?: { team?: string | null; name?: string | null },
  ): Promise<PlatformUser> {
    if (hint?.team)
      return {
        platform: "slack",
        workspaceId: hint.team,
        userId,
        ...(hint.name ? { displayName: hint.name } : {}),
      };
    const cached = this.teams.get(userId);
    if (cached && cached.until > Date.now()) return this.platformUser(userId, cached.team, cached.name);
    const info = await client.users.info({ user: userId });
    const team = info.user?.team_id ?? "";
    const name = info.user?.profile?.display_name || info.user?.real_name || info.user?.name || null;
    this.teams.set(userId, { team, name, until: Date.now() + CACHE_MS });
    return this.platformUser(userId, team, name);
  }

  private platformUser(userId: string, team: string, name: string | null): PlatformUser {
    return { platform: "slack", workspaceId: team, userId, ...(name ? { displayName: name } : {}) };
  }
}
