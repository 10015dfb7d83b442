// Working hours, holidays and SLA targets as an admin types them in the set-up form:
// "Mon-Fri 09:00-17:30" or "Mon-Thu 08:00-12:00,13:00-17:00; Fri 08:00-15:00" (a day not named is
// closed), "2026-12-25, 2026-12-26" (or one date per line), and
// "P1 15m/4h 24x7, P2 1h/8h, P3 4h/3d, P4 8h/10d" (a "d" is a working day of 8 hours, so it only
// makes sense on the business clock).
//
// Both chat adapters' set-up forms and the `rapport` command read and show these texts, so they
// live in the core.
import { DateTime } from "luxon";
import { partnershipSettingsSchema, type SlaTargets, type WorkingHours } from "./partnership.ts";
import { PRIORITIES, type Priority } from "./vocabulary.ts";

type Day = "1" | "2" | "3" | "4" | "5" | "6" | "7";
type Span = { start: string; end: string };
type SlaTarget = SlaTargets[Priority];

const DAY_NAMES = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"] as const;
const DAYS: readonly Day[] = ["1", "2", "3", "4", "5", "6", "7"];
/** "mon", "Monday", "tues" → 1…7; null when not a weekday. */
function dayNumber(name: string): number | null {
  const i = DAY_NAMES.findIndex((d) => name.toLowerCase().startsWith(d.toLowerCase()));
  return i === -1 || name.length > 9 ? null : i + 1;
}

function parseDays(spec: string): Day[] | string {
  const days: Day[] = [];
  for (const part of spec.split(",").filter(Boolean)) {
    const [from, to = from] = part.split("-");
    const a = dayNumber(from ?? "");
    const b = dayNumber(to ?? "");
    if (a === null || b === null) return `"${part}" is not a weekday (Mon, Tue, … Sun)`;
    if (b < a) return `"${part}" runs backwards; write days from Monday towards Sunday`;
    for (let d = a; d <= b; d++) days.push(String(d) as Day);
  }
  return days;
}

function parseTime(t: string): string | null {
  const m = /^(\d{1,2})(?::?(\d{2}))?$/.exec(t.trim());
  if (!m) return null;
  const time = `${m[1]!.padStart(2, "0")}:${m[2] ?? "00"}`;
  return /^([01]\d|2[0-3]):[0-5]\d$|^24:00$/.test(time) ? time : null;
}

function parseSpans(spec: string): Span[] | string {
  const spans: Span[] = [];
  for (const part of spec.split(",").filter((s) => s.trim())) {
    const [start, end, extra] = part.split("-").map(parseTime);
    if (!start || !end || extra !== undefined) return `"${part.trim()}" is not a time span like 09:00-17:30`;
    if (start >= end) return `"${part.trim()}" ends before it starts`;
    spans.push({ start, end });
  }
  return spans;
}

function parseGroup(group: string, hours: Partial<Record<Day, Span[]>>): string | null {
  const m = /^([a-z,-]+)\s+(.+)$/i.exec(group.trim().replace(/\s*([,-])\s*/g, "$1"));
  if (!m) return `"${group.trim()}" is not like "Mon-Fri 09:00-17:30"`;
  const days = parseDays(m[1]!);
  if (typeof days === "string") return days;
  const spans = parseSpans(m[2]!);
  if (typeof spans === "string") return spans;
  for (const d of days)
    hours[d] = [...(hours[d] ?? []), ...spans].sort((x, y) => x.start.localeCompare(y.start));
  return null;
}

/** Parses working hours per weekday, or says what is wrong in one sentence. */
export function parseWorkingHours(text: string): { hours: WorkingHours } | { error: string } {
  const hours: Partial<Record<Day, Span[]>> = {};
  const groups = text.split(/[;\n]+/).filter((g) => g.trim());
  if (groups.length === 0) return { error: 'Give the working hours, for example "Mon-Fri 09:00-17:30"' };
  for (const group of groups) {
    const error = parseGroup(group, hours);
    if (error) return { error };
  }
  const checked = partnershipSettingsSchema.shape.workingHours.safeParse(hours);
  if (!checked.success) return { error: "Two working spans of the same day overlap" };
  return { hours: checked.data };
}

const spansText = (spans: readonly Span[]) => spans.map((s) => `${s.start}-${s.end}`).join(",");

/** The hours as `parseWorkingHours` reads them, consecutive days with equal spans joined: "Mon-Fri 09:00-17:30". */
export function formatWorkingHours(hours: WorkingHours): string {
  const runs: { from: number; to: number; spans: string }[] = [];
  DAYS.forEach((day, i) => {
    const spans = hours[day];
    if (!spans || spans.length === 0) return;
    const text = spansText([...spans].sort((a, b) => a.start.localeCompare(b.start)));
    const last = runs[runs.length - 1];
    if (last && last.to === i - 1 && last.spans === text) last.to = i;
    else runs.push({ from: i, to: i, spans: text });
  });
  return runs
    .map((r) => `${DAY_NAMES[r.from]}${r.to > r.from ? `-${DAY_NAMES[r.to]}` : ""} ${r.spans}`)
    .join("; ");
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Parses holiday dates (YYYY-MM-DD, separated by commas, spaces or new lines) into a sorted list
 * without repeats, or names the first entry that is not a date. An empty text is no holidays.
 */
export function parseHolidays(text: string): { holidays: string[] } | { error: string } {
  const dates = new Set<string>();
  for (const entry of text.split(/[\s,;]+/).filter(Boolean)) {
    const shown = entry.length > 24 ? `${entry.slice(0, 24)}…` : entry;
    if (!ISO_DATE.test(entry)) return { error: `"${shown}" is not a date like 2026-12-25 (YYYY-MM-DD)` };
    if (!DateTime.fromISO(entry).isValid) return { error: `"${entry}" is not a real date` };
    dates.add(entry);
  }
  return { holidays: [...dates].sort() };
}

/** Holidays as `parseHolidays` reads them: one per line, or joined by `separator` (", " for a sentence). */
export function formatHolidays(dates: readonly string[], separator = "\n"): string {
  return [...dates].sort().join(separator);
}

/**
 * Holidays for a form's text input of at most `maxLength` characters. When the whole list does not
 * fit, the oldest dates are left out and `shownFrom` is the first date shown; saving the form must
 * then keep the dates before it (`keepUnshownHolidays`), or they would be lost unseen.
 */
export function holidaysForForm(
  dates: readonly string[],
  maxLength: number,
): { text: string; shownFrom: string | null } {
  const sorted = [...dates].sort();
  // "YYYY-MM-DD" and its line break: 11 characters a date, the last without the break.
  const fits = Math.max(0, Math.floor((maxLength + 1) / 11));
  const shown = sorted.slice(Math.max(0, sorted.length - fits));
  const cut = shown.length < sorted.length;
  return { text: formatHolidays(shown), shownFrom: cut ? (shown[0] ?? "9999-12-31") : null };
}

/** The holidays a form saved, plus those of `current` before `shownFrom` that the form left out. */
export function keepUnshownHolidays(
  current: readonly string[],
  shownFrom: string | null,
  saved: readonly string[],
): string[] {
  const unshown = shownFrom === null ? [] : current.filter((d) => d < shownFrom);
  return [...new Set([...unshown, ...saved])].sort();
}

/** Minutes in the working day that "d" stands for. */
export const WORKING_DAY_MINUTES = 8 * 60;

const UNIT_MINUTES: Record<string, number> = { m: 1, h: 60, d: WORKING_DAY_MINUTES };
const ENTRY = /^(p[1-4])\s+(\S+)\s*\/\s*(\S+)(?:\s+(24x7|24\/7|business))?$/i;

/** Reads "1h30m", "4h", "3d" as minutes; null when unreadable or zero. */
function parseDuration(text: string): number | null {
  const parts = [...text.toLowerCase().matchAll(/(\d+(?:\.\d+)?)\s*([mhd])/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join("") !== text.toLowerCase().replace(/\s+/g, "")) {
    return null;
  }
  const minutes = Math.round(
    parts.reduce((sum, p) => sum + Number(p[1]) * (UNIT_MINUTES[p[2] ?? "m"] ?? 1), 0),
  );
  return minutes > 0 ? minutes : null;
}

function parseEntry(entry: string): [Priority, SlaTarget] | string {
  const m = ENTRY.exec(entry.trim());
  if (!m) return `"${entry.trim()}" is not like "P2 1h/8h" (first response / resolution, then 24x7 if so)`;
  const priority = m[1]!.toUpperCase() as Priority;
  const clock = m[4] && m[4].toLowerCase() !== "business" ? "24x7" : "business";
  const [first, resolution] = [parseDuration(m[2]!), parseDuration(m[3]!)];
  if (first === null || resolution === null) {
    return `${priority}: write times like 15m, 4h, 1h30m or 3d (a working day of 8 h)`;
  }
  if (clock === "24x7" && /d/i.test(`${m[2]}${m[3]}`)) {
    return `${priority}: on the 24x7 clock write days in hours (24h), since "d" means a working day of 8 h`;
  }
  if (resolution < first)
    return `${priority}: the resolution target cannot be shorter than the first response`;
  return [priority, { firstResponseMinutes: first, resolutionMinutes: resolution, clock }];
}

/** Parses SLA targets for all four priorities, or says what is wrong in one sentence. */
export function parseSlaTargets(text: string): { sla: SlaTargets } | { error: string } {
  const found: Partial<Record<Priority, SlaTarget>> = {};
  for (const entry of text.split(/[,;\n]+/).filter((e) => e.trim())) {
    const parsed = parseEntry(entry);
    if (typeof parsed === "string") return { error: parsed };
    if (found[parsed[0]]) return { error: `${parsed[0]} is given twice` };
    found[parsed[0]] = parsed[1];
  }
  const missing = PRIORITIES.filter((p) => !found[p]);
  if (missing.length) return { error: `Give targets for every priority; missing: ${missing.join(", ")}` };
  const checked = partnershipSettingsSchema.shape.sla.safeParse(found);
  return checked.success ? { sla: checked.data } : { error: "These SLA targets are not valid" };
}

/** Minutes as the form writes them: "15m", "1h", "1h30m", and "3d" for whole working days. */
export function formatDuration(minutes: number, clock: SlaTarget["clock"]): string {
  if (clock === "business" && minutes >= WORKING_DAY_MINUTES * 2 && minutes % WORKING_DAY_MINUTES === 0) {
    return `${minutes / WORKING_DAY_MINUTES}d`;
  }
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return h === 0 ? `${m}m` : m === 0 ? `${h}h` : `${h}h${m}m`;
}

/** The targets as `parseSlaTargets` reads them: "P1 15m/4h 24x7, P2 1h/8h, P3 4h/3d, P4 8h/10d". */
export function formatSlaTargets(sla: SlaTargets): string {
  return PRIORITIES.map((p) => {
    const t = sla[p];
    const clock = t.clock === "24x7" ? " 24x7" : "";
    return `${p} ${formatDuration(t.firstResponseMinutes, t.clock)}/${formatDuration(t.resolutionMinutes, t.clock)}${clock}`;
  }).join(", ");
}

function humanDuration(minutes: number, clock: SlaTarget["clock"]): string {
  const short = formatDuration(minutes, clock);
  if (short.endsWith("d")) return `${short.slice(0, -1)} working days`;
  return short
    .replace(/(\d+)h/, "$1 h ")
    .replace(/(\d+)m$/, "$1 min")
    .trim();
}

/** A target for people: "respond within 1 h, resolve within 3 working days (working hours)". */
export function describeTarget(target: SlaTarget): string {
  const clock = target.clock === "24x7" ? "around the clock" : "working hours";
  return `respond within ${humanDuration(target.firstResponseMinutes, target.clock)}, resolve within ${humanDuration(target.resolutionMinutes, target.clock)} (${clock})`;
}

// ---- one setting at a time ------------------------------------------------------------------
// The set-up forms and `rapport partnership configure` read each setting with the same function,
// so a mistake reads the same sentence wherever it was typed.

/** A setting read from text: its value, or the one sentence that says what to fix. */
export type SettingReading<T> = { value: T } | { error: string };

/** What to fix, per setting: each sentence lives here once. */
export const SETTING_ERRORS = {
  timezone: "Use an IANA timezone name such as Europe/London or America/New_York.",
  digestWeekday: "Choose the day of the week for the digest.",
  digestTime: "Choose the digest time as HH:MM on a 24-hour clock, such as 09:00 or 16:30.",
  unansweredMinutes: "The unanswered threshold must be a positive whole number of minutes, such as 120.",
  nearingPercent: "The nearing-breach warning must be a whole percentage from 1 to 99, such as 75.",
  recommendationStaleDays:
    "The stale limit for recommendations must be a positive whole number of days, such as 14.",
  downtimeCostPerHour: "The downtime cost must be an amount an hour of 0 or more, such as 450 or 87.50.",
  currency: "Use a three-letter ISO 4217 currency code such as GBP, EUR or USD.",
  autoIntake: "Say on or off for auto-intake.",
} as const;

const read = <T>(ok: boolean, value: T, error: string): SettingReading<T> => (ok ? { value } : { error });

/** An IANA timezone name this runtime knows ("Europe/London"). */
export function readTimezone(text: string): SettingReading<string> {
  const zone = text.trim();
  return read(
    partnershipSettingsSchema.shape.timezone.safeParse(zone).success,
    zone,
    SETTING_ERRORS.timezone,
  );
}

/** The digest's weekday: "1" (Monday) to "7", or a day's name ("fri", "Friday"). */
export function readDigestWeekday(text: string): SettingReading<number> {
  const t = text.trim();
  const day = /^[1-7]$/.test(t) ? Number(t) : t.length >= 3 ? dayNumber(t) : null;
  return day === null ? { error: SETTING_ERRORS.digestWeekday } : { value: day };
}

/** The digest's time of day, "HH:mm" ("9:30" is 09:30; seconds, as a time picker gives them, dropped). */
export function readDigestTime(text: string): SettingReading<string> {
  const m = /^(\d{1,2}):(\d{2})(?::\d{2})?$/.exec(text.trim());
  const time = m ? `${m[1]!.padStart(2, "0")}:${m[2]}` : "";
  return read(
    partnershipSettingsSchema.shape.digestTime.safeParse(time).success,
    time,
    SETTING_ERRORS.digestTime,
  );
}

const NUMBER = /^-?(\d+(\.\d*)?|\.\d+)$/;

/** A number as typed; NaN when the text is not one. */
function numberIn(text: string): number {
  const t = text.trim();
  return NUMBER.test(t) ? Number(t) : NaN;
}

function wholeIn(text: string, min: number, max: number, error: string): SettingReading<number> {
  const n = numberIn(text);
  return read(Number.isInteger(n) && n >= min && n <= max, n, error);
}

/** Minutes without an answer after which a request is "unanswered". */
export function readUnansweredMinutes(text: string): SettingReading<number> {
  return wholeIn(text, 1, Number.MAX_SAFE_INTEGER, SETTING_ERRORS.unansweredMinutes);
}

/** The share (1–99 %) of the first-response target at which the provider is warned. */
export function readNearingPercent(text: string): SettingReading<number> {
  return wholeIn(text.trim().replace(/%$/, ""), 1, 99, SETTING_ERRORS.nearingPercent);
}

/** Days after which a pending recommendation is stale. */
export function readStaleDays(text: string): SettingReading<number> {
  return wholeIn(text, 1, Number.MAX_SAFE_INTEGER, SETTING_ERRORS.recommendationStaleDays);
}

/** What an hour of downtime costs the client, 0 or more. */
export function readDowntimeCost(text: string): SettingReading<number> {
  const n = numberIn(text);
  return read(Number.isFinite(n) && n >= 0, n, SETTING_ERRORS.downtimeCostPerHour);
}

/** A currency code, in any case ("gbp" is GBP). */
export function readCurrency(text: string): SettingReading<string> {
  const code = text.trim().toUpperCase();
  return read(/^[A-Z]{3}$/.test(code), code, SETTING_ERRORS.currency);
}

/** Auto-intake: "on" or "true" (a ticked box), "off" or "false" or nothing. */
export function readAutoIntake(text: string): SettingReading<boolean> {
  const t = text.trim().toLowerCase();
  if (["on", "true"].includes(t)) return { value: true };
  return read(["off", "false", ""].includes(t), false, SETTING_ERRORS.autoIntake);
}

/** One priority's targets as the form writes them after the priority: "1h/8h", "15m/4h 24x7". */
export function parseSlaTarget(priority: Priority, text: string): SettingReading<SlaTarget> {
  const parsed = parseEntry(`${priority} ${text.trim()}`);
  return typeof parsed === "string" ? { error: parsed } : { value: parsed[1] };
}

/** Working hours as `parseWorkingHours` reads them, as a `SettingReading`. */
export function readWorkingHours(text: string): SettingReading<WorkingHours> {
  const r = parseWorkingHours(text);
  return "error" in r ? r : { value: r.hours };
}

/** Holidays as `parseHolidays` reads them, as a `SettingReading`. */
export function readHolidays(text: string): SettingReading<string[]> {
  const r = parseHolidays(text);
  return "error" in r ? r : { value: r.holidays };
}

/** SLA targets as `parseSlaTargets` reads them, as a `SettingReading`. */
export function readSlaTargets(text: string): SettingReading<SlaTargets> {
  const r = parseSlaTargets(text);
  return "error" in r ? r : { value: r.sla };
}
