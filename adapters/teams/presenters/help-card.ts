// `help`: every bot command of the manifest, with an example of each.
import { BOT_COMMANDS } from "../ids.ts";
import { adaptiveCard, factSet, heading, textBlock, type AdaptiveCardJson } from "./card-kit.ts";

type CommandTitle = (typeof BOT_COMMANDS)[number]["title"];

// Keyed by the manifest's commands, so a new command cannot ship without its example.
const EXAMPLES: Record<CommandTitle, string> = {
  issue: "issue printer on floor 2 jammed p2 since 9am",
  status: "status",
  recommend: "recommend Replace the unsupported firewall",
  call: "call",
  headsup: "headsup",
  setup: "setup",
  help: "help",
};

function usage(c: (typeof BOT_COMMANDS)[number]): string {
  const example = EXAMPLES[c.title];
  if (example === c.title) return ` Type \`${example}\`.`;
  return c.description.includes(example) ? "" : ` Example: \`${example}\``;
}

/** The help card: how to report an issue, then every bot command with its description and an example. */
export function helpCard(): AdaptiveCardJson {
  const commands = BOT_COMMANDS.map((c) => [c.title, `${c.description}.${usage(c)}`] as const);
  return adaptiveCard(`rapport help: ${BOT_COMMANDS.map((c) => c.title).join(", ")}`, [
    heading("rapport: the honest ledger", "Large"),
    textBlock(
      "**Report an issue**: `issue printer on floor 2 jammed p2 since 9am` records it at once: " +
        "`p1`…`p4` or `urgent` set the priority, `since 9am` when it started. " +
        "`issue` on its own opens a form. In a channel, @mention rapport first.",
    ),
    textBlock("Commands", { weight: "Bolder", separator: true }),
    factSet(commands, { spacing: "Small" }),
    textBlock(
      "On any message, **…** → **More actions** → **Report as IT issue** turns it into an issue. " +
        "Technicians: a request that reached you directly? Use **Log direct request** on the message.",
      { separator: true },
    ),
    textBlock("Both sides see the same figures every week.", { size: "Small", isSubtle: true }),
  ]);
}
