import type { AnyMiddlewareArgs, App, Middleware } from "@slack/bolt";
import type { Logger } from "../../src/index.ts";

/** Where rapport's listeners are registered: Bolt's own registration methods, as they are typed. */
export type SlackListeners = Pick<App, "command" | "action" | "view" | "shortcut" | "event">;

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each listener gets its own kind of arguments
type Listener = (args: any) => Promise<void>;

/**
 * rapport's listeners, found by the name a request carries. Bolt offers each request to every
 * listener registered on the app in turn (each through its own chain of matchers, every one of
 * them a copy of the request's arguments), about thirty of them here: most of the CPU an
 * acknowledgement costs beyond the use case itself. This table is one middleware instead: it
 * looks the request's listener up by its kind and name, the way Bolt's matchers would have
 * matched it, and calls it with the arguments Bolt made.
 *
 * A request that waits for an acknowledgement and that no listener takes (a button, view,
 * shortcut or command rapport does not know, a modal closed) is acknowledged at once, instead of
 * being left to Bolt, which answers 404 after three seconds and Slack counts against the app.
 * Events are acknowledged by Bolt itself.
 */
export class ListenerTable {
  private readonly listeners = new Map<string, Listener>();

  constructor(private readonly logger: Logger) {}

  /** The registration methods, to hand to each `register…` function. */
  readonly register: SlackListeners = {
    command: ((name: string, listener: Listener) => this.add(`command ${name}`, listener)) as never,
    action: ((actionId: string, listener: Listener) => this.add(`action ${actionId}`, listener)) as never,
    view: ((callbackId: string, listener: Listener) => this.add(`view ${callbackId}`, listener)) as never,
    shortcut: ((callbackId: string, listener: Listener) =>
      this.add(`shortcut ${callbackId}`, listener)) as never,
    event: ((type: string, listener: Listener) => this.add(`event ${type}`, listener)) as never,
  };

  /** The middleware that dispatches to the table; registered on the app once. */
  readonly middleware: Middleware<AnyMiddlewareArgs> = async (args) => {
    const key = keyOf(args.body);
    const listener = key === null ? undefined : this.listeners.get(key);
    if (listener) return listener(args);
    const { ack } = args as AnyMiddlewareArgs & { ack?: (response?: unknown) => Promise<void> };
    if (!ack) return args.next();
    await ack();
    const body = args.body as RequestBody;
    this.logger.info(
      { component: "slack", kind: body.type ?? "command", name: nameOf(body) },
      "acknowledged a Slack request rapport does not handle",
    );
  };

  private add(key: string, listener: unknown): void {
    if (typeof listener !== "function") throw new Error(`the listener for ${key} is not a function`);
    if (this.listeners.has(key)) throw new Error(`two listeners for ${key}`);
    this.listeners.set(key, listener as Listener);
  }
}

/** The parts of a Slack request's body that say what it is and what it is called. */
type RequestBody = {
  type?: string;
  command?: string;
  callback_id?: string;
  view?: { callback_id?: string };
  actions?: { action_id?: string }[];
  event?: { type?: string };
};

/**
 * The kind and name Bolt would match a request's listener on: a slash command's name, a block
 * action's first action (Bolt's payload for it), a view submission's callback id, a shortcut's,
 * an event's type. Null for anything else (a view closed, an options request), which no listener
 * of rapport's takes.
 */
function keyOf(body: unknown): string | null {
  const b = body as RequestBody;
  if (typeof b.command === "string") return `command ${b.command}`;
  switch (b.type) {
    case "block_actions":
      return `action ${b.actions?.[0]?.action_id ?? ""}`;
    case "view_submission":
      return `view ${b.view?.callback_id ?? ""}`;
    case "shortcut":
    case "message_action":
      return `shortcut ${b.callback_id ?? ""}`;
    case "event_callback":
      return `event ${b.event?.type ?? ""}`;
    default:
      return null;
  }
}

/** What a request is called, for the log: its command, first action, view or callback id, or its type. */
function nameOf(b: RequestBody): string {
  return b.command ?? b.actions?.[0]?.action_id ?? b.view?.callback_id ?? b.callback_id ?? b.type ?? "";
}
