import type { WebClient } from "@slack/web-api";
import type { Logger, PlatformUser } from "../../src/index.ts";
import { retryAfterMs } from "./slack-errors.ts";

// A Slack user id belongs to one team for good; the bound is what keeps the cache small.
const CACHE_MS = 7 * 24 * 60 * 60_000;
const MAX_CACHED = 10_000;

/** What a payload says about a person besides their id. */
export interface PersonHint {
  /** The person's own team, from a field that names it (`user_team`, `user.team_id`, a message's `team`). */
  team?: string | null | undefined;
  /** A display name the payload carries. */
  name?: string | null | undefined;
  /**
   * The workspace of the place (the installation the payload came through): the person's team
   * until Slack says otherwise. A slash command's `team_id` is this, not the person's team.
   */
  place: string | null | undefined;
}

interface Known {
  team: string;
  name: string | null;
  until: number;
}

/**
 * Finds a Slack user's home team, which decides their side under the Slack Connect rule, without
 * making anyone wait for Slack: the payload's own team field, else what was learnt before, else the
 * place's workspace for now while users.info is asked in the background for next time.
 */
export class SlackPeople {
  private readonly known = new Map<string, Known>();
  private readonly asking = new Set<string>();
  // Bot users users.info has told of; a user id stays a bot (or a person) for good.
  private readonly bots = new Set<string>();
  private quietUntil = 0;
  /** People to ask users.info about, in the order they came, while LOOKUPS_AT_ONCE are out. */
  private readonly toAsk = new Map<string, WebClient>();
  private lookingUp = 0;

  constructor(
    private readonly logger: Logger,
    private readonly maxCached = MAX_CACHED,
  ) {}

  /** The person at once; a lookup started for an unknown one only fills the cache. */
  user(client: WebClient, userId: string, hint: PersonHint): PlatformUser {
    return this.person(client, userId, hint).user;
  }

  /**
   * The person at once, and whether their team is only the place's, standing in until users.info
   * (asked now, in the background) tells it: then a Slack Connect guest of another organisation
   * looks like one of the place's workspace.
   */
  person(client: WebClient, userId: string, hint: PersonHint): { user: PlatformUser; tentative: boolean } {
    if (hint.team) return { user: this.learn(userId, hint.team, hint.name ?? null), tentative: false };
    const cached = this.cached(userId);
    if (cached) {
      return { user: platformUser(userId, cached.team, cached.name ?? hint.name ?? null), tentative: false };
    }
    this.lookUpLater(client, userId);
    return { user: platformUser(userId, hint.place ?? "", hint.name ?? null), tentative: true };
  }

  /**
   * The person, asking users.info when nothing else tells their team. Only for code that runs after
   * Slack was answered; a failed lookup falls back to the place's workspace.
   */
  async settled(client: WebClient, userId: string, hint: PersonHint): Promise<PlatformUser> {
    if (hint.team) return this.learn(userId, hint.team, hint.name ?? null);
    const cached = this.cached(userId) ?? (await this.lookUp(client, userId).catch(() => null));
    if (cached) return platformUser(userId, cached.team, cached.name ?? hint.name ?? null);
    return platformUser(userId, hint.place ?? "", hint.name ?? null);
  }

  /** Learns a person's team from `hint`, or starts asking Slack, for a form that will name them later. */
  prepare(client: WebClient, userId: string, hint: PersonHint): void {
    this.person(client, userId, hint);
  }

  /** Records a person's team learnt elsewhere (a membership, a payload). */
  remember(userId: string, team: string, name: string | null = null): void {
    if (!userId || !team) return;
    const before = this.known.get(userId);
    this.known.delete(userId);
    if (this.known.size >= this.maxCached) this.known.delete(this.known.keys().next().value!);
    const keptName = name ?? (before?.team === team ? before.name : null);
    this.known.set(userId, { team, name: keptName, until: Date.now() + CACHE_MS });
  }

  /** A person's display name, when rapport has learnt it; never asks Slack. */
  nameOf(userId: string): string | null {
    const known = this.known.get(userId);
    return known && known.until > Date.now() ? known.name : null;
  }

  /** Whether users.info, asked before, said this user is a bot; never asks Slack. */
  isBot(userId: string): boolean {
    return this.bots.has(userId);
  }

  /** How many people are cached (for tests of the bound). */
  get size(): number {
    return this.known.size;
  }

  private learn(userId: string, team: string, name: string | null): PlatformUser {
    const cached = this.known.get(userId);
    if (cached?.team !== team || (name && cached.name !== name)) this.remember(userId, team, name);
    return platformUser(userId, team, name ?? (cached?.team === team ? cached.name : null));
  }

  private cached(userId: string): Known | null {
    const cached = this.known.get(userId);
    if (!cached) return null;
    if (cached.until <= Date.now()) {
      this.known.delete(userId);
      return null;
    }
    // Used again: moved to the back, so the bound drops the least recently used first.
    this.known.delete(userId);
    this.known.set(userId, cached);
    return cached;
  }

  /**
   * Asks users.info about `userId` in the background, at most LOOKUPS_AT_ONCE at a time: when 200
   * new people report at once, their lookups do not take turns with answering them, and once Slack
   * says 429 the rest are not asked (they are, the next time they write).
   */
  private lookUpLater(client: WebClient, userId: string): void {
    if (this.asking.has(userId) || Date.now() < this.quietUntil) return;
    if (this.toAsk.size < this.maxCached) this.toAsk.set(userId, client);
    this.askNext();
  }

  private askNext(): void {
    while (this.lookingUp < LOOKUPS_AT_ONCE && this.toAsk.size > 0) {
      if (Date.now() < this.quietUntil) return this.toAsk.clear();
      const [userId, client] = this.toAsk.entries().next().value!;
      this.toAsk.delete(userId);
      this.lookingUp++;
      this.lookUp(client, userId)
        .catch((err: unknown) => {
          const wait = retryAfterMs(err);
          if (wait !== null) this.quietUntil = Date.now() + wait;
          this.logger.debug(
            { err, component: "slack", user: userId },
            "users.info failed; the team stays tentative",
          );
        })
        .finally(() => {
          this.lookingUp--;
          this.askNext();
        });
    }
  }

  private async lookUp(client: WebClient, userId: string): Promise<Known | null> {
    this.asking.add(userId);
    try {
      const info = await client.users.info({ user: userId });
      if (info.user?.is_bot && this.bots.size < this.maxCached) this.bots.add(userId);
      const team = info.user?.team_id;
      if (!team) return null;
      const name = info.user?.profile?.display_name || info.user?.real_name || info.user?.name || null;
      this.remember(userId, team, name);
      return this.known.get(userId) ?? null;
    } finally {
      this.asking.delete(userId);
    }
  }
}

/** users.info calls made in the background at once. */
const LOOKUPS_AT_ONCE = 4;

function platformUser(userId: string, team: string, name: string | null): PlatformUser {
  return { platform: "slack", workspaceId: team, userId, ...(name ? { displayName: name } : {}) };
}
