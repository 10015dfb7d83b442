// Public-holiday calendars as governments, Google and Outlook publish them (.ics) → the YYYY-MM-DD
// dates on which a partnership does not work.
//
// Read with ical.js, not by hand: such files repeat holidays with yearly RRULEs ("the last Monday
// of May", with EXDATEs and RECURRENCE-ID overrides for the years a holiday moved), give all-day
// dates as VALUE=DATE with an exclusive DTEND (or a DURATION, or neither), and fold long lines onto
// continuation lines starting with a space. Each of these is easy to get subtly wrong line by line.
import ICAL from "ical.js";
import { DateTime } from "luxon";

type Component = InstanceType<typeof ICAL.Component>;
type ICalTime = InstanceType<typeof ICAL.Time>;

/** A span of days, both ends included, as YYYY-MM-DD. */
export interface DateWindow {
  from: string;
  to: string;
}

// Enough for a yearly holiday since 1900 or a daily one across the window; a calendar asking
// for more is broken, and stopping beats hanging.
const MAX_OCCURRENCES = 50_000;

/**
 * The window recurring holidays are expanded over: from 1 January of the year before `today`
 * (YYYY-MM-DD) to 31 December five years ahead, so past weeks keep their holidays and the next
 * years are planned.
 */
export function holidayWindow(today: string): DateWindow {
  const year = Number(today.slice(0, 4));
  return { from: `${year - 1}-01-01`, to: `${year + 5}-12-31` };
}

/**
 * Every day within `window` covered by an all-day event of the iCalendar `text`: recurring events
 * expanded, multi-day events as each of their days, cancelled ones and events at a time of day
 * left out. The dates are sorted and without repeats; a text that is not a calendar is an error.
 */
export function holidaysFromICalendar(
  text: string,
  window: DateWindow,
): { dates: string[] } | { error: string } {
  const calendars = readCalendars(text);
  if ("error" in calendars) return calendars;
  const dates = new Set<string>();
  try {
    for (const event of eventsOf(calendars)) addEventDays(event, window, dates);
  } catch (e) {
    return { error: `an event could not be read (${(e as Error).message})` };
  }
  return { dates: [...dates].sort() };
}

function readCalendars(text: string): Component[] | { error: string } {
  const ics = text.replace(/^\uFEFF/, "").trimStart();
  // Anything else (a web page, a CSV of dates) would only meet a puzzling parser error.
  if (!/^BEGIN:VCALENDAR/i.test(ics)) {
    return { error: "it is not an iCalendar file (it does not begin with BEGIN:VCALENDAR)" };
  }
  let jcal: unknown;
  try {
    jcal = ICAL.parse(ics);
  } catch (e) {
    return { error: `it is not an iCalendar file (${(e as Error).message})` };
  }
  // One component parses to ["vcalendar", …]; several to a list of them.
  const parts = Array.isArray(jcal) && typeof jcal[0] === "string" ? [jcal] : Array.isArray(jcal) ? jcal : [];
  const calendars = parts
    .map((p) => new ICAL.Component(p as unknown[]))
    .filter((c) => c.name === "vcalendar");
  return calendars.length ? calendars : { error: "it is not an iCalendar file (no VCALENDAR in it)" };
}

/** The calendars' events, each override (RECURRENCE-ID) related to the event it changes. */
function eventsOf(calendars: readonly Component[]): InstanceType<typeof ICAL.Event>[] {
  const vevents = calendars.flatMap((c) => c.getAllSubcomponents("vevent"));
  const masters = new Map<string, InstanceType<typeof ICAL.Event>>();
  const events: InstanceType<typeof ICAL.Event>[] = [];
  for (const v of vevents.filter((v) => !v.hasProperty("recurrence-id"))) {
    const event = new ICAL.Event(v);
    events.push(event);
    if (event.uid) masters.set(event.uid, event);
  }
  for (const v of vevents.filter((v) => v.hasProperty("recurrence-id"))) {
    const master = masters.get(String(v.getFirstPropertyValue("uid") ?? ""));
    // An override whose series is not in the file stands for itself.
    if (master?.isRecurring()) master.relateException(v);
    else events.push(new ICAL.Event(v));
  }
  return events;
}

function addEventDays(event: InstanceType<typeof ICAL.Event>, window: DateWindow, dates: Set<string>): void {
  if (!event.startDate?.isDate) return;
  if (!event.isRecurring()) {
    if (!isCancelled(event.component)) addDays(event.startDate, event.endDate, window, dates);
    return;
  }
  const occurrences = event.iterator();
  for (let i = 0; i < MAX_OCCURRENCES; i++) {
    const next = occurrences.next();
    if (!next || isoDay(next) > window.to) return;
    const details = event.getOccurrenceDetails(next);
    if (details.startDate.isDate && !isCancelled(details.item.component)) {
      addDays(details.startDate, details.endDate, window, dates);
    }
  }
  throw new Error(`"${event.summary}" repeats more than ${MAX_OCCURRENCES.toLocaleString("en")} times`);
}

function isCancelled(vevent: Component): boolean {
  return String(vevent.getFirstPropertyValue("status") ?? "").toUpperCase() === "CANCELLED";
}

/** Adds each day within `window` from `start` up to (not including) `end`; `start` alone when `end` is not after it. */
function addDays(start: ICalTime, end: ICalTime | null, window: DateWindow, dates: Set<string>): void {
  const day = (iso: string) => DateTime.fromISO(iso, { zone: "utc" });
  const first = day(isoDay(start));
  const afterLast = end ? day(isoDay(end)) : first;
  const last = afterLast > first ? afterLast.minus({ days: 1 }) : first;
  const to = DateTime.min(last, day(window.to));
  for (let d = DateTime.max(first, day(window.from)); d <= to; d = d.plus({ days: 1 })) {
    dates.add(d.toISODate()!);
  }
}

/** The calendar day of an ICAL.Time (a date, or a date-time's own date), as YYYY-MM-DD. */
function isoDay(t: ICalTime): string {
  const pad = (n: number, w = 2) => String(n).padStart(w, "0");
  return `${pad(t.year, 4)}-${pad(t.month)}-${pad(t.day)}`;
}
