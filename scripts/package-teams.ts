// Builds the Teams app package that is uploaded to Teams (or the admin centre):
// `npm run package:teams` writes dist/teams/rapport-teams.zip and prints its path.
//
// manifest/teams/manifest.json carries the placeholder bot id 00000000-0000-0000-0000-000000000000
// and rapport.example.com links. The package gets the settings the server reads, from the
// environment or a .env file in the working directory: MicrosoftAppId (the Azure Bot's app id),
// RAPPORT_PUBLIC_HOST (the host rapport is reached at) and the publisher's pages Teams shows
// (RAPPORT_WEBSITE_URL, RAPPORT_PRIVACY_URL, RAPPORT_TERMS_URL). A package that would still carry
// a placeholder is refused, naming every setting that is missing.

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
  /** The settings (MicrosoftAppId, RAPPORT_PUBLIC_HOST, the three page URLs); process.env by default. */
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
  developer?: { websiteUrl?: string; privacyUrl?: string; termsOfUseUrl?: string; [key: string]: unknown };
  [key: string]: unknown;
}

const PLACEHOLDER_BOT_ID = /^0{8}-0{4}-0{4}-0{4}-0{12}$/;
const PLACEHOLDER_HOST = /(^|[/.])example\.(com|org|net)([/:]|$)/i;

/** The publisher's pages Teams links to, by the setting that gives each. */
const PAGES = [
  ["RAPPORT_WEBSITE_URL", "websiteUrl"],
  ["RAPPORT_PRIVACY_URL", "privacyUrl"],
  ["RAPPORT_TERMS_URL", "termsOfUseUrl"],
] as const;

/** Reduces "https://rapport.acme.com/" or "rapport.acme.com:8443" to what validDomains expects. */
function hostOf(value: string): string {
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `https://${value}`;
  try {
    return new URL(withScheme).host;
  } catch {
    throw new TeamsPackageError(`RAPPORT_PUBLIC_HOST is not a host name: ${value}`);
  }
}

function httpsUrl(name: string, value: string): string {
  try {
    if (new URL(value).protocol === "https:") return value;
  } catch {
    // reported below
  }
  throw new TeamsPackageError(`${name} must be an https:// address, got ${value}`);
}

/**
 * The manifest with the settings put in place of the placeholders: the bot id from MicrosoftAppId
 * (the server's name; MICROSOFT_APP_ID is read too), the host, the publisher's pages.
 */
export function substitute(manifest: TeamsManifest, env: TeamsPackageOptions["env"] = {}): TeamsManifest {
  const result = structuredClone(manifest);
  const appId = (env.MicrosoftAppId ?? env.MICROSOFT_APP_ID)?.trim();
  if (appId) {
    const name = env.MicrosoftAppId?.trim() ? "MicrosoftAppId" : "MICROSOFT_APP_ID";
    if (!GUID.test(appId)) throw new TeamsPackageError(`${name} is not a GUID: ${appId}`);
    for (const bot of result.bots ?? []) bot.botId = appId;
    for (const extension of result.composeExtensions ?? []) extension.botId = appId;
  }
  const host = env.RAPPORT_PUBLIC_HOST?.trim();
  if (host) result.validDomains = [hostOf(host)];
  for (const [name, field] of PAGES) {
    const url = env[name]?.trim();
    if (url && result.developer) result.developer[field] = httpsUrl(name, url);
  }
  return result;
}

/** The settings still missing from a substituted manifest: what would ship a placeholder. */
export function missingSettings(manifest: TeamsManifest): string[] {
  const missing: string[] = [];
  const botIds = [...(manifest.bots ?? []), ...(manifest.composeExtensions ?? [])].map((b) => b.botId ?? "");
  if (botIds.some((id) => PLACEHOLDER_BOT_ID.test(id)))
    missing.push("MicrosoftAppId (the Azure Bot's app id)");
  if ((manifest.validDomains ?? []).some((d) => PLACEHOLDER_HOST.test(d)))
    missing.push("RAPPORT_PUBLIC_HOST (the host rapport is reached at)");
  for (const [name, field] of PAGES) {
    if (PLACEHOLDER_HOST.test(manifest.developer?.[field] ?? "")) missing.push(name);
  }
  return missing;
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
  const packaged = substitute(manifest, options.env ?? process.env);
  const unset = missingSettings(packaged);
  if (unset.length > 0) {
    throw new TeamsPackageError(
      `Not building a package with placeholders: set ${unset.join(", ")} in the environment or .env`,
    );
  }
  const manifestBytes = Buffer.from(`${JSON.stringify(packaged, null, 2)}\n`);
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
  // Like `rapport serve`: a .env file in the working directory fills in what the environment lacks.
  if (existsSync(".env")) process.loadEnvFile(".env");
  try {
    process.stdout.write(`${buildTeamsPackage({ env: process.env })}\n`);
  } catch (error) {
    if (!(error instanceof TeamsPackageError)) throw error;
    process.stderr.write(`package:teams: ${error.message}\n`);
    process.exitCode = 1;
  }
}
