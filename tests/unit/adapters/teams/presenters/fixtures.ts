// Realistic inputs shared by the Teams presenter tests.
import { presenterFixtures } from "../../presenter-fixtures.ts";

export const { NOW, partnership, issue, recommendation, digest } = presenterFixtures({
  providerWorkspace: "0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0",
  reporter: "29:1client-dana",
  message: {
    platform: "teams",
    workspaceId: "72f988bf-86f1-41af-91ab-2d7cd011db47",
    channelId: "19:support@thread.tacv2",
    messageId: "1772617200000",
  },
  sourceUrl: "https://teams.microsoft.com/l/message/19:support@thread.tacv2/1772617200000",
});
