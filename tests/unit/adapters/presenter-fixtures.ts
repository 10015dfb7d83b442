import {
  DEFAULT_SETTINGS,
  type Digest,
  type Issue,
  type MessageRef,
  type Partnership,
  type Recommendation,
} from "../../../src/index.ts";

/** The platform's own ids in the fixtures: the rest is the same realistic partnership for both. */
export interface PlatformIds {
  providerWorkspace: string;
  reporter: string;
  message: MessageRef;
  sourceUrl: string;
}

/** Realistic inputs shared by both adapters' presenter tests, with the platform's own ids. */
export function presenterFixtures(ids: PlatformIds) {
  const NOW = new Date("2026-03-04T15:30:00Z");

  const partnership: Partnership = {
    ...DEFAULT_SETTINGS,
    id: "6f1c2a9e-8b7d-4c3e-9a10-2b3c4d5e6f70",
    key: "ACME",
    name: "Acme Dental and Northwind IT",
    providerOrg: "Northwind IT",
    clientOrg: "Acme Dental",
    providerWorkspaceIds: [ids.providerWorkspace],
    createdAt: new Date("2026-01-05T09:00:00Z"),
  };

  /** An open issue with no answer yet; override any field. */
  function issue(overrides: Partial<Issue> = {}): Issue {
    return {
      id: "0a7e5b1c-3d2f-4e6a-8b9c-1d2e3f4a5b6c",
      partnershipId: partnership.id,
      number: 42,
      key: "ACME-42",
      title: "Printer on floor 2 jammed",
      detail: "Paper jam light is on and the tray will not open. Reception cannot print invoices.",
      priority: "P2",
      category: "printing",
      status: "open",
      via: "command",
      reporter: { memberId: "m-1", side: "client", userId: ids.reporter, displayName: "Dana Reyes" },
      startedAt: new Date("2026-03-04T09:00:00Z"),
      reportedAt: new Date("2026-03-04T09:40:00Z"),
      firstResponseAt: null,
      waitingSince: null,
      resolvedAt: null,
      message: ids.message,
      sourceUrl: ids.sourceUrl,
      ...overrides,
    };
  }

  /** A pending recommendation; override any field. */
  function recommendation(overrides: Partial<Recommendation> = {}): Recommendation {
    return {
      id: "9b8a7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d",
      partnershipId: partnership.id,
      title: "Replace the unsupported firewall",
      why: "The FortiGate 60D has had no security updates since 2024; a known VPN flaw is being exploited.",
      risk: "high",
      decideBy: "2026-03-18",
      status: "pending",
      madeAt: new Date("2026-03-04T10:00:00Z"),
      decidedAt: null,
      decisionNote: null,
      ...overrides,
    };
  }

  /** A busy week's digest, as the core builds it. */
  function digest(overrides: Partial<Digest> = {}): Digest {
    return {
      title: "Weekly digest: Acme Dental and Northwind IT, week of 2026-W10",
      partnershipName: "Acme Dental and Northwind IT",
      period: {
        start: new Date("2026-03-02T00:00:00Z"),
        end: new Date("2026-03-09T00:00:00Z"),
        label: "2026-03-02 to 2026-03-08",
      },
      sections: [
        {
          heading: "Provider: Northwind IT",
          side: "provider",
          facts: [
            { label: "First response", value: "25 min median, 1 h 10 min p90 (n=4)" },
            { label: "First response on target", value: "75% (3 of 4; P1 100%, P2 50%)", status: "warn" },
            { label: "Resolution", value: "5 h 30 min median, 9 h p90 (n=3)" },
            { label: "Unanswered > 2 h", value: "0", status: "good" },
            { label: "Open backlog", value: "2 (oldest ACME-38, 9.5 days)", status: "warn" },
          ],
        },
        {
          heading: "Client: Acme Dental",
          side: "client",
          facts: [
            { label: "Through the agreed channel", value: "80% (4 of 5; 1 direct)", status: "warn" },
            {
              label: "Recommendations pending",
              value: '1 (oldest "Enable MFA on email", 31 days; 1 > 14 days)',
              status: "bad",
            },
            { label: "Calls missed by the client", value: "0", status: "good" },
          ],
        },
        {
          heading: "Shared",
          side: "shared",
          facts: [{ label: "Downtime", value: "3 h in 1 outage, est. £1,500", status: "bad" }],
        },
      ],
      scores: { provider: 83, client: 64 },
      trend: {
        labels: [
          "2026-W03",
          "2026-W04",
          "2026-W05",
          "2026-W06",
          "2026-W07",
          "2026-W08",
          "2026-W09",
          "2026-W10",
        ],
        provider: [70, 72, 75, 78, 80, 85, 88, 83],
        client: [60, 58, 62, 61, 66, 63, 65, 64],
        sparkline: { provider: "▆▆▇▇▇▇█▇", client: "▅▅▅▅▆▆▆▆" },
      },
      actions: [
        "1 recommendation has waited > 14 days for a decision",
        "Answer P2 requests within 1 h",
        "Send requests through the support channel",
      ],
      quiet: false,
      ...overrides,
    };
  }

  return { NOW, partnership, issue, recommendation, digest };
}
