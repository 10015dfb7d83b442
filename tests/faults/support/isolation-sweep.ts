import type { Store } from "../../../src/store/database.ts";
import { changed, fingerprint, leaksIn, type Fingerprint, type World } from "./isolation-world.ts";

// The isolation sweep's moving parts, common to both platforms: what one request came to, what
// it was expected to come to, and the loop that sends each one and reads A's record around it.

/** What one request came to, as its sender could see it. */
export interface Answer {
  status: number;
  /** From sending the request to its HTTP answer. */
  ms: number;
  /** The HTTP answer's body and everything rapport sent the platform while handling it. */
  seen: string;
  /** The request itself: what it carried is no leak when it comes back. */
  sent: string;
}

/** The families of entry points, as the figures count them. */
export type Family = "command" | "button" | "form" | "shortcut" | "message action" | "event" | "export";

/**
 * What an outsider must be answered: `refusal`, a sentence saying nothing was done (every request
 * that carries A's ids); `any`, whatever rapport answers, as long as nothing of A is in it and A
 * is unchanged (help, the person's own scorecards, a form to set up a new partnership, a silent event).
 */
export type Expectation = "refusal" | "any";

/** One request of the sweep: who sends what, from where, claiming which partnership. */
export interface Attempt {
  platform: "slack" | "teams";
  entry: string;
  family: Family;
  actor: string;
  origin: string;
  claim: string;
  /** False for A's own people on the wrong side: they may read A, but not do this. */
  outsider: boolean;
  expect: Expectation;
  send(): Promise<Answer>;
}

/**
 * How a positive control proves its request would act: A changed, or A's data was shown, or it
 * answered; `none` where no request of A's people acts on A (an uninstall, a revoked token).
 */
export type Proof = "changes" | "shows" | "answers" | "none";

/** The same request by A's own rightful person, at A's place. */
export interface Positive {
  platform: "slack" | "teams";
  entry: string;
  proof: Proof;
  send(): Promise<Answer>;
}

/** The sentences the core and the adapters refuse with (docs/ACCESS.md). */
export const REFUSAL = new RegExp(
  [
    "nothing was recorded",
    "was not recorded",
    "not linked to a partnership",
    "is linked for .* only",
    "Only .{1,80} can ",
    "There is no issue",
    "does not exist in this partnership",
    "no longer exists",
    "belongs to another conversation",
    "Nothing was changed",
    "You are not in any partnership",
    "you are in none",
  ].join("|"),
  "i",
);

/** What became of one attempt. */
export interface Verdict {
  attempt: Attempt;
  answer: Answer;
  /** Parts of A's record that changed. */
  changes: string[];
  /** A's names, titles, keys or ids in what the outsider saw. */
  leaks: string[];
  refused: boolean;
  /** What went wrong with it, if anything: the test fails on each. */
  faults: string[];
}

/** Sends each attempt in turn, reading A's record before and after it. */
export async function sweep(store: Store, world: World, attempts: Attempt[]): Promise<Verdict[]> {
  const verdicts: Verdict[] = [];
  let before: Fingerprint = await fingerprint(store, world.a.id);
  for (const attempt of attempts) {
    const answer = await attempt.send();
    const after = await fingerprint(store, world.a.id);
    verdicts.push(judge(world, attempt, answer, changed(before, after)));
    before = after;
  }
  return verdicts;
}

function judge(world: World, attempt: Attempt, answer: Answer, changes: string[]): Verdict {
  const leaks = attempt.outsider ? leaksIn(world, answer.seen, answer.sent) : [];
  const refused = REFUSAL.test(answer.seen);
  const faults: string[] = [];
  if (answer.status < 200 || answer.status >= 500) faults.push(`answered ${answer.status}`);
  if (answer.ms >= 3_000) faults.push(`answered after ${answer.ms} ms`);
  if (changes.length) faults.push(`changed A's ${changes.join(", ")}`);
  if (leaks.length) faults.push(`showed ${leaks.join(", ")}`);
  if (attempt.expect === "refusal" && !refused) faults.push("said no refusal");
  return { attempt, answer, changes, leaks, refused, faults };
}

/** Runs a positive control and says whether it proved its request would act. */
export async function control(
  store: Store,
  world: World,
  positive: Positive,
): Promise<{ positive: Positive; ok: boolean; answer: Answer }> {
  const before = await fingerprint(store, world.a.id);
  const answer = await positive.send();
  const after = await fingerprint(store, world.a.id);
  const ok =
    answer.status === 200 &&
    !REFUSAL.test(answer.seen) &&
    (positive.proof === "changes"
      ? changed(before, after).filter((k) => k !== "week_figures").length > 0
      : positive.proof === "shows"
        ? leaksIn(world, answer.seen, answer.sent).length > 0
        : answer.seen.trim().length > 0);
  return { positive, ok, answer };
}

/** A one-line description of an attempt, for failure messages. */
export function describe(v: Verdict): string {
  const a = v.attempt;
  return `${a.platform} ${a.entry} by ${a.actor} from ${a.origin} claiming ${a.claim}: ${v.faults.join("; ")} — ${v.answer.seen.slice(0, 300)}`;
}

/** JSON of what rapport sent a platform, with uploaded bytes as the text they hold. */
export function asText(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v && typeof v === "object" && (v as { type?: unknown }).type === "Buffer") {
      return Buffer.from((v as { data: number[] }).data).toString("utf8");
    }
    return v;
  });
}
