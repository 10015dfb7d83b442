// The state behind the fake Slack Web API and its answers per method, shaped like Slack's
// documented responses. Only what rapport's adapter reads is modelled; anything else is `{ ok: true }`.

/** The two workspaces of a Slack Connect partnership, the support channel and rapport's own ids. */
export const IDS = {
  providerTeam: "T0PROVIDER",
  clientTeam: "T0CLIENT",
  channel: "C0SUPPORT",
  tech: "U0TECH",
  lead: "U0LEAD",
  staff: "U0STAFF",
  owner: "U0OWNER",
  botUser: "U0BOT",
  botId: "B0BOT",
  appId: "A0RAPPORT",
} as const;

/** A person as `users.info` describes them; the rest of Slack's user object is filled in. */
export interface FakeUser {
  id: string;
  team_id: string;
  name: string;
  real_name?: string;
  is_admin?: boolean;
  is_bot?: boolean;
  deleted?: boolean;
  tz?: string;
}

/** A message in a channel, as `conversations.history` returns it. */
export interface FakeMessage {
  ts: string;
  thread_ts?: string;
  user?: string;
  text?: string;
  [key: string]: unknown;
}

/** A method's answer: Slack's JSON body (HTTP 200, as Slack answers even errors). */
export type Answer = { ok: boolean; [key: string]: unknown };

/** The people of the test partnership: two on each side, and rapport's bot user. */
export const DEFAULT_USERS: readonly FakeUser[] = [
  { id: IDS.tech, team_id: IDS.providerTeam, name: "tess.tech", real_name: "Tess Tech" },
  { id: IDS.lead, team_id: IDS.providerTeam, name: "lee.lead", real_name: "Lee Lead", is_admin: true },
  { id: IDS.staff, team_id: IDS.clientTeam, name: "sam.staff", real_name: "Sam Staff" },
  { id: IDS.owner, team_id: IDS.clientTeam, name: "olive.owner", real_name: "Olive Owner", is_admin: true },
  { id: IDS.botUser, team_id: IDS.providerTeam, name: "rapport", real_name: "rapport", is_bot: true },
];

// Params whose value the Web API client sends as a JSON string inside a form field.
const JSON_PARAMS = new Set([
  "blocks",
  "attachments",
  "view",
  "files",
  "metadata",
  "unfurls",
  "user_auth_blocks",
  "file_uploads",
]);

/** `params` with the JSON-string fields (`blocks`, `view`, …) decoded; undecodable ones stay strings. */
export function decodeJsonParams(params: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...params };
  for (const [key, value] of Object.entries(out)) {
    if (!JSON_PARAMS.has(key) || typeof value !== "string") continue;
    try {
      out[key] = JSON.parse(value);
    } catch {
      // left as sent, so a test can see what was wrong with it
    }
  }
  return out;
}

type Handler = (params: Record<string, unknown>) => Answer;

/** One fake Slack: users, channel histories, views and uploads, and the answer to every method. */
export class FakeWorkspace {
  readonly users = new Map<string, FakeUser>(DEFAULT_USERS.map((u) => [u.id, { ...u }]));
  readonly messages = new Map<string, FakeMessage[]>();
  readonly uploads = new Map<string, { filename: string; bytes: Buffer | null }>();
  private serial = 0;
  private readonly homeViews = new Map<string, string>();
  private readonly dms = new Map<string, string>();
  private readonly handlers: Record<string, Handler>;

  constructor(private readonly origin: string) {
    this.handlers = {
      "auth.test": () => ({
        ok: true,
        url: "https://provider-it.slack.com/",
        team: "Provider",
        user: "rapport",
        team_id: IDS.providerTeam,
        user_id: IDS.botUser,
        bot_id: IDS.botId,
        is_enterprise_install: false,
      }),
      "chat.postMessage": (p) => this.postMessage(p),
      "chat.postEphemeral": (p) =>
        p.channel && p.user
          ? { ok: true, message_ts: this.nextTs() }
          : { ok: false, error: "channel_not_found" },
      "chat.update": (p) => this.update(p),
      "chat.delete": (p) => ({ ok: true, channel: p.channel, ts: p.ts }),
      "chat.getPermalink": (p) => ({
        ok: true,
        channel: p.channel,
        permalink: `https://provider-it.slack.com/archives/${String(p.channel)}/p${String(p.message_ts).replace(".", "")}`,
      }),
      "views.open": (p) => this.view(p),
      "views.push": (p) => this.view(p),
      "views.update": (p) => this.view(p, typeof p.view_id === "string" ? p.view_id : undefined),
      "views.publish": (p) => this.view(p, this.homeViewId(String(p.user_id))),
      "conversations.open": (p) => this.openDm(p),
      "conversations.info": (p) => this.channelInfo(p),
      "conversations.history": (p) => this.history(p),
      "conversations.replies": (p) => this.replies(p),
      "users.info": (p) => this.userInfo(p),
      "oauth.v2.access": () => oauthV2Access(),
      "files.getUploadURLExternal": (p) => this.uploadUrl(p),
      "files.completeUploadExternal": (p) => this.completeUpload(p),
    };
  }

  /** Slack's answer to `method` called with `params` (already decoded). */
  answer(method: string, params: Record<string, unknown>): Answer {
    return this.handlers[method]?.(params) ?? { ok: true };
  }

  /** A fresh message timestamp, unique and increasing: "1700000000.000100", "1700000000.000200", … */
  nextTs(): string {
    this.serial += 1;
    const seconds = 1_700_000_000 + Math.floor(this.serial / 10_000);
    return `${seconds}.${String((this.serial % 10_000) * 100).padStart(6, "0")}`;
  }

  private nextId(prefix: string): string {
    this.serial += 1;
    return `${prefix}0FAKE${String(this.serial).padStart(4, "0")}`;
  }

  private postMessage(p: Record<string, unknown>): Answer {
    if (typeof p.channel !== "string" || !p.channel) return { ok: false, error: "channel_not_found" };
    if (!p.text && !p.blocks && !p.attachments) return { ok: false, error: "no_text" };
    const message: FakeMessage = {
      user: IDS.botUser,
      type: "message",
      ts: this.nextTs(),
      bot_id: IDS.botId,
      app_id: IDS.appId,
      text: typeof p.text === "string" ? p.text : "",
      team: IDS.providerTeam,
      ...(p.blocks ? { blocks: p.blocks } : {}),
      ...(typeof p.thread_ts === "string" ? { thread_ts: p.thread_ts } : {}),
      // Kept as Slack keeps it, and shown by history and replies only with include_all_metadata.
      ...(p.metadata && typeof p.metadata === "object" ? { metadata: p.metadata } : {}),
    };
    this.channelMessages(p.channel).push(message);
    return { ok: true, channel: p.channel, ts: message.ts, message };
  }

  private update(p: Record<string, unknown>): Answer {
    const channel = String(p.channel ?? "");
    const ts = String(p.ts ?? "");
    const stored = this.messages.get(channel)?.find((m) => m.ts === ts);
    const changes = {
      ...(p.text !== undefined ? { text: p.text } : {}),
      ...(p.blocks ? { blocks: p.blocks } : {}),
    };
    if (stored) Object.assign(stored, changes, { edited: { user: IDS.botUser, ts: this.nextTs() } });
    return { ok: true, channel, ts, text: p.text ?? "", message: { ...(stored ?? { ts }), ...changes } };
  }

  private view(p: Record<string, unknown>, id?: string): Answer {
    const view = (typeof p.view === "object" && p.view !== null ? p.view : {}) as Record<string, unknown>;
    const viewId = id ?? this.nextId("V");
    return {
      ok: true,
      view: {
        id: viewId,
        team_id: IDS.providerTeam,
        type: view.type ?? "modal",
        blocks: view.blocks ?? [],
        private_metadata: view.private_metadata ?? "",
        callback_id: view.callback_id ?? "",
        state: { values: {} },
        hash: `${Math.floor(Date.now() / 1000)}.${viewId}`,
        title: view.title ?? null,
        close: view.close ?? null,
        submit: view.submit ?? null,
        clear_on_close: false,
        notify_on_close: false,
        previous_view_id: null,
        root_view_id: viewId,
        app_id: IDS.appId,
        external_id: view.external_id ?? "",
        app_installed_team_id: IDS.providerTeam,
        bot_id: IDS.botId,
      },
    };
  }

  private homeViewId(userId: string): string {
    let id = this.homeViews.get(userId);
    if (!id) this.homeViews.set(userId, (id = this.nextId("V")));
    return id;
  }

  private openDm(p: Record<string, unknown>): Answer {
    const users = String(p.users ?? "");
    if (!users) return { ok: false, error: "users_list_not_supplied" };
    let id = this.dms.get(users);
    const already = id !== undefined;
    if (!id) this.dms.set(users, (id = this.nextId("D")));
    return { ok: true, no_op: already, already_open: already, channel: { id } };
  }

  private channelInfo(p: Record<string, unknown>): Answer {
    const id = String(p.channel ?? "");
    if (!id) return { ok: false, error: "channel_not_found" };
    return {
      ok: true,
      channel: {
        id,
        name: id === IDS.channel ? "support-client-co" : id.toLowerCase(),
        is_channel: true,
        is_private: false,
        is_im: false,
        is_shared: id === IDS.channel,
        is_ext_shared: id === IDS.channel,
        is_member: true,
        context_team_id: IDS.providerTeam,
        shared_team_ids: id === IDS.channel ? [IDS.providerTeam, IDS.clientTeam] : [IDS.providerTeam],
      },
    };
  }

  private history(p: Record<string, unknown>): Answer {
    const inclusive = p.inclusive === true || p.inclusive === "true" || p.inclusive === "1";
    const latest = typeof p.latest === "string" ? Number(p.latest) : Infinity;
    const oldest = typeof p.oldest === "string" ? Number(p.oldest) : 0;
    const limit = Number(p.limit ?? 100) || 100;
    const inRange = (m: FakeMessage) => {
      const ts = Number(m.ts);
      return inclusive ? ts <= latest && ts >= oldest : ts < latest && ts > oldest;
    };
    const all = (this.messages.get(String(p.channel)) ?? [])
      .filter((m) => m.thread_ts === undefined || m.thread_ts === m.ts)
      .filter(inRange)
      .sort((a, b) => Number(b.ts) - Number(a.ts));
    return {
      ok: true,
      messages: withMetadata(all.slice(0, limit), p),
      has_more: all.length > limit,
      pin_count: 0,
      response_metadata: { next_cursor: "" },
    };
  }

  // As Slack answers: `ts` may be the parent's or any reply's; the parent always comes first, then
  // the replies within oldest/latest (inclusive or not), at most `limit` messages in all.
  private replies(p: Record<string, unknown>): Answer {
    const all = this.messages.get(String(p.channel)) ?? [];
    const named = all.find((m) => m.ts === p.ts);
    if (!named) return { ok: false, error: "thread_not_found" };
    const rootTs = named.thread_ts ?? named.ts;
    const parent = all.find((m) => m.ts === rootTs);
    const inclusive = p.inclusive === true || p.inclusive === "true" || p.inclusive === "1";
    const latest = typeof p.latest === "string" ? Number(p.latest) : Infinity;
    const oldest = typeof p.oldest === "string" ? Number(p.oldest) : 0;
    const limit = Number(p.limit ?? 1000) || 1000;
    const inRange = (m: FakeMessage) => {
      const ts = Number(m.ts);
      return inclusive ? ts <= latest && ts >= oldest : ts < latest && ts > oldest;
    };
    const replies = all
      .filter((m) => m.thread_ts === rootTs && m.ts !== rootTs && inRange(m))
      .sort((a, b) => Number(a.ts) - Number(b.ts));
    const thread = [...(parent ? [parent] : []), ...replies];
    return {
      ok: true,
      messages: withMetadata(thread.slice(0, limit), p),
      has_more: thread.length > limit,
      response_metadata: { next_cursor: "" },
    };
  }

  private userInfo(p: Record<string, unknown>): Answer {
    const user = this.users.get(String(p.user ?? ""));
    return user ? { ok: true, user: userObject(user) } : { ok: false, error: "user_not_found" };
  }

  private uploadUrl(p: Record<string, unknown>): Answer {
    if (!p.filename || !p.length) return { ok: false, error: "invalid_arguments" };
    const fileId = this.nextId("F");
    this.uploads.set(fileId, { filename: String(p.filename), bytes: null });
    return { ok: true, upload_url: `${this.origin}/upload/${fileId}`, file_id: fileId };
  }

  private completeUpload(p: Record<string, unknown>): Answer {
    const files = Array.isArray(p.files) ? (p.files as { id?: string; title?: string }[]) : [];
    const unknown = files.find((f) => !f.id || !this.uploads.get(f.id)?.bytes);
    if (files.length === 0 || unknown) return { ok: false, error: "invalid_arguments" };
    const channel = typeof p.channel_id === "string" ? p.channel_id : null;
    return {
      ok: true,
      files: files.map((f) => {
        const upload = this.uploads.get(f.id!)!;
        return {
          id: f.id,
          created: Math.floor(Date.now() / 1000),
          name: upload.filename,
          title: f.title ?? upload.filename,
          user: IDS.botUser,
          size: upload.bytes?.length ?? 0,
          channels: channel ? [channel] : [],
          permalink: `https://provider-it.slack.com/files/${IDS.botUser}/${f.id}/${upload.filename}`,
        };
      }),
    };
  }

  private channelMessages(channel: string): FakeMessage[] {
    let list = this.messages.get(channel);
    if (!list) this.messages.set(channel, (list = []));
    return list;
  }
}

function userObject(u: FakeUser): Record<string, unknown> {
  const realName = u.real_name ?? u.name;
  return {
    id: u.id,
    team_id: u.team_id,
    name: u.name,
    deleted: u.deleted ?? false,
    real_name: realName,
    tz: u.tz ?? "Europe/London",
    tz_label: "Greenwich Mean Time",
    tz_offset: 0,
    is_admin: u.is_admin ?? false,
    is_owner: false,
    is_primary_owner: false,
    is_restricted: false,
    is_ultra_restricted: false,
    is_bot: u.is_bot ?? false,
    is_app_user: false,
    updated: 1_794_000_000,
    profile: {
      real_name: realName,
      real_name_normalized: realName,
      display_name: u.name,
      display_name_normalized: u.name,
      team: u.team_id,
      ...(u.is_bot ? { bot_id: IDS.botId, api_app_id: IDS.appId } : {}),
      image_48: `https://avatars.slack-edge.com/${u.id}_48.png`,
    },
  };
}

function oauthV2Access(): Answer {
  return {
    ok: true,
    app_id: IDS.appId,
    authed_user: { id: IDS.lead },
    scope:
      "commands,chat:write,channels:history,groups:history,reactions:read,im:write,im:history,users:read,files:write",
    token_type: "bot",
    access_token: "xoxb-17653672481-19874698323-pdFZKVeTuE8sk7oOcBrzbqgy",
    bot_user_id: IDS.botUser,
    team: { id: IDS.providerTeam, name: "Provider" },
    enterprise: null,
    is_enterprise_install: false,
  };
}

/** Messages as history and replies show them: their metadata only when the call asked for it. */
function withMetadata(messages: FakeMessage[], p: Record<string, unknown>): FakeMessage[] {
  const asked = p.include_all_metadata === true || p.include_all_metadata === "true";
  return asked ? messages : messages.map(({ metadata: _metadata, ...m }) => m as FakeMessage);
}
