import { createServer, type Server } from "node:http";
import { connect, type AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedPartnership, startSlackHarness, type SlackHarness } from "./support/harness.ts";
import { loadFixture } from "./support/signed-request.ts";
import { newTriggerId } from "./support/slack-kit.ts";

// Socket Mode behind a proxy: with HTTPS_PROXY set, apps.connections.open, the WebSocket and the
// Web API calls all go through it (an HTTP CONNECT proxy on loopback that counts its tunnels).

describe("Slack in Socket Mode behind HTTPS_PROXY", () => {
  let proxy: Server;
  const tunnels: string[] = [];
  let h: SlackHarness;

  beforeAll(async () => {
    proxy = createServer((_req, res) => res.writeHead(405).end());
    proxy.on("connect", (req, client, head) => {
      tunnels.push(req.url ?? "");
      const [host, port] = (req.url ?? "").split(":");
      const upstream = connect(Number(port), host!, () => {
        client.write("HTTP/1.1 200 Connection Established\r\n\r\n");
        upstream.write(head);
        upstream.pipe(client);
        client.pipe(upstream);
      });
      upstream.on("error", () => client.destroy());
      client.on("error", () => upstream.destroy());
    });
    await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", () => resolve()));
    const { port } = proxy.address() as AddressInfo;
    h = await startSlackHarness({
      socketMode: true,
      env: { HTTPS_PROXY: `http://127.0.0.1:${port}`, NO_PROXY: "example.invalid" },
      seed: (env) => seedPartnership(env),
    });
  }, 120_000);
  afterAll(async () => {
    await h?.stop();
    proxy?.closeAllConnections();
    await new Promise<void>((resolve) => proxy?.close(() => resolve()));
  });

  it("connects through the proxy, and the Web API calls go through it too", async () => {
    const api = new URL(h.fake.url).host;
    const socketHost = new URL(h.socket!.url).host;
    expect(h.socket!.open()).toHaveLength(1);
    expect(tunnels).toContain(api);
    expect(tunnels).toContain(socketHost);
    const envelope = h.socket!.send(
      "slash_commands",
      loadFixture("slash-command-itissue", {
        text: "p3 the kitchen display is blank",
        trigger_id: newTriggerId(),
      }),
    );
    await h.socket!.waitForAck(envelope);
    await h.fake.waitFor("chat.postMessage", (c) => String(c.params.text).includes("kitchen display"));
    expect(tunnels.every((t) => t === api || t === socketHost)).toBe(true);
  });
});
