import { randomUUID } from "node:crypto";
import { isDeepStrictEqual } from "node:util";
import fc from "fast-check";
import { afterAll, beforeAll, describe, it } from "vitest";
import type { LedgerEvent } from "../../src/domain/events.ts";
import type { Store } from "../../src/store/database.ts";
import { createCore } from "../../src/services/core.ts";
import { createPartnership } from "../../src/services/setup-partnership.ts";
import { PROVIDER_TEAM } from "./support/people.ts";
import {
  CLIENT_ORG,
  ledgerEvents,
  newEvents,
  settingsOf,
  type Recorded,
  type Scenario,
} from "./support/scenario-arbitrary.ts";
import {
  clientMonotone,
  directRequestLogged,
  eachSideAnswersForItself,
  outcomesDecidedOnce,
  providerMonotone,
  shiftByWeeks,
  propertyParams,
  type Law,
} from "./support/scorecard-laws.ts";
import { backend, ManualClock, openTestStore } from "./support/test-store.ts";

// The scorecard's rules (docs/METRICS.md) over generated histories, each recorded event by event
// through the ledger into a fresh partnership and read back, on this project's backend. Runs are
// few here (every scenario is a database round trip); tests/unit/domain/scorecard-properties.test.ts
// runs more of them in memory. Replay a failure with RAPPORT_PROPERTY_SEED (and _PATH) as printed.

const RUNS = 20;

function params(numRuns: number): fc.Parameters<unknown> {
  // Shrinking through a database is slow: stop it in time to report what was found so far.
  return { ...propertyParams(numRuns), interruptAfterTimeLimit: 60_000 };
}

/** What the in-memory tests assume the ledger holds: the same events, in the same order. */
function sameAsInMemory(s: Scenario, recorded: LedgerEvent[]): void {
  const plain = (e: LedgerEvent) => [
    e.type,
    e.occurredAt.getTime(),
    e.recordedAt.getTime(),
    e.actor?.side ?? null,
    e.subjectId,
    e.payload,
  ];
  const expected = ledgerEvents(s).map(plain);
  const actual = recorded.map(plain);
  const i = expected.findIndex((e, n) => !isDeepStrictEqual(e, actual[n]));
  if (i >= 0 || expected.length !== actual.length) {
    throw new Error(
      `The ledger holds other events than the scenario's (at ${i}): ${JSON.stringify(actual[i])} for ${JSON.stringify(expected[i])}`,
    );
  }
}

describe(`scorecard properties over generated histories on ${backend}`, { timeout: 15 * 60_000 }, () => {
  let store: Store & { dispose(): Promise<void> };

  beforeAll(async () => {
    store = await openTestStore();
  });
  afterAll(() => store.dispose());

  /** Records a scenario into a new partnership through the ledger, as of each event's time, and reads it back. */
  async function recordOne(s: Scenario): Promise<Recorded> {
    const clock = new ManualClock(new Date("2026-01-01T00:00:00Z"));
    const core = createCore(store, { clock });
    const partnership = await createPartnership(core, {
      name: `Scenario ${randomUUID()}`,
      providerOrg: "Fixit IT",
      clientOrg: CLIENT_ORG,
      providerWorkspaceIds: [PROVIDER_TEAM],
      settings: settingsOf(s),
    });
    for (const event of newEvents(s, partnership.id)) {
      clock.set(event.occurredAt);
      const { created } = await core.ledger.append(event);
      // The generator only writes what the ledger accepts; a refusal is a bug in the generator.
      if (!created) throw new Error(`The ledger refused ${event.type} at ${event.occurredAt.toISOString()}`);
    }
    const events = await core.ledger.events(partnership.id);
    sameAsInMemory(s, events);
    return { partnership, events };
  }

  async function record(scenarios: readonly Scenario[]): Promise<Recorded[]> {
    const runs: Recorded[] = [];
    for (const s of scenarios) runs.push(await recordOne(s));
    return runs;
  }

  function holds<T>(law: Law<T>, numRuns: number): Promise<void> {
    return fc.assert(
      fc.asyncProperty(law.arbitrary, async (c) => law.check(c, await record(law.scenarios(c)))),
      params(numRuns),
    );
  }

  it("1. a worse fact of the client's never raises the client's score", () => holds(clientMonotone, RUNS));

  it("1d. one more direct request, logged with its issue, never lowers what adherence costs the client", () =>
    holds(directRequestLogged, RUNS));

  it("2. a worse fact of the provider's never raises the provider's score", () =>
    holds(providerMonotone, RUNS));

  it("3. each side answers for itself: the other side's own facts never move its score", () =>
    holds(eachSideAnswersForItself, RUNS));

  it("4. each SLA outcome is decided once and counts in exactly one week", () =>
    holds(outcomesDecidedOnce, RUNS + 10));

  it("5. moving a history by whole weeks across a DST change changes no figure", () =>
    holds(shiftByWeeks, RUNS));
});
