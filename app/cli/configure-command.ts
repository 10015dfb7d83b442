import { z } from "zod";
import { holidaysFromICalendar, holidayWindow } from "../../src/domain/holiday-calendar.ts";
import {
  parseSettings,
  partnershipSettingsSchema,
  type PartnershipSettings,
} from "../../src/domain/partnership.ts";
import {
  formatHolidays,
  formatSlaTargets,
  formatWorkingHours,
  readAutoIntake,
  readCurrency,
  readDigestTime,
  readDigestWeekday,
  readDowntimeCost,
  readHolidays,
  readNearingPercent,
  readSlaTargets,
  readStaleDays,
  readTimezone,
  readUnansweredMinutes,
  readWorkingHours,
} from "../../src/domain/settings-text.ts";
import { configurePartnership } from "../../src/services/setup-partnership.ts";
import { parseFlags, readBy, required, UsageError } from "./args.ts";
import type { CliContext } from "./context.ts";
import { isObject, readSettingsFile, readText, type SettingsLayer } from "./settings-file.ts";

// Each setting's flag is read by the reader its set-up form uses (settings-text.ts): one sentence
// per mistake, wherever it was typed.
const FLAGS = {
  partnership: required("--partnership"),
  file: z.string().optional(),
  timezone: readBy(readTimezone).optional(),
  "working-hours": readBy(readWorkingHours).optional(),
  holidays: readBy(readHolidays).optional(),
  "add-holidays": readBy(readHolidays).optional(),
  "holidays-ical": z.string().optional(),
  sla: readBy(readSlaTargets).optional(),
  "unanswered-minutes": readBy(readUnansweredMinutes).optional(),
  "nearing-percent": readBy(readNearingPercent).optional(),
  "stale-days": readBy(readStaleDays).optional(),
  "downtime-cost": readBy(readDowntimeCost).optional(),
  currency: readBy(readCurrency).optional(),
  "digest-day": readBy(readDigestWeekday).optional(),
  "digest-time": readBy(readDigestTime).optional(),
  "auto-intake": readBy(readAutoIntake).optional(),
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
  const added = [...(flags["add-holidays"] ?? []), ...icalDates];
  const { before, after } = await ctx.withApp(async ({ core }) => {
    // As stored, unchecked: configuring is how a setting this runtime cannot use is fixed.
    const current = (await core.partnerships.storedSettings(id)) as unknown as PartnershipSettings;
    const next = overlay(settingsOf(current), change);
    next.holidays = [...new Set([...(next.holidays as string[]), ...added])].sort();
    const updated = await configurePartnership(core, id, parseSettings(next));
    return { before: settingsOf(current), after: settingsOf(updated) };
  });
  const lines = describeChanges(before, after);
  ctx.output.out(lines.length ? lines.join("\n") : "No setting changed: each already had that value.");
}

/** `over` on `base`; nudge thresholds and SLA targets one level deep, so one of them can change alone. */
function overlay(base: object, over: SettingsLayer): SettingsLayer {
  const out: SettingsLayer = { ...base, ...over };
  for (const key of ["nudge", "sla"]) {
    const [b, o] = [(base as SettingsLayer)[key], over[key]];
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
function flagSettings(flags: Flags): SettingsLayer {
  const defined = (o: SettingsLayer) =>
    Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
  const nudge = defined({
    unansweredMinutes: flags["unanswered-minutes"],
    nearingPercent: flags["nearing-percent"],
    recommendationStaleDays: flags["stale-days"],
  });
  return defined({
    timezone: flags.timezone,
    workingHours: flags["working-hours"],
    holidays: flags.holidays,
    sla: flags.sla,
    nudge: Object.keys(nudge).length ? nudge : undefined,
    downtimeCostPerHour: flags["downtime-cost"],
    currency: flags.currency,
    digestWeekday: flags["digest-day"],
    digestTime: flags["digest-time"],
    autoIntake: flags["auto-intake"],
  });
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
