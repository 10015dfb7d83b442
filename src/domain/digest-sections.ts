import {
  formatElapsed,
  formatMinutes,
  formatMoney,
  formatNumber,
  formatPercent,
  plural,
} from "./figure-format.ts";
import type { Attainment, Distribution, WeekMetrics } from "./metrics-types.ts";
import type { Partnership } from "./partnership.ts";
import { PRIORITIES } from "./vocabulary.ts";

/** How a figure reads at a glance. */
export type FactStatus = "good" | "warn" | "bad";

/** One labelled, already formatted figure. */
export interface DigestFact {
  label: string;
  value: string;
  status?: FactStatus;
}

/** A group of facts about one side (or both). */
export interface DigestSection {
  heading: string;
  side: "provider" | "client" | "shared";
  facts: DigestFact[];
}

function rateStatus(rate: number | null, good: number, warn: number): FactStatus | undefined {
  if (rate === null) return undefined;
  return rate >= good ? "good" : rate >= warn ? "warn" : "bad";
}

function countStatus(n: number): FactStatus {
  return n === 0 ? "good" : "bad";
}

function fact(label: string, value: string, status?: FactStatus): DigestFact {
  return status === undefined ? { label, value } : { label, value, status };
}

function spread(d: Distribution, format: (n: number) => string, none: string): string {
  if (d.median === null || d.p90 === null) return none;
  return `${format(d.median)} median, ${format(d.p90)} p90 (n=${d.count})`;
}

function attainment(label: string, a: Attainment, byPriority: Record<string, Attainment>): DigestFact {
  if (a.rate === null) return fact(label, "no target met or missed");
  const parts = PRIORITIES.filter((p) => (byPriority[p]?.rate ?? null) !== null).map(
    (p) => `${p} ${formatPercent(byPriority[p]?.rate ?? 0)}`,
  );
  const value = `${formatPercent(a.rate)} (${a.met} of ${a.met + a.breached}; ${parts.join(", ")})`;
  return fact(label, value, rateStatus(a.rate, 0.9, 0.75));
}

function backlogFact(m: WeekMetrics): DigestFact {
  const { openBacklog, oldestOpen } = m.provider;
  if (!oldestOpen) return fact("Open backlog", "none", "good");
  const days = Math.floor(oldestOpen.ageMinutes / 1440);
  const value = `${openBacklog} (longest with the provider ${oldestOpen.key}, ${formatElapsed(oldestOpen.ageMinutes)})`;
  return fact("Open backlog", value, days >= 14 ? "bad" : days >= 7 ? "warn" : "good");
}

/** The provider's facts: response, resolution, unanswered, backlog, proactivity, missed calls. */
export function providerSection(m: WeekMetrics, p: Partnership): DigestSection {
  const pm = m.provider;
  const proactivity =
    pm.proactivity === null
      ? `${plural(pm.recommendationsMade, "recommendation")}, no issues`
      : `${plural(pm.recommendationsMade, "recommendation")} for ${plural(pm.issuesReceived, "issue")}`;
  return {
    heading: `Provider: ${p.providerOrg}`,
    side: "provider",
    facts: [
      fact("First response", spread(pm.firstResponse, formatMinutes, "no first responses")),
      attainment("First response on target", pm.firstResponseAttainmentOverall, pm.firstResponseAttainment),
      fact("Resolution", spread(pm.resolution, formatMinutes, "nothing resolved")),
      attainment("Resolution on target", pm.resolutionAttainmentOverall, pm.resolutionAttainment),
      fact(
        `Unanswered > ${formatMinutes(m.settings.nudge.unansweredMinutes)}`,
        String(pm.unansweredPastThreshold),
        countStatus(pm.unansweredPastThreshold),
      ),
      backlogFact(m),
      fact("Proactivity", proactivity, rateStatus(pm.proactivity, 0.2, 0.1)),
      fact("Calls missed by the provider", String(pm.missedCalls), countStatus(pm.missedCalls)),
    ],
  };
}

function recommendationFacts(m: WeekMetrics): DigestFact[] {
  const c = m.client;
  const d = c.decisions;
  const decided = `${d.accepted} accepted, ${d.declined} declined, ${d.riskAccepted} risk accepted, ${d.ignored} ignored`;
  const pending = c.oldestPending
    ? `${c.pendingRecommendations} (oldest "${c.oldestPending.title}", ${plural(c.oldestPending.ageDays, "day")}; ${c.stalePendingRecommendations} waited > ${m.settings.nudge.recommendationStaleDays} days)`
    : "none";
  return [
    fact("Recommendations decided", decided, rateStatus(c.decisionRate, 1, 0.5)),
    fact("Recommendations pending", pending, c.stalePendingRecommendations > 0 ? "bad" : "good"),
  ];
}

/** The client's facts: adherence, reporting delay, recommendations, waiting, calls, heads-ups. */
export function clientSection(m: WeekMetrics, p: Partnership): DigestSection {
  const c = m.client;
  const total = c.agreedChannelRequests + c.directRequests;
  const adherence =
    c.processAdherence === null
      ? "no requests"
      : `${formatPercent(c.processAdherence)} (${c.agreedChannelRequests} of ${total}; ${c.directRequests} direct)`;
  const waited = `${formatMinutes(c.waitingTotalMinutes)} in total; ${spread(c.waiting, formatMinutes, "no question asked")}${c.waitingNow > 0 ? `; ${c.waitingNow} still unanswered` : ""}`;
  const reporting =
    c.reports.total === 0
      ? "no reports"
      : `${spread(c.reportingDelay, formatMinutes, "no start times given")}; ${c.reports.withStart} of ${plural(c.reports.total, "report")} said when the problem began`;
  const headsUp =
    c.headsUpLeadDays.count === 0
      ? "no changes announced"
      : `${spread(c.headsUpLeadDays, (n) => `${formatNumber(n)} days`, "")}; ${c.shortNoticeChanges} with < 5 working days (shown, not scored)`;
  return {
    heading: `Client: ${p.clientOrg}`,
    side: "client",
    facts: [
      fact("Through the agreed channel", adherence, rateStatus(c.processAdherence, 0.9, 0.75)),
      fact("Reporting delay", reporting),
      ...recommendationFacts(m),
      fact("Provider waited on the client", waited),
      fact("Calls missed by the client", String(c.missedCalls), countStatus(c.missedCalls)),
      fact(
        "Change heads-up",
        headsUp,
        c.headsUpLeadDays.count === 0 ? undefined : countStatus(c.shortNoticeChanges),
      ),
    ],
  };
}

/** Downtime and its estimated cost. */
export function sharedSection(m: WeekMetrics): DigestSection {
  const s = m.shared;
  const value =
    s.downtimeHours === 0
      ? "none"
      : `${formatNumber(s.downtimeHours)} h in ${plural(s.downtimeIncidents, "outage")}, est. ${formatMoney(s.downtimeCost.amount, s.downtimeCost.currency)}`;
  return {
    heading: "Shared",
    side: "shared",
    facts: [fact("Downtime", value, s.downtimeHours === 0 ? "good" : "bad")],
  };
}

/** The short digest of a week with no activity: what still waits, if anything. */
export function quietSection(m: WeekMetrics): DigestSection {
  const facts = [fact("Activity", "a quiet week: nothing was reported, decided, held or announced")];
  if (m.provider.openBacklog > 0) facts.push(backlogFact(m));
  if (m.client.pendingRecommendations > 0) {
    facts.push(fact("Recommendations pending", String(m.client.pendingRecommendations)));
  }
  return { heading: "Quiet week", side: "shared", facts };
}
