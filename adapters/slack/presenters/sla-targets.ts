// SLA targets as an admin types them in the set-up form: "P1 15m/4h 24x7, P2 1h/8h, P3 4h/3d".
// A "d" is a working day of 8 hours, so it only makes sense on the business clock.
import { PRIORITIES, partnershipSettingsSchema, type Priority, type SlaTargets } from "../../../src/index.ts";

type SlaTarget = SlaTargets[Priority];

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
