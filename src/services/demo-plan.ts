import { DateTime } from "luxon";
import type { Partnership } from "../domain/partnership.ts";
import type { Core } from "./core.ts";
import {
  DEMO,
  DEMO_CHANGES,
  DEMO_PEOPLE,
  DEMO_PROBLEMS,
  DEMO_RECOMMENDATIONS,
  seededRandom,
  type DemoPerson,
} from "./demo-data.ts";
import { reportIssue } from "./report-issue.ts";
import { respond } from "./respond.ts";
import { waitOnClient } from "./wait-on-client.ts";
import { clientReplied } from "./client-replied.ts";
import { resolveIssue } from "./resolve.ts";
import { logDirectRequest } from "./log-direct-request.ts";
import { recommend } from "./recommend.ts";
import { decideRecommendation } from "./decide-recommendation.ts";
import { logCall } from "./log-call.ts";
import { announceChange } from "./announce-change.ts";
import { endDowntime, startDowntime } from "./downtime.ts";

/** How many past weeks the demo fills, besides the current one. */
export const DEMO_WEEKS = 13;

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

/** One step of the demo: when it happens, a stable name for ordering, and what it records. */
export type DemoStep = [Date, string, () => Promise<unknown>];

/**
 * The demo quarter as a list of timed steps, each a call to one service with a fixed source id.
 * Random choices come from a fixed seed, so every run plans the same quarter.
 */
export class DemoPlan {
  private readonly rnd = seededRandom(20261121);

  constructor(
    private readonly core: Core,
    private readonly p: Partnership,
    private readonly firstMonday: DateTime,
    private readonly steps: DemoStep[],
  ) {}

  private at(at: Date, id: string, step: DemoStep[2]): void {
    this.steps.push([at, id, step]);
  }

  private cmd(by: DemoPerson, id: string, occurredAt: Date) {
    return { partnershipId: this.p.id, by, source: { platform: "demo" as const, id }, occurredAt };
  }

  private pick<T>(list: readonly T[]): T {
    return list[Math.floor(this.rnd() * list.length)]!;
  }

  /** A working-hours instant: weekday 0–4 of week w, between 08:30 and 17:00. */
  private workingInstant(w: number): Date {
    const day = Math.floor(this.rnd() * 5);
    const minutes = 510 + Math.floor(this.rnd() * 510);
    return this.firstMonday.plus({ weeks: w, days: day, minutes }).toJSDate();
  }

  issues(): void {
    for (let w = 0; w <= DEMO_WEEKS; w++) {
      // Early weeks breach more often than late ones: the trend should show the provider improving.
      const breachChance = 0.4 - (0.3 * w) / DEMO_WEEKS;
      const count = 4 + Math.floor(this.rnd() * 5);
      for (let i = 0; i < count; i++) this.issue(`w${w}i${i}`, this.workingInstant(w), breachChance);
    }
  }

  private issue(id: string, reportedAt: Date, breachChance: number): void {
    const problem = this.pick(DEMO_PROBLEMS);
    const reporter = this.pick(DEMO_PEOPLE.staff);
    const tech = this.pick(DEMO_PEOPLE.techs);
    const target = this.p.sla[problem.priority];
    const [r1, r2, r3, r4, r5, r6, r7] = Array.from({ length: 7 }, () => this.rnd()) as [
      number,
      number,
      number,
      number,
      number,
      number,
      number,
    ];
    const startedAt = r1 < 0.45 ? new Date(reportedAt.getTime() - Math.round(r2 * 5 * HOUR)) : null;
    const direct = r3 < 0.15;
    const respondAt = new Date(
      reportedAt.getTime() +
        target.firstResponseMinutes * MIN * (r4 < breachChance ? 1.5 + r5 * 3 : 0.1 + r5 * 0.8),
    );
    const waits = r6 < 0.25;
    const waitAt = new Date(respondAt.getTime() + 20 * MIN);
    const replyAt = new Date(waitAt.getTime() + (1 + r7 * 30) * HOUR);
    const working = Math.min(
      target.resolutionMinutes * MIN * (r4 < breachChance ? 1.3 + r7 * 2 : 0.1 + r7 * 0.7),
      20 * DAY,
    );
    const resolveAt = new Date((waits ? replyAt.getTime() + 2 * HOUR : respondAt.getTime()) + working);
    let issueKey = "";
    const fields = { title: problem.text, priority: problem.priority, startedAt };
    this.at(reportedAt, `${id}:a`, async () => {
      const r = direct
        ? await logDirectRequest(this.core, {
            ...this.cmd(tech, `${id}:report`, reportedAt),
            requester: reporter,
            text: `${problem.text} ${problem.priority}`,
          })
        : await reportIssue(this.core, {
            ...this.cmd(reporter, `${id}:report`, reportedAt),
            via: this.pick(["command", "form", "reaction"] as const),
            fields,
          });
      issueKey = r.issue.key;
      return r;
    });
    this.at(respondAt, `${id}:b`, () =>
      respond(this.core, { ...this.cmd(tech, `${id}:respond`, respondAt), issue: issueKey, via: "reply" }),
    );
    if (waits) {
      this.at(waitAt, `${id}:c`, () =>
        waitOnClient(this.core, {
          ...this.cmd(tech, `${id}:wait`, waitAt),
          issue: issueKey,
          question: "Can you send a photo of the error?",
        }),
      );
      this.at(replyAt, `${id}:d`, () =>
        clientReplied(this.core, { ...this.cmd(reporter, `${id}:reply`, replyAt), issue: issueKey }),
      );
    }
    this.at(resolveAt, `${id}:e`, () =>
      resolveIssue(this.core, { ...this.cmd(tech, `${id}:resolve`, resolveAt), issue: issueKey }),
    );
  }

  recommendations(): void {
    DEMO_RECOMMENDATIONS.forEach((rec, n) => {
      const madeAt = this.firstMonday.plus({ weeks: 1 + n * 2, days: 1, hours: 11 }).toJSDate();
      const decideBy = DateTime.fromJSDate(madeAt, { zone: DEMO.timezone }).plus({ days: 14 });
      let recommendationId = "";
      this.at(madeAt, `rec${n}:a`, async () => {
        const r = await recommend(this.core, {
          ...this.cmd(DEMO_PEOPLE.providerLead, `rec${n}:made`, madeAt),
          title: rec.title,
          why: "Raised at the monthly review.",
          risk: rec.risk,
          decideBy: decideBy.toISODate(),
        });
        recommendationId = r.recommendation.id;
        return r;
      });
      const outcome = rec.outcome;
      if (outcome === "pending") return;
      if (outcome === "ignored") {
        // Written as the expiry job writes it: by rapport itself, the day after the deadline.
        const at = decideBy.plus({ days: 1 }).toJSDate();
        this.at(at, `rec${n}:b`, () =>
          this.core.ledger.append({
            type: "recommendation.ignored",
            partnershipId: this.p.id,
            actor: null,
            occurredAt: at,
            source: { platform: "demo", id: `rec${n}:ignored` },
            payload: { recommendationId, decideBy: decideBy.toISODate()! },
          }),
        );
        return;
      }
      const decidedAt = new Date(madeAt.getTime() + (2 + this.rnd() * 9) * DAY);
      this.at(decidedAt, `rec${n}:b`, () =>
        decideRecommendation(this.core, {
          ...this.cmd(DEMO_PEOPLE.clientLead, `rec${n}:decided`, decidedAt),
          recommendationId,
          decision: outcome,
        }),
      );
    });
  }

  calls(): void {
    for (let w = 0; w <= DEMO_WEEKS; w++) {
      const scheduledAt = this.firstMonday.plus({ weeks: w, days: 3, hours: 10 }).toJSDate();
      const r = this.rnd();
      const missedBy = r < 0.18 ? "client" : r < 0.24 ? "provider" : null;
      const loggedAt = new Date(scheduledAt.getTime() + 45 * MIN);
      this.at(loggedAt, `call${w}`, () =>
        logCall(this.core, {
          ...this.cmd(DEMO_PEOPLE.providerLead, `call${w}`, loggedAt),
          scheduledAt,
          title: "Weekly check-in",
          missedBy,
        }),
      );
    }
  }

  changes(): void {
    DEMO_CHANGES.forEach((c, n) => {
      const announcedAt = this.firstMonday.plus({ weeks: 2 + n * 4, days: 2, hours: 14 }).toJSDate();
      const effectiveAt = new Date(announcedAt.getTime() + c.daysAhead * DAY);
      this.at(announcedAt, `change${n}`, () =>
        announceChange(this.core, {
          ...this.cmd(DEMO_PEOPLE.clientLead, `change${n}`, announcedAt),
          title: c.title,
          effectiveAt,
        }),
      );
    });
  }

  downtime(): void {
    const startedAt = this.firstMonday.plus({ weeks: 6, days: 1, hours: 8, minutes: 40 }).toJSDate();
    const at = (minutes: number) => new Date(startedAt.getTime() + minutes * MIN);
    let issueKey = "";
    let downtimeId = "";
    const staff = DEMO_PEOPLE.staff[0]!;
    const tech = DEMO_PEOPLE.techs[0]!;
    this.at(at(5), "outage:a", async () => {
      const r = await reportIssue(this.core, {
        ...this.cmd(staff, "outage:report", at(5)),
        via: "command",
        text: "internet down at the main surgery, card machines too p1 since 8:40",
      });
      issueKey = r.issue.key;
      return r;
    });
    this.at(at(12), "outage:b", () =>
      respond(this.core, { ...this.cmd(tech, "outage:respond", at(12)), issue: issueKey, via: "reply" }),
    );
    this.at(at(13), "outage:c", async () => {
      const r = await startDowntime(this.core, {
        ...this.cmd(tech, "outage:down", at(0)),
        service: "Internet at the main surgery",
        issue: issueKey,
      });
      downtimeId = r.downtime.id;
      return r;
    });
    this.at(at(195), "outage:d", () =>
      endDowntime(this.core, { ...this.cmd(tech, "outage:up", at(195)), downtimeId }),
    );
    this.at(at(200), "outage:e", () =>
      resolveIssue(this.core, {
        ...this.cmd(tech, "outage:resolve", at(200)),
        issue: issueKey,
        resolution: "Line card replaced by the carrier",
      }),
    );
  }
}
