import { DateTime } from "luxon";
import type { Partnership } from "../domain/partnership.ts";
import { weekContaining } from "../domain/week.ts";
import type { Core } from "./core.ts";
import { DEMO, DEMO_PEOPLE } from "./demo-data.ts";
import { DEMO_WEEKS, DemoPlan, type DemoStep } from "./demo-plan.ts";
import { addMember, createPartnership, linkChannel } from "./setup-partnership.ts";

export { DEMO_WEEKS } from "./demo-plan.ts";

/** What seeding did: the partnership, and how many ledger events this run recorded (0 on a re-run). */
export interface DemoResult {
  partnership: Partnership;
  recorded: number;
}

/**
 * Builds a fictional partnership with a realistic quarter: issues of every priority with
 * responses, breaches and resolutions, direct requests, recommendations in every state, calls
 * held and missed, a downtime and heads-ups. Every step has a fixed source id, so running it
 * again records nothing twice.
 */
export async function seedDemo(core: Core): Promise<DemoResult> {
  const partnership = (await core.partnerships.findByName(DEMO.name)) ?? (await createDemoPartnership(core));
  const now = core.clock.now();
  // A re-run keeps the quarter where the first run put it (its first event is in the first
  // week), so a later run only adds steps that have come due since, never a shifted copy.
  const firstEvent = await core.ledger.firstOccurredAt(partnership.id);
  const firstMonday = firstEvent
    ? DateTime.fromJSDate(weekContaining(firstEvent, DEMO.timezone).start, { zone: DEMO.timezone })
    : DateTime.fromJSDate(weekContaining(now, DEMO.timezone).start, { zone: DEMO.timezone }).minus({
        weeks: DEMO_WEEKS,
      });
  const steps: DemoStep[] = [];
  const plan = new DemoPlan(core, partnership, firstMonday, steps);
  plan.issues();
  plan.recommendations();
  plan.calls();
  plan.changes();
  plan.downtime();
  const before = await core.ledger.count(partnership.id);
  // In time order, so every step finds the state the step before it left.
  for (const [at, , step] of steps.sort(
    (a, b) => a[0].getTime() - b[0].getTime() || a[1].localeCompare(b[1]),
  )) {
    if (at.getTime() > now.getTime()) continue;
    await step();
  }
  return { partnership, recorded: (await core.ledger.count(partnership.id)) - before };
}

async function createDemoPartnership(core: Core): Promise<Partnership> {
  const p = await createPartnership(core, {
    name: DEMO.name,
    providerOrg: DEMO.providerOrg,
    clientOrg: DEMO.clientOrg,
    providerWorkspaceIds: [DEMO.providerWorkspace],
    settings: { timezone: DEMO.timezone, downtimeCostPerHour: DEMO.downtimeCostPerHour, currency: "GBP" },
  });
  const everyone = [
    DEMO_PEOPLE.providerLead,
    ...DEMO_PEOPLE.techs,
    DEMO_PEOPLE.clientLead,
    ...DEMO_PEOPLE.staff,
  ];
  for (const m of everyone) await addMember(core, { partnershipId: p.id, ...m });
  await linkChannel(core, {
    partnershipId: p.id,
    platform: "slack",
    workspaceId: DEMO.providerWorkspace,
    channelId: DEMO.supportChannel,
    purposes: ["support", "digest"],
  });
  return p;
}
