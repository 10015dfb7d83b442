import { randomUUID } from "node:crypto";
import { isDeepStrictEqual } from "node:util";
import { sql, type Kysely, type RawBuilder } from "kysely";
import { RapportError } from "../domain/errors.ts";
import {
  DEFAULT_SETTINGS,
  keyPrefixFor,
  parseSettings,
  partnershipSettingsSchema,
  type Partnership,
  type PartnershipSettings,
} from "../domain/partnership.ts";
import type { SettingsVersion } from "../domain/settings-history.ts";
import type { ChannelPurpose, Platform, Role, Side } from "../domain/vocabulary.ts";
import { isUuid } from "../domain/ids.ts";
import type { Store } from "./database.ts";
import { DIRECTORY_CHANNEL, type DirectoryCache } from "./directory-cache.ts";
import { Batches } from "./batches.ts";
import { createIssueSequence } from "./issue-numbers.ts";
import type {
  ChannelLinkRow,
  Database,
  MemberRow,
  PartnershipRow,
  PartnershipSettingsRow,
} from "./tables.ts";

/** A person's membership in a partnership. */
export interface Member {
  id: string;
  partnershipId: string;
  platform: Platform;
  workspaceId: string;
  userId: string;
  displayName: string | null;
  side: Side;
  role: Role;
}

/** A chat channel linked to a partnership, and what it is used for. */
export interface ChannelLink {
  partnershipId: string;
  platform: Platform;
  workspaceId: string;
  channelId: string;
  purposes: ChannelPurpose[];
}

/** What creating a partnership needs; unset settings take DEFAULT_SETTINGS. */
export interface NewPartnership {
  name: string;
  providerOrg: string;
  clientOrg: string;
  key?: string;
  providerWorkspaceIds?: string[];
  settings?: Partial<PartnershipSettings>;
}

/** Reads and writes partnerships, their members and their channel links. */
export class PartnershipStore {
  private readonly db: Kysely<Database>;
  private readonly directory: DirectoryCache | null;

  /** Membership look-ups that arrive together, as one read; none inside a transaction. */
  private readonly memberReads: Batches<MemberKey, Member | null> | null;

  constructor(store: Store | { db: Kysely<Database>; directory?: DirectoryCache | null }) {
    this.db = store.db;
    this.directory = store.directory ?? null;
    // A transaction reads for itself: what it sees may not be committed.
    this.memberReads = this.db.isTransaction
      ? null
      : new Batches({ writeAll: (keys) => readMembers(this.db, keys), keyOf: memberKeyOf, most: 100 });
  }

  /**
   * A read every request repeats, kept between changes. Inside a transaction it is always read
   * afresh: what the transaction sees may not be committed.
   */
  private cached<T>(key: string, load: () => Promise<T>): Promise<T> {
    return this.directory && !this.db.isTransaction ? this.directory.get(key, load) : load();
  }

  /**
   * Announces a change to a partnership, its links or its people: forgotten here at once, and in
   * every other process when the change commits (NOTIFY is delivered on commit).
   */
  private async changed(partnershipId: string, db: Kysely<Database> = this.db): Promise<void> {
    this.directory?.clear();
    await sql`select pg_notify(${DIRECTORY_CHANNEL}, ${partnershipId})`.execute(db);
  }

  /**
   * Runs `work` in one transaction: every write it makes through the store it is given lands, or
   * none does (setting up a partnership, its links and its people).
   */
  transaction<T>(work: (tx: PartnershipStore) => Promise<T>): Promise<T> {
    if (this.db.isTransaction) return work(this);
    const directory = this.directory;
    return this.db
      .transaction()
      .execute((trx) => work(new PartnershipStore({ db: trx, directory })))
      .finally(() => directory?.clear());
  }

  /** `work` in a transaction of its own, or in the one this store already runs in. */
  private atomically<T>(work: (trx: Kysely<Database>) => Promise<T>): Promise<T> {
    if (this.db.isTransaction) return work(this.db);
    return this.db
      .transaction()
      .execute(work)
      .finally(() => this.directory?.clear());
  }

  /**
   * Creates a partnership with its first settings version; a name already taken is a conflict.
   * The first version covers all of its history, including events that occurred before it existed
   * (an imported or demo history).
   */
  async create(input: NewPartnership): Promise<Partnership> {
    const settings = parseSettings({ ...DEFAULT_SETTINGS, ...input.settings });
    const id = randomUUID();
    return this.atomically(async (trx) => {
      const inserted = await trx
        .insertInto("partnerships")
        .values({
          id,
          key: input.key ?? keyPrefixFor(input.clientOrg),
          name: input.name,
          provider_org: input.providerOrg,
          client_org: input.clientOrg,
          provider_workspace_ids: JSON.stringify(input.providerWorkspaceIds ?? []),
          settings: JSON.stringify(settings),
        })
        .onConflict((oc) => oc.column("name").doNothing())
        .returningAll()
        .executeTakeFirst();
      if (!inserted)
        throw new RapportError("conflict", `A partnership named "${input.name}" already exists.`);
      await recordVersion(trx, id, settings, ALWAYS);
      await createIssueSequence(trx, id);
      await this.changed(id, trx);
      return partnershipFromRow(inserted);
    });
  }

  /** The partnership with this id, or a not_found error naming it. */
  async get(id: string): Promise<Partnership> {
    const found = await this.find(id);
    if (!found) throw notFound(id);
    return found;
  }

  /** The partnership with this id, or null. */
  async find(id: string): Promise<Partnership | null> {
    if (!isUuid(id)) return null;
    return this.cached(`partnership:${id}`, async () => {
      const row = await this.db
        .selectFrom("partnerships")
        .selectAll()
        .where("id", "=", id)
        .executeTakeFirst();
      return row ? partnershipFromRow(row) : null;
    });
  }

  /**
   * A partnership's settings as stored, unchecked (defaults fill those added since): what a change
   * starts from, so that a stored setting this runtime cannot use can be fixed.
   */
  async storedSettings(id: string): Promise<Record<string, unknown>> {
    if (!isUuid(id)) throw notFound(id);
    const row = await this.db
      .selectFrom("partnerships")
      .select("settings")
      .where("id", "=", id)
      .executeTakeFirst();
    if (!row) throw notFound(id);
    return { ...DEFAULT_SETTINGS, ...(row.settings as object) };
  }

  /** The partnership with this exact name, or null. */
  async findByName(name: string): Promise<Partnership | null> {
    const row = await this.db
      .selectFrom("partnerships")
      .selectAll()
      .where("name", "=", name)
      .executeTakeFirst();
    return row ? partnershipFromRow(row) : null;
  }

  /** Every partnership that can be used, by name (see `listUnusable` for the others). */
  async list(): Promise<Partnership[]> {
    const rows = await this.db.selectFrom("partnerships").selectAll().orderBy("name").execute();
    return usable(rows);
  }

  /**
   * Partnerships whose stored settings this runtime cannot use (a timezone it does not know), by
   * name, each with a one-line problem: one such partnership must not stop the others.
   */
  async listUnusable(): Promise<UnusablePartnership[]> {
    const rows = await this.db.selectFrom("partnerships").selectAll().orderBy("name").execute();
    return rows.flatMap((row) => {
      const { problem } = readRow(row);
      return problem ? [{ id: row.id, name: row.name, problem }] : [];
    });
  }

  /**
   * Replaces some settings and names; returns the partnership as stored. Settings that change
   * become a new version in force from `options.at` (default: the database's now()), so figures
   * of earlier instants keep the settings they had; a change of names alone adds no version.
   */
  async update(
    id: string,
    change: Partial<PartnershipSettings> & { providerWorkspaceIds?: string[]; name?: string },
    options: { at?: Date } = {},
  ): Promise<Partnership> {
    if (!isUuid(id)) throw notFound(id);
    const { providerWorkspaceIds, name, ...settingsChange } = change;
    return this.atomically(async (trx) => {
      // Locked, so that of two concurrent updates the second starts from the first's result.
      const before = await trx
        .selectFrom("partnerships")
        .selectAll()
        .where("id", "=", id)
        .forUpdate()
        .executeTakeFirst();
      if (!before) throw notFound(id);
      // Read as stored, not checked: a change is how an unusable stored setting gets fixed.
      const stored = { ...DEFAULT_SETTINGS, ...(before.settings as object) };
      const settings = parseSettings({ ...stored, ...settingsChange });
      const row = await trx
        .updateTable("partnerships")
        .set({
          settings: JSON.stringify(settings),
          provider_workspace_ids: JSON.stringify(providerWorkspaceIds ?? before.provider_workspace_ids),
          name: name ?? before.name,
          updated_at: sql`now()`,
        })
        .where("id", "=", id)
        .returningAll()
        .executeTakeFirstOrThrow();
      const previous = partnershipSettingsSchema.safeParse(stored);
      if (!previous.success || !isDeepStrictEqual(settings, previous.data)) {
        await recordVersion(trx, id, settings, options.at ?? sql<Date>`now()`);
      }
      await this.changed(id, trx);
      return partnershipFromRow(row);
    });
  }

  /** Every version of a partnership's settings, oldest first; the first also covers all before it. */
  async settingsHistory(partnershipId: string): Promise<SettingsVersion[]> {
    return this.cached(`settings:${partnershipId}`, () => this.loadSettingsHistory(partnershipId));
  }

  private async loadSettingsHistory(partnershipId: string): Promise<SettingsVersion[]> {
    const rows = isUuid(partnershipId)
      ? await this.db
          .selectFrom("partnership_settings")
          .selectAll()
          .where("partnership_id", "=", partnershipId)
          .orderBy("effective_from")
          .execute()
      : [];
    if (rows.length > 0) return usableVersions(rows);
    // Only a partnership created by a process older than the history lacks a version: its
    // settings are all it has ever been computed with.
    return [{ from: ALWAYS, settings: settingsOf(await this.get(partnershipId)) }];
  }

  /** Links a channel (or changes its purposes); a channel belongs to one partnership at a time. */
  async linkChannel(link: ChannelLink): Promise<ChannelLink> {
    const existing = await this.findChannel(link.platform, link.workspaceId, link.channelId);
    if (existing && existing.partnershipId !== link.partnershipId) {
      throw new RapportError(
        "conflict",
        "This channel is already linked to another partnership. Unlink it there first, or use another channel.",
      );
    }
    const values = {
      partnership_id: link.partnershipId,
      platform: link.platform,
      workspace_id: link.workspaceId,
      channel_id: link.channelId,
      support: link.purposes.includes("support"),
      digest: link.purposes.includes("digest"),
    };
    await this.db
      .insertInto("channel_links")
      .values(values)
      .onConflict((oc) =>
        oc
          .columns(["platform", "workspace_id", "channel_id"])
          .doUpdateSet({ support: values.support, digest: values.digest }),
      )
      .execute();
    await this.changed(link.partnershipId);
    return link;
  }

  /** The link of a channel, or null when the channel belongs to no partnership. */
  async findChannel(platform: Platform, workspaceId: string, channelId: string): Promise<ChannelLink | null> {
    return this.cached(`link:${platform}:${workspaceId}:${channelId}`, async () => {
      const row = await this.db
        .selectFrom("channel_links")
        .selectAll()
        .where("platform", "=", platform)
        .where("workspace_id", "=", workspaceId)
        .where("channel_id", "=", channelId)
        .executeTakeFirst();
      return row ? channelFromRow(row) : null;
    });
  }

  /** Every channel linked to a partnership. */
  async channels(partnershipId: string): Promise<ChannelLink[]> {
    return this.cached(`channels:${partnershipId}`, async () => {
      const rows = await this.db
        .selectFrom("channel_links")
        .selectAll()
        .where("partnership_id", "=", partnershipId)
        .execute();
      return rows.map(channelFromRow);
    });
  }

  /** Adds a member, or updates side, role and name of one already there. */
  async upsertMember(m: Omit<Member, "id">): Promise<Member> {
    const row = await this.db
      .insertInto("members")
      .values({
        partnership_id: m.partnershipId,
        id: randomUUID(),
        platform: m.platform,
        workspace_id: m.workspaceId,
        user_id: m.userId,
        display_name: m.displayName,
        side: m.side,
        role: m.role,
      })
      .onConflict((oc) =>
        oc.columns(["partnership_id", "platform", "workspace_id", "user_id"]).doUpdateSet((eb) => ({
          side: m.side,
          role: m.role,
          display_name: eb.fn.coalesce(eb.val(m.displayName), "members.display_name"),
        })),
      )
      .returningAll()
      .executeTakeFirstOrThrow();
    await this.changed(m.partnershipId);
    return memberFromRow(row);
  }

  /** A platform user's membership in a partnership, or null. */
  async findMember(
    partnershipId: string,
    platform: Platform,
    workspaceId: string,
    userId: string,
  ): Promise<Member | null> {
    const wanted: MemberKey = { partnershipId, platform, workspaceId, userId };
    // Outside a transaction, the look-ups that arrive together are one read (a whole office of
    // people rapport has not seen yet, reporting at once).
    const load = () =>
      this.memberReads ? this.memberReads.write(wanted) : readMembers(this.db, [wanted]).then(([m]) => m!);
    return this.cached(`member:${partnershipId}:${platform}:${workspaceId}:${userId}`, load);
  }

  /**
   * The partnerships a platform user takes part in: an explicit membership, or their workspace
   * (tenant) among the provider's. One query, whatever the number of partnerships.
   */
  async listFor(platform: Platform, workspaceId: string, userId: string): Promise<Partnership[]> {
    const rows = await this.db
      .selectFrom("partnerships as p")
      .selectAll("p")
      .where((eb) =>
        eb.or([
          eb.exists(
            eb
              .selectFrom("members as m")
              .select("m.id")
              .whereRef("m.partnership_id", "=", "p.id")
              .where("m.platform", "=", platform)
              .where("m.workspace_id", "=", workspaceId)
              .where("m.user_id", "=", userId),
          ),
          sql<boolean>`p.provider_workspace_ids @> ${JSON.stringify([workspaceId])}::jsonb`,
        ]),
      )
      .orderBy("p.name")
      .execute();
    return usable(rows);
  }

  /** Members of a partnership, optionally of one side and role. */
  async members(partnershipId: string, filter: { side?: Side; role?: Role } = {}): Promise<Member[]> {
    let q = this.db.selectFrom("members").selectAll().where("partnership_id", "=", partnershipId);
    if (filter.side) q = q.where("side", "=", filter.side);
    if (filter.role) q = q.where("role", "=", filter.role);
    const rows = await q.orderBy("created_at").execute();
    return rows.map(memberFromRow);
  }
}

/** The start of a version that covers all of a partnership's history. */
const ALWAYS = new Date("1970-01-01T00:00:00Z");

function notFound(id: string): RapportError {
  return new RapportError("not_found", `No partnership has the id ${id}.`);
}

/** Writes a settings version; a second one at the same instant replaces the first (the later wins). */
async function recordVersion(
  db: Kysely<Database>,
  partnershipId: string,
  settings: PartnershipSettings,
  from: Date | RawBuilder<Date>,
): Promise<void> {
  await db
    .insertInto("partnership_settings")
    .values({ partnership_id: partnershipId, effective_from: from, settings: JSON.stringify(settings) })
    .onConflict((oc) =>
      oc.columns(["partnership_id", "effective_from"]).doUpdateSet((eb) => ({
        settings: eb.ref("excluded.settings"),
        recorded_at: sql<Date>`now()`,
      })),
    )
    .execute();
}

/**
 * The versions as the runtime can use them. Defaults fill settings added since a version was
 * written, as for the current settings; a setting this runtime cannot use (a timezone it does not
 * know) is taken from the next version that it can, the one it was fixed with, so a partnership
 * fixed with `rapport partnership configure` is usable for its whole history.
 */
function usableVersions(rows: PartnershipSettingsRow[]): SettingsVersion[] {
  const stored = rows.map(
    (row) => ({ ...DEFAULT_SETTINGS, ...(row.settings as object) }) as Record<string, unknown>,
  );
  let later: PartnershipSettings | null = null;
  const settings: PartnershipSettings[] = [];
  for (let i = stored.length - 1; i >= 0; i--) {
    const version = stored[i]!;
    const parsed = partnershipSettingsSchema.safeParse(version);
    if (parsed.success) later = parsed.data;
    else {
      const unusable = new Set(parsed.error.issues.map((issue) => String(issue.path[0])));
      const fixed = Object.fromEntries(
        Object.entries(version).map(([k, v]) => [
          k,
          unusable.has(k) ? (later ?? DEFAULT_SETTINGS)[k as keyof PartnershipSettings] : v,
        ]),
      );
      // Still unusable (nothing later to take from): the partnership is reported as unusable anyway.
      later = parseSettings(fixed);
    }
    settings[i] = later;
  }
  return rows.map((row, i) => ({ from: row.effective_from, settings: settings[i]! }));
}

/** A partnership whose stored settings cannot be used, and why, in one line. */
export interface UnusablePartnership {
  id: string;
  name: string;
  problem: string;
}

/** Why a stored partnership cannot be used, in one line saying how to fix it; null when it can. */
/** A row's settings read once: the partnership, or why this runtime cannot use it. */
function readRow(
  row: PartnershipRow,
): { partnership: Partnership; problem: null } | { partnership: null; problem: string } {
  const stored = { ...DEFAULT_SETTINGS, ...(row.settings as object) } as Record<string, unknown>;
  const result = partnershipSettingsSchema.safeParse(stored);
  if (result.success) {
    const partnership: Partnership = {
      ...result.data,
      id: row.id,
      key: row.key,
      name: row.name,
      providerOrg: row.provider_org,
      clientOrg: row.client_org,
      providerWorkspaceIds: row.provider_workspace_ids,
      createdAt: row.created_at,
    };
    return { partnership, problem: null };
  }
  const issue = result.error.issues[0]!;
  const where = issue.path.join(".") || "settings";
  const got = issue.path.length === 1 ? `, not ${JSON.stringify(stored[String(issue.path[0])])}` : "";
  const flag = where === "timezone" ? " --timezone <IANA zone>" : " --file <settings.json>";
  const problem =
    `Partnership "${row.name}" is skipped: its stored setting ${where} must be ${issue.message}${got}. ` +
    `Fix it with \`rapport partnership configure --partnership ${row.id}${flag}\`.`;
  return { partnership: null, problem };
}

/** The rows this runtime can use, as partnerships (settings read once per row). */
function usable(rows: readonly PartnershipRow[]): Partnership[] {
  return rows.flatMap((row) => readRow(row).partnership ?? []);
}

function partnershipFromRow(row: PartnershipRow): Partnership {
  const { partnership, problem } = readRow(row);
  if (problem !== null) throw new RapportError("config_invalid", problem);
  return partnership;
}

/** The settings part of a partnership (the schema drops every other field). */
export function settingsOf(p: Partnership): PartnershipSettings {
  return partnershipSettingsSchema.parse(p);
}

/** A membership looked up: whose, where. */
interface MemberKey {
  partnershipId: string;
  platform: Platform;
  workspaceId: string;
  userId: string;
}

const memberKeyOf = (k: MemberKey): string => `${k.partnershipId} ${k.platform} ${k.workspaceId} ${k.userId}`;

/** The memberships of these people, in one read: each one's, or null, in the order given. */
async function readMembers(db: Kysely<Database>, keys: readonly MemberKey[]): Promise<(Member | null)[]> {
  const rows = await db
    .selectFrom("members")
    .selectAll()
    .where((eb) =>
      eb(
        eb.refTuple("partnership_id", "platform", "workspace_id", "user_id"),
        "in",
        keys.map((k) => eb.tuple(k.partnershipId, k.platform, k.workspaceId, k.userId)),
      ),
    )
    .execute();
  const found = new Map(
    rows.map((r) => [
      memberKeyOf({
        partnershipId: r.partnership_id,
        platform: r.platform as Platform,
        workspaceId: r.workspace_id,
        userId: r.user_id,
      }),
      memberFromRow(r),
    ]),
  );
  return keys.map((k) => found.get(memberKeyOf(k)) ?? null);
}

function memberFromRow(row: MemberRow): Member {
  return {
    id: row.id,
    partnershipId: row.partnership_id,
    platform: row.platform as Platform,
    workspaceId: row.workspace_id,
    userId: row.user_id,
    displayName: row.display_name,
    side: row.side as Side,
    role: row.role as Role,
  };
}

function channelFromRow(row: ChannelLinkRow): ChannelLink {
  const purposes: ChannelPurpose[] = [];
  if (row.support) purposes.push("support");
  if (row.digest) purposes.push("digest");
  return {
    partnershipId: row.partnership_id,
    platform: row.platform as Platform,
    workspaceId: row.workspace_id,
    channelId: row.channel_id,
    purposes,
  };
}
