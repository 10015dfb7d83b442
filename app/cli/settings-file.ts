import { readFile } from "node:fs/promises";
import type { PartnershipSettings } from "../../src/domain/partnership.ts";
import {
  parseSlaTarget,
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
  type SettingReading,
} from "../../src/domain/settings-text.ts";
import { PRIORITIES, type Priority } from "../../src/domain/vocabulary.ts";
import { UsageError } from "./args.ts";

// `rapport partnership configure --file settings.json`: any of the settings, named as they are
// stored (and as `rapport export` writes them), each given either in that stored shape or as the
// set-up form's text ("workingHours": "Mon-Fri 09:00-17:30"). Every value is read by the reader the
// form uses, so a mistake reads the same sentence; the file's shape is in the README.

/** Settings as a partial, nested object: what the file or the flags change. */
export type SettingsLayer = Record<string, unknown>;

type Reader = (text: string) => SettingReading<unknown>;

/** The readers of the settings that are one value each, by their stored name. */
const SCALARS: Record<string, Reader> = {
  timezone: readTimezone,
  downtimeCostPerHour: readDowntimeCost,
  currency: readCurrency,
  digestWeekday: readDigestWeekday,
  digestTime: readDigestTime,
  autoIntake: readAutoIntake,
};

/** The nudge thresholds, each changeable alone. */
const NUDGE: Record<keyof PartnershipSettings["nudge"], Reader> = {
  unansweredMinutes: readUnansweredMinutes,
  nearingPercent: readNearingPercent,
  recommendationStaleDays: readStaleDays,
};

const SETTING_NAMES = [
  "timezone",
  "workingHours",
  "holidays",
  "sla",
  "nudge",
  "downtimeCostPerHour",
  "currency",
  "digestWeekday",
  "digestTime",
  "autoIntake",
] as const satisfies readonly (keyof PartnershipSettings)[];

const WEEKDAY_NAMES = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

export const isObject = (v: unknown): v is SettingsLayer =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/** A JSON value as a form field would hold it: text as is, a number as written, true/false as on/off. */
function asText(value: unknown): string {
  if (typeof value === "string") return value;
  if (typeof value === "boolean") return value ? "on" : "off";
  return typeof value === "number" ? String(value) : JSON.stringify(value);
}

/** Stored working hours ({"1": [{"start": "09:00", "end": "17:30"}], …}) as the form's text. */
function workingHoursText(value: SettingsLayer): string | null {
  const groups: string[] = [];
  for (const [day, spans] of Object.entries(value)) {
    const n = Number(day);
    const valid =
      /^[1-7]$/.test(day) &&
      Array.isArray(spans) &&
      spans.every((s) => isObject(s) && typeof s.start === "string" && typeof s.end === "string");
    if (!valid) return null;
    const list = spans as { start: string; end: string }[];
    if (list.length)
      groups.push(`${WEEKDAY_NAMES[n - 1]} ${list.map((s) => `${s.start}-${s.end}`).join(",")}`);
  }
  return groups.join("; ");
}

/** One priority's stored targets as the form's text ("60m/480m business"), or null when not that shape. */
function slaTargetText(value: SettingsLayer): string | null {
  const { firstResponseMinutes: first, resolutionMinutes: resolution, clock } = value;
  const minutes = (n: unknown) => typeof n === "number" && Number.isInteger(n) && n > 0;
  if (!minutes(first) || !minutes(resolution) || (clock !== "business" && clock !== "24x7")) return null;
  return `${first}m/${resolution}m ${clock}`;
}

type Read = (key: string, value: unknown) => unknown;

function readSla(read: (key: string, r: SettingReading<unknown>) => unknown, value: unknown): unknown {
  if (!isObject(value)) return read("sla", readSlaTargets(asText(value)));
  const sla: SettingsLayer = {};
  for (const [p, target] of Object.entries(value)) {
    const key = `sla.${p}`;
    if (!PRIORITIES.includes(p as Priority)) {
      return read(key, { error: `"${p}" is not a priority; the priorities are ${PRIORITIES.join(", ")}` });
    }
    const text = isObject(target) ? slaTargetText(target) : asText(target);
    const shape = `give "1h/8h" (and 24x7 if so), or {"firstResponseMinutes": 60, "resolutionMinutes": 480, "clock": "business"}`;
    sla[p] = read(key, text === null ? { error: `${p}: ${shape}` } : parseSlaTarget(p as Priority, text));
  }
  return sla;
}

function readNudge(read: (key: string, r: SettingReading<unknown>) => unknown, value: unknown): unknown {
  const names = Object.keys(NUDGE).join(", ");
  if (!isObject(value)) return read("nudge", { error: `give an object of any of ${names}` });
  const nudge: SettingsLayer = {};
  for (const [name, threshold] of Object.entries(value)) {
    const reader = NUDGE[name as keyof typeof NUDGE];
    if (!reader) return read(`nudge.${name}`, { error: `not a threshold; the thresholds are ${names}` });
    nudge[name] = read(`nudge.${name}`, reader(asText(threshold)));
  }
  return nudge;
}

/** Each setting of a parsed settings file read as the form reads it; throws what to fix. */
export function readSettingsObject(json: SettingsLayer, file: string): SettingsLayer {
  const read = (key: string, r: SettingReading<unknown>) => {
    if ("error" in r) throw new UsageError(`--file: in ${file}, "${key}": ${r.error}`);
    return r.value;
  };
  const setting: Read = (key, value) => {
    if (key === "nudge") return readNudge(read, value);
    if (key === "sla") return readSla(read, value);
    if (key === "holidays") {
      const dates = Array.isArray(value) && value.every((d) => typeof d === "string");
      return read(key, readHolidays(dates ? value.join("\n") : asText(value)));
    }
    if (key === "workingHours") {
      const text = isObject(value) ? workingHoursText(value) : asText(value);
      const shape = `give "Mon-Fri 09:00-17:30", or {"1": [{"start": "09:00", "end": "17:30"}], …} (1 is Monday)`;
      return read(key, text === null ? { error: shape } : readWorkingHours(text));
    }
    return read(key, SCALARS[key]!(asText(value)));
  };
  const unknown = Object.keys(json).find((k) => !(SETTING_NAMES as readonly string[]).includes(k));
  if (unknown) {
    throw new UsageError(
      `--file: "${unknown}" is not a setting; the settings are ${SETTING_NAMES.join(", ")}`,
    );
  }
  return Object.fromEntries(Object.entries(json).map(([k, v]) => [k, setting(k, v)]));
}

/** `--file`: a JSON object of any settings (see `readSettingsObject`). */
export async function readSettingsFile(file: string): Promise<SettingsLayer> {
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
  return readSettingsObject(json, file);
}

/** A file's text, or a one-line UsageError naming `flag` and why it cannot be read. */
export async function readText(flag: string, file: string): Promise<string> {
  try {
    return await readFile(file, "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === "ENOENT" ? "no such file" : code === "EISDIR" ? "a folder, not a file" : code;
    throw new UsageError(`${flag}: cannot read ${file} (${why ?? (e as Error).message})`);
  }
}
