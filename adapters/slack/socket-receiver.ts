// Bolt's receiver for Socket Mode, in place of its own SocketModeReceiver: the connection is
// rapport's SlackSocket (see socket-connection.ts), Events API envelopes are acknowledged only
// once stored in the inbox, and a command's or an interaction's acknowledgement goes out only
// when its listener has finished, as in HTTP mode with processBeforeResponse: what Slack hears
// was recorded first, or Slack hears nothing and says so to the person.
import { AuthorizationError, type App, type Receiver } from "@slack/bolt";
import type { Logger } from "../../src/index.ts";
import { isEventCallback, type SlackEventIntake } from "./event-intake.ts";
import { SlackSocket, type SocketEnvelope, type SocketOptions } from "./socket-connection.ts";

/** Socket Mode's receiver: start, stop, and whether a connection is open. */
export class SocketReceiver implements Receiver {
  private app: App | null = null;
  readonly socket: SlackSocket;

  constructor(
    options: Omit<SocketOptions, "onEnvelope">,
    private readonly intake: SlackEventIntake,
    private readonly logger: Logger,
  ) {
    this.socket = new SlackSocket({ ...options, onEnvelope: (e) => void this.receive(e) });
  }

  init(app: App): void {
    this.app = app;
  }

  start(signal?: AbortSignal): Promise<void> {
    return this.socket.start(signal);
  }

  stop(): Promise<void> {
    return this.socket.stop();
  }

  private async receive(envelope: SocketEnvelope): Promise<void> {
    try {
      if (envelope.type === "events_api") await this.event(envelope);
      else await this.interaction(envelope);
    } catch (err) {
      this.logger.error(
        { err, component: "slack", type: envelope.type },
        "could not handle a Slack envelope",
      );
    }
  }

  private async event(envelope: SocketEnvelope): Promise<void> {
    if (!isEventCallback(envelope.body)) {
      this.logger.warn({ component: "slack" }, "a Socket Mode event that is not a Slack event; dropped");
      return this.ack(envelope);
    }
    try {
      await this.intake.take(envelope.body, {
        ...(envelope.retry_num !== undefined ? { num: envelope.retry_num } : {}),
        ...(envelope.retry_reason !== undefined ? { reason: envelope.retry_reason } : {}),
      });
    } catch (err) {
      this.logger.warn(
        { err, component: "slack" },
        "could not store a Slack event; not acknowledged, so Slack delivers it again",
      );
      return;
    }
    await this.ack(envelope);
  }

  private async interaction(envelope: SocketEnvelope): Promise<void> {
    let answered = false;
    let response: Record<string, unknown> | undefined;
    const ack = async (body?: unknown) => {
      if (answered) return;
      answered = true;
      response = body === undefined || body === "" ? undefined : (body as Record<string, unknown>);
    };
    try {
      await this.app!.processEvent({
        body: envelope.body,
        ack,
        ...(envelope.retry_num !== undefined ? { retryNum: envelope.retry_num } : {}),
        ...(envelope.retry_reason !== undefined ? { retryReason: envelope.retry_reason } : {}),
      });
    } catch (err) {
      // No install for the workspace: Slack is told, so it stops asking. Anything else failed
      // before it was recorded: no acknowledgement, and Slack tells the person it did not work.
      if (!(err instanceof AuthorizationError)) return;
      answered = true;
      response = undefined;
    }
    if (answered) await this.ack(envelope, response);
  }

  private async ack(envelope: SocketEnvelope, response?: Record<string, unknown>): Promise<void> {
    // The socket may have closed meanwhile: Slack then delivers the envelope again, and the
    // inbox (or the ledger) takes it in once.
    await envelope.ack(response).catch((err: unknown) => {
      this.logger.info({ err, component: "slack" }, "could not acknowledge a Slack envelope");
    });
  }
}
