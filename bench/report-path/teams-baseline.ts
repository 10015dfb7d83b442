// A baseline Teams bot, run as its own process by the HTTP benchmark: botbuilder's CloudAdapter
// without an app id (unauthenticated, as rapport's local mode) answering every message activity
// with one reply through the connector at the activity's serviceUrl. BENCH_RECORD=off: the bare
// bot, that only replies. BENCH_RECORD=on: the minimal correct bot, which first records the
// message with one durable INSERT into PostgreSQL. Run: node --import tsx bench/report-path/teams-baseline.ts
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import {
  ActivityTypes,
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  type Request,
  type Response,
} from "botbuilder";
import pg from "pg";

const port = Number(process.env.BENCH_PORT);
const record = process.env.BENCH_RECORD === "on";
const pool = record ? new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10 }) : null;

const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication({}));
adapter.onTurnError = async (context, err) => {
  console.error("turn failed", err);
  await context.sendActivity("Something went wrong.");
};

async function readBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString("utf8")) as Record<string, unknown>;
}

/** botbuilder's Response over node's: status, header, send, end. */
function botResponse(res: ServerResponse): Response {
  let status = 200;
  return {
    socket: res.socket,
    status(code: number) {
      status = code;
      return this;
    },
    header(name: string, value: unknown) {
      res.setHeader(name, String(value));
      return this;
    },
    send(body?: unknown) {
      if (res.headersSent) return this;
      res.statusCode = status;
      if (body === undefined || body === null) res.end();
      else if (typeof body === "string") res.end(body);
      else res.setHeader("content-type", "application/json").end(JSON.stringify(body));
      return this;
    },
    end() {
      if (!res.writableEnded) {
        res.statusCode = status;
        res.end();
      }
      return this;
    },
  };
}

const server = createServer((req, res) => {
  if (req.method === "GET" && req.url === "/readyz") return void res.writeHead(200).end("ok");
  if (req.method !== "POST" || req.url !== "/api/messages") return void res.writeHead(404).end();
  void (async () => {
    const body = await readBody(req);
    const request: Request = { body, headers: req.headers, method: req.method };
    await adapter.process(request, botResponse(res), async (context) => {
      const a = context.activity;
      if (a.type !== ActivityTypes.Message) return;
      if (pool) {
        await pool.query(
          `insert into bench_minimal_reports (source, channel, user_id, text) values ($1, $2, $3, $4)
           on conflict (source) do nothing`,
          [`teams:${a.conversation.id}:${a.id}`, a.conversation.id, a.from.aadObjectId ?? a.from.id, a.text],
        );
      }
      await context.sendActivity("Thanks, your report is recorded.");
    });
  })().catch((e: unknown) => {
    console.error("request failed", e);
    if (!res.headersSent) res.writeHead(500);
    res.end();
  });
});

server.listen(port, "127.0.0.1", () =>
  console.log(`teams baseline (record ${record ? "on" : "off"}) listening on ${port}`),
);

const stop = async () => {
  server.closeAllConnections();
  server.close();
  await pool?.end();
  process.exit(0);
};
process.once("SIGTERM", () => void stop());
process.once("SIGINT", () => void stop());
