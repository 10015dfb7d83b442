import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { partnershipConfigure } from "../../app/cli/configure-command.ts";
import type { CliContext } from "../../app/cli/context.ts";
import type { SlaOutcome } from "../../src/domain/metrics.ts";
import type { Partnership } from "../../src/domain/partnership.ts";
import type { PlatformUser } from "../../src/domain/vocabulary.ts";
import type { Core } from "../../src/services/core.ts";
import { reportIssue } from "../../src/services/report-issue.ts";
import { respond } from "../../src/services/respond.ts";
import { addMember, createPartnership } from "../../src/services/setup-partnership.ts";
import { weeklyDigest } from "../../src/services/weekly-digest.ts";
import { lead, owner, PROVIDER_TEAM, staff, tech } from "./support/people.ts";
import { backend, openTestCore, type ManualClock } from "./support/test-store.ts";

// `rapport partnership configure --add-holidays`, run at a known instant against this backend: a
// holiday takes effect on the SLA clocks from the moment it is set, and not before. Europe/London,
// Mon–Fri 09:00–17:30, P3's first response 240 business minutes. November 2026 is GMT: local = UTC.

describe(`a holiday set with rapport partnership configure, on ${backend}`, () => {
  let core: Core;
  let clock: ManualClock;
  let dispose: () => Promise<void>;
  let p: Partnership;
  let n = 0;
  const printed: string[] = [];

  /** The command's context on the test's core and clock, so "now" is the clock's. */
  const cli: CliContext = {
    env: {},
    output: { out: (l) => void printed.push(l), err: (l) => void printed.push(l) },
    config: () => {
      throw new Error("the test's core needs no configuration");
    },
    withApp: (fn) => fn({ core, store: undefined as never, close: () => Promise.resolve() }),
  };

  const as = (by: PlatformUser, at: string) => {
    clock.set(at);
    return {
      partnershipId: p.id,
      by,
      source: { platform: "slack" as const, id: `h-${++n}` },
      occurredAt: new Date(at),
    };
  };

  async function p3(at: string): Promise<string> {
    const { issue } = await reportIssue(core, {
      ...as(staff, at),
      via: "command",
      fields: { title: `Report of ${at}`, priority: "P3" },
    });
    return issue.key;
  }

  async function firstResponse(key: string, week: string): Promise<SlaOutcome | undefined> {
    const { metrics } = await weeklyDigest(core, p.id, new Date(week));
    return metrics.outcomes.find((o) => o.key === key && o.kind === "first_response");
  }

  const summary = (o: SlaOutcome | undefined) => o && [o.result, o.decidedAt.toISOString(), o.minutes];

  beforeAll(async () => {
    const t = await openTestCore("2026-11-02T09:00:00Z");
    ({ core, clock } = t);
    dispose = t.store.dispose;
    p = await createPartnership(core, {
      name: "Holidays",
      providerOrg: "Fixit IT",
      clientOrg: "Acme Dental",
      providerWorkspaceIds: [PROVIDER_TEAM],
    });
    await addMember(core, { partnershipId: p.id, ...lead, side: "provider", role: "lead" });
    await addMember(core, { partnershipId: p.id, ...owner, side: "client", role: "lead" });
  });
  afterAll(() => dispose());

  it("leaves the outcomes of the days before it alone and moves the targets of the days after it", async () => {
    // Friday 13 November 15:30: 120 minutes on Friday, the other 120 on Monday 16 by 11:00.
    const before = await p3("2026-11-13T15:30:00Z");
    await respond(core, { ...as(tech, "2026-11-16T13:00:00Z"), issue: before, via: "reply" });
    const decided = ["breached", "2026-11-16T11:00:00.000Z", 240];
    expect(summary(await firstResponse(before, "2026-11-16"))).toEqual(decided);

    // Wednesday 18 November 12:00: Monday 16 (past) and Monday 23 (to come) become holidays.
    clock.set("2026-11-18T12:00:00Z");
    await partnershipConfigure(["--partnership", p.id, "--add-holidays", "2026-11-16,2026-11-23"], cli);
    expect(printed).toEqual(["holidays: 2026-11-16, 2026-11-23"]);
    const history = await core.partnerships.settingsHistory(p.id);
    expect(history.map((v) => [v.from.toISOString(), v.settings.holidays])).toEqual([
      ["1970-01-01T00:00:00.000Z", []],
      ["2026-11-18T12:00:00.000Z", ["2026-11-16", "2026-11-23"]],
    ]);

    // Decided on Monday 16 before the holiday was set: still breached then, after 240 minutes (a
    // holiday counted back would have closed Monday and made the 13:00 answer a 120-minute "met").
    expect(summary(await firstResponse(before, "2026-11-16"))).toEqual(decided);

    // Friday 20 November 15:30, after the change: Friday's 120 minutes, Monday 23 closed, and the
    // other 120 on Tuesday 24 by 11:00. Answered Tuesday 10:30: met after 120 + 90 = 210 minutes, where without
    // the holiday it would have breached on Monday 23 at 11:00.
    const after = await p3("2026-11-20T15:30:00Z");
    clock.set("2026-11-23T12:00:00Z");
    expect(await firstResponse(after, "2026-11-23")).toBeUndefined();
    await respond(core, { ...as(tech, "2026-11-24T10:30:00Z"), issue: after, via: "reply" });
    expect(summary(await firstResponse(after, "2026-11-23"))).toEqual([
      "met",
      "2026-11-24T10:30:00.000Z",
      210,
    ]);
  });
});
