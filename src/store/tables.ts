import type { ColumnType, Generated, Insertable, Selectable } from "kysely";

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type Json<T> = ColumnType<T, string, string>;

/** The row types of every table, as Kysely sees them. Migrations do not use these. */
export interface Database {
  partnerships: PartnershipsTable;
  partnership_settings: PartnershipSettingsTable;
  members: MembersTable;
  channel_links: ChannelLinksTable;
  events: EventsTable;
  issues: IssuesTable;
  recommendations: RecommendationsTable;
  calls: CallsTable;
  downtimes: DowntimesTable;
  installations: InstallationsTable;
  message_links: MessageLinksTable;
  conversations: ConversationsTable;
  outbox: OutboxTable;
  job_runs: JobRunsTable;
  week_figures: WeekFiguresTable;
  inbox: InboxTable;
}

export interface PartnershipsTable {
  id: string;
  key: string;
  name: string;
  provider_org: string;
  client_org: string;
  provider_workspace_ids: Json<string[]>;
  settings: Json<unknown>;
  next_issue_number: Generated<number>;
  created_at: CreatedAt;
  updated_at: Generated<Date>;
}

/** One version of a partnership's settings, in force from effective_from until the next version. */
export interface PartnershipSettingsTable {
  partnership_id: string;
  effective_from: Timestamp;
  settings: Json<unknown>;
  recorded_at: CreatedAt;
}

export interface MembersTable {
  partnership_id: string;
  id: string;
  platform: string;
  workspace_id: string;
  user_id: string;
  display_name: string | null;
  side: string;
  role: string;
  created_at: CreatedAt;
}

export interface ChannelLinksTable {
  partnership_id: string;
  platform: string;
  workspace_id: string;
  channel_id: string;
  support: boolean;
  digest: boolean;
  created_at: CreatedAt;
}

export interface EventsTable {
  partnership_id: string;
  id: string;
  seq: ColumnType<string, never, never>;
  type: string;
  subject_id: string | null;
  actor_member_id: string | null;
  actor_side: string | null;
  actor_platform: string | null;
  actor_user_id: string | null;
  actor_name: string | null;
  occurred_at: Timestamp;
  recorded_at: Timestamp;
  source_platform: string;
  source_id: string;
  source_url: string | null;
  payload: Json<unknown>;
}

export interface IssuesTable {
  partnership_id: string;
  id: string;
  number: number;
  key: string;
  title: string;
  detail: string | null;
  priority: string;
  category: string | null;
  status: string;
  via: string;
  reporter_member_id: string | null;
  reporter_side: string | null;
  reporter_user_id: string | null;
  reporter_name: string | null;
  started_at: Timestamp | null;
  reported_at: Timestamp;
  first_response_at: Timestamp | null;
  waiting_since: Timestamp | null;
  resolved_at: Timestamp | null;
  message_platform: string | null;
  message_workspace_id: string | null;
  message_channel_id: string | null;
  message_id: string | null;
  source_url: string | null;
  updated_at: Timestamp;
}

export interface RecommendationsTable {
  partnership_id: string;
  id: string;
  title: string;
  why: string | null;
  risk: string;
  decide_by: ColumnType<string, string, string>;
  status: string;
  made_at: Timestamp;
  made_by_member_id: string | null;
  decided_at: Timestamp | null;
  decided_by_member_id: string | null;
  decision_note: string | null;
  updated_at: Timestamp;
}

export interface CallsTable {
  partnership_id: string;
  id: string;
  title: string | null;
  scheduled_at: Timestamp;
  status: string;
  missed_by: string | null;
  logged_by_member_id: string | null;
  logged_at: Timestamp;
}

export interface DowntimesTable {
  partnership_id: string;
  id: string;
  service: string;
  issue_id: string | null;
  started_at: Timestamp;
  ended_at: Timestamp | null;
}

export type EventRow = Selectable<EventsTable>;
export type IssueRow = Selectable<IssuesTable>;
export type NewIssueRow = Insertable<IssuesTable>;
export type RecommendationRow = Selectable<RecommendationsTable>;
export type CallRow = Selectable<CallsTable>;
export type DowntimeRow = Selectable<DowntimesTable>;
export type MemberRow = Selectable<MembersTable>;
export type PartnershipRow = Selectable<PartnershipsTable>;
export type PartnershipSettingsRow = Selectable<PartnershipSettingsTable>;
export type ChannelLinkRow = Selectable<ChannelLinksTable>;

/** A chat-platform installation: its tokens, sealed (encrypted and authenticated) by the core. */
export interface InstallationsTable {
  platform: string;
  install_key: string;
  sealed: string;
  created_at: CreatedAt;
  updated_at: Generated<Date>;
}

/** A chat message and the issue (or recommendation) it is the source or the card of. */
export interface MessageLinksTable {
  platform: string;
  workspace_id: string;
  channel_id: string;
  message_id: string;
  partnership_id: string;
  subject_id: string;
  kind: string;
  created_at: CreatedAt;
}

/** A conversation rapport may post into proactively, with the platform's reference to it. */
export interface ConversationsTable {
  platform: string;
  conversation_id: string;
  workspace_id: string;
  kind: string;
  target_id: string;
  reference: Json<unknown>;
  gone_at: Timestamp | null;
  updated_at: Generated<Date>;
}

/** One outgoing message (a digest or a nudge), unique per job, period, partnership and target. */
export interface OutboxTable {
  id: Generated<string>;
  job: string;
  period: string;
  partnership_id: string;
  platform: string;
  target: string;
  destination: Json<unknown>;
  message: ColumnType<unknown, string | null, string | null>;
  status: Generated<string>;
  attempts: Generated<number>;
  next_attempt_at: Timestamp;
  last_error: string | null;
  created_at: CreatedAt;
  sent_at: Timestamp | null;
  message_id: string | null;
}

/** The figures of one ended week, kept until a late event or a settings change makes them stale. */
export interface WeekFiguresTable {
  partnership_id: string;
  week_start: Timestamp;
  week_end: Timestamp;
  /** What the figures were computed with (rules and settings); another fingerprint: computed again. */
  fingerprint: string;
  /**
   * The week's whole figures as JSON text; null where only the summary was kept (a trend week of
   * another week's digest: see migration 0014).
   */
  metrics: string | null;
  /** The figures without the items behind them (those the scores use excepted), as JSON text. */
  summary: string;
  computed_at: CreatedAt;
}

/** A scheduled piece of work (a partnership's digest for one week) that is done. */
export interface JobRunsTable {
  job: string;
  period: string;
  partnership_id: string;
  targets: number;
  completed_at: CreatedAt;
}

export type OutboxRow = Selectable<OutboxTable>;

/** A platform event taken in before it was processed, unique per platform and the platform's id for it. */
export interface InboxTable {
  id: Generated<string>;
  platform: string;
  delivery_id: string;
  payload: Json<unknown>;
  status: Generated<string>;
  attempts: Generated<number>;
  next_attempt_at: Timestamp;
  last_error: string | null;
  received_at: Timestamp;
  done_at: Timestamp | null;
}
