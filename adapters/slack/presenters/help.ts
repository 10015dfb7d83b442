// `/itpartner help`: every command, with an example of each.
import type { KnownBlock } from "@slack/web-api";
import { COMMANDS } from "../ids.ts";
import { context, divider, header, section, type SlackMessage } from "./kit.ts";

const P = COMMANDS.partner;
const I = COMMANDS.issue;

const SUBCOMMANDS: readonly [string, string][] = [
  ["help", "this list"],
  ["status", "this partnership's scorecard, visible only to you"],
  ["recommend", "record a recommendation for the client to decide on (provider)"],
  ["call", "log a scheduled call as held or missed"],
  ["headsup", "tell the provider about an IT-affecting change ahead of time (client)"],
  ["setup", "link this channel to a partnership: sides, roles, SLA targets, hours, digest (admins)"],
  ["export", "the partnership's whole record, as a JSON file sent to you"],
];

/** The help message for `/itpartner help`: every subcommand and how to report an issue. */
export function helpBlocks(): SlackMessage {
  const blocks: KnownBlock[] = [
    header("rapport: the honest ledger"),
    section(
      `*Report an issue*\n\`${I} printer on floor 2 jammed p2 since 9am\` records it at once: ` +
        "`p1`…`p4` or `urgent` set the priority, `since 9am` when it started.\n" +
        `\`${I}\` on its own opens a form. On any message: ⋮ → *Report as IT issue*, or react with :ticket:.`,
    ),
    divider(),
    section(`*${P} commands*\n${SUBCOMMANDS.map(([cmd, what]) => `• \`${P} ${cmd}\`: ${what}`).join("\n")}`),
    context(
      "Technicians: a request that reached you directly? ⋮ → *Log direct request* on the message. " +
        "Both sides see the same figures every week.",
    ),
  ];
  return {
    text: `rapport help: ${I} to report an issue, ${P} help|status|recommend|call|headsup|setup|export`,
    blocks,
  };
}
