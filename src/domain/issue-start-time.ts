import { DateTime } from "luxon";
import { END, START, type Span } from "./issue-text-tokens.ts";

// Start-time phrases of a free-text issue report ("since 9am", "for 2 hours", "since yesterday
// 16:00"), read in the partnership's timezone.
const CLOCK = String.raw`(?:\d{1,2}(?::\d{2})?[ \t]*(?:am|pm|a\.m\.|p\.m\.)|\d{1,2}:\d{2}|noon|midday|midnight)`;
const WEEKDAY =
  "monday|mon|tuesday|tues|tue|wednesday|wed|thursday|thurs|thur|thu|friday|fri|saturday|sat|sunday|sun";
const DAY = String.raw`(?:today|yesterday|(?:last[ \t]+)?(?:${WEEKDAY}))`;
const PART = String.raw`(?:morning|lunchtime|lunch|afternoon|evening|night)`;
const NUMBER_WORDS = "one two three four five six seven eight nine ten eleven twelve".split(" ");
// A number in words needs a space before its unit, so "for ad campaigns" is not "for a day".
const NUM = String.raw`(?:\d+(?:\.\d+)?|(?:an?|${NUMBER_WORDS.join("|")}|(?:a[ \t]+)?couple(?:[ \t]+of)?)(?=[ \t]))`;
const UNIT = String.raw`(?:minutes?|mins?|m|hours?|hrs?|h|days?|d|weeks?|wks?|w)`;

/** Named parts of the day, as the hour they start. */
const PART_HOURS: Record<string, number> = {
  morning: 9,
  lunch: 12,
  lunchtime: 12,
  afternoon: 13,
  evening: 18,
  night: 21,
};
const WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

type Resolve = (m: RegExpMatchArray, now: DateTime) => DateTime | null;

/** Exported for the test that ANY_PHRASE lets through every text a rule matches. */
export const TIME_RULES: readonly { pattern: RegExp; resolve: Resolve }[] = [
  {
    pattern: timePattern(String.raw`since[ \t]+(\d{4}-\d{2}-\d{2})(?:(?:T|[ \t]+(?:at[ \t]+)?)(${CLOCK}))?`),
    resolve: (m, now) => {
      const day = DateTime.fromISO(m[1] ?? "", { zone: now.zone });
      return day.isValid ? atClock(day, m[2] ?? "midnight") : null;
    },
  },
  {
    pattern: timePattern(
      String.raw`since[ \t]+(?:on[ \t]+)?(${DAY})(?:[ \t]+(?:at[ \t]+)?(${CLOCK}|${PART}))?`,
    ),
    resolve: (m, now) => atClockOrPart(dayStart(m[1] ?? "", now), m[2]),
  },
  {
    pattern: timePattern(String.raw`since[ \t]+(?:at[ \t]+)?(${CLOCK})(?:[ \t]+(?:on[ \t]+)?(${DAY}))?`),
    resolve: (m, now) => {
      if (m[2] !== undefined) return atClockOrPart(dayStart(m[2], now), m[1]);
      // A bare clock time later than now can only mean yesterday.
      const today = atClock(now.startOf("day"), m[1] ?? "");
      if (!today || today <= now) return today;
      return atClock(now.startOf("day").minus({ days: 1 }), m[1] ?? "");
    },
  },
  {
    pattern: timePattern(String.raw`since[ \t]+(this[ \t]+${PART}|last[ \t]+night|lunch(?:time)?)`),
    resolve: (m, now) => {
      const phrase = (m[1] ?? "").toLowerCase();
      if (phrase.startsWith("last")) return atPart(now.startOf("day").minus({ days: 1 }), "night");
      return atPart(now.startOf("day"), phrase.split(/\s+/).pop() ?? "");
    },
  },
  {
    pattern: timePattern(String.raw`(?:(?:since|for)[ \t]+)?(${NUM})[ \t]*(${UNIT})[ \t]+ago`),
    resolve: (m, now) => minusAmount(now, m[1], m[2] ?? ""),
  },
  {
    pattern: timePattern(
      String.raw`(?:for|since)[ \t]+(?:(?:over|about|around|almost|nearly|more[ \t]+than)[ \t]+)?` +
        String.raw`(the[ \t]+(?:last|past)[ \t]+)?(?:(${NUM})[ \t]*)?(${UNIT}|half[ \t]+an[ \t]+hour)`,
    ),
    resolve: (m, now) => {
      if ((m[3] ?? "").toLowerCase().startsWith("half")) return now.minus({ minutes: 30 });
      // "for hours" names no amount; "for the last hour" means one.
      if (m[2] === undefined && m[1] === undefined) return null;
      return minusAmount(now, m[2] ?? "1", m[3] ?? "");
    },
  },
];

/**
 * What every start-time phrase holds ("since", "for" or "ago"), looked for before the phrases
 * themselves, which cost far more to look for; with their flags (under `iu`, "ſ" is an "s").
 */
export const ANY_PHRASE = /since|for|ago/iu;

function timePattern(body: string): RegExp {
  return new RegExp(`${START}(?:${body})${END}`, "giu");
}

function parseClock(text: string): { hour: number; minute: number } | null {
  const t = text.toLowerCase().replace(/[\s.]/g, "");
  if (t === "noon" || t === "midday") return { hour: 12, minute: 0 };
  if (t === "midnight") return { hour: 0, minute: 0 };
  const m = /^(\d{1,2})(?::(\d{2}))?(am|pm)?$/.exec(t);
  if (!m) return null;
  let hour = Number(m[1]);
  const minute = Number(m[2] ?? "0");
  if (minute > 59) return null;
  if (m[3]) {
    if (hour < 1 || hour > 12) return null;
    hour = (hour % 12) + (m[3] === "pm" ? 12 : 0);
  } else if (hour > 23) {
    return null;
  }
  return { hour, minute };
}

function atClock(day: DateTime, clock: string): DateTime | null {
  const c = parseClock(clock);
  return c ? day.set({ hour: c.hour, minute: c.minute, second: 0, millisecond: 0 }) : null;
}

function atPart(day: DateTime, part: string): DateTime | null {
  const hour = PART_HOURS[part.toLowerCase()];
  return hour === undefined ? null : day.set({ hour, minute: 0, second: 0, millisecond: 0 });
}

function atClockOrPart(day: DateTime, clockOrPart: string | undefined): DateTime | null {
  if (clockOrPart === undefined) return day;
  return atPart(day, clockOrPart) ?? atClock(day, clockOrPart);
}

function dayStart(word: string, now: DateTime): DateTime {
  const w = word.toLowerCase().replace(/^last\s+/, "");
  const today = now.startOf("day");
  if (w === "today") return today;
  if (w === "yesterday") return today.minus({ days: 1 });
  // A weekday means its most recent past occurrence: today's own weekday means a week ago.
  const target = WEEKDAYS.indexOf(w.slice(0, 3)) + 1;
  return today.minus({ days: (now.weekday - target + 7) % 7 || 7 });
}

function amountOf(text: string): number {
  const a = text.toLowerCase();
  if (/^an?$/.test(a)) return 1;
  if (a.includes("couple")) return 2;
  const word = NUMBER_WORDS.indexOf(a);
  return word >= 0 ? word + 1 : Number(a);
}

function minusAmount(now: DateTime, amountText: string | undefined, unitText: string): DateTime | null {
  const amount = amountOf(amountText ?? "");
  if (!Number.isFinite(amount)) return null;
  const unit = unitText.toLowerCase()[0];
  if (unit === "m") return now.minus({ milliseconds: amount * 60_000 });
  if (unit === "h") return now.minus({ milliseconds: amount * 3_600_000 });
  const days = unit === "w" ? amount * 7 : amount;
  // Whole days are calendar days (same wall-clock time), so a DST change does not shift the hour.
  return Number.isInteger(days) ? now.minus({ days }) : now.minus({ milliseconds: days * 86_400_000 });
}

/**
 * The earliest start-time phrase in `text` and the instant it names (never after `now`). `now` is
 * asked for only when a phrase is found: placing an instant in a zone costs more than reading the
 * text, and most reports name no time.
 */
export function findStart(
  text: string,
  nowIn: () => DateTime,
): { startedAt: Date | null; span: Span | null } {
  if (!ANY_PHRASE.test(text)) return { startedAt: null, span: null };
  let best: { span: Span; at: DateTime } | null = null;
  let now: DateTime | null = null;
  for (const rule of TIME_RULES) {
    for (const m of text.matchAll(rule.pattern)) {
      now ??= nowIn();
      const at = rule.resolve(m, now);
      if (!at?.isValid) continue;
      const span = { start: m.index, end: m.index + m[0].length };
      const earlier =
        !best || span.start < best.span.start || (span.start === best.span.start && span.end > best.span.end);
      if (earlier) best = { span, at };
    }
  }
  if (!best || !now) return { startedAt: null, span: null };
  const at = best.at > now ? now : best.at;
  return { startedAt: at.toJSDate(), span: best.span };
}
