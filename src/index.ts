// The core's public surface: the only module the Slack and Teams adapters import from src/.

export type { Clock, Destination, DeliveryOutcome, NeutralMessage, Notifier } from "./ports.ts";
export { systemClock } from "./ports.ts";
export { RapportError, isRapportError, type ErrorCode } from "./domain/errors.ts";
export * from "./domain/vocabulary.ts";
export type { EventType, IntakeVia, LedgerEvent, MessageRef } from "./domain/events.ts";
export type { Partnership, PartnershipSettings, SlaTargets, WorkingHours } from "./domain/partnership.ts";
export { DEFAULT_SETTINGS, partnershipSettingsSchema } from "./domain/partnership.ts";
export type { Call, Downtime, Issue, Recommendation } from "./domain/records.ts";
export type { Digest, DigestFact, DigestSection } from "./domain/digest.ts";
export { renderDigestText } from "./domain/digest-text.ts";
export type { WeekMetrics } from "./domain/metrics.ts";
export type { Core } from "./services/core.ts";
export type { ChannelLink, Member } from "./store/partnerships.ts";
export { resolveActor } from "./services/actor.ts";
export type { CommandInput, IssueActionResult, IssueCommandInput } from "./services/command.ts";
export {
  reportIssue,
  DEFAULT_PRIORITY,
  type IssueFields,
  type ReportIssueInput,
} from "./services/report-issue.ts";
export { respond } from "./services/respond.ts";
export { waitOnClient } from "./services/wait-on-client.ts";
export { clientReplied } from "./services/client-replied.ts";
export { resolveIssue } from "./services/resolve.ts";
export { reopenIssue } from "./services/reopen.ts";
export { changePriority } from "./services/change-priority.ts";
export { logDirectRequest } from "./services/log-direct-request.ts";
export { recommend, DEFAULT_DECISION_DAYS } from "./services/recommend.ts";
export { decideRecommendation, type Decision } from "./services/decide-recommendation.ts";
export { logCall } from "./services/log-call.ts";
export { announceChange } from "./services/announce-change.ts";
export { startDowntime, endDowntime } from "./services/downtime.ts";
export {
  addMember,
  configurePartnership,
  createPartnership,
  linkChannel,
} from "./services/setup-partnership.ts";
export { weeklyDigest, TREND_WEEKS, type WeeklyDigest } from "./services/weekly-digest.ts";
export {
  exportPartnership,
  exportPartnershipFor,
  type PartnershipExport,
} from "./services/export-partnership.ts";
export {
  findLinkedChannel,
  partnershipsOf,
  providerPartnershipsOf,
  requireLinkedChannel,
  type LinkedChannel,
} from "./services/channel-partnership.ts";
export type { InstallationVault } from "./services/installation-vault.ts";
export { parseIssueText, type ParsedIssueText } from "./domain/issue-text.ts";
export { calendarDaysBetween } from "./domain/business-time.ts";
export type { MessageLink } from "./store/message-links.ts";
export type { Logger } from "./logger.ts";
export type { SlackConfig } from "./config.ts";
export type { Conversation } from "./store/conversations.ts";
export type { TeamsConfig } from "./config.ts";
export {
  WORKING_DAY_MINUTES,
  describeTarget,
  formatDuration,
  formatSlaTargets,
  formatWorkingHours,
  holidaysForForm,
  parseHolidays,
  parseSlaTargets,
  parseWorkingHours,
} from "./domain/settings-text.ts";
export { elapsedBetween, formatDateTime, formatDay } from "./domain/figure-format.ts";
