// Every chat request reads the same few rows: the link of its channel, the partnership with its
// validated settings, and the person's membership. They change only when someone sets a
// partnership up, so they are kept in memory and forgotten as soon as anything in them changes:
// at once in this process, and through PostgreSQL's LISTEN/NOTIFY in every other process on the
// same database. While that notification channel is not listening, nothing is kept.

/** The channel on which a change to partnerships, links or members is announced. */
export const DIRECTORY_CHANNEL = "rapport_directory";

/** How long an entry is kept at most, even when no change is announced (a last line of defence). */
const TTL_MS = 5 * 60_000;

/** Entries kept at most; beyond, the oldest go first. */
const MAX_ENTRIES = 20_000;

/** The partnerships, channel links and memberships chat requests read, kept between changes. */
export class DirectoryCache {
  private readonly entries = new Map<string, { value: unknown; until: number }>();
  private generation = 0;
  private live: boolean;

  /** `live`: whether changes made elsewhere are heard (always, for a database only this process opens). */
  constructor(options: { live: boolean; now?: () => number }) {
    this.live = options.live;
    this.now = options.now ?? Date.now;
  }

  private readonly now: () => number;

  /** The value under `key`, loaded with `load` when it is not kept (or nothing may be kept now). */
  async get<T>(key: string, load: () => Promise<T>): Promise<T> {
    if (!this.live) return load();
    const kept = this.entries.get(key);
    if (kept && kept.until > this.now()) return kept.value as T;
    const generation = this.generation;
    const value = await load();
    // A change announced while loading may have come after the read: keep nothing then.
    if (generation === this.generation && this.live) this.keep(key, value);
    return value;
  }

  /** Forgets everything: something changed (here, or announced by another process). */
  clear(): void {
    this.generation++;
    this.entries.clear();
  }

  /** Whether changes made elsewhere are heard; while they are not, nothing is kept. */
  setLive(live: boolean): void {
    this.clear();
    this.live = live;
  }

  /** Entries kept now (for tests and /metrics). */
  get size(): number {
    return this.entries.size;
  }

  private keep(key: string, value: unknown): void {
    if (this.entries.size >= MAX_ENTRIES) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.set(key, { value, until: this.now() + TTL_MS });
  }
}
