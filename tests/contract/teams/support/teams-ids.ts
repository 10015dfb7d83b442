// The ids the Teams fixtures (tests/fixtures/teams/*.json) use; the self-check test keeps the two
// in step. Tenants are named for readability; everything else has the shape Teams gives it.

/** Who and where, in the fixtures. */
export const IDS = {
  /** The bot as Teams addresses it: "28:" + the Azure Bot's app id. */
  bot: "28:3f1e9b2c-6d1a-4c8e-9a4b-2f7d5e0c1a93",
  botName: "rapport",
  providerTenant: "tenant-provider",
  clientTenant: "tenant-client",
  /** The provider's team; its id is its General channel's. */
  team: "19:Hc7zYbK0X3oQ2vN1mLdU8pRsT4wE6aFg@thread.tacv2",
  teamName: "Provider IT",
  teamAadGroupId: "b7f0c5e2-1d3a-4f6b-9c8e-0a2b4d6f8e10",
  /** The channel linked to the partnership for support and the digest. */
  supportChannel: "19:5b1d7c2e9f0a4e3bb6c8d1f2a3e4c5d6@thread.tacv2",
  supportChannelName: "Client Co support",
  /** A group chat between people of both sides. */
  groupChat: "19:8e2f4a6c0b1d3e5f7a9c2b4d6e8f0a1c@thread.v2",
  /** Tess's personal chat with the bot. */
  techPersonalChat: "a:1xWq8Ez3KbN5tVfR0pLmC7yHgJ2sDuA9oI4eX6wZ",
  serviceUrl: "https://smba.trafficmanager.net/emea/",
  tech: {
    id: "29:1TessTechTeamsUserIdOnTheProviderTenant",
    aad: "6f1c2a10-1b2c-4d3e-8f40-0000000000a1",
    name: "Tess Tech",
  },
  lead: {
    id: "29:1LeeLeadTeamsUserIdOnTheProviderTenant",
    aad: "6f1c2a10-1b2c-4d3e-8f40-0000000000a2",
    name: "Lee Lead",
  },
  /** The provider's admin: the one who changes the partnership's set-up from the provider's side. */
  admin: {
    id: "29:1AdaAdminTeamsUserIdOnTheProviderTenant",
    aad: "6f1c2a10-1b2c-4d3e-8f40-0000000000a3",
    name: "Ada Admin",
  },
  /** A client employee invited as a guest into the provider's tenant: explicit member, client side. */
  staff: {
    id: "29:1SamStaffGuestUserIdOnTheProviderTenant",
    aad: "6f1c2a10-1b2c-4d3e-8f40-0000000000c1",
    name: "Sam Staff",
  },
  /** The client's owner, in the client's own tenant. */
  owner: {
    id: "29:1OliveOwnerTeamsUserIdOnTheClientTenant",
    aad: "6f1c2a10-1b2c-4d3e-8f40-0000000000c2",
    name: "Olive Owner",
  },
  /** Someone in the client's tenant rapport has never been told about: client side by the tenant rule. */
  stranger: {
    id: "29:1CarlClientTeamsUserIdOnTheClientTenant",
    aad: "6f1c2a10-1b2c-4d3e-8f40-0000000000c3",
    name: "Carl Client",
  },
} as const;

/** A person of the fixtures, with the tenant their activities carry. */
export interface TeamsPerson {
  id: string;
  aad: string;
  name: string;
  tenant: string;
}

/** The fixtures' people with their tenants. */
export const PEOPLE = {
  tech: { ...IDS.tech, tenant: IDS.providerTenant },
  lead: { ...IDS.lead, tenant: IDS.providerTenant },
  admin: { ...IDS.admin, tenant: IDS.providerTenant },
  staff: { ...IDS.staff, tenant: IDS.providerTenant },
  owner: { ...IDS.owner, tenant: IDS.clientTenant },
  stranger: { ...IDS.stranger, tenant: IDS.clientTenant },
} as const satisfies Record<string, TeamsPerson>;
