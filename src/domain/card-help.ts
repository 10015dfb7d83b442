// The help card as a document. Both platforms' wording lives here; they differ only in how a
// command is typed and where a message's menu is.
import { blankCard, code, strong, type CardDocument, type CardSpan, type CardText } from "./card.ts";
import type { Platform } from "./vocabulary.ts";

const ISSUE_EXAMPLE = "printer on floor 2 jammed p2 since 9am";

/** Every command, in the order help lists them (both platforms have each). */
const COMMANDS: readonly { name: string; does: string; example?: string }[] = [
  { name: "issue", does: "Report an IT problem", example: ISSUE_EXAMPLE },
  { name: "status", does: "This partnership's scorecard for the week so far" },
  {
    name: "recommend",
    does: "Record a recommendation for the client to decide on (provider)",
    example: "Replace the unsupported firewall",
  },
  { name: "call", does: "Log a scheduled call as held or missed" },
  { name: "headsup", does: "Tell the provider about an IT-affecting change ahead of time (client)" },
  {
    name: "setup",
    does: "Link this channel to a partnership: sides, roles, SLA targets, hours, digest (admins)",
  },
  { name: "export", does: "The partnership's whole record, as a file sent to you" },
  { name: "help", does: "This list" },
];

/** How commands are typed and found on each platform: the only way help differs between them. */
const PLATFORM_HELP: Record<
  Platform,
  { typed: (command: string) => string; menu: string[]; summary: string; alsoIssue: string; mention?: string }
> = {
  slack: {
    typed: (c) => (c === "issue" ? "/itissue" : `/itpartner ${c}`),
    menu: ["⋮"],
    summary:
      "rapport help: /itissue to report an issue, /itpartner help|status|recommend|call|headsup|setup|export",
    alsoIssue: ", or react with :ticket:.",
  },
  teams: {
    typed: (c) => c,
    menu: ["…", "More actions"],
    summary: "rapport help: issue, status, recommend, call, headsup, setup, export, help",
    alsoIssue: " turns it into an issue.",
    mention: "In a channel, @mention rapport first.",
  },
};

/** The commands of `platform`, in help's order, as typed there. */
export function helpCommands(platform: Platform): string[] {
  return COMMANDS.map((c) => PLATFORM_HELP[platform].typed(c.name));
}

/** The help card: how to report an issue, then every command with what it does and an example. */
export function helpDocument(platform: Platform): CardDocument {
  const h = PLATFORM_HELP[platform];
  const menu = (item: string): CardSpan[] =>
    [...h.menu, item].flatMap((m, i) => (i ? [{ text: " → " }, strong(m)] : [strong(m)]));
  const issue = h.typed("issue");
  const doc = blankCard("help", "rapport: the honest ledger", h.summary);
  const report: CardText[] = [
    [
      code(`${issue} ${ISSUE_EXAMPLE}`),
      { text: " records it at once: " },
      code("p1"),
      { text: "…" },
      code("p4"),
      { text: " or " },
      code("urgent"),
      { text: " set the priority, " },
      code("since 9am"),
      { text: " when it started." },
    ],
    [code(issue), { text: ` on its own opens a form.${h.mention ? ` ${h.mention}` : ""}` }],
    [{ text: "On any message: " }, ...menu("Report as IT issue"), { text: h.alsoIssue }],
  ];
  const commands = COMMANDS.map((c) => ({
    label: h.typed(c.name),
    value: c.example
      ? [{ text: `${c.does}. Example: ` }, code(`${h.typed(c.name)} ${c.example}`)]
      : `${c.does}.`,
  }));
  doc.sections = [
    { heading: "Report an issue", facts: [], lines: report },
    { heading: "Commands", facts: commands, lines: [] },
  ];
  doc.notes = [
    [
      { text: "Technicians: a request that reached you directly? On the message: " },
      ...menu("Log direct request"),
      { text: "." },
    ],
    "Both sides see the same figures every week.",
  ];
  return doc;
}
