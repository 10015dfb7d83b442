// The core's public surface: the only module the Slack and Teams adapters import from src/.

export type {
  Clock,
  DeliveryMark,
  Destination,
  DeliveryOutcome,
  LookOutcome,
  Notifier,
  PostedMessage,
} from "./ports.ts";
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
export type { ChannelLink, Member } from "./store/partnerships.ts";
// The application interface: the adapters' one way in. Every use case takes the place, the person
// and the command, and checks who may act there before it records anything.
export {
  Rapport,
  MAX_SHOWN_PARTNERSHIPS,
  REMIND_AFTER_DAYS,
  type IssueChange,
  type ReportFields,
  type Request,
  type Scorecard,
  type Visit,
} from "./services/rapport.ts";
export { HOW_TO_LINK, type Access } from "./services/access.ts";
export type { SetUpCommand, SetUpPerson, SetUpResult, SetupView } from "./services/set-up.ts";
export type { IssueActionResult } from "./services/command.ts";
export { DEFAULT_PRIORITY, type IssueFields } from "./services/report-issue.ts";
export { DEFAULT_DECISION_DAYS } from "./services/recommend.ts";
export type { Decision } from "./services/decide-recommendation.ts";
export { TREND_WEEKS, type WeeklyDigest } from "./services/weekly-digest.ts";
export type { PartnershipExport } from "./services/export-partnership.ts";
export type { InstallationVault } from "./services/installation-vault.ts";
export type { Inbox, InboxHandler } from "./services/inbox.ts";
export type { Readiness } from "./http/readiness.ts";
export { parseIssueText, type ParsedIssueText } from "./domain/issue-text.ts";
export {
  STORED_TEXT_MAX_LENGTH,
  fitText,
  storedText,
  utf8Length,
  type ChatMarkup,
  type TextLimit,
} from "./domain/chat-text.ts";
export { MAX_PAYLOAD_DEPTH, storableJson } from "./domain/storable.ts";
export { calendarDaysBetween } from "./domain/business-time.ts";
export type { MessageLink } from "./store/message-links.ts";
export type { Logger } from "./logger.ts";
export type { Conversation } from "./store/conversations.ts";
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
export { envVariable } from "./config.ts";
export {
  CALL_OUTCOME_LABELS,
  ISSUE_STATUS_LABELS,
  PRIORITY_MARKS,
  RECOMMENDATION_STATUS_LABELS,
  RISK_LABELS,
  TONE_MARKS,
  cardDocumentSchema,
  noticeDocument,
  omittedText,
  plainCardText,
  type CardAction,
  type CardActionId,
  type CardButton,
  type CardChoice,
  type CardDocument,
  type CardFact,
  type CardKind,
  type CardScore,
  type CardSection,
  type CardSpan,
  type CardSubject,
  type CardText,
  type Tone,
} from "./domain/card.ts";
export {
  issueCardActions,
  issueCardDocument,
  recommendationCardActions,
  recommendationCardDocument,
} from "./domain/card-records.ts";
export { digestDocument, scorecardDocument } from "./domain/card-digest.ts";
export { helpDocument, helpCommands } from "./domain/card-help.ts";
export {
  CALL_FORM,
  CALL_OUTCOMES,
  HEADS_UP_FORM,
  ISSUE_FORM,
  PRIORITY_CHOICES,
  RECOMMEND_FORM,
  SETTINGS_FORM,
  WEEKDAYS,
  readSettingsForm,
  type SettingsFields,
  callForm,
  headsUpForm,
  isoDay,
  issueForm,
  readCallForm,
  readHeadsUpForm,
  readIssueForm,
  readRecommendForm,
  recommendForm,
  type FieldKind,
  type FormClock,
  type FormDocument,
  type FormField,
  type FormReading,
  type FormValues,
} from "./domain/forms.ts";
export { truncate } from "./domain/text.ts";
