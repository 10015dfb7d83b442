import type { Platform } from "../domain/vocabulary.ts";
import type { Store } from "./database.ts";

/** A chat message tied to what it is about: the message it came from (`source`) or rapport's card. */
export interface MessageLink {
  platform: Platform;
  workspaceId: string;
  channelId: string;
  messageId: string;
  partnershipId: string;
  subjectId: string;
  kind: "source" | "card";
}

/** A link's row (its time of creation left to the database). */
export function linkValues(link: MessageLink) {
  return {
    platform: link.platform,
    workspace_id: link.workspaceId,
    channel_id: link.channelId,
    message_id: link.messageId,
    partnership_id: link.partnershipId,
    subject_id: link.subjectId,
    kind: link.kind,
  };
}

/** Reads and writes the map between chat messages and issues or recommendations. */
export class MessageLinkStore {
  constructor(private readonly store: Store) {}

  /**
   * Remembers a link; a message already linked keeps its first link. `relaxed`: without waiting
   * for the disk, for the outbox, which records a post's link before the post itself (see
   * outbox-sender.ts), so a link lost in a server crash is remembered again when the post is found.
   */
  async remember(link: MessageLink, options: { relaxed?: boolean } = {}): Promise<void> {
    await this.rememberAll([link], options);
  }

  /** Remembers many links in one statement, as `remember` does each. */
  async rememberAll(links: readonly MessageLink[], options: { relaxed?: boolean } = {}): Promise<void> {
    if (links.length === 0) return;
    await (options.relaxed ? this.store.relaxed : this.store.db)
      .insertInto("message_links")
      .values(links.map(linkValues))
      .onConflict((oc) => oc.columns(["platform", "workspace_id", "channel_id", "message_id"]).doNothing())
      .execute();
  }

  /** What a message is linked to, or null. */
  async find(
    platform: Platform,
    workspaceId: string,
    channelId: string,
    messageId: string,
  ): Promise<MessageLink | null> {
    const row = await this.store.db
      .selectFrom("message_links")
      .selectAll()
      .where("platform", "=", platform)
      .where("workspace_id", "=", workspaceId)
      .where("channel_id", "=", channelId)
      .where("message_id", "=", messageId)
      .executeTakeFirst();
    return row ? linkFromRow(row) : null;
  }

  /** Every message linked to a subject (its cards to update), oldest first. */
  async ofSubject(partnershipId: string, subjectId: string): Promise<MessageLink[]> {
    const rows = await this.store.db
      .selectFrom("message_links")
      .selectAll()
      .where("partnership_id", "=", partnershipId)
      .where("subject_id", "=", subjectId)
      .orderBy("created_at")
      .execute();
    return rows.map(linkFromRow);
  }
}

function linkFromRow(row: {
  platform: string;
  workspace_id: string;
  channel_id: string;
  message_id: string;
  partnership_id: string;
  subject_id: string;
  kind: string;
}): MessageLink {
  return {
    platform: row.platform as Platform,
    workspaceId: row.workspace_id,
    channelId: row.channel_id,
    messageId: row.message_id,
    partnershipId: row.partnership_id,
    subjectId: row.subject_id,
    kind: row.kind as MessageLink["kind"],
  };
}
