import { digestDocument } from "../domain/card-digest.ts";
import { digestWeekDue } from "../domain/nudges.ts";
import type { Partnership } from "../domain/partnership.ts";
import type { Destination } from "../ports.ts";
import type { Core } from "../services/core.ts";
import { weeklyDigest } from "../services/weekly-digest.ts";
import type { JobStores } from "../store/job-stores.ts";
import {
  describeError,
  jobResult,
  perPartnership,
  unusablePartnerships,
  type JobResult,
  type TargetResult,
} from "./job-result.ts";
import { enqueueAll, type JobRunOptions } from "./recipients.ts";
import { mapConcurrently } from "../services/concurrently.ts";

const JOB = "weekly-digest" as const;

/**
 * Digests computed at once: while some wait on the database another computes, so a run over a
 * thousand partnerships is not a thousand round trips end to end (on 2 cores, 1,000 partnerships
 * of a quarter: about 11 s with 4 at once, 10 s with 6 or 8). Six leave four of the pool's ten
 * connections (the default) for requests served meanwhile.
 */
export const DIGESTS_AT_ONCE = 6;

/**
 * Weekly digest: once a partnership's digest weekday and time (in its timezone) have passed this
 * week, queues the last complete week's digest to each of its digest channels, once. The
 * database decides, so a scheduler that was down at that moment catches up later in the week.
 * Period: the week's label (its Monday, YYYY-MM-DD).
 */
export async function weeklyDigestJob(
  core: Core,
  stores: JobStores,
  now = core.clock.now(),
  options: JobRunOptions = {},
): Promise<JobResult> {
  const targets: TargetResult[] = [];
  try {
    const due = (await core.partnerships.list()).flatMap((p) => {
      const week = digestWeekDue(p, now);
      return week ? [{ p, week, partnershipId: p.id, period: week.label }] : [];
    });
    const done = await stores.runs.doneAmong(JOB, due);
    const todo = due.filter((d) => !done.has(`${d.partnershipId} ${d.period}`));
    const results = await mapConcurrently(todo, DIGESTS_AT_ONCE, ({ p, week }) =>
      perPartnership(p.id, week.label, () => queueDigest(core, stores, p, week.start, now, options)),
    );
    targets.push(...results.flat());
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
  return jobResult(JOB, targets);
}

async function queueDigest(
  core: Core,
  stores: JobStores,
  p: Partnership,
  weekOf: Date,
  now: Date,
  options: JobRunOptions,
): Promise<TargetResult[]> {
  const { digest, week } = await weeklyDigest(core, p.id, weekOf);
  const destinations = await digestChannels(core, p.id);
  // No digest channel: nothing to send, and nothing to redo every minute (the week is marked done).
  const results =
    destinations.length === 0
      ? []
      : await enqueueAll(
          stores,
          {
            job: JOB,
            period: week.label,
            partnershipId: p.id,
            destinations,
            message: digestDocument(digest),
          },
          now,
          options,
        );
  // Marked only after every row is queued: a crash before this redoes the (idempotent) queueing.
  if (!options.dryRun) await stores.runs.markDone(JOB, week.label, p.id, destinations.length, now);
  return results;
}

/** The partnership's channels linked for the digest, as destinations. */
async function digestChannels(core: Core, partnershipId: string): Promise<Destination[]> {
  const links = await core.partnerships.channels(partnershipId);
  return links
    .filter((l) => l.purposes.includes("digest"))
    .map((l) => ({
      kind: "channel",
      platform: l.platform,
      workspaceId: l.workspaceId,
      channelId: l.channelId,
    }));
}
