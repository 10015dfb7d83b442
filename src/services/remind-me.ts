import { DateTime } from "luxon";
import { noticeDocument } from "../domain/card.ts";
import { RapportError } from "../domain/errors.ts";
import type { Partnership } from "../domain/partnership.ts";
import type { Recommendation } from "../domain/records.ts";
import type { Place, PlatformUser } from "../domain/vocabulary.ts";
import { authorize } from "./access.ts";
import type { Core } from "./core.ts";

/** How long "Remind me" waits before the reminder arrives, and at what local hour. */
export const REMIND_AFTER_DAYS = 3;
const REMIND_AT_HOUR = 9;

/** What asking for a reminder came to, and the sentence that tells the person when it comes. */
export interface Reminder {
  recommendation: Recommendation;
  partnership: Partnership;
  remindAt: Date;
  text: string;
}

/**
 * "Remind me" on a recommendation: a direct message to the person on the third day at 09:00 in
 * the partnership's timezone, queued in the outbox, so it reaches them on either platform.
 */
export async function remindMe(
  core: Core,
  request: { place: Place; by: PlatformUser; partnershipId?: string | null; recommendationId: string },
): Promise<Reminder> {
  const { partnership } = await authorize(core, request);
  const recommendation = await core.records.recommendation(partnership.id, request.recommendationId);
  if (!recommendation) throw new RapportError("not_found", "That recommendation no longer exists.");
  const now = core.clock.now();
  const when = DateTime.fromJSDate(now, { zone: partnership.timezone })
    .plus({ days: REMIND_AFTER_DAYS })
    .set({ hour: REMIND_AT_HOUR, minute: 0, second: 0, millisecond: 0 });
  const { by } = request;
  await core.outbox.enqueue(
    {
      job: "reminder",
      period: `${recommendation.id}:${when.toISODate()}`,
      partnershipId: partnership.id,
      destination: { kind: "person", platform: by.platform, workspaceId: by.workspaceId, userId: by.userId },
      message: noticeDocument(
        "Reminder: a recommendation waits for your decision",
        `${partnership.providerOrg} recommended "${recommendation.title}" (decide by ${recommendation.decideBy}). ` +
          "Open its card in the partnership's channel to decide.",
      ),
      notBefore: when.toJSDate(),
    },
    now,
  );
  return {
    recommendation,
    partnership,
    remindAt: when.toJSDate(),
    text: `I'll remind you on ${when.toFormat("cccc d LLLL")} at 09:00.`,
  };
}
