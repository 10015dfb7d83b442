import { formatElapsed, formatMinutes, formatNumber, plural } from "./figure-format.ts";
import { healthScores, type HealthScore } from "./health.ts";
import type { TraceItem, WeekMetrics } from "./metrics-types.ts";

/** What each traced figure is, in the words of docs/METRICS.md, by its trace name. */
export const TRACE_LABELS: Record<string, string> = {
  firstResponse: "First response (clock minutes, issues first answered this week)",
  firstResponseAttainment: "First-response outcomes decided this week",
  resolution: "Resolution (clock minutes, issues resolved this week)",
  resolutionAttainment: "Resolution outcomes decided this week",
  unanswered: "Unanswered past the nudge threshold at the cut-off",
  backlog: "Open backlog at the cut-off (time in the provider's hands)",
  issuesReceived: "Issues received from the client this week",
  recommendationsMade: "Recommendations made this week",
  providerMissedCalls: "Calls missed by the provider",
  agreedChannel: "Requests through the agreed channel",
  directRequests: "Direct requests",
  reporting: "Reporting delay (clock minutes from start to report)",
  decisions: "Recommendation decisions recorded this week",
  pending: "Recommendations pending at the cut-off (age)",
  stalePending: "Recommendations waiting longer than the stale limit",
  waiting: "Questions to the client (clock minutes waited)",
  clientMissedCalls: "Calls missed by the client",
  callsHeld: "Calls held",
  headsUp: "Changes announced (lead time; shown, not scored)",
  downtime: "Downtime (minutes inside the week)",
};

// Ages and lead times read better in days than in clock hours.
const ELAPSED = new Set(["backlog", "decisions", "pending", "stalePending", "headsUp", "downtime"]);

function itemLine(figure: string, item: TraceItem): string {
  const format = ELAPSED.has(figure) ? formatElapsed : formatMinutes;
  const minutes = item.minutes === undefined ? "" : `  ${format(item.minutes)}`;
  const detail = item.detail ? `  ${item.detail}` : "";
  return `    ${item.ref}${minutes}${detail}`;
}

function scoreLines(side: string, score: HealthScore): string[] {
  const lines = [`${side} health ${score.score}/100 = 100 − points lost:`];
  for (const p of score.parts) {
    const shortfall = p.shortfall === null ? "no data" : `shortfall ${formatNumber(p.shortfall * 100)}%`;
    lines.push(
      `    ${p.figure.padEnd(15)} weight ${String(p.weight).padStart(2)}  ${shortfall.padEnd(18)} −${formatNumber(p.points)}`,
    );
  }
  return lines;
}

/**
 * Every figure of a week with the items it was computed from and what each contributed, then
 * each side's score part by part: `rapport digest --explain`.
 */
export function renderExplanation(m: WeekMetrics): string {
  const scores = healthScores(m);
  const lines = [`Figures of the week of ${m.week.label} (cut-off ${m.cutoff.toISOString()})`, ""];
  for (const [name, label] of Object.entries(TRACE_LABELS)) {
    const items = m.trace[name] ?? [];
    lines.push(`${label}: ${plural(items.length, "item")}`);
    for (const item of items) lines.push(itemLine(name, item));
  }
  lines.push("", ...scoreLines("Provider", scores.provider), "", ...scoreLines("Client", scores.client));
  return `${lines.join("\n")}\n`;
}
