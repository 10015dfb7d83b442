import type { ConfigurationBotFrameworkAuthentication } from "botbuilder";

/**
 * How long one connector call made for the outbox may take: a little under the outbox's own limit
 * per attempt, so the connector's error, not the outbox's, says what happened.
 */
export const OUTBOX_CALL_TIMEOUT_MS = 15_000;

/** The part of botframework-connector's ConnectorClient this file reaches into: its @azure/core-rest-pipeline pipeline. */
interface PipelineHolder {
  client?: {
    pipeline?: {
      removePolicy(options: { phase?: "Retry" }): unknown;
      addPolicy(policy: {
        name: string;
        sendRequest(request: { timeout: number }, next: (r: unknown) => Promise<unknown>): Promise<unknown>;
      }): void;
    };
  };
}

/**
 * The authentication of the adapter the outbox posts through: every connector client it makes
 * sends each call once, with a time limit. botframework-connector's client retries 429 and 5xx by
 * itself (three more calls, waiting between them), which made one broken chat cost a minute per
 * attempt; the outbox retries instead, with backoff, without holding up other conversations.
 */
export function singleAttemptConnectors(
  auth: ConfigurationBotFrameworkAuthentication,
  timeoutMs = OUTBOX_CALL_TIMEOUT_MS,
): ConfigurationBotFrameworkAuthentication {
  const createFactory = auth.createConnectorFactory.bind(auth);
  auth.createConnectorFactory = (claims) => {
    const factory = createFactory(claims);
    return {
      create: async (serviceUrl: string, audience?: string) => {
        const connector = await factory.create(serviceUrl, audience);
        const pipeline = (connector as unknown as PipelineHolder).client?.pipeline;
        if (!pipeline) throw new Error("the Bot Framework connector client has no request pipeline");
        pipeline.removePolicy({ phase: "Retry" });
        pipeline.addPolicy({
          name: "rapportCallTimeout",
          sendRequest: (request, next) => {
            request.timeout = timeoutMs;
            return next(request);
          },
        });
        return connector;
      },
    };
  };
  return auth;
}
