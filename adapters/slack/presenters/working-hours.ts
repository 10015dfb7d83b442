// Working hours as an admin types them: "Mon-Fri 09:00-17:30" or
// "Mon-Thu 08:00-12:00,13:00-17:00; Fri 08:00-15:00". A day not named is closed.
import { partnershipSettingsSchema, type WorkingHours } from "../../../src/index.ts";

type Day = "1" | "2" | "3" | "4" | "5" | "6" | "7";
type Span = { start: string; end: string };

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
