import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { AppsManifestCreateArguments } from "@slack/web-api";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { BOT_EVENTS, COMMANDS, SHORTCUTS } from "../../../../adapters/slack/ids.ts";
import manifestJson from "../../../../manifest/slack/manifest.json" with { type: "json" };

// manifest/slack/manifest.json is what a Slack app is created from; adapters/slack/ids.ts is what
// the listeners register. A name in one and not the other is a command nobody answers or a
// listener Slack never calls, so both are checked against each other, both ways.

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../..");
const SLACK_ADAPTER = "adapters/slack";
const HOST = "https://rapport.example.com";

/** The manifest shape Slack's apps.manifest.* methods accept (the type is public only through them). */
type Manifest = AppsManifestCreateArguments["manifest"];
type BotScopes = NonNullable<NonNullable<NonNullable<Manifest["oauth_config"]>["scopes"]>["bot"]>;
type BotEvents = NonNullable<
  NonNullable<NonNullable<Manifest["settings"]>["event_subscriptions"]>["bot_events"]
>;

/**
 * `Manifest` as a JSON import sees it: a JSON module's strings are `string`, never a literal
 * union, so scopes, event names and shortcut types are widened here and checked at run time
 * below. The `Record<string, unknown>` index signature is dropped, so a stray top-level key fails.
 */
type AsJson<T> = T extends string
  ? string
  : T extends readonly (infer E)[]
    ? AsJson<E>[]
    : T extends object
      ? { [K in keyof T as string extends K ? never : K]: AsJson<T[K]> }
      : T;

/** Maps every key of `A` that `E` does not declare to `never`, at any depth: misspelt keys fail. */
type NoUnknownKeys<A, E> = A extends readonly (infer AE)[]
  ? E extends readonly (infer EE)[]
    ? NoUnknownKeys<AE, EE>[]
    : never
  : A extends object
    ? { [K in keyof A]: K extends keyof E ? NoUnknownKeys<A[K], NonNullable<E[K]>> : never }
    : A;

// A wrong shape (a missing required field, a boolean as a string, a misspelt key) fails typecheck.
const manifest = manifestJson satisfies AsJson<Manifest> &
  NoUnknownKeys<typeof manifestJson, AsJson<Manifest>>;

// The literal unions the JSON cannot carry are checked through typed constants instead.
const EXPECTED_BOT_SCOPES = [
  "commands", // /itissue and /itpartner
  "chat:write", // issue and recommendation cards, ephemerals, digests
  "channels:history", // message events in public support channels
  "groups:history", // message events in private support channels
  "reactions:read", // reaction_added (the 🎫 reaction)
  "im:write", // opening a direct message for nudges
  "im:history", // looking whether a nudge whose outcome is unknown arrived, before sending it again
  "users:read", // display names, and the user's team for the side rule
  "files:write", // the /itpartner export file
] as const satisfies Readonly<BotScopes>;
BOT_EVENTS satisfies Readonly<BotEvents>;

const sorted = (values: Iterable<string>): string[] => [...values].sort();

describe("manifest/slack/manifest.json", () => {
  it("declares exactly the slash commands in ids.ts", () => {
    const commands = manifest.features.slash_commands.map((c) => c.command);
    expect(sorted(commands)).toEqual(sorted(Object.values(COMMANDS)));
    for (const command of manifest.features.slash_commands) {
      expect(command.url).toBe(`${HOST}/slack/events`);
    }
  });

  it("declares exactly the message shortcuts in ids.ts", () => {
    const { shortcuts } = manifest.features;
    expect(shortcuts.every((s) => s.type === "message")).toBe(true);
    expect(sorted(shortcuts.map((s) => s.callback_id))).toEqual(sorted(Object.values(SHORTCUTS)));
  });

  it("subscribes to exactly the bot events in ids.ts", () => {
    expect(sorted(manifest.settings.event_subscriptions.bot_events)).toEqual(sorted(BOT_EVENTS));
  });

  it("sends events and interactivity to /slack/events and OAuth to /slack/oauth_redirect", () => {
    const { event_subscriptions, interactivity } = manifest.settings;
    expect(event_subscriptions.request_url).toMatch(/^https:\/\/.+\/slack\/events$/);
    expect(interactivity.request_url).toMatch(/^https:\/\/.+\/slack\/events$/);
    expect(manifest.oauth_config.redirect_urls).toEqual([`${HOST}/slack/oauth_redirect`]);
    expect(manifest.oauth_config.redirect_urls[0]).toMatch(/\/slack\/oauth_redirect$/);
  });

  it("asks for exactly the bot scopes the code needs", () => {
    // Adding a scope makes every workspace re-approve the app: change this list deliberately.
    expect(sorted(manifest.oauth_config.scopes.bot)).toEqual(sorted(EXPECTED_BOT_SCOPES));
  });

  it("enables interactivity and the App Home tab, over HTTP without Socket Mode", () => {
    expect(manifest.settings.interactivity.is_enabled).toBe(true);
    expect(manifest.features.app_home.home_tab_enabled).toBe(true);
    expect(manifest.features.app_home.messages_tab_enabled).toBe(true);
    expect(manifest.settings.socket_mode_enabled).toBe(false);
    expect(manifest.settings.org_deploy_enabled).toBe(false);
    expect(manifest.settings.token_rotation_enabled).toBe(false);
  });

  it("declares every command, shortcut and event a listener under adapters/slack registers", () => {
    const found = scanRegistrations();
    expect(found.unresolved, "register with a string literal or an ids.ts constant").toEqual([]);
    // Before any listener file exists the scan finds nothing, and ids.ts stands in for it:
    // COMMANDS, SHORTCUTS and BOT_EVENTS are exactly what the listeners are to register.
    const registered = found.any
      ? found
      : { commands: Object.values(COMMANDS), shortcuts: Object.values(SHORTCUTS), events: [...BOT_EVENTS] };

    const commands = new Set(manifest.features.slash_commands.map((c) => c.command));
    const shortcuts = new Set(manifest.features.shortcuts.map((s) => s.callback_id));
    const events = manifest.settings.event_subscriptions.bot_events;
    expect(registered.commands.filter((c) => !commands.has(c))).toEqual([]);
    expect(registered.shortcuts.filter((s) => !shortcuts.has(s))).toEqual([]);
    // Bolt's "message" listener receives the message.channels / message.groups / … subscriptions.
    const missing = registered.events.filter((e) =>
      e === "message" ? !events.some((s) => s.startsWith("message.")) : !events.includes(e),
    );
    expect(missing).toEqual([]);
  });
});

interface Registrations {
  any: boolean;
  commands: string[];
  shortcuts: string[];
  events: string[];
  /** Calls whose name the scan cannot resolve, as "file: source text". */
  unresolved: string[];
}

const CONSTANTS: Record<string, Record<string, string>> = { COMMANDS, SHORTCUTS };

function listSources(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const relative = `${dir}/${entry.name}`;
    if (entry.isDirectory()) return listSources(relative);
    return entry.name.endsWith(".ts") ? [relative] : [];
  });
}

/** A string literal, or a `COMMANDS.x` / `SHORTCUTS.x` constant from ids.ts; otherwise null. */
function resolveName(node: ts.Expression): string | null {
  if (ts.isStringLiteralLike(node)) return node.text;
  if (ts.isPropertyAccessExpression(node) && ts.isIdentifier(node.expression)) {
    return CONSTANTS[node.expression.text]?.[node.name.text] ?? null;
  }
  if (ts.isObjectLiteralExpression(node)) {
    const callbackId = node.properties.find(
      (p): p is ts.PropertyAssignment => ts.isPropertyAssignment(p) && p.name.getText() === "callback_id",
    );
    return callbackId ? resolveName(callbackId.initializer) : null;
  }
  return null;
}

/** Finds `app.command(…)`, `app.shortcut(…)`, `app.event(…)` and `app.message(…)` calls. */
function scanRegistrations(): Registrations {
  const found: Registrations = { any: false, commands: [], shortcuts: [], events: [], unresolved: [] };
  for (const file of listSources(SLACK_ADAPTER)) {
    const text = readFileSync(path.join(ROOT, file), "utf8");
    const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
    const visit = (node: ts.Node): void => {
      if (
        ts.isCallExpression(node) &&
        ts.isPropertyAccessExpression(node.expression) &&
        /(^|\.)app$/.test(node.expression.expression.getText())
      ) {
        const method = node.expression.name.text;
        const [first] = node.arguments;
        if (method === "message") {
          found.any = true;
          found.events.push("message");
        } else if ((method === "command" || method === "shortcut" || method === "event") && first) {
          found.any = true;
          const name = resolveName(first);
          if (name === null) found.unresolved.push(`${file}: ${node.getText().split("\n")[0]}`);
          else if (method === "command") found.commands.push(name);
          else if (method === "shortcut") found.shortcuts.push(name);
          else found.events.push(name);
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return found;
}
