import { DateTime, IANAZone, Info } from "luxon";

// A zone's offset, worked out by luxon from the zone's rules through Intl (a formatToParts each
// time, the dearest step of placing an instant in a zone), kept per UTC day: a day whose two ends
// have the same offset has no change inside it (no zone changes its offset twice in a day). The
// day of a change is kept per quarter hour the same way, and the quarter hour of the change
// itself is never kept.
const DAY_MS = 86_400_000;
const QUARTER_HOUR_MS = 15 * 60_000;
const CHANGES = Number.NaN;
/** Offsets kept per zone before its record starts again. */
const CACHE_LIMIT = 100_000;
const offsets = new Map<string, Map<number, number>>();

function zoneOffsetMs(timezone: string, at: number): number {
  return DateTime.fromMillis(at, { zone: timezone }).offset * 60_000;
}

/** The offset throughout [start, start + length), or CHANGES: kept under `key`. */
function steadyOffset(
  known: Map<number, number>,
  key: number,
  timezone: string,
  start: number,
  length: number,
) {
  const hit = known.get(key);
  if (hit !== undefined) return hit;
  const first = zoneOffsetMs(timezone, start);
  const steady = first === zoneOffsetMs(timezone, start + length - 1) ? first : CHANGES;
  known.set(key, steady);
  return steady;
}

/** The zone's offset at `at`, kept per day (or, on the day of a change, per quarter hour). */
export function offsetMs(timezone: string, at: number): number {
  let known = offsets.get(timezone);
  if (!known || known.size > CACHE_LIMIT) {
    known = new Map();
    offsets.set(timezone, known);
  }
  const day = Math.floor(at / DAY_MS);
  const daily = steadyOffset(known, day, timezone, day * DAY_MS, DAY_MS);
  if (!Number.isNaN(daily)) return daily;
  // Quarter hours under keys of their own (negative, so never a day's).
  const quarter = Math.floor(at / QUARTER_HOUR_MS);
  const q = steadyOffset(known, -1 - quarter, timezone, quarter * QUARTER_HOUR_MS, QUARTER_HOUR_MS);
  return Number.isNaN(q) ? zoneOffsetMs(timezone, at) : q;
}

/**
 * An IANA zone for luxon whose offsets come from `offsetMs`: luxon asks a zone for its offset at
 * every step of date arithmetic (each `set`, `startOf`, `minus`), and these answers are kept.
 */
class KeptOffsetsZone extends IANAZone {
  override offset(ts: number): number {
    return Number.isFinite(ts) ? offsetMs(this.name, ts) / 60_000 : Number.NaN;
  }
}

const zones = new Map<string, KeptOffsetsZone | string>();

/**
 * The zone named `timezone` for luxon's `zone` option, its offsets kept; any other name (UTC, a
 * fixed offset, one that is no zone) is given back as it is, for luxon to answer as it always does.
 */
export function zoneNamed(timezone: string): IANAZone | string {
  let zone = zones.get(timezone);
  if (zone === undefined) {
    if (zones.size >= 1_000) zones.clear();
    // Only a zone luxon reads from the IANA rules: "UTC" and fixed offsets it answers itself.
    const own = Info.normalizeZone(timezone);
    zone = own instanceof IANAZone && own.isValid ? new KeptOffsetsZone(timezone) : timezone;
    zones.set(timezone, zone);
  }
  return zone;
}
