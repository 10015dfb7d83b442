import { existsSync, mkdtempSync } from "node:fs";
import { readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../../../app/cli/index.ts";
import { holidaysFromICalendar, holidayWindow } from "../../../src/domain/holiday-calendar.ts";
import type { PartnershipSettings } from "../../../src/domain/partnership.ts";
import { templateFile } from "../../../scripts/build.js";

// `rapport partnership configure`. Every run that reaches the database opens the embedded one
// (about 3 s), so the cases share one data folder and group their assertions; mistakes in the
// flags, the files and the values never open it.
const SLOW = { timeout: 60_000 };
const UK_ICS = path.resolve(import.meta.dirname, "../../fixtures/ical/uk-bank-holidays.ics");

const root = mkdtempSync(path.join(tmpdir(), "rapport-configure-"));
const dataDir = path.join(root, "data");
const inRoot = (name: string) => path.join(root, name);

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

interface Run {
  code: number;
  stdout: string[];
  stderr: string[];
}

async function rapport(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Run> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(
    args,
    { RAPPORT_DATA_DIR: dataDir, RAPPORT_PGLITE_TEMPLATE: templateFile(), LOG_LEVEL: "silent", ...env },
    { out: (l) => void out.push(...l.split("\n")), err: (l) => void err.push(...l.split("\n")) },
  );
  return { code, stdout: out, stderr: err };
}

async function newPartnership(name: string): Promise<string> {
  const run = await rapport([
    "partnership",
    "create",
    "--name",
    name,
    "--provider",
    "Northwind IT",
    "--client",
    name,
  ]);
  expect(run, run.stderr.join("\n")).toMatchObject({ code: 0, stderr: [] });
  return run.stdout[0]!;
}

const configure = (id: string, ...flags: string[]) =>
  rapport(["partnership", "configure", "--partnership", id, ...flags]);

/** The partnership's settings as stored, read back through `rapport export`. */
async function stored(id: string): Promise<PartnershipSettings> {
  const out = path.join(root, `export-${id}`);
  const run = await rapport(["export", "--partnership", id, "--format", "json", "--out", out]);
  expect(run.code, run.stderr.join("\n")).toBe(0);
  const [file] = await readdir(out);
  return (JSON.parse(await readFile(path.join(out, file!), "utf8")) as { partnership: PartnershipSettings })
    .partnership;
}

async function writeTemp(name: string, text: string): Promise<string> {
  await writeFile(inRoot(name), text);
  return inRoot(name);
}

describe("rapport partnership configure", () => {
  it("sets every setting from its flag, prints what changed, and stores it", SLOW, async () => {
    const id = await newPartnership("Acme Dental");
    const run = await configure(
      id,
      ...[
        "--timezone",
        "America/New_York",
        "--working-hours",
        "Mon-Thu 08:00-12:00,13:00-17:00; Fri 08:00-15:00",
      ],
      ...["--holidays", "2026-12-26, 2026-12-25", "--sla", "P1 10m/2h 24x7, P2 30m/8h, P3 4h/2d, P4 1d/10d"],
      ...["--unanswered-minutes", "90", "--nearing-percent", "80", "--stale-days", "10"],
      ...[
        "--downtime-cost",
        "250.5",
        "--currency",
        "usd",
        "--digest-day",
        "friday",
        "--digest-time",
        "16:30",
      ],
      ...["--auto-intake", "on"],
    );
    expect(run).toEqual({
      code: 0,
      stdout: [
        "timezone: America/New_York",
        "working hours: Mon-Thu 08:00-12:00,13:00-17:00; Fri 08:00-15:00",
        "holidays: 2026-12-25, 2026-12-26",
        "SLA targets: P1 10m/2h 24x7, P2 30m/8h, P3 4h/2d, P4 8h/10d",
        "unanswered after: 90 minutes",
        "nearing breach at: 80% of the first-response target",
        "recommendations stale after: 10 days",
        "downtime cost: 250.5 USD an hour",
        "digest: Friday at 16:30",
        "auto-intake: on",
      ],
      stderr: [],
    });
    expect(await stored(id)).toMatchObject({
      timezone: "America/New_York",
      workingHours: {
        "1": [
          { start: "08:00", end: "12:00" },
          { start: "13:00", end: "17:00" },
        ],
      },
      holidays: ["2026-12-25", "2026-12-26"],
      sla: {
        P1: { firstResponseMinutes: 10, resolutionMinutes: 120, clock: "24x7" },
        P2: { firstResponseMinutes: 30, resolutionMinutes: 480, clock: "business" },
      },
      nudge: { unansweredMinutes: 90, nearingPercent: 80, recommendationStaleDays: 10 },
      downtimeCostPerHour: 250.5,
      currency: "USD",
      digestWeekday: 5,
      digestTime: "16:30",
      autoIntake: true,
    });

    // One flag changes one setting; the same value again changes nothing and says so.
    expect(await configure(id, "--auto-intake", "off", "--digest-day", "1")).toMatchObject({
      code: 0,
      stdout: ["digest: Monday at 16:30", "auto-intake: off"],
    });
    expect(await configure(id, "--stale-days", "10", "--timezone", "America/New_York")).toEqual({
      code: 0,
      stdout: ["No setting changed: each already had that value."],
      stderr: [],
    });
    expect((await stored(id)).nudge).toEqual({
      unansweredMinutes: 90,
      nearingPercent: 80,
      recommendationStaleDays: 10,
    });
  });

  it("replaces, adds to and imports the holidays", SLOW, async () => {
    const id = await newPartnership("Globex");
    expect((await configure(id, "--holidays", "2026-12-25\n2026-12-25 2026-12-24")).stdout).toEqual([
      "holidays: 2026-12-24, 2026-12-25",
    ]);
    expect((await configure(id, "--add-holidays", "2026-12-31,2026-12-24")).stdout).toEqual([
      "holidays: 2026-12-24, 2026-12-25, 2026-12-31",
    ]);

    const imported = await configure(id, "--holidays-ical", UK_ICS, "--add-holidays", "2026-12-29");
    expect(imported.code, imported.stderr.join("\n")).toBe(0);
    const today = new Date().toISOString().slice(0, 10);
    const fromCalendar = holidaysFromICalendar(await readFile(UK_ICS, "utf8"), holidayWindow(today));
    if ("error" in fromCalendar) throw new Error(fromCalendar.error);
    const expected = [
      ...new Set(["2026-12-24", "2026-12-25", "2026-12-29", "2026-12-31", ...fromCalendar.dates]),
    ].sort();
    expect((await stored(id)).holidays).toEqual(expected);
    expect(imported.stdout).toEqual([`holidays: ${expected.join(", ")}`]);
    const year = Number(today.slice(0, 4));
    for (const day of [`${year - 1}-01-01`, `${year}-12-25`, `${year + 5}-12-26`])
      expect(expected).toContain(day);
    expect(expected.some((d) => d < `${year - 1}-01-01` || d > `${year + 5}-12-31`)).toBe(false);

    // --holidays replaces the list before the calendar's dates are added to it.
    const replaced = await configure(id, "--holidays", "2026-12-24", "--holidays-ical", UK_ICS);
    expect(replaced.code).toBe(0);
    expect((await stored(id)).holidays).toEqual([...new Set(["2026-12-24", ...fromCalendar.dates])].sort());
  });

  it("merges a settings file over the current settings, the flags over the file", SLOW, async () => {
    const id = await newPartnership("Initech");
    const file = await writeTemp(
      "settings.json",
      JSON.stringify({
        timezone: "Europe/Berlin",
        holidays: ["2026-10-03", "2026-12-25", "2026-10-03"],
        nudge: { unansweredMinutes: 45 },
        sla: { P4: { firstResponseMinutes: 960, resolutionMinutes: 9600, clock: "business" } },
        digestTime: "08:00",
        currency: "EUR",
      }),
    );
    const run = await configure(id, "--file", file, "--digest-time", "07:30", "--add-holidays", "2026-12-26");
    expect(run).toEqual({
      code: 0,
      stdout: [
        "timezone: Europe/Berlin",
        "holidays: 2026-10-03, 2026-12-25, 2026-12-26",
        "SLA targets: P1 15m/4h 24x7, P2 1h/8h, P3 4h/3d, P4 2d/20d",
        "unanswered after: 45 minutes",
        "downtime cost: 0 EUR an hour",
        "digest: Monday at 07:30",
      ],
      stderr: [],
    });
    const settings = await stored(id);
    // Only the threshold and the priority the file names change; the others stay.
    expect(settings.nudge).toEqual({
      unansweredMinutes: 45,
      nearingPercent: 75,
      recommendationStaleDays: 14,
    });
    expect(settings.sla.P1).toEqual({ firstResponseMinutes: 15, resolutionMinutes: 240, clock: "24x7" });

    const flagsWin = await configure(
      id,
      "--file",
      file,
      "--holidays",
      "2027-01-01",
      "--timezone",
      "Europe/Paris",
    );
    expect(flagsWin.stdout).toEqual([
      "timezone: Europe/Paris",
      "holidays: 2027-01-01",
      "digest: Monday at 08:00",
    ]);
  });

  it("reads a settings file written as the set-up form's texts, or in the stored shape", SLOW, async () => {
    const id = await newPartnership("Umbrella");
    const texts = await writeTemp(
      "form-texts.json",
      JSON.stringify({
        workingHours: "Mon-Thu 08:00-12:00,13:00-17:00; Fri 08:00-15:00",
        holidays: "2026-12-26, 2026-12-25",
        sla: "P1 10m/2h 24x7, P2 30m/8h, P3 4h/2d, P4 1d/10d",
        nudge: { unansweredMinutes: "90", nearingPercent: "80%" },
        downtimeCostPerHour: "250.5",
        currency: "usd",
        digestWeekday: "friday",
        digestTime: "16:30",
        autoIntake: "on",
      }),
    );
    expect(await configure(id, "--file", texts)).toEqual({
      code: 0,
      stdout: [
        "working hours: Mon-Thu 08:00-12:00,13:00-17:00; Fri 08:00-15:00",
        "holidays: 2026-12-25, 2026-12-26",
        "SLA targets: P1 10m/2h 24x7, P2 30m/8h, P3 4h/2d, P4 8h/10d",
        "unanswered after: 90 minutes",
        "nearing breach at: 80% of the first-response target",
        "downtime cost: 250.5 USD an hour",
        "digest: Friday at 16:30",
        "auto-intake: on",
      ],
      stderr: [],
    });
    const shaped = await writeTemp(
      "stored-shape.json",
      JSON.stringify({
        workingHours: { "1": [{ start: "09:00", end: "17:00" }], "3": [{ start: "09:00", end: "13:00" }] },
        sla: { P2: "1h/8h", P3: { firstResponseMinutes: 120, resolutionMinutes: 960, clock: "24x7" } },
        digestWeekday: 2,
        autoIntake: false,
      }),
    );
    expect(await configure(id, "--file", shaped)).toEqual({
      code: 0,
      stdout: [
        "working hours: Mon 09:00-17:00; Wed 09:00-13:00",
        "SLA targets: P1 10m/2h 24x7, P2 1h/8h, P3 2h/16h 24x7, P4 8h/10d",
        "digest: Tuesday at 16:30",
        "auto-intake: off",
      ],
      stderr: [],
    });
    expect((await stored(id)).sla.P3).toEqual({
      firstResponseMinutes: 120,
      resolutionMinutes: 960,
      clock: "24x7",
    });
  });

  it("says in one line that an unknown partnership does not exist", SLOW, async () => {
    const run = await configure("no-such-id", "--auto-intake", "on");
    expect(run).toEqual({
      code: 1,
      stdout: [],
      stderr: [
        "rapport partnership configure: No partnership has the id no-such-id. `rapport partnership list` shows them.",
      ],
    });
  });
});

describe("rapport partnership configure refuses bad input with exit 2 and one line", () => {
  const neverOpened = inRoot("never-opened");
  const files = {
    text: inRoot("holidays.txt"),
    timed: inRoot("timed.ics"),
    notJson: inRoot("not.json"),
    array: inRoot("array.json"),
    typo: inRoot("typo.json"),
    badDay: inRoot("day.json"),
    badHoliday: inRoot("holiday.json"),
    badNudge: inRoot("nudge.json"),
    formHours: inRoot("form-hours.json"),
    shapeHours: inRoot("shape-hours.json"),
    backwardsTarget: inRoot("backwards-target.json"),
    fewTargets: inRoot("few-targets.json"),
    noPriority: inRoot("no-priority.json"),
    zone: inRoot("zone.json"),
    negative: inRoot("negative.json"),
    nudgeName: inRoot("nudge-name.json"),
    cost: inRoot("cost.json"),
  };
  const window = holidayWindow(new Date().toISOString().slice(0, 10));

  beforeAll(async () => {
    await writeFile(files.text, "Christmas Day: 25 December\n");
    const timed = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//t//EN", "BEGIN:VEVENT", "UID:1"];
    timed.push("DTSTART:20261225T100000Z", "SUMMARY:Carols", "END:VEVENT", "END:VCALENDAR", "");
    await writeFile(files.timed, timed.join("\r\n"));
    await writeFile(files.notJson, "timezone: Europe/London\n");
    await writeFile(files.array, '["Europe/London"]');
    await writeFile(files.typo, '{"timeZone": "Europe/London"}');
    await writeFile(files.badDay, '{"digestWeekday": 9}');
    await writeFile(files.badHoliday, '{"holidays": ["2026-12-25", "2026-02-30"]}');
    await writeFile(files.badNudge, '{"nudge": {"nearingPercent": 100}}');
    await writeFile(files.formHours, '{"workingHours": "Funday 09:00-17:00"}');
    await writeFile(files.shapeHours, '{"workingHours": {"8": [{"start": "09:00", "end": "17:00"}]}}');
    const backwards = { firstResponseMinutes: 480, resolutionMinutes: 60, clock: "business" };
    await writeFile(files.backwardsTarget, JSON.stringify({ sla: { P2: backwards } }));
    await writeFile(files.fewTargets, '{"sla": "P1 15m/4h 24x7"}');
    await writeFile(files.noPriority, '{"sla": {"P5": "1h/8h"}}');
    await writeFile(files.zone, '{"timezone": "Mars/Olympus"}');
    await writeFile(files.negative, '{"nudge": {"unansweredMinutes": -5}}');
    await writeFile(files.nudgeName, '{"nudge": {"unanswered": 5}}');
    await writeFile(files.cost, '{"downtimeCostPerHour": -3, "currency": "GBP"}');
  });

  const cases: [string, string[], string][] = [
    [
      "no setting at all",
      [],
      "say what to change: give a setting's flag or --file (`rapport help` lists them)",
    ],
    [
      "--timezone Mars/Olympus",
      ["--timezone", "Mars/Olympus"],
      '--timezone: Use an IANA timezone name such as Europe/London or America/New_York (got "Mars/Olympus")',
    ],
    [
      "--working-hours Funday",
      ["--working-hours", "Funday 09:00-17:00"],
      '--working-hours: "Funday" is not a weekday (Mon, Tue, … Sun) (got "Funday 09:00-17:00")',
    ],
    [
      "--working-hours backwards",
      ["--working-hours", "Mon-Fri 17:00-09:00"],
      '--working-hours: "17:00-09:00" ends before it starts (got "Mon-Fri 17:00-09:00")',
    ],
    [
      "--sla with priorities missing",
      ["--sla", "P1 15m/4h 24x7"],
      '--sla: Give targets for every priority; missing: P2, P3, P4 (got "P1 15m/4h 24x7")',
    ],
    [
      "--holidays with a day that does not exist",
      ["--holidays", "2026-12-25,2026-02-30"],
      '--holidays: "2026-02-30" is not a real date (got "2026-12-25,2026-02-30")',
    ],
    [
      "--add-holidays in another format",
      ["--add-holidays", "25/12/2026"],
      '--add-holidays: "25/12/2026" is not a date like 2026-12-25 (YYYY-MM-DD) (got "25/12/2026")',
    ],
    [
      "--holidays-ical without a file",
      ["--holidays-ical", inRoot("missing.ics")],
      `--holidays-ical: cannot read ${inRoot("missing.ics")} (no such file)`,
    ],
    [
      "--holidays-ical of a folder",
      ["--holidays-ical", root],
      `--holidays-ical: cannot read ${root} (a folder, not a file)`,
    ],
    [
      "--holidays-ical of a text file",
      ["--holidays-ical", files.text],
      `--holidays-ical: ${files.text}: it is not an iCalendar file (it does not begin with BEGIN:VCALENDAR)`,
    ],
    [
      "--holidays-ical without all-day events",
      ["--holidays-ical", files.timed],
      `--holidays-ical: ${files.timed} has no all-day events between ${window.from} and ${window.to}`,
    ],
    [
      "--unanswered-minutes ten",
      ["--unanswered-minutes", "ten"],
      '--unanswered-minutes: The unanswered threshold must be a positive whole number of minutes, such as 120 (got "ten")',
    ],
    [
      "--nearing-percent 100",
      ["--nearing-percent", "100"],
      '--nearing-percent: The nearing-breach warning must be a whole percentage from 1 to 99, such as 75 (got "100")',
    ],
    [
      "--stale-days 1.5",
      ["--stale-days", "1.5"],
      '--stale-days: The stale limit for recommendations must be a positive whole number of days, such as 14 (got "1.5")',
    ],
    [
      "--downtime-cost=-5",
      ["--downtime-cost=-5"],
      '--downtime-cost: The downtime cost must be an amount an hour of 0 or more, such as 450 or 87.50 (got "-5")',
    ],
    [
      "--downtime-cost -3",
      ["--downtime-cost", "-3"],
      '--downtime-cost: The downtime cost must be an amount an hour of 0 or more, such as 450 or 87.50 (got "-3")',
    ],
    [
      "--downtime-cost £250",
      ["--downtime-cost", "£250"],
      '--downtime-cost: The downtime cost must be an amount an hour of 0 or more, such as 450 or 87.50 (got "£250")',
    ],
    [
      "--unanswered-minutes -5",
      ["--unanswered-minutes", "-5", "--auto-intake", "on"],
      '--unanswered-minutes: The unanswered threshold must be a positive whole number of minutes, such as 120 (got "-5")',
    ],
    [
      "--unanswered-minutes 0",
      ["--unanswered-minutes", "0"],
      '--unanswered-minutes: The unanswered threshold must be a positive whole number of minutes, such as 120 (got "0")',
    ],
    [
      "--nearing-percent -.5",
      ["--nearing-percent", "-.5"],
      '--nearing-percent: The nearing-breach warning must be a whole percentage from 1 to 99, such as 75 (got "-.5")',
    ],
    [
      "a flag after --stale-days instead of its value",
      ["--stale-days", "--auto-intake", "on"],
      "--stale-days needs a value",
    ],
    [
      "--currency pounds",
      ["--currency", "pounds"],
      '--currency: Use a three-letter ISO 4217 currency code such as GBP, EUR or USD (got "pounds")',
    ],
    [
      "--digest-day funday",
      ["--digest-day", "funday"],
      '--digest-day: Choose the day of the week for the digest (got "funday")',
    ],
    [
      "--digest-day 8",
      ["--digest-day", "8"],
      '--digest-day: Choose the day of the week for the digest (got "8")',
    ],
    [
      "--digest-time 9am",
      ["--digest-time", "9am"],
      '--digest-time: Choose the digest time as HH:MM on a 24-hour clock, such as 09:00 or 16:30 (got "9am")',
    ],
    [
      "--auto-intake yes",
      ["--auto-intake", "yes"],
      '--auto-intake: Say on or off for auto-intake (got "yes")',
    ],
    [
      "--file without a file",
      ["--file", inRoot("missing.json")],
      `--file: cannot read ${inRoot("missing.json")} (no such file)`,
    ],
    ["--file that is not JSON", ["--file", files.notJson], `--file: ${files.notJson} is not JSON (`],
    [
      "--file of a list",
      ["--file", files.array],
      `--file: ${files.array} must hold a JSON object of settings, such as {"timezone": "…"}`,
    ],
    [
      "--file with a misspelt setting",
      ["--file", files.typo],
      '--file: "timeZone" is not a setting; the settings are timezone, workingHours, holidays, sla, nudge, downtimeCostPerHour, currency, digestWeekday, digestTime, autoIntake',
    ],
    [
      "--file with a bad value",
      ["--file", files.badDay],
      `--file: in ${files.badDay}, "digestWeekday": Choose the day of the week for the digest.`,
    ],
    [
      "--file with a day that does not exist",
      ["--file", files.badHoliday],
      `--file: in ${files.badHoliday}, "holidays": "2026-02-30" is not a real date`,
    ],
    [
      "--file with a bad threshold",
      ["--file", files.badNudge],
      `--file: in ${files.badNudge}, "nudge.nearingPercent": The nearing-breach warning must be a whole percentage from 1 to 99, such as 75.`,
    ],
    [
      "--file with working hours as a form's text",
      ["--file", files.formHours],
      `--file: in ${files.formHours}, "workingHours": "Funday" is not a weekday (Mon, Tue, … Sun)`,
    ],
    [
      "--file with working hours in neither shape",
      ["--file", files.shapeHours],
      `--file: in ${files.shapeHours}, "workingHours": give "Mon-Fri 09:00-17:30", or {"1": [{"start": "09:00", "end": "17:30"}], …} (1 is Monday)`,
    ],
    [
      "--file with a resolution target shorter than the first response",
      ["--file", files.backwardsTarget],
      `--file: in ${files.backwardsTarget}, "sla.P2": P2: the resolution target cannot be shorter than the first response`,
    ],
    [
      "--file with the form's SLA text short of priorities",
      ["--file", files.fewTargets],
      `--file: in ${files.fewTargets}, "sla": Give targets for every priority; missing: P2, P3, P4`,
    ],
    [
      "--file with a priority that does not exist",
      ["--file", files.noPriority],
      `--file: in ${files.noPriority}, "sla.P5": "P5" is not a priority; the priorities are P1, P2, P3, P4`,
    ],
    [
      "--file with an unknown timezone",
      ["--file", files.zone],
      `--file: in ${files.zone}, "timezone": Use an IANA timezone name such as Europe/London or America/New_York.`,
    ],
    [
      "--file with a negative threshold",
      ["--file", files.negative],
      `--file: in ${files.negative}, "nudge.unansweredMinutes": The unanswered threshold must be a positive whole number of minutes, such as 120.`,
    ],
    [
      "--file with a misspelt threshold",
      ["--file", files.nudgeName],
      `--file: in ${files.nudgeName}, "nudge.unanswered": not a threshold; the thresholds are unansweredMinutes, nearingPercent, recommendationStaleDays`,
    ],
    [
      "--file with a negative downtime cost",
      ["--file", files.cost],
      `--file: in ${files.cost}, "downtimeCostPerHour": The downtime cost must be an amount an hour of 0 or more, such as 450 or 87.50.`,
    ],
    ["a flag without its value", ["--auto-intake", "on", "--timezone"], "--timezone needs a value"],
    ["an unknown flag", ["--colour", "red"], "unknown option --colour"],
  ];

  it.each(cases)("%s", async (_what, flags, message) => {
    const run = await rapport(["partnership", "configure", "--partnership", "any-id", ...flags], {
      RAPPORT_DATA_DIR: neverOpened,
    });
    expect(run.stdout).toEqual([]);
    expect(run.stderr).toHaveLength(1);
    expect(run.stderr[0]!.startsWith(`rapport partnership configure: ${message}`), run.stderr[0]).toBe(true);
    expect(run.code).toBe(2);
    expect(existsSync(neverOpened)).toBe(false);
  });

  it("needs --partnership", async () => {
    const run = await rapport(["partnership", "configure", "--auto-intake", "on"], {
      RAPPORT_DATA_DIR: neverOpened,
    });
    expect(run).toEqual({
      code: 2,
      stdout: [],
      stderr: ["rapport partnership configure: --partnership is required"],
    });
  });
});
