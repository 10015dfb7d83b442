import { replayTimeline } from "../domain/issue-timeline.ts";
import { issueNudgeDocument } from "../domain/card-nudges.ts";
import {
  NUDGE_WINDOW_MS,
  leastAgeToNudgeMs,
  missedCallsDue,
  slaNudgesDue,
  type SlaNudge,
} from "../domain/nudges.ts";
import type { Partnership } from "../domain/partnership.ts";
import { noticeDocument, type CardDocument } from "../domain/card.ts";
import { formatDateTime } from "../domain/figure-format.ts";
import type { Core } from "../services/core.ts";
import type { JobStores } from "../store/job-stores.ts";
import type { LoggedCall } from "../store/call-log.ts";
import {
  describeError,
  jobResult,
  perPartnership,
  unusablePartnerships,
  type JobResult,
  type TargetResult,
} from "./job-result.ts";
import { enqueueAll, leadsOf, type JobRunOptions } from "./recipients.ts";

/**
 * SLA watch: for every partnership, queues a direct message to the provider lead(s) about each
 * unanswered request that reached its nearing or breached threshold within the nudge window, and
 * about each call missed within it. Periods `issue:<id>:nearing|breached` and `call:<id>` key each
 * nudge on its fact, so it counts once.
 */
export async function slaWatch(
  core: Core,
  stores: JobStores,
  now = core.clock.now(),
  options: JobRunOptions = {},
): Promise<JobResult> {
  const targets: TargetResult[] = [];
  try {
    for (const p of await core.partnerships.list()) {
      targets.push(
        ...(await perPartnership(p.id, "*", () => watchPartnership(core, stores, p, now, options))),
      );
    }
    targets.push(...(await unusablePartnerships(core.partnerships)));
  } catch (e) {
    targets.push({
      partnershipId: "*",
      period: "*",
      target: "*",
      outcome: "error",
      detail: describeError(e),
    });
  }
  return jobResult("sla-watch", targets);
}

async function watchPartnership(
  core: Core,
  stores: JobStores,
  p: Partnership,
  now: Date,
  options: JobRunOptions,
): Promise<TargetResult[]> {
  const history = await core.partnerships.settingsHistory(p.id);
  const reportedBy = new Date(now.getTime() - leastAgeToNudgeMs(p, history));
  const { issues, facts } = await unansweredIssues(core, p.id, now, reportedBy);
  const nudges = slaNudgesDue(p, facts, now, history);
  const since = new Date(now.getTime() - NUDGE_WINDOW_MS);
  const calls = missedCallsDue(p, await stores.calls.missedSince(p.id, since), now);
  if (nudges.length === 0 && calls.length === 0) return [];
  const leads = await leadsOf(core, p.id, "provider");
  const base = { job: "sla-watch" as const, partnershipId: p.id, ...leads };
  const results: TargetResult[] = [];
  for (const n of nudges) {
    const issue = issues.get(n.issueId);
    const message = issue ? issueNudgeDocument(slaMessage(n), issue) : slaMessage(n);
    const delivery = { ...base, period: `issue:${n.issueId}:${n.kind}`, message };
    results.push(...(await enqueueAll(stores, delivery, now, options)));
  }
  for (const c of calls) {
    const delivery = { ...base, period: `call:${c.callId}`, message: missedCallMessage(p, c) };
    results.push(...(await enqueueAll(stores, delivery, now, options)));
  }
  return results;
}

/**
 * Issues read and replayed together: one read for many (not one each), yet few enough that the
 * event loop is never held for long when a flood has left thousands open.
 */
const ISSUES_PER_READ = 100;

/**
 * Open issues reported by `reportedBy` with no first response yet (by id), and their facts
 * replayed from their own events. Those reported since cannot be due: when a whole office has just
 * reported an outage, the watch does not read and replay every one of them each minute.
 */
async function unansweredIssues(core: Core, partnershipId: string, now: Date, reportedBy: Date) {
  const open = (await core.records.issues(partnershipId, { open: true, reportedBy })).filter(
    (i) => !i.firstResponseAt,
  );
  const facts = [];
  for (let at = 0; at < open.length; at += ISSUES_PER_READ) {
    const some = open.slice(at, at + ISSUES_PER_READ);
    const about = await core.ledger.eventsAboutEach(
      partnershipId,
      some.map((i) => i.id),
    );
    for (const issue of some) facts.push(...replayTimeline(about.get(issue.id) ?? [], now).issues);
  }
  return { issues: new Map(open.map((i) => [i.id, i])), facts };
}

function duration(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return h === 0 ? `${m} min` : m === 0 ? `${h} h` : `${h} h ${m} min`;
}

/** The lead's nudge about one request: what it is, how long it waited, against which target. */
export function slaMessage(n: SlaNudge): CardDocument {
  const past = n.kind === "breached";
  const waited = `"${n.title}" (${n.priority}) has had no answer for ${duration(n.elapsedMinutes)}`;
  return noticeDocument(
    past ? `${n.key} is past its first-response target` : `${n.key} is nearing its first-response target`,
    past
      ? `${waited}, past its ${duration(n.targetMinutes)} target.`
      : `${waited} of its ${duration(n.targetMinutes)} target.`,
    [
      { label: "Issue", value: n.key },
      { label: "Priority", value: n.priority },
      { label: "Waiting", value: duration(n.elapsedMinutes) },
      { label: "First-response target", value: duration(n.targetMinutes) },
    ],
  );
}

/** The lead's nudge about a missed call: which call, when, and which side missed it. */
export function missedCallMessage(p: Partnership, c: LoggedCall): CardDocument {
  // Written as every card writes a time, in the partnership's timezone with the zone named.
  const when = formatDateTime(c.scheduledAt, p.timezone);
  const who = c.missedBy === "provider" ? p.providerOrg : c.missedBy === "client" ? p.clientOrg : "one side";
  return noticeDocument(
    `A call with ${p.clientOrg} was missed`,
    `${c.title ? `"${c.title}"` : "The call"} scheduled for ${when} was logged as missed by ${who}.`,
    [
      { label: "Partnership", value: p.name },
      { label: "Scheduled", value: when },
      { label: "Missed by", value: who },
    ],
  );
}
