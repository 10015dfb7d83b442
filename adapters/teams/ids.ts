// Every name Teams sends back to rapport: bot commands, message-action commands, card verbs.
// The manifest test checks manifest/teams/manifest.json against these.

/** Bot commands, typed as messages (with the @mention in channels). */
export const BOT_COMMANDS = [
  { title: "issue", description: "Report an IT problem: issue printer on floor 2 jammed p2 since 9am" },
  { title: "status", description: "This partnership's scorecard for the week so far" },
  { title: "recommend", description: "Record a recommendation for the client: recommend <title>" },
  { title: "call", description: "Log a scheduled call as held or missed" },
  { title: "headsup", description: "Give the provider a heads-up about a change" },
  { title: "setup", description: "Link this conversation to a partnership and set it up" },
  { title: "export", description: "Get the partnership's whole record as a file (admins and leads)" },
  { title: "help", description: "What rapport can do" },
] as const;

/** The invokes rapport offers: card actions, the two steps of a message action, a file's consent. */
export const INVOKES = {
  cardAction: "adaptiveCard/action",
  fetchTask: "composeExtension/fetchTask",
  submitAction: "composeExtension/submitAction",
  fileConsent: "fileConsent/invoke",
} as const;

const OFFERED: ReadonlySet<string> = new Set(Object.values(INVOKES));

/** Whether rapport offers the invoke `name`; any other is acknowledged and left alone. */
export function offersInvoke(name: string | null | undefined): boolean {
  return typeof name === "string" && OFFERED.has(name);
}

/** Message actions (composeExtensions of type action, context message). */
export const MESSAGE_ACTIONS = { reportIssue: "reportIssue", logDirectRequest: "logDirectRequest" } as const;

/** Action.Execute verbs on cards, and the names forms submit under (Action.Submit carries it as `form`). */
export const VERBS = {
  acknowledge: "issue.acknowledge",
  waitOnClient: "issue.waitOnClient",
  resolve: "issue.resolve",
  reopen: "issue.reopen",
  priority: "issue.priority",
  accept: "recommendation.accept",
  decline: "recommendation.decline",
  acceptRisk: "recommendation.acceptRisk",
  remind: "recommendation.remind",
  submitIssue: "form.issue",
  submitSetup: "form.setup",
  submitRecommend: "form.recommend",
  submitCall: "form.call",
  submitHeadsUp: "form.headsUp",
  submitDirectRequest: "form.directRequest",
} as const;
