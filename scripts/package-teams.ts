// Builds the Teams app package that is uploaded to Teams (or the admin centre):
// `npm run package:teams` writes dist/teams/rapport-teams.zip and prints its path.
//
// manifest/teams/manifest.json carries the placeholder bot id 00000000-0000-0000-0000-000000000000
// and the host rapport.example.com. Set MICROSOFT_APP_ID to the Azure Bot's app (client) id and
// RAPPORT_PUBLIC_HOST to the host rapport is reached at, and the package gets them instead.

import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { zipSync } from "fflate";

/** The files at the package's root, all read from manifest/teams/. */
export const TEAMS_PACKAGE_FILES = ["manifest.json", "color.png", "outline.png"] as const;

/** The package's file name under the output directory. */
export const TEAMS_PACKAGE_NAME = "rapport-teams.zip";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const GUID = /^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$/;
// A fixed timestamp makes the same inputs give the same bytes (zip stores one per entry).
const MTIME = new Date("2025-01-01T00:00:00Z");

/** Where the package is built from and to, and the environment it reads its substitutions from. */
export interface TeamsPackageOptions {
  /** The folder holding manifest.json and the icons; manifest/teams by default. */
  sourceDir?: string;
  /** The folder the zip is written to; dist/teams by default. */
  outDir?: string;
  /** MICROSOFT_APP_ID and RAPPORT_PUBLIC_HOST are read from here; process.env by default. */
  env?: Readonly<Record<string, string | undefined>>;
}

/** A package that cannot be built: a missing file or a malformed setting. The message is one line. */
export class TeamsPackageError extends Error {
  override readonly name = "TeamsPackageError";
}

interface TeamsManifest {
  bots?: { botId: string }[];
  composeExtensions?: { botId?: string }[];
  validDomains?: string[];
  [key: string]: unknown;
}

/** Reduces "https://rapport.acme.com/" or "rapport.acme.com:8443" to what validDomains expects. */
function hostOf(value: string): string {
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `https://${value}`;
  try {
    return new URL(withScheme).host;
  } catch {
    throw new TeamsPackageError(`RAPPORT_PUBLIC_HOST is not a host name: ${value}`);
  }
}

/** The manifest with the environment's bot id and host put in place of the placeholders. */
export function substitute(manifest: TeamsManifest, env: TeamsPackageOptions["env"] = {}): TeamsManifest {
  const result = structuredClone(manifest);
  const appId = env.MICROSOFT_APP_ID?.trim();
  if (appId) {
    if (!GUID.test(appId)) throw new TeamsPackageError(`MICROSOFT_APP_ID is not a GUID: ${appId}`);
    for (const bot of result.bots ?? []) bot.botId = appId;
    for (const extension of result.composeExtensions ?? []) extension.botId = appId;
  }
  const host = env.RAPPORT_PUBLIC_HOST?.trim();
  if (host) result.validDomains = [hostOf(host)];
  return result;
}

/** Builds the Teams app zip (manifest.json, color.png, outline.png at its root) and returns its path. */
export function buildTeamsPackage(options: TeamsPackageOptions = {}): string {
  const sourceDir = options.sourceDir ?? path.join(ROOT, "manifest/teams");
  const outDir = options.outDir ?? path.join(ROOT, "dist/teams");
  const missing = TEAMS_PACKAGE_FILES.filter((file) => !existsSync(path.join(sourceDir, file)));
  if (missing.length > 0) {
    throw new TeamsPackageError(`Missing from ${sourceDir}: ${missing.join(", ")}`);
  }
  const read = (file: string): Buffer => readFileSync(path.join(sourceDir, file));
  let manifest: TeamsManifest;
  try {
    manifest = JSON.parse(read("manifest.json").toString("utf8")) as TeamsManifest;
  } catch (error) {
    throw new TeamsPackageError(`${path.join(sourceDir, "manifest.json")} is not JSON: ${String(error)}`);
  }
  const manifestBytes = Buffer.from(`${JSON.stringify(substitute(manifest, options.env), null, 2)}\n`);
  const zip = zipSync(
    {
      "manifest.json": [manifestBytes, { mtime: MTIME }],
      "color.png": [read("color.png"), { mtime: MTIME }],
      "outline.png": [read("outline.png"), { mtime: MTIME }],
    },
    { level: 9 },
  );
  mkdirSync(outDir, { recursive: true });
  const zipPath = path.join(outDir, TEAMS_PACKAGE_NAME);
  writeFileSync(zipPath, zip);
  return zipPath;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    process.stdout.write(`${buildTeamsPackage({ env: process.env })}\n`);
  } catch (error) {
    if (!(error instanceof TeamsPackageError)) throw error;
    process.stderr.write(`package:teams: ${error.message}\n`);
    process.exitCode = 1;
  }
}
