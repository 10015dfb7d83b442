// A baseline Slack app, run as its own process by the HTTP benchmark: Bolt with the same
// HTTPReceiver settings as rapport (same signing secret, answering only when the listener is done).
// BENCH_RECORD=off: the bare app, whose listeners only acknowledge. BENCH_RECORD=on: the minimal
// correct app, which records each report and each message with one durable INSERT into PostgreSQL
// and then acknowledges. Run: node --import tsx bench/report-path/slack-baseline.ts
import { App, HTTPReceiver, LogLevel } from "@slack/bolt";
import pg from "pg";

const port = Number(process.env.BENCH_PORT);
const record = process.env.BENCH_RECORD === "on";
const pool = record ? new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10 }) : null;

/** One autocommit INSERT of what was reported; a redelivery (same source) records nothing twice. */
async function insert(source: string, channel: string, user: string, text: string): Promise<void> {
  await pool!.query(
    `insert into bench_minimal_reports (source, channel, user_id, text) values ($1, $2, $3, $4)
     on conflict (source) do nothing`,
    [source, channel, user, text],
  );
}

const receiver = new HTTPReceiver({
  signingSecret: process.env.SLACK_SIGNING_SECRET ?? "",
  endpoints: "/slack/events",
  processBeforeResponse: true,
  logLevel: LogLevel.ERROR,
  customRoutes: [{ path: "/readyz", method: ["GET"], handler: (_req, res) => res.writeHead(200).end("ok") }],
});
const app = new App({
  receiver,
  token: process.env.SLACK_BOT_TOKEN,
  logLevel: LogLevel.ERROR,
  ...(process.env.SLACK_API_URL ? { clientOptions: { slackApiUrl: process.env.SLACK_API_URL } } : {}),
});

app.command("/itissue", async ({ command, ack }) => {
  if (pool) await insert(`cmd:${command.trigger_id}`, command.channel_id, command.user_id, command.text);
  await ack({ response_type: "ephemeral", text: "Thanks, your report is recorded." });
});

app.event("message", async ({ event }) => {
  if (!pool || event.subtype !== undefined) return;
  await insert(`msg:${event.channel}:${event.ts}`, event.channel, event.user, event.text ?? "");
});

await app.start(port);
console.log(`slack baseline (record ${record ? "on" : "off"}) listening on ${port}`);

const stop = async () => {
  await app.stop();
  await pool?.end();
  process.exit(0);
};
process.once("SIGTERM", () => void stop());
process.once("SIGINT", () => void stop());
