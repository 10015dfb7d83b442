// Kept offsets must answer exactly what luxon answers from the zone's rules, at every instant,
// across the changes of the zones with the oddest rules.
import fc from "fast-check";
import { DateTime } from "luxon";
import { describe, expect, it } from "vitest";
import { formatDateTime, writeDateTime } from "../../../src/domain/figure-format.ts";
import { offsetMs, zoneNamed } from "../../../src/domain/zone-offsets.ts";

const ZONES = [
  "Europe/London",
  "America/New_York",
  "America/St_Johns", // a half-hour offset that changes
  "Australia/Lord_Howe", // a change of half an hour
  "Antarctica/Troll", // a change of two hours
  "Asia/Kathmandu", // a quarter-hour offset
  "Pacific/Chatham", // 12:45 and 13:45
  "Africa/Casablanca", // changes around Ramadan
  "Pacific/Apia", // skipped a whole day in 2011
  "UTC",
];

/** Instants from 1970 to 2100, and instants within a minute of each zone's changes. */
const anyInstant = fc.integer({ min: 0, max: Date.UTC(2100, 0, 1) });

function changesOf(zone: string, year: number): number[] {
  const out: number[] = [];
  let prev = DateTime.fromMillis(Date.UTC(year, 0, 1), { zone }).offset;
  for (let t = Date.UTC(year, 0, 1); t < Date.UTC(year + 1, 0, 1); t += 15 * 60_000) {
    const now = DateTime.fromMillis(t, { zone }).offset;
    if (now !== prev) out.push(t);
    prev = now;
  }
  return out;
}

describe("kept zone offsets", () => {
  it("give luxon's own offset at any instant", () => {
    fc.assert(
      fc.property(fc.constantFrom(...ZONES), anyInstant, (zone, at) => {
        const expected = DateTime.fromMillis(at, { zone }).offset;
        expect(offsetMs(zone, at)).toBe(expected * 60_000);
        expect(DateTime.fromMillis(at, { zone: zoneNamed(zone) }).offset).toBe(expected);
      }),
      { numRuns: 3_000 },
    );
  });

  it("give luxon's own answers on either side of every change of 2026, to the millisecond", () => {
    for (const zone of ZONES) {
      for (const change of changesOf(zone, 2026)) {
        for (let at = change - 16 * 60_000; at <= change + 16 * 60_000; at += 59_999) {
          for (const t of [at, at - 1, at + 1]) {
            const plain = DateTime.fromMillis(t, { zone });
            const kept = DateTime.fromMillis(t, { zone: zoneNamed(zone) });
            expect(kept.offset, `${zone} ${new Date(t).toISOString()}`).toBe(plain.offset);
            expect(kept.startOf("day").toMillis()).toBe(plain.startOf("day").toMillis());
            expect(kept.set({ hour: 2, minute: 30 }).toMillis()).toBe(
              plain.set({ hour: 2, minute: 30 }).toMillis(),
            );
            expect(kept.minus({ days: 1 }).toMillis()).toBe(plain.minus({ days: 1 }).toMillis());
          }
        }
      }
    }
  });

  it("do the same date arithmetic as the zone's rules do", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...ZONES),
        anyInstant,
        fc.integer({ min: 0, max: 23 }),
        fc.integer({ min: -400, max: 400 }),
        (zone, at, hour, days) => {
          const plain = DateTime.fromMillis(at, { zone });
          const kept = DateTime.fromMillis(at, { zone: zoneNamed(zone) });
          const step = (d: DateTime) =>
            d.startOf("day").set({ hour, minute: 15 }).plus({ days }).startOf("week").toISO();
          expect(step(kept)).toBe(step(plain));
        },
      ),
      { numRuns: 2_000 },
    );
  });

  it("leave a name that is no zone to luxon, which calls it invalid", () => {
    expect(zoneNamed("Mars/Olympus_Mons")).toBe("Mars/Olympus_Mons");
    expect(DateTime.fromMillis(0, { zone: zoneNamed("Mars/Olympus_Mons") }).isValid).toBe(false);
  });
});

describe("formatDateTime", () => {
  it("writes what the zone's clock shows, whichever second of the minute it is given", () => {
    fc.assert(
      fc.property(fc.constantFrom(...ZONES), anyInstant, (zone, at) => {
        const minute = Math.floor(at / 60_000) * 60_000;
        expect(formatDateTime(new Date(minute), zone)).toBe(writeDateTime(new Date(minute), zone));
        expect(formatDateTime(new Date(at), zone)).toBe(writeDateTime(new Date(at), zone));
        expect(formatDateTime(new Date(minute + 59_999), zone)).toBe(
          writeDateTime(new Date(minute + 59_999), zone),
        );
      }),
      { numRuns: 2_000 },
    );
  });
});
