import { sql } from "kysely";
import type { Platform } from "../domain/vocabulary.ts";
import type { Store } from "./database.ts";

/** A conversation rapport can post into, and the platform's opaque reference to it. */
export interface Conversation {
  platform: Platform;
  conversationId: string;
  workspaceId: string;
  kind: "personal" | "channel" | "groupChat";
  /** The person (personal chat) or the channel or chat (others) it reaches. */
  targetId: string;
  reference: unknown;
  gone: boolean;
}

/**
 * Stores the conversations rapport was installed in or added to, and forgets those it left. A
 * conversation is kept per workspace (tenant): what an activity of one tenant says about a
 * conversation never replaces or forgets what another tenant's said, so nobody can take over the
 * way rapport reaches a channel by naming its id from elsewhere.
 */
export class ConversationStore {
  constructor(private readonly store: Store) {}

  /** Remembers (or refreshes) a conversation; one that was gone is reachable again. */
  async remember(c: Omit<Conversation, "gone">): Promise<void> {
    const values = {
      platform: c.platform,
      conversation_id: c.conversationId,
      workspace_id: c.workspaceId,
      kind: c.kind,
      target_id: c.targetId,
      reference: JSON.stringify(c.reference),
      gone_at: null,
    };
    await this.store.db
      .insertInto("conversations")
      .values(values)
      .onConflict((oc) =>
        oc.columns(["platform", "workspace_id", "conversation_id"]).doUpdateSet({
          reference: values.reference,
          target_id: values.target_id,
          kind: values.kind,
          gone_at: null,
          updated_at: sql`now()`,
        }),
      )
      .execute();
  }

  /** Marks a workspace's conversation gone (bot removed, app uninstalled): nothing is posted there any more. */
  async markGone(platform: Platform, workspaceId: string, conversationId: string, at: Date): Promise<void> {
    await this.store.db
      .updateTable("conversations")
      .set({ gone_at: at })
      .where("platform", "=", platform)
      .where("workspace_id", "=", workspaceId)
      .where("conversation_id", "=", conversationId)
      .execute();
  }

  /** The reachable conversation for a person (personal chat) or a channel or chat, or null. */
  async reach(platform: Platform, workspaceId: string, targetId: string): Promise<Conversation | null> {
    const row = await this.store.db
      .selectFrom("conversations")
      .selectAll()
      .where("platform", "=", platform)
      .where("workspace_id", "=", workspaceId)
      .where("target_id", "=", targetId)
      .where("gone_at", "is", null)
      .orderBy("updated_at", "desc")
      .executeTakeFirst();
    return row ? conversationFromRow(row) : null;
  }

  /** The reachable channels and group chats of a workspace (a Teams tenant), most recently refreshed first. */
  async sharedIn(platform: Platform, workspaceId: string): Promise<Conversation[]> {
    const rows = await this.store.db
      .selectFrom("conversations")
      .selectAll()
      .where("platform", "=", platform)
      .where("workspace_id", "=", workspaceId)
      .where("kind", "!=", "personal")
      .where("gone_at", "is", null)
      .orderBy("updated_at", "desc")
      .execute();
    return rows.map(conversationFromRow);
  }
}

function conversationFromRow(row: {
  platform: string;
  conversation_id: string;
  workspace_id: string;
  kind: string;
  target_id: string;
  reference: unknown;
}): Conversation {
  return {
    platform: row.platform as Platform,
    conversationId: row.conversation_id,
    workspaceId: row.workspace_id,
    kind: row.kind as Conversation["kind"],
    targetId: row.target_id,
    reference: row.reference,
    gone: false,
  };
}
