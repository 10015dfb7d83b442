// Realistic inputs shared by the Slack presenter tests.
import { presenterFixtures } from "../../presenter-fixtures.ts";

export const { NOW, partnership, issue, recommendation, digest } = presenterFixtures({
  providerWorkspace: "T0PROVIDER",
  reporter: "U0CLIENT1",
  message: {
    platform: "slack",
    workspaceId: "T0CLIENT",
    channelId: "C0SUPPORT",
    messageId: "1772617200.000100",
  },
  sourceUrl: "https://acme.slack.com/archives/C0SUPPORT/p1772617200000100",
});

/** Slack's `view.state.values` for one element per block, action_id = block_id. */
export function stateOf(
  fields: Record<string, Record<string, unknown>>,
): Record<string, Record<string, unknown>> {
  return Object.fromEntries(
    Object.entries(fields).map(([blockId, state]) => [blockId, { [blockId]: state }]),
  );
}
