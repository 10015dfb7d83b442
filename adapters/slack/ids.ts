// Every name Slack sends back to rapport: commands, shortcut and view callback ids, action ids.
// The manifest test checks manifest/slack/manifest.json against these, both ways.

/** Slash commands. */
export const COMMANDS = { issue: "/itissue", partner: "/itpartner" } as const;

/** Message shortcuts (callback ids). */
export const SHORTCUTS = { reportIssue: "report_issue", logDirectRequest: "log_direct_request" } as const;

/** Modal views (callback ids of view_submission). */
export const VIEWS = {
  issueForm: "issue_form",
  directRequestForm: "direct_request_form",
  setup: "partnership_setup",
  recommend: "recommend_form",
  call: "call_form",
  headsUp: "headsup_form",
} as const;

/** Buttons and menus on cards (action ids of block_actions). */
export const ACTIONS = {
  acknowledge: "issue_acknowledge",
  waitOnClient: "issue_wait_on_client",
  resolve: "issue_resolve",
  reopen: "issue_reopen",
  priority: "issue_priority",
  accept: "recommendation_accept",
  decline: "recommendation_decline",
  acceptRisk: "recommendation_accept_risk",
  remind: "recommendation_remind",
} as const;

/** The reaction that turns a message into an issue. */
export const TICKET_REACTION = "ticket";

/** The bot events rapport subscribes to. */
export const BOT_EVENTS = [
  "message.channels",
  "message.groups",
  "reaction_added",
  "app_home_opened",
  "app_uninstalled",
  "tokens_revoked",
] as const;
