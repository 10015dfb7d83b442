import { createHash } from "node:crypto";
import { DateTime } from "luxon";
import type { NewEvent } from "../domain/events.ts";
import type { Partnership } from "../domain/partnership.ts";
import type { Actor } from "../domain/vocabulary.ts";
import { weekContaining } from "../domain/week.ts";
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
import type { DemoResult } from "./seed-demo.ts";
import { addMember, createPartnership, linkChannel } from "./setup-partnership.ts";

/** The size of a synthetic history: how many past weeks, and how many issues each week. */
export interface HistorySize {
  weeks: number;
  issuesPerWeek: number;
  /** The partnership's name (default: the demo's, with the size). */
  name?: string;
}

/** How far recording a synthetic history has got, in events. */
export interface HistoryProgress {
  recorded: number;
  planned: number;
}

/** Events written per transaction: large enough to be quick, small enough to show progress. */
export const HISTORY_BATCH = 5000;

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

type Draft = { at: number; event: Omit<NewEvent, "partnershipId" | "source"> & { sourceId: string } };

/** The partnership a synthetic history of `size` is recorded into: one per size, so sizes never mix. */
export function historyName(size: HistorySize): string {
  if (size.name) return size.name;
  return `${DEMO.name} (${size.weeks} weeks × ${size.issuesPerWeek} issues)`;
}

/**
 * Records a synthetic history of `size.weeks` past weeks (and this week so far) with about
 * `size.issuesPerWeek` issues a week, as the demo quarter's people would have made it: responses,
 * breaches, questions to the client, priority changes, reopenings, direct requests,
 * recommendations and their decisions, calls, heads-ups and outages. Written straight to the
 * ledger in batches (each a transaction), not step by step through the services, so a year at a
 * thousand issues a week takes minutes. Every event has a fixed source id: running it again
 * records only what has come due since.
 */
export async function seedHistory(
  core: Core,
  size: HistorySize,
  onProgress: (p: HistoryProgress) => void = () => {},
  batch = HISTORY_BATCH,
): Promise<DemoResult> {
  const name = historyName(size);
  const partnership =
    (await core.partnerships.findByName(name)) ?? (await createHistoryPartnership(core, name));
  const now = core.clock.now();
  const firstEvent = await core.ledger.firstOccurredAt(partnership.id);
  const firstMonday = DateTime.fromJSDate(weekContaining(firstEvent ?? now, DEMO.timezone).start, {
    zone: DEMO.timezone,
  }).minus({ weeks: firstEvent ? 0 : size.weeks });
  const actors = await actorsOf(core, partnership);
  const drafts = new HistoryPlan(firstMonday, size, actors).drafts();
  const due = drafts.filter((d) => d.at <= now.getTime()).sort((a, b) => a.at - b.at);
  let recorded = 0;
  for (let i = 0; i < due.length; i += batch) {
    const events = due.slice(i, i + batch).map(({ event: { sourceId, ...e } }) => ({
      ...e,
      partnershipId: partnership.id,
      source: { platform: "demo", id: sourceId },
    })) as NewEvent[];
    recorded += await core.ledger.appendBatch(events);
    onProgress({ recorded: Math.min(i + batch, due.length), planned: due.length });
  }
  return { partnership, recorded };
}

async function createHistoryPartnership(core: Core, name: string): Promise<Partnership> {
  const p = await createPartnership(core, {
    name,
    providerOrg: DEMO.providerOrg,
    clientOrg: DEMO.clientOrg,
    providerWorkspaceIds: [DEMO.providerWorkspace],
    settings: { timezone: DEMO.timezone, downtimeCostPerHour: DEMO.downtimeCostPerHour, currency: "GBP" },
  });
  await linkChannel(core, {
    partnershipId: p.id,
    platform: "slack",
    workspaceId: DEMO.providerWorkspace,
    channelId: `${DEMO.supportChannel}-${p.id}`,
    purposes: ["support", "digest"],
  });
  return p;
}

type Cast = {
  lead: Actor;
  techs: Actor[];
  clientLead: Actor;
  staff: Actor[];
};

async function actorsOf(core: Core, p: Partnership): Promise<Cast> {
  const actor = async (m: DemoPerson): Promise<Actor> => {
    const member = await addMember(core, { partnershipId: p.id, ...m });
    return {
      memberId: member.id,
      side: m.side,
      role: m.role,
      platform: m.platform,
      userId: m.userId,
      displayName: m.displayName,
    };
  };
  return {
    lead: await actor(DEMO_PEOPLE.providerLead),
    techs: await Promise.all(DEMO_PEOPLE.techs.map(actor)),
    clientLead: await actor(DEMO_PEOPLE.clientLead),
    staff: await Promise.all(DEMO_PEOPLE.staff.map(actor)),
  };
}

/** A stable UUID for a name, so a re-run plans the same ids. */
function uuidOf(name: string): string {
  const h = createHash("sha1").update(name).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** The synthetic history as timed event drafts, from a fixed seed. */
class HistoryPlan {
  private readonly rnd = seededRandom(20261201);
  private readonly out: Draft[] = [];

  constructor(
    private readonly firstMonday: DateTime,
    private readonly size: HistorySize,
    private readonly cast: Cast,
  ) {}

  drafts(): Draft[] {
    for (let w = 0; w <= this.size.weeks; w++) {
      // The provider improves over the year: early weeks breach more often.
      const breachChance = 0.35 - (0.25 * w) / Math.max(1, this.size.weeks);
      for (let i = 0; i < this.size.issuesPerWeek; i++) this.issue(`w${w}i${i}`, w, breachChance);
      this.recommendations(w);
      this.call(w);
      if (w % 2 === 1) this.change(w);
      if (w % 4 === 2) this.downtime(w);
    }
    return this.out;
  }

  private add(at: number, sourceId: string, event: Omit<Draft["event"], "sourceId" | "occurredAt">): void {
    this.out.push({ at, event: { ...event, occurredAt: new Date(at), sourceId } as Draft["event"] });
  }

  private pick<T>(list: readonly T[]): T {
    return list[Math.floor(this.rnd() * list.length)]!;
  }

  /** A working-hours instant of week w: weekday 0–4, between 08:30 and 17:00. */
  private workingInstant(w: number): number {
    const day = Math.floor(this.rnd() * 5);
    const minutes = 510 + Math.floor(this.rnd() * 510);
    return this.firstMonday.plus({ weeks: w, days: day, minutes }).toMillis();
  }

  private issue(id: string, w: number, breachChance: number): void {
    const problem = this.pick(DEMO_PROBLEMS);
    const reporter = this.pick(this.cast.staff);
    const tech = this.pick(this.cast.techs);
    const issueId = uuidOf(`history:${id}`);
    const reportedAt = this.workingInstant(w);
    const late = this.rnd() < breachChance;
    const firstTarget = [15, 60, 240, 480][Number(problem.priority[1]) - 1]! * MIN;
    const direct = this.rnd() < 0.15;
    const startedAt = this.rnd() < 0.45 ? new Date(reportedAt - Math.round(this.rnd() * 5 * HOUR)) : null;
    this.add(reportedAt, `${id}:report`, {
      type: "issue.reported",
      actor: reporter,
      payload: {
        issueId,
        key: "",
        title: problem.text,
        detail: null,
        priority: problem.priority,
        category: null,
        startedAt: startedAt?.toISOString() ?? null,
        via: direct ? "direct" : this.pick(["command", "form", "reaction"] as const),
        message: null,
      },
    });
    if (direct) {
      const person = (a: Actor) => ({ memberId: a.memberId, userId: a.userId, displayName: a.displayName });
      this.add(reportedAt, `${id}:direct`, {
        type: "request.direct",
        actor: tech,
        payload: {
          issueId,
          technician: person(tech),
          requester: person(reporter),
          summary: problem.text,
          via: "logged",
        },
      });
    }
    let t = reportedAt + firstTarget * (late ? 1.2 + this.rnd() * 3 : 0.1 + this.rnd() * 0.8);
    this.add(t, `${id}:respond`, {
      type: "issue.responded",
      actor: tech,
      payload: { issueId, via: "reply" },
    });
    if (this.rnd() < 0.15) {
      t += (1 + this.rnd() * 4) * HOUR;
      const to = this.pick(["P1", "P2", "P3", "P4"] as const);
      if (to !== problem.priority) {
        this.add(t, `${id}:priority`, {
          type: "issue.priority_changed",
          actor: tech,
          payload: { issueId, from: problem.priority, to },
        });
      }
    }
    if (this.rnd() < 0.35) {
      t += 20 * MIN;
      this.add(t, `${id}:wait`, {
        type: "issue.waiting_on_client",
        actor: tech,
        payload: { issueId, question: "Can you send a photo of the error?" },
      });
      t += (1 + this.rnd() * 30) * HOUR;
      this.add(t, `${id}:reply`, { type: "issue.client_replied", actor: reporter, payload: { issueId } });
    }
    // A few issues stay open a long time: the backlog has an oldest item.
    const stuck = this.rnd() < 0.02;
    t += stuck ? (20 + this.rnd() * 60) * DAY : (late ? 1 + this.rnd() * 6 : 0.1 + this.rnd() * 1.5) * DAY;
    this.add(t, `${id}:resolve`, {
      type: "issue.resolved",
      actor: tech,
      payload: { issueId, resolution: null },
    });
    if (this.rnd() < 0.08) {
      t += (1 + this.rnd() * 3) * DAY;
      this.add(t, `${id}:reopen`, {
        type: "issue.reopened",
        actor: reporter,
        payload: { issueId, reason: "It happened again." },
      });
      t += (2 + this.rnd() * 20) * HOUR;
      this.add(t, `${id}:resolve2`, {
        type: "issue.resolved",
        actor: tech,
        payload: { issueId, resolution: null },
      });
    }
  }

  /** About one recommendation for every eight issues, decided (or let lapse) over the weeks after. */
  private recommendations(w: number): void {
    const count = Math.max(1, Math.round(this.size.issuesPerWeek / 8));
    for (let n = 0; n < count; n++) {
      const id = `w${w}r${n}`;
      const recommendationId = uuidOf(`history:${id}`);
      const rec = this.pick(DEMO_RECOMMENDATIONS);
      const madeAt = this.workingInstant(w);
      const decideBy = DateTime.fromMillis(madeAt, { zone: DEMO.timezone }).plus({ days: 14 });
      this.add(madeAt, `${id}:made`, {
        type: "recommendation.made",
        actor: this.cast.lead,
        payload: {
          recommendationId,
          title: rec.title,
          why: "Raised at the monthly review.",
          risk: rec.risk,
          decideBy: decideBy.toISODate()!,
        },
      });
      const r = this.rnd();
      if (r < 0.2) continue; // still pending
      if (r < 0.35) {
        // As the expiry job writes it: by rapport itself, the day after the deadline.
        this.add(decideBy.plus({ days: 1 }).toMillis(), `${id}:ignored`, {
          type: "recommendation.ignored",
          actor: null,
          payload: { recommendationId, decideBy: decideBy.toISODate()! },
        });
        continue;
      }
      const type = this.pick([
        "recommendation.accepted",
        "recommendation.declined",
        "recommendation.risk_accepted",
      ] as const);
      this.add(madeAt + (1 + this.rnd() * 12) * DAY, `${id}:decided`, {
        type,
        actor: this.cast.clientLead,
        payload: { recommendationId, note: null },
      });
    }
  }

  private call(w: number): void {
    const scheduledAt = this.firstMonday.plus({ weeks: w, days: 3, hours: 10 }).toMillis();
    const r = this.rnd();
    const missedBy = r < 0.15 ? "client" : r < 0.22 ? "provider" : null;
    const common = {
      callId: uuidOf(`history:call${w}`),
      title: "Weekly check-in",
      scheduledAt: new Date(scheduledAt).toISOString(),
    };
    const at = scheduledAt + 45 * MIN;
    if (missedBy) {
      this.add(at, `call${w}`, {
        type: "call.missed",
        actor: this.cast.lead,
        payload: { ...common, missedBy },
      });
    } else this.add(at, `call${w}`, { type: "call.held", actor: this.cast.lead, payload: common });
  }

  private change(w: number): void {
    const c = this.pick(DEMO_CHANGES);
    const announcedAt = this.firstMonday.plus({ weeks: w, days: 2, hours: 14 }).toMillis();
    this.add(announcedAt, `change${w}`, {
      type: "change.announced",
      actor: this.cast.clientLead,
      payload: {
        changeId: uuidOf(`history:change${w}`),
        title: c.title,
        detail: null,
        effectiveAt: new Date(announcedAt + c.daysAhead * DAY).toISOString(),
      },
    });
  }

  private downtime(w: number): void {
    const startedAt = this.firstMonday.plus({ weeks: w, days: 1, hours: 8, minutes: 40 }).toMillis();
    const downtimeId = uuidOf(`history:outage${w}`);
    this.add(startedAt, `outage${w}:down`, {
      type: "downtime.started",
      actor: this.cast.techs[0]!,
      payload: { downtimeId, service: "Internet at the main surgery", issueId: null },
    });
    this.add(startedAt + (1 + this.rnd() * 3) * HOUR, `outage${w}:up`, {
      type: "downtime.ended",
      actor: this.cast.techs[0]!,
      payload: { downtimeId },
    });
  }
}
