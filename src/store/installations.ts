import { sql } from "kysely";
import type { Store } from "./database.ts";

/** Stores opaque sealed installation records by platform and the platform's install key. */
export class InstallationRows {
  constructor(private readonly store: Store) {}

  /** Saves (or replaces) the sealed record of an install. */
  async put(platform: string, key: string, sealed: string): Promise<void> {
    await this.store.db
      .insertInto("installations")
      .values({ platform, install_key: key, sealed })
      .onConflict((oc) =>
        oc.columns(["platform", "install_key"]).doUpdateSet({ sealed, updated_at: sql`now()` }),
      )
      .execute();
  }

  /** The sealed record of an install, or null. */
  async get(platform: string, key: string): Promise<string | null> {
    const row = await this.store.db
      .selectFrom("installations")
      .select("sealed")
      .where("platform", "=", platform)
      .where("install_key", "=", key)
      .executeTakeFirst();
    return row?.sealed ?? null;
  }

  /** The most recently saved install's record, or null when there is none. */
  async latest(): Promise<{ platform: string; key: string; sealed: string } | null> {
    const row = await this.store.db
      .selectFrom("installations")
      .select(["platform", "install_key as key", "sealed"])
      .orderBy("updated_at", "desc")
      .limit(1)
      .executeTakeFirst();
    return row ?? null;
  }

  /** Removes an install; true when there was one. */
  async remove(platform: string, key: string): Promise<boolean> {
    const result = await this.store.db
      .deleteFrom("installations")
      .where("platform", "=", platform)
      .where("install_key", "=", key)
      .executeTakeFirst();
    return result.numDeletedRows > 0n;
  }
}
