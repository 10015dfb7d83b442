import { z } from "zod";
import { DateTime } from "luxon";
import { RapportError } from "./errors.ts";
import { Remembered } from "./remembered.ts";
import type { Priority } from "./vocabulary.ts";

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, "a time of day as HH:MM (24-hour)");

/** One stretch of working time within a day, in the partnership's timezone. */
export const workingSpanSchema = z
  .object({ start: hhmm, end: hhmm })
  .refine((s) => s.start < s.end, "a span that ends after it starts");
export type WorkingSpan = z.infer<typeof workingSpanSchema>;

/** Working spans per ISO weekday (1 = Monday … 7 = Sunday); a missing or empty day is closed. */
export const workingHoursSchema = z.partialRecord(
  z.enum(["1", "2", "3", "4", "5", "6", "7"]),
  z.array(workingSpanSchema).refine(
    // Overlapping spans would count the shared minutes twice.
    (spans) =>
      [...spans]
        .sort((a, b) => a.start.localeCompare(b.start))
        .every((s, i, all) => i === 0 || all[i - 1]!.end <= s.start),
    "a list of working spans that do not overlap",
  ),
);
export type WorkingHours = z.infer<typeof workingHoursSchema>;

// Whether luxon knows a zone never changes in a process; asking builds a date in it each time, and
// every partnership read asks.
const knownZones = new Remembered<boolean>(1_000);

/** Whether luxon can keep time in `tz` (an IANA name, UTC or a fixed offset). */
export function isKnownZone(tz: string): boolean {
  return knownZones.get(tz, () => DateTime.local().setZone(tz).isValid);
}

/** An IANA timezone name that this runtime knows. */
export const timezoneSchema = z.string().refine(isKnownZone, "an IANA timezone such as Europe/London");

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "a date as YYYY-MM-DD");

/** Which clock an SLA target runs on: working hours only, or every minute of the week. */
export const slaClockSchema = z.enum(["business", "24x7"]);
export type SlaClock = z.infer<typeof slaClockSchema>;

export const slaTargetSchema = z.object({
  firstResponseMinutes: z.number().int().positive(),
  resolutionMinutes: z.number().int().positive(),
  clock: slaClockSchema,
});
export type SlaTarget = z.infer<typeof slaTargetSchema>;
export type SlaTargets = Record<Priority, SlaTarget>;
export const slaTargetsSchema = z.object({
  P1: slaTargetSchema,
  P2: slaTargetSchema,
  P3: slaTargetSchema,
  P4: slaTargetSchema,
});

export const nudgeSettingsSchema = z.object({
  /** An open request with no provider answer after this much clock time is "unanswered". */
  unansweredMinutes: z.number().int().positive(),
  /** Share of the first-response target at which the provider lead is warned. */
  nearingPercent: z.number().int().min(1).max(99),
  /** A recommendation pending this many days counts as waiting too long. */
  recommendationStaleDays: z.number().int().positive(),
});
export type NudgeSettings = z.infer<typeof nudgeSettingsSchema>;

/** Everything a partnership can be configured with, besides its names. */
export const partnershipSettingsSchema = z.object({
  timezone: timezoneSchema,
  workingHours: workingHoursSchema,
  holidays: z.array(isoDate),
  sla: slaTargetsSchema,
  nudge: nudgeSettingsSchema,
  downtimeCostPerHour: z.number().nonnegative(),
  currency: z.string().regex(/^[A-Z]{3}$/, "an ISO 4217 currency code such as GBP"),
  digestWeekday: z.number().int().min(1).max(7),
  digestTime: hhmm,
  autoIntake: z.boolean(),
});
export type PartnershipSettings = z.infer<typeof partnershipSettingsSchema>;

const weekday: WorkingSpan[] = [{ start: "09:00", end: "17:30" }];

/** What a new partnership starts with: a UK-style working week and common MSP targets. */
export const DEFAULT_SETTINGS: PartnershipSettings = {
  timezone: "Europe/London",
  workingHours: { "1": weekday, "2": weekday, "3": weekday, "4": weekday, "5": weekday },
  holidays: [],
  sla: {
    P1: { firstResponseMinutes: 15, resolutionMinutes: 4 * 60, clock: "24x7" },
    P2: { firstResponseMinutes: 60, resolutionMinutes: 8 * 60, clock: "business" },
    P3: { firstResponseMinutes: 4 * 60, resolutionMinutes: 3 * 8 * 60, clock: "business" },
    P4: { firstResponseMinutes: 8 * 60, resolutionMinutes: 10 * 8 * 60, clock: "business" },
  },
  nudge: { unansweredMinutes: 120, nearingPercent: 75, recommendationStaleDays: 14 },
  downtimeCostPerHour: 0,
  currency: "GBP",
  digestWeekday: 1,
  digestTime: "09:00",
  autoIntake: false,
};

/** A partnership as the core sees it. */
export interface Partnership extends PartnershipSettings {
  id: string;
  /** Short prefix of issue keys, such as ACME in ACME-42. */
  key: string;
  name: string;
  providerOrg: string;
  clientOrg: string;
  /** Slack team ids and Teams tenant ids that belong to the provider. */
  providerWorkspaceIds: string[];
  createdAt: Date;
}

/**
 * Derives an issue-key prefix from the client's name: a short first word as it is ("Acme Dental"
 * → ACME), else the initials of several words ("Northwind Dental Group" → NDG), else the first
 * five letters.
 */
export function keyPrefixFor(clientOrg: string): string {
  const words = clientOrg
    .toUpperCase()
    .normalize("NFKD")
    .replace(/[^A-Z0-9 ]/g, "")
    .split(/\s+/)
    .filter(Boolean);
  const first = words[0] ?? "";
  const initials = words
    .map((w) => w[0])
    .join("")
    .slice(0, 6);
  const prefix =
    first.length >= 2 && first.length <= 6 ? first : words.length >= 2 ? initials : first.slice(0, 5);
  return prefix.length >= 2 ? prefix : "IT";
}

/** Parses settings; a bad value becomes an invalid_input error naming the setting and what it must be. */
export function parseSettings(input: unknown): PartnershipSettings {
  const result = partnershipSettingsSchema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const where = issue.path.length ? issue.path.join(".") : "settings";
  // Our own messages name what is expected ("a time of day as HH:MM"); zod's say what is wrong.
  const what = /^an? /.test(issue.message) ? `must be ${issue.message}` : `is invalid: ${issue.message}`;
  throw new RapportError("invalid_input", `The setting ${where} ${what}.`, {
    cause: result.error,
  });
}
