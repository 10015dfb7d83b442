// Where rapport listens: with Slack on, the server must be reachable from outside even while Teams
// runs in local mode; local-mode Teams (unauthenticated) then answers only callers on this machine.
import { networkInterfaces } from "node:os";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSlackHarness, type SlackHarness } from "./slack/support/harness.ts";

// An address of this machine that is not loopback: a request through it arrives from outside.
const outside = Object.values(networkInterfaces())
  .flat()
  .find((i) => i && i.family === "IPv4" && !i.internal)?.address;

describe.skipIf(!outside)("listening with Slack on and Teams in local mode", () => {
  let h: SlackHarness;
  const lines: string[] = [];
  let port: string;
  beforeAll(async () => {
    // HOST unset: the default is what is checked.
    h = await startSlackHarness({
      env: { HOST: undefined, LOG_LEVEL: "info" },
      log: { write: (line: string) => void lines.push(line) },
    });
    port = new URL(h.baseUrl).port;
  }, 60_000);
  afterAll(() => h?.stop());

  it("listens on every interface by default and says so", async () => {
    const listening = lines
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .find((l) => l.msg === "rapport is listening");
    expect(listening).toMatchObject({ host: "0.0.0.0" });
    const res = await fetch(`http://${outside}:${port}/healthz`);
    expect(res.status).toBe(200);
  });

  it("refuses /api/messages from outside with 403 and says why, and logs that Teams is local-only", async () => {
    const res = await fetch(`http://${outside}:${port}/api/messages`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ type: "message", text: "hello" }),
    });
    expect(res.status).toBe(403);
    expect(await res.text()).toContain("only requests from this machine");
    expect(lines.join("")).toContain("only callers on this machine are answered");
  });

  it("still hears /api/messages from this machine", async () => {
    const res = await fetch(`http://127.0.0.1:${port}/api/messages`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "not json",
    });
    // Judged on its content (400), not refused for where it came from.
    expect(res.status).toBe(400);
  });
});
