import { readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { readSettingsObject } from "../../../app/cli/settings-file.ts";
import { DEFAULT_SETTINGS, parseSettings } from "../../../src/domain/partnership.ts";

// The settings file of `rapport partnership configure --file`, read without a database.

describe("a settings file", () => {
  it("reads the README's example into valid settings", async () => {
    const readme = await readFile(path.resolve(import.meta.dirname, "../../../README.md"), "utf8");
    const section = readme.slice(readme.indexOf("### Settings from the command line"));
    const json = /```json\n([\s\S]*?)```/.exec(section)?.[1];
    expect(json).toBeDefined();
    const read = readSettingsObject(JSON.parse(json!) as Record<string, unknown>, "settings.json");
    const settings = parseSettings({ ...DEFAULT_SETTINGS, ...read });
    expect(settings).toMatchObject({
      workingHours: {
        "5": [{ start: "08:00", end: "15:00" }],
      },
      holidays: ["2026-12-25", "2026-12-26", "2027-01-01"],
      sla: DEFAULT_SETTINGS.sla,
      nudge: { unansweredMinutes: 90, nearingPercent: 80, recommendationStaleDays: 14 },
      downtimeCostPerHour: 450,
      digestWeekday: 5,
      digestTime: "16:30",
      autoIntake: true,
    });
  });

  it("reads the stored shape and the form's texts to the same settings", () => {
    const asText = readSettingsObject(
      {
        workingHours: "Mon-Fri 09:00-17:30",
        holidays: "2026-12-25, 2026-12-26",
        sla: { P2: "1h/8h", P1: "15m/4h 24x7" },
        digestWeekday: "mon",
        autoIntake: "off",
      },
      "a.json",
    );
    const asStored = readSettingsObject(
      {
        workingHours: DEFAULT_SETTINGS.workingHours,
        holidays: ["2026-12-26", "2026-12-25"],
        sla: { P2: DEFAULT_SETTINGS.sla.P2, P1: DEFAULT_SETTINGS.sla.P1 },
        digestWeekday: 1,
        autoIntake: false,
      },
      "b.json",
    );
    expect(asText).toEqual(asStored);
    expect(asStored).toEqual({
      workingHours: DEFAULT_SETTINGS.workingHours,
      holidays: ["2026-12-25", "2026-12-26"],
      sla: { P1: DEFAULT_SETTINGS.sla.P1, P2: DEFAULT_SETTINGS.sla.P2 },
      digestWeekday: 1,
      autoIntake: false,
    });
  });

  it.each([
    [
      { sla: { P3: { firstResponseMinutes: 1.5, resolutionMinutes: 60, clock: "business" } } },
      '"sla.P3": P3: give',
    ],
    [
      { sla: { P3: { firstResponseMinutes: 60, resolutionMinutes: 600, clock: "weekdays" } } },
      '"sla.P3": P3: give',
    ],
    [{ nudge: 90 }, '"nudge": give an object of any of unansweredMinutes'],
    [{ digestTime: 930 }, '"digestTime": Choose the digest time as HH:MM'],
    [{ holidays: [20261225] }, '"holidays": "[20261225]" is not a date like 2026-12-25'],
  ])("refuses %j, naming the setting", (json, message) => {
    expect(() => readSettingsObject(json, "s.json")).toThrow(`--file: in s.json, ${message}`);
  });
});
