import type { PartnershipSettings } from "./partnership.ts";

/** Settings as they stood from `from` until the next version: what was in force at each instant. */
export interface SettingsVersion {
  from: Date;
  settings: PartnershipSettings;
}

/** A partnership's settings versions, oldest first; the first one also covers everything before it. */
export type SettingsHistory = readonly SettingsVersion[];

/** The settings in force at `at`: the latest version from at or before it, else the first. */
export function settingsAt(history: SettingsHistory, at: Date): PartnershipSettings {
  let current = history[0];
  if (!current) throw new Error("A settings history needs at least one version.");
  for (const v of history) {
    if (v.from.getTime() <= at.getTime()) current = v;
    else break;
  }
  return current.settings;
}

/** A history of one version that has always been in force: today's settings for every instant. */
export function constantHistory(settings: PartnershipSettings): SettingsHistory {
  return [{ from: new Date(0), settings }];
}

/** The instants, after `from` and before `to`, at which a new version takes effect. */
export function settingsChangesBetween(history: SettingsHistory, from: number, to: number): number[] {
  return history.map((v) => v.from.getTime()).filter((t) => t > from && t < to);
}
