import type { PlatformUser, Priority, Role, Side } from "../domain/vocabulary.ts";

/** The demo partnership's names: a fictional dental group and its IT provider. */
export const DEMO = {
  name: "Demo: Brightline IT ↔ Northwind Dental",
  providerOrg: "Brightline IT",
  clientOrg: "Northwind Dental",
  providerWorkspace: "TDEMOPROVIDER",
  clientWorkspace: "TDEMOCLIENT",
  supportChannel: "CDEMOSUPPORT",
  timezone: "Europe/London",
  downtimeCostPerHour: 450,
} as const;

/** A person of the demo partnership. */
export interface DemoPerson extends PlatformUser {
  side: Side;
  role: Role;
  displayName: string;
}

const person = (side: Side, role: Role, userId: string, displayName: string): DemoPerson => ({
  platform: "slack",
  workspaceId: side === "provider" ? DEMO.providerWorkspace : DEMO.clientWorkspace,
  userId,
  displayName,
  side,
  role,
});

/** Everyone in the demo: the provider's lead and technicians, the client's lead, manager and staff. */
export const DEMO_PEOPLE = {
  providerLead: person("provider", "lead", "UDEMOPL", "Priya Natarajan"),
  techs: [
    person("provider", "tech", "UDEMOT1", "Marcus Reid"),
    person("provider", "tech", "UDEMOT2", "Lena Hoffmann"),
  ],
  clientLead: person("client", "lead", "UDEMOCL", "Dr Alan Whitfield"),
  staff: [
    person("client", "admin", "UDEMOS1", "Grace Okafor"),
    person("client", "staff", "UDEMOS2", "Tom Bennett"),
    person("client", "staff", "UDEMOS3", "Aisha Khan"),
    person("client", "staff", "UDEMOS4", "Jonas Berg"),
  ],
};

/** Problems a dental practice reports, each with its usual priority. */
export const DEMO_PROBLEMS: readonly { text: string; priority: Priority }[] = [
  { text: "Reception printer jams on every second page", priority: "P3" },
  { text: "X-ray imaging PC will not start", priority: "P2" },
  { text: "Outlook keeps asking for my password", priority: "P3" },
  { text: "Card terminal cannot reach the payment network", priority: "P2" },
  { text: "New starter needs an account and a laptop", priority: "P4" },
  { text: "Wi-Fi in surgery 3 drops every few minutes", priority: "P3" },
  { text: "Practice management software is very slow", priority: "P2" },
  { text: "Scanner saves to the wrong folder", priority: "P4" },
  { text: "Phones ring out at reception", priority: "P2" },
  { text: "Shared drive shows access denied", priority: "P3" },
  { text: "Monitor in surgery 1 flickers", priority: "P4" },
  { text: "Appointment reminders stopped sending", priority: "P3" },
];

/** Provider advice over a quarter, with its risk and the client's eventual answer. */
export const DEMO_RECOMMENDATIONS = [
  { title: "Turn on multi-factor sign-in for every mailbox", risk: "high", outcome: "accepted" },
  { title: "Replace the 2016 firewall, out of support in March", risk: "critical", outcome: "risk_accepted" },
  { title: "Move patient backups to an off-site copy", risk: "high", outcome: "pending" },
  { title: "Retire the Windows 10 reception PC", risk: "medium", outcome: "ignored" },
  { title: "Add a UPS for the imaging server", risk: "medium", outcome: "declined" },
  { title: "Security awareness training for front-desk staff", risk: "medium", outcome: "pending" },
] as const;

/** Heads-ups the client gives, with how many days ahead. */
export const DEMO_CHANGES = [
  { title: "New copier arriving for reception", daysAhead: 12 },
  { title: "Surgery 4 opens with two new workstations", daysAhead: 3 },
  { title: "Switching to a new imaging software vendor", daysAhead: 21 },
] as const;

/** A small seeded random generator, so the demo is the same every time it is built. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
