// The platforms' side of the benchmark, on loopback: a fake Slack Web API and a fake Bot Framework
// connector. They answer with the shapes the real services use (see tests/contract/*/support for
// the recording fakes the contract tests use) but record nothing, so that thousands of calls cost
// the load generator's process little and hold no memory.
import { fork } from "node:child_process";
import { once } from "node:events";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";

const HERE = path.dirname(fileURLToPath(import.meta.url));

/** The Slack ids the benchmark's payloads use: Slack Connect between a provider and a client. */
export const SLACK = {
  providerTeam: "T0PROVIDER",
  clientTeam: "T0CLIENT",
  botUser: "U0BOT",
  botId: "B0BOT",
  appId: "A0RAPPORT",
  tech: "U0TECH",
  lead: "U0LEAD",
  staff: "U0STAFF",
  owner: "U0OWNER",
} as const;

/** Users of the provider's workspace; everyone else `users.info` is asked about is the client's. */
const PROVIDER_USERS = new Set<string>([SLACK.tech, SLACK.lead, SLACK.botUser]);

/** How the fake Slack answers: normally, or every Web API call with HTTP 429 and `Retry-After: 5`. */
export type SlackMode = "ok" | "ratelimited";

/** The fake Slack as it runs, in its own process (fake-slack-process.ts). */
export interface FakeSlackServer {
  /** "http://127.0.0.1:<port>/api/". */
  url: string;
  /** "http://127.0.0.1:<port>": response_url targets live under it. */
  origin: string;
  mode: SlackMode;
  /** Calls received, by Web API method ("response_url" for response URLs). */
  calls: Map<string, number>;
  close(): Promise<void>;
}

/**
 * The fake Slack as the benchmark drives it; `url` is what SLACK_API_URL is set to. It runs in a
 * process of its own: in the load generator's, every card rapport posts would be answered on the
 * event loop that sends the load, and slow the load down for rapport alone (the baselines post
 * nothing), as Slack's own servers do not.
 */
export interface FakeSlackApi {
  url: string;
  origin: string;
  /** Answers normally from now on, or every call with 429. */
  setMode(mode: SlackMode): Promise<void>;
  /** Calls received so far, by Web API method. */
  calls(): Promise<Map<string, number>>;
  close(): Promise<void>;
}

/** Starts the fake Slack Web API in a process of its own, on a free loopback port. */
export async function startFakeSlack(): Promise<FakeSlackApi> {
  const child = fork(path.join(HERE, "fake-slack-process.ts"), [], {
    execArgv: ["--import", "tsx"],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const answer = async <T>(request: object | null, key: string): Promise<T> => {
    const answered = new Promise<T>((resolve, reject) => {
      const onMessage = (m: Record<string, unknown>) => {
        if (!(key in m)) return;
        child.off("message", onMessage);
        child.off("exit", onExit);
        resolve(m[key] as T);
      };
      const onExit = () => reject(new Error("the fake Slack process ended"));
      child.on("message", onMessage);
      child.once("exit", onExit);
    });
    if (request) child.send(request);
    return answered;
  };
  const { url, origin } = await answer<{ url: string; origin: string }>(null, "ready");
  return {
    url,
    origin,
    setMode: async (mode) => void (await answer({ mode }, "mode")),
    calls: async () => new Map(await answer<[string, number][]>({ calls: true }, "calls")),
    close: async () => {
      if (child.exitCode !== null) return;
      const exited = once(child, "exit");
      child.disconnect();
      await exited;
    },
  };
}

/** A running fake Bot Framework connector; put `url` in activities' serviceUrl. */
export interface FakeConnector {
  /** "http://127.0.0.1:<port>/". */
  url: string;
  /** Activities the bots sent (new messages, replies and updates). */
  sent: number;
  close(): Promise<void>;
}

/** Serves the fake Slack Web API on a free loopback port, in this process. */
export async function serveFakeSlack(): Promise<FakeSlackServer> {
  let serial = 0;
  const nextTs = () => {
    serial += 1;
    return `${Math.floor(Date.now() / 1000)}.${String(serial % 1_000_000).padStart(6, "0")}`;
  };
  const fake: FakeSlackServer = {
    url: "",
    origin: "",
    mode: "ok",
    calls: new Map(),
    close: async () => {},
  };
  const server = await listen(async (req, res) => {
    const path = new URL(req.url ?? "/", "http://fake").pathname;
    const params = await readParams(req);
    const method = path.startsWith("/api/") ? path.slice("/api/".length) : "response_url";
    fake.calls.set(method, (fake.calls.get(method) ?? 0) + 1);
    if (fake.mode === "ratelimited") {
      res.writeHead(429, { "content-type": "application/json", "retry-after": "5" });
      res.end(JSON.stringify({ ok: false, error: "ratelimited" }));
      return;
    }
    res.writeHead(200, { "content-type": "application/json; charset=utf-8" });
    res.end(JSON.stringify(slackAnswer(method, params, nextTs)));
  });
  const origin = originOf(server);
  return Object.assign(fake, { url: `${origin}/api/`, origin, close: () => closeServer(server) });
}

/** Starts the fake connector on a free loopback port. */
export async function startFakeConnector(): Promise<FakeConnector> {
  let serial = 0;
  const fake: FakeConnector = { url: "", sent: 0, close: async () => {} };
  const server = await listen(async (req, res) => {
    await readBody(req);
    const path = new URL(req.url ?? "/", "http://fake").pathname;
    const activity = /^\/v3\/conversations\/([^/]+)\/activities(?:\/([^/]+))?\/?$/.exec(path);
    let status = 200;
    let body: unknown = {};
    if (activity && (req.method === "POST" || req.method === "PUT")) {
      fake.sent += 1;
      serial += 1;
      status = req.method === "POST" ? 201 : 200;
      body = { id: req.method === "PUT" ? activity[2] : String(1_800_000_000_000 + serial) };
    } else if (/^\/v3\/conversations\/?$/.test(path) && req.method === "POST") {
      status = 201;
      body = { id: `a:bench-${++serial}` };
    } else if (/\/(pagedmembers|members)(\/|$)/.test(path)) {
      body = { members: [] };
    } else {
      status = 404;
      body = { error: { code: "NotFound", message: `no such route: ${req.method} ${path}` } };
    }
    res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
  });
  return Object.assign(fake, { url: `${originOf(server)}/`, close: () => closeServer(server) });
}

/** Slack's answer to `method`, shaped as documented; methods not listed answer `{ ok: true }`. */
function slackAnswer(method: string, p: Record<string, string>, nextTs: () => string): object {
  switch (method) {
    case "auth.test":
      return {
        ok: true,
        url: "https://provider-it.slack.com/",
        team: "Provider",
        user: "rapport",
        team_id: SLACK.providerTeam,
        user_id: SLACK.botUser,
        bot_id: SLACK.botId,
        is_enterprise_install: false,
      };
    case "chat.postMessage": {
      const ts = nextTs();
      const message = { type: "message", user: SLACK.botUser, bot_id: SLACK.botId, text: p.text ?? "", ts };
      return { ok: true, channel: p.channel, ts, message };
    }
    case "chat.update":
      return { ok: true, channel: p.channel, ts: p.ts, text: p.text ?? "", message: { ts: p.ts } };
    case "chat.postEphemeral":
      return { ok: true, message_ts: nextTs() };
    case "chat.getPermalink":
      return {
        ok: true,
        channel: p.channel,
        permalink: `https://provider-it.slack.com/archives/${p.channel}/p${(p.message_ts ?? "").replace(".", "")}`,
      };
    case "users.info":
      return { ok: true, user: slackUser(p.user ?? "") };
    case "conversations.history":
    case "conversations.replies":
      return { ok: true, messages: [], has_more: false, response_metadata: { next_cursor: "" } };
    case "conversations.info":
      return {
        ok: true,
        channel: { id: p.channel, name: (p.channel ?? "").toLowerCase(), is_channel: true, is_member: true },
      };
    case "conversations.open":
      return { ok: true, channel: { id: `D${p.users ?? ""}` } };
    case "views.open":
    case "views.push":
    case "views.update":
    case "views.publish":
      return { ok: true, view: { id: `V${nextTs().replace(".", "")}`, team_id: SLACK.providerTeam } };
    default:
      return { ok: true };
  }
}

function slackUser(id: string): object {
  const team = PROVIDER_USERS.has(id) ? SLACK.providerTeam : SLACK.clientTeam;
  const name = id.toLowerCase();
  return {
    id,
    team_id: team,
    name,
    real_name: name,
    deleted: false,
    is_bot: id === SLACK.botUser,
    tz: "Europe/London",
    profile: { real_name: name, display_name: name, team },
  };
}

async function listen(handle: (req: IncomingMessage, res: ServerResponse) => Promise<void>): Promise<Server> {
  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", resolve);
  });
  return server;
}

function originOf(server: Server): string {
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

/** The call's parameters: JSON, or form fields (what @slack/web-api sends), plus the query string. */
async function readParams(req: IncomingMessage): Promise<Record<string, string>> {
  const raw = await readBody(req);
  const query = Object.fromEntries(new URL(req.url ?? "/", "http://fake").searchParams);
  if (!raw) return query;
  if ((req.headers["content-type"] ?? "").startsWith("application/json")) {
    try {
      const body = JSON.parse(raw) as Record<string, unknown>;
      return { ...query, ...Object.fromEntries(Object.entries(body).map(([k, v]) => [k, String(v)])) };
    } catch {
      return query;
    }
  }
  return { ...query, ...Object.fromEntries(new URLSearchParams(raw)) };
}
