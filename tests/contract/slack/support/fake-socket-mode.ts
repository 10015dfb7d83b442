// Slack's Socket Mode on loopback, beside the fake Web API: apps.connections.open answers a
// ws:// URL on this server, which greets every connection with `hello`, sends envelopes
// (envelope_id, type, payload, accepts_response_payload, retry_attempt), reads the acks
// ({ envelope_id, payload }) and can ask a connection to go with `disconnect` and a reason.
import { randomUUID } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { WebSocketServer, type WebSocket } from "ws";
import type { FakeSlack } from "./fake-slack.ts";

/** One Socket Mode connection the fake accepted. */
export interface FakeConnection {
  id: number;
  socket: WebSocket;
  openedAt: number;
  /** When Slack said hello on it. */
  helloAt: number;
  closedAt: number | null;
}

/** An acknowledgement the fake received. */
export interface FakeAck {
  envelopeId: string;
  payload: Record<string, unknown> | undefined;
  connection: number;
  at: number;
}

/** Slack's Socket Mode stand-in; start one with `startFakeSocketMode(fake)`. */
export class FakeSocketMode {
  readonly connections: FakeConnection[] = [];
  readonly acks: FakeAck[] = [];
  /** While true, the WebSocket upgrade is refused (Slack's socket servers out of reach). */
  refuseUpgrades = false;
  private ackWaiters: { id: string; resolve: (a: FakeAck) => void }[] = [];

  constructor(
    private readonly server: Server,
    private readonly wss: WebSocketServer,
    readonly url: string,
  ) {}

  /** Connections open now (hello sent, not closed), oldest first. */
  open(): FakeConnection[] {
    return this.connections.filter((c) => c.closedAt === null && c.socket.readyState === 1);
  }

  /**
   * Sends an envelope on `on` (default: the newest open connection); resolves with its envelope_id.
   * `payload` is what Slack puts there: an event_callback, a slash command's fields, an interaction.
   */
  send(
    type: "events_api" | "slash_commands" | "interactive",
    payload: Record<string, unknown>,
    options: { on?: FakeConnection; retryAttempt?: number; envelopeId?: string } = {},
  ): string {
    const on = options.on ?? this.open().at(-1);
    if (!on) throw new Error("fake Socket Mode: no open connection to send on");
    const envelopeId = options.envelopeId ?? randomUUID();
    on.socket.send(
      JSON.stringify({
        envelope_id: envelopeId,
        type,
        payload,
        accepts_response_payload: type !== "events_api",
        retry_attempt: options.retryAttempt ?? 0,
        retry_reason: options.retryAttempt ? "timeout" : "",
      }),
    );
    return envelopeId;
  }

  /** The acknowledgement of `envelopeId`, now or when it comes; rejects after `ms`. */
  waitForAck(envelopeId: string, ms = 5_000): Promise<FakeAck> {
    const found = this.acks.find((a) => a.envelopeId === envelopeId);
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.ackWaiters = this.ackWaiters.filter((w) => w.id !== envelopeId);
        reject(new Error(`fake Socket Mode: no ack of ${envelopeId} within ${ms} ms`));
      }, ms);
      this.ackWaiters.push({ id: envelopeId, resolve: (a) => (clearTimeout(timer), resolve(a)) });
    });
  }

  /** Whether `envelopeId` was acknowledged. */
  acked(envelopeId: string): boolean {
    return this.acks.some((a) => a.envelopeId === envelopeId);
  }

  /** Slack's `disconnect` message on a connection (default: every open one). */
  disconnect(reason: string, on: FakeConnection[] = this.open()): void {
    for (const c of on)
      c.socket.send(JSON.stringify({ type: "disconnect", reason, debug_info: { host: "fake" } }));
  }

  /** Cuts connections without a close frame (a network drop). */
  drop(on: FakeConnection[] = this.open()): void {
    for (const c of on) c.socket.terminate();
  }

  /** Closes connections with a close frame, as Slack does some time after a `disconnect` warning. */
  close(on: FakeConnection[] = this.open()): void {
    for (const c of on) c.socket.close(1000, "closed by fake Slack");
  }

  /** Stops the WebSocket server, cutting every connection. */
  async stop(): Promise<void> {
    for (const c of this.connections) c.socket.terminate();
    this.wss.close();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Handles one accepted connection: hello, then acks. */
  accept(socket: WebSocket): void {
    const connection: FakeConnection = {
      id: this.connections.length + 1,
      socket,
      openedAt: Date.now(),
      helloAt: 0,
      closedAt: null,
    };
    this.connections.push(connection);
    socket.on("close", () => (connection.closedAt = Date.now()));
    socket.on("message", (data) => {
      const message = JSON.parse(String(data)) as { envelope_id?: string; payload?: Record<string, unknown> };
      if (!message.envelope_id) return;
      const ack: FakeAck = {
        envelopeId: message.envelope_id,
        payload: message.payload && Object.keys(message.payload).length ? message.payload : undefined,
        connection: connection.id,
        at: Date.now(),
      };
      this.acks.push(ack);
      const ready = this.ackWaiters.filter((w) => w.id === ack.envelopeId);
      this.ackWaiters = this.ackWaiters.filter((w) => w.id !== ack.envelopeId);
      for (const w of ready) w.resolve(ack);
    });
    connection.helloAt = Date.now();
    socket.send(
      JSON.stringify({
        type: "hello",
        num_connections: this.open().length,
        debug_info: { host: "fake-applink", approximate_connection_time: 18060 },
        connection_info: { app_id: "A0RAPPORT" },
      }),
    );
  }
}

/**
 * Starts the WebSocket side on loopback and makes `fake` answer apps.connections.open with its
 * URL (only for an xapp- token; anything the test queued with `failNext` comes first).
 */
export async function startFakeSocketMode(fake: FakeSlack): Promise<FakeSocketMode> {
  const server = createServer();
  const wss = new WebSocketServer({ noServer: true });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const socketMode = new FakeSocketMode(server, wss, `ws://127.0.0.1:${port}/link/`);
  server.on("upgrade", (req, socket, head) => {
    if (socketMode.refuseUpgrades) {
      socket.end("HTTP/1.1 503 Service Unavailable\r\n\r\n");
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => socketMode.accept(ws));
  });
  let tickets = 0;
  fake.respondTo("apps.connections.open", () => ({
    ok: true,
    url: `${socketMode.url}?ticket=${++tickets}&app_id=A0RAPPORT`,
  }));
  return socketMode;
}
