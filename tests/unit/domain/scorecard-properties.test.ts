import fc from "fast-check";
import { describe, it } from "vitest";
import {
  ledgerEvents,
  memoryPartnership,
  type Recorded,
  type Scenario,
} from "../../db/support/scenario-arbitrary.ts";
import {
  clientMonotone,
  directRequestLogged,
  eachSideAnswersForItself,
  outcomesDecidedOnce,
  providerMonotone,
  shiftByWeeks,
  propertyParams,
  type Law,
} from "../../db/support/scorecard-laws.ts";

// The scorecard's rules (docs/METRICS.md) over generated histories held in memory as the ledger
// would hold them (tests/db/scorecard-properties.test.ts checks that it does): more runs than the
// database suites can afford, which record fewer histories through the ledger on both backends.
// Replay a failure with RAPPORT_PROPERTY_SEED (and _PATH) as printed.

function record(scenarios: readonly Scenario[]): Recorded[] {
  return scenarios.map((s) => ({ partnership: memoryPartnership(s), events: ledgerEvents(s) }));
}

function holds<T>(law: Law<T>): void {
  fc.assert(
    fc.property(law.arbitrary, (c) => law.check(c, record(law.scenarios(c)))),
    propertyParams(200),
  );
}

describe("scorecard properties over generated histories, in memory", { timeout: 10 * 60_000 }, () => {
  it("1. a worse fact of the client's never raises the client's score", () => holds(clientMonotone));

  it("1d. one more direct request, logged with its issue, never lowers what adherence costs the client", () =>
    holds(directRequestLogged));

  it("2. a worse fact of the provider's never raises the provider's score", () => holds(providerMonotone));

  it("3. each side answers for itself: the other side's own facts never move its score", () =>
    holds(eachSideAnswersForItself));

  it("4. each SLA outcome is decided once and counts in exactly one week", () => holds(outcomesDecidedOnce));

  it("5. moving a history by whole weeks across a DST change changes no figure", () => holds(shiftByWeeks));
});
