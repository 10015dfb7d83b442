import type { AnyMiddlewareArgs, App } from "@slack/bolt";
import type { Logger } from "../../../src/index.ts";
import { ACTIONS, COMMANDS, SHORTCUTS, VIEWS } from "../ids.ts";
import type { RequestBody as Body } from "../listener-table.ts";

// The names rapport's listeners are registered under (ids.ts, which the manifest test checks both ways).
const HANDLED = {
  commands: new Set<string>(Object.values(COMMANDS)),
  shortcuts: new Set<string>(Object.values(SHORTCUTS)),
  views: new Set<string>(Object.values(VIEWS)),
  actions: new Set<string>(Object.values(ACTIONS)),
};

/**
 * The name a request that waits for an acknowledgement was sent under, when no listener of
 * rapport's is registered for it (Bolt routes a block action by its first action); null when one is.
 */
export function unhandledName(body: unknown): string | null {
  const b = body as Body;
  if (typeof b.command === "string") return HANDLED.commands.has(b.command) ? null : b.command;
  switch (b.type) {
    case "block_actions": {
      const id = b.actions?.[0]?.action_id ?? "";
      return HANDLED.actions.has(id) ? null : id;
    }
    case "view_submission":
      return HANDLED.views.has(b.view?.callback_id ?? "") ? null : (b.view?.callback_id ?? "");
    case "message_action":
      return HANDLED.shortcuts.has(b.callback_id ?? "") ? null : (b.callback_id ?? "");
    case "view_closed":
    case "shortcut":
    case "block_suggestion":
    case "interactive_message":
    case "dialog_submission":
      // rapport registers none of these: modals close without notice, and it has no global shortcut.
      return b.callback_id ?? b.view?.callback_id ?? b.type;
    default:
      return null;
  }
}

/**
 * Acknowledges at once what no listener of rapport's would (a button, view, shortcut or command it
 * does not know), instead of leaving Bolt to answer 404 after three seconds, which Slack counts
 * against the app. Registered before every listener; events are acknowledged by Bolt itself.
 */
export function registerUnhandled(app: App, logger: Logger): void {
  app.use(async (args) => {
    const { ack } = args as AnyMiddlewareArgs & { ack?: (response?: unknown) => Promise<void> };
    const name = ack ? unhandledName(args.body) : null;
    if (name === null) return args.next();
    await ack!();
    const kind = (args.body as Body).type ?? "command";
    logger.info({ component: "slack", kind, name }, "acknowledged a Slack request rapport does not handle");
  });
}
