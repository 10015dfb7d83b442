import { readFile } from "node:fs/promises";
import { z } from "zod";
import { holidaysFromICalendar, holidayWindow } from "../../src/domain/holiday-calendar.ts";
import {
  DEFAULT_SETTINGS,
  parseSettings,
  partnershipSettingsSchema,
  type PartnershipSettings,
} from "../../src/domain/partnership.ts";
import {
  formatHolidays,
  formatSlaTargets,
  formatWorkingHours,
  parseHolidays,
  parseSlaTargets,
  parseWorkingHours,
} from "../../src/domain/settings-text.ts";
import { configurePartnership } from "../../src/services/setup-partnership.ts";
import { parseFlags, required, UsageError } from "./args.ts";
import type { CliContext } from "./context.ts";

/** A flag read by one of the set-up form's parsers, so that its mistakes read the same. */
function parsedBy<T>(parse: (text: string) => T | { error: string }) {
  return z.string().transform((text, ctx) => {
    const result = parse(text);
    if (typeof result === "object" && result !== null && "error" in result) {
      ctx.addIssue({ code: "custom", message: result.error });
      return z.NEVER;
    }
    return result as Exclude<T, { error: string }>;
  });
}

const number = z
  .string()
  .trim()
  .regex(/^-?\d+(\.\d+)?$/, "expected a number")
  .transform(Number);

const WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];
const weekday = z.string().transform((text, ctx) => {
  const t = text.trim().toLowerCase();
  const n = /^[1-7]$/.test(t) ? Number(t) : WEEKDAYS.findIndex((d) => t.length >= 3 && d.startsWith(t)) + 1;
  if (n >= 1) return n;
  ctx.addIssue({ code: "custom", message: "expected monday to sunday, or 1 (Monday) to 7" });
  return z.NEVER;
});

const FLAGS = {
  partnership: required("--partnership"),
  file: z.string().optional(),
  timezone: z.string().optional(),
  "working-hours": parsedBy(parseWorkingHours).optional(),
  holidays: parsedBy(parseHolidays).optional(),
  "add-holidays": parsedBy(parseHolidays).optional(),
  "holidays-ical": z.string().optional(),
  sla: parsedBy(parseSlaTargets).optional(),
  "unanswered-minutes": number.optional(),
  "nearing-percent": number.optional(),
  "stale-days": number.optional(),
  "downtime-cost": number.optional(),
  currency: z
    .string()
    .transform((s) => s.trim().toUpperCase())
    .optional(),
  "digest-day": weekday.optional(),
  "digest-time": z.string().optional(),
  "auto-intake": z.enum(["on", "off"], { error: "expected on or off" }).optional(),
};
type Flags = z.infer<z.ZodObject<typeof FLAGS>>;

/**
 * `rapport partnership configure`: changes a partnership's settings as its set-up form would, from
 * flags and/or a JSON file of settings (flags win), and prints each setting that changed.
 */
export async function partnershipConfigure(argv: string[], ctx: CliContext): Promise<void> {
  const flags = parseFlags(argv, FLAGS);
  const { partnership: id, ...given } = flags;
  if (Object.values(given).every((v) => v === undefined)) {
    throw new UsageError("say what to change: give a setting's flag or --file (`rapport help` lists them)");
  }
  const file = flags.file ? await readSettingsFile(flags.file) : {};
  const icalDates = flags["holidays-ical"] ? await readHolidayCalendar(flags["holidays-ical"]) : [];
  const change = overlay(file, flagSettings(flags));
  const added = [...(flags["add-holidays"]?.holidays ?? []), ...icalDates];
  // Checked before the database is opened; the store checks again against the current settings.
  parseSettings(overlay(DEFAULT_SETTINGS, change));
  const { before, after } = await ctx.withApp(async ({ core }) => {
    const current = await core.partnerships.get(id);
    const next = overlay(settingsOf(current), change);
    next.holidays = [...new Set([...(next.holidays as string[]), ...added])].sort();
    const updated = await configurePartnership(core, id, parseSettings(next));
    return { before: settingsOf(current), after: settingsOf(updated) };
  });
  const lines = describeChanges(before, after);
  ctx.output.out(lines.length ? lines.join("\n") : "No setting changed: each already had that value.");
}

type Layer = Record<string, unknown>;
const isObject = (v: unknown): v is Layer => typeof v === "object" && v !== null && !Array.isArray(v);

/** `over` on `base`; nudge thresholds and SLA targets one level deep, so one of them can change alone. */
function overlay(base: object, over: Layer): Layer {
  const out: Layer = { ...base, ...over };
  for (const key of ["nudge", "sla"]) {
    const [b, o] = [(base as Layer)[key], over[key]];
    if (isObject(b) && isObject(o)) out[key] = { ...b, ...o };
  }
  return out;
}

/** Only the settings of `p`, without its names and ids. */
function settingsOf(p: PartnershipSettings): PartnershipSettings {
  const keys = Object.keys(partnershipSettingsSchema.shape) as (keyof PartnershipSettings)[];
  return Object.fromEntries(keys.map((k) => [k, p[k]])) as PartnershipSettings;
}

/** The settings the flags give, each flag one setting. */
function flagSettings(flags: Flags): Layer {
  const defined = (o: Layer) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
  const nudge = defined({
    unansweredMinutes: flags["unanswered-minutes"],
    nearingPercent: flags["nearing-percent"],
    recommendationStaleDays: flags["stale-days"],
  });
  return defined({
    timezone: flags.timezone,
    workingHours: flags["working-hours"]?.hours,
    holidays: flags.holidays?.holidays,
    sla: flags.sla?.sla,
    nudge: Object.keys(nudge).length ? nudge : undefined,
    downtimeCostPerHour: flags["downtime-cost"],
    currency: flags.currency,
    digestWeekday: flags["digest-day"],
    digestTime: flags["digest-time"],
    autoIntake: flags["auto-intake"] === undefined ? undefined : flags["auto-intake"] === "on",
  });
}

/** `--file`: a JSON object of any settings, as `partnershipSettingsSchema` names them. */
async function readSettingsFile(file: string): Promise<Layer> {
  const text = await readText("--file", file);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new UsageError(`--file: ${file} is not JSON (${(e as Error).message})`);
  }
  if (!isObject(json)) {
    throw new UsageError(`--file: ${file} must hold a JSON object of settings, such as {"timezone": "…"}`);
  }
  const names = Object.keys(partnershipSettingsSchema.shape);
  const unknown = Object.keys(json).find((k) => !names.includes(k));
  if (unknown) {
    throw new UsageError(`--file: "${unknown}" is not a setting; the settings are ${names.join(", ")}`);
  }
  const holidays = json.holidays;
  if (Array.isArray(holidays) && holidays.every((d) => typeof d === "string")) {
    // Read as the forms read them: real calendar days, sorted, each once.
    const parsed = parseHolidays(holidays.join("\n"));
    if ("error" in parsed) throw new UsageError(`--file: holidays: ${parsed.error}`);
    return { ...json, holidays: parsed.holidays };
  }
  return json;
}

/** `--holidays-ical`: the all-day dates of an iCalendar file, over the years around today. */
async function readHolidayCalendar(file: string): Promise<string[]> {
  const text = await readText("--holidays-ical", file);
  const window = holidayWindow(new Date().toISOString().slice(0, 10));
  const read = holidaysFromICalendar(text, window);
  if ("error" in read) throw new UsageError(`--holidays-ical: ${file}: ${read.error}`);
  if (read.dates.length === 0) {
    throw new UsageError(
      `--holidays-ical: ${file} has no all-day events between ${window.from} and ${window.to}`,
    );
  }
  return read.dates;
}

async function readText(flag: string, file: string): Promise<string> {
  try {
    return await readFile(file, "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === "ENOENT" ? "no such file" : code === "EISDIR" ? "a folder, not a file" : code;
    throw new UsageError(`${flag}: cannot read ${file} (${why ?? (e as Error).message})`);
  }
}

const DAY_NAMES = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];

/** Each setting that differs, one line each, as a person reads it. */
function describeChanges(before: PartnershipSettings, after: PartnershipSettings): string[] {
  const lines: [string, (s: PartnershipSettings) => string][] = [
    ["timezone", (s) => s.timezone],
    ["working hours", (s) => formatWorkingHours(s.workingHours) || "none (always closed)"],
    ["holidays", (s) => formatHolidays(s.holidays, ", ") || "none"],
    ["SLA targets", (s) => formatSlaTargets(s.sla)],
    ["unanswered after", (s) => `${s.nudge.unansweredMinutes} minutes`],
    ["nearing breach at", (s) => `${s.nudge.nearingPercent}% of the first-response target`],
    ["recommendations stale after", (s) => `${s.nudge.recommendationStaleDays} days`],
    ["downtime cost", (s) => `${s.downtimeCostPerHour} ${s.currency} an hour`],
    ["digest", (s) => `${DAY_NAMES[s.digestWeekday - 1]} at ${s.digestTime}`],
    ["auto-intake", (s) => (s.autoIntake ? "on" : "off")],
  ];
  return lines.flatMap(([label, show]) => (show(before) === show(after) ? [] : [`${label}: ${show(after)}`]));
}
