import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, cpSync, unlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { AppManifestUtils } from "@microsoft/app-manifest";
import { Ajv, type ValidateFunction } from "ajv";
import formats from "ajv-formats";
import { unzipSync } from "fflate";
import { PNG } from "pngjs";
import { afterEach, describe, expect, it } from "vitest";
import { BOT_COMMANDS, MESSAGE_ACTIONS } from "../../../../adapters/teams/ids.ts";
import {
  buildTeamsPackage,
  TEAMS_PACKAGE_FILES,
  TeamsPackageError,
} from "../../../../scripts/package-teams.ts";

// manifest/teams/manifest.json is what Teams installs; adapters/teams/ids.ts is what the bot
// answers. The manifest is validated against Microsoft's own schema for its manifestVersion, as
// shipped in @microsoft/app-manifest (no network), and its commands are checked against the ids.

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../..");
const TSX = import.meta.resolve("tsx");
const TEAMS_DIR = path.join(ROOT, "manifest/teams");
const SCHEMAS = path.join(ROOT, "node_modules/@microsoft/app-manifest/build/json-schemas/teams");
const PLACEHOLDER_BOT_ID = "00000000-0000-0000-0000-000000000000";

type Json = Record<string, unknown>;

interface TeamsManifest extends Json {
  $schema: string;
  manifestVersion: string;
  bots: {
    botId: string;
    scopes: string[];
    commandLists: { scopes: string[]; commands: { title: string }[] }[];
  }[];
  composeExtensions: { botId: string; commands: { id: string; type: string; context: string[] }[] }[];
  validDomains: string[];
}

const readJson = <T>(file: string): T => JSON.parse(readFileSync(file, "utf8")) as T;
const manifest = readJson<TeamsManifest>(path.join(TEAMS_DIR, "manifest.json"));
const schema = readJson<Json>(
  path.join(SCHEMAS, `v${manifest.manifestVersion}`, "MicrosoftTeams.schema.json"),
);

/**
 * Microsoft's Teams schemas declare draft-04 but use no keyword whose meaning changed after it
 * (`id`, boolean `exclusiveMinimum`/`exclusiveMaximum`; checked below) and do use draft-07's
 * `if`/`then`, so Ajv's default draft-07 dialect validates them faithfully once `$schema` is set aside.
 */
function compileSchema(teamsSchema: Json): ValidateFunction {
  const { $schema: _declared, ...rest } = teamsSchema;
  const ajv = new Ajv({ allErrors: true, strict: false });
  formats.default(ajv);
  return ajv.compile(rest);
}

/** Every draft-04 keyword Ajv's draft-07 dialect would read differently, wherever it appears as a keyword. */
function draft04OnlyKeywords(node: unknown, parentKey = ""): string[] {
  if (node == null || typeof node !== "object") return [];
  return Object.entries(node).flatMap(([key, value]) => {
    const asKeyword = parentKey !== "properties" && parentKey !== "definitions";
    const found =
      asKeyword &&
      ((key === "id" && typeof value === "string") ||
        (/^exclusive(Minimum|Maximum)$/.test(key) && typeof value === "boolean"));
    return [...(found ? [key] : []), ...draft04OnlyKeywords(value, key)];
  });
}

const validate = compileSchema(schema);

function readPng(file: string): PNG {
  return PNG.sync.read(readFileSync(path.join(TEAMS_DIR, file)));
}

describe("the Teams manifest", () => {
  it("is on the schema version its $schema names, shipped in @microsoft/app-manifest", () => {
    expect(manifest.$schema).toBe(
      `https://developer.microsoft.com/json-schemas/teams/v${manifest.manifestVersion}/MicrosoftTeams.schema.json`,
    );
    expect((schema.properties as Json).manifestVersion).toMatchObject({ const: manifest.manifestVersion });
    expect(draft04OnlyKeywords(schema)).toEqual([]);
  });

  it("validates against Microsoft's schema with no errors", () => {
    validate(manifest);
    expect(validate.errors ?? []).toEqual([]);
  });

  it("also passes Microsoft's own validator (draft-04 Ajv, as the Teams Toolkit runs it)", async () => {
    await expect(AppManifestUtils.validateAgainstSchema(manifest as never, schema as never)).resolves.toEqual(
      [],
    );
  });

  it("fails the validator when a required field is missing or malformed", () => {
    const { icons: _icons, ...withoutIcons } = manifest;
    expect(validate(withoutIcons)).toBe(false);
    expect(validate.errors).toContainEqual(
      expect.objectContaining({ keyword: "required", params: { missingProperty: "icons" } }),
    );
    expect(validate({ ...manifest, id: "not-a-guid" })).toBe(false);
    expect(validate({ ...manifest, bots: [{ ...manifest.bots[0], surprise: true }] })).toBe(false);
  });

  it("lists exactly the bot's commands, in every scope the bot is installed in", () => {
    const [bot] = manifest.bots;
    expect(bot?.botId).toBe(PLACEHOLDER_BOT_ID);
    expect([...(bot?.scopes ?? [])].sort()).toEqual(["groupChat", "personal", "team"]);
    const listed = new Map(bot?.commandLists.flatMap((list) => list.scopes.map((s) => [s, list.commands])));
    for (const scope of bot?.scopes ?? []) {
      expect(listed.get(scope), scope).toEqual(
        BOT_COMMANDS.map(({ title, description }) => ({ title, description })),
      );
    }
  });

  it("declares exactly the message actions the bot handles", () => {
    const [extension] = manifest.composeExtensions;
    expect(extension?.botId).toBe(PLACEHOLDER_BOT_ID);
    expect(extension?.commands.map((c) => c.id)).toEqual(Object.values(MESSAGE_ACTIONS));
    for (const command of extension?.commands ?? []) {
      expect(command).toMatchObject({ type: "action", context: ["message"], fetchTask: true });
    }
  });
});

describe("the Teams icons", () => {
  it("color.png is 192×192", () => {
    const png = readPng("color.png");
    expect([png.width, png.height]).toEqual([192, 192]);
  });

  it("outline.png is 32×32 and only white or fully transparent", () => {
    const png = readPng("outline.png");
    expect([png.width, png.height]).toEqual([32, 32]);
    const offending: number[] = [];
    let opaque = 0;
    for (let i = 0; i < png.data.length; i += 4) {
      const [r, g, b, a] = png.data.subarray(i, i + 4);
      if (a === 0) continue;
      opaque++;
      if (r !== 255 || g !== 255 || b !== 255) offending.push(i / 4);
    }
    expect(offending).toEqual([]);
    expect(opaque).toBeGreaterThan(0);
  });
});

describe("npm run package:teams", () => {
  const temps: string[] = [];
  const temp = (): string => {
    const dir = mkdtempSync(path.join(tmpdir(), "rapport-teams-"));
    temps.push(dir);
    return dir;
  };
  afterEach(() => {
    for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  const SETTINGS = {
    MicrosoftAppId: "6f1c2a3b-4d5e-4f60-8a71-92b3c4d5e6f7",
    RAPPORT_PUBLIC_HOST: "https://rapport.acme.test/",
    RAPPORT_WEBSITE_URL: "https://acme.test/",
    RAPPORT_PRIVACY_URL: "https://acme.test/privacy",
    RAPPORT_TERMS_URL: "https://acme.test/terms",
  };

  it("zips the manifest and both icons at the root, with the placeholders substituted", () => {
    const appId = SETTINGS.MicrosoftAppId;
    const zipPath = buildTeamsPackage({ outDir: temp(), env: SETTINGS });
    expect(path.basename(zipPath)).toBe("rapport-teams.zip");
    const entries = unzipSync(readFileSync(zipPath));
    expect(Object.keys(entries).sort()).toEqual([...TEAMS_PACKAGE_FILES].sort());

    const packaged = JSON.parse(Buffer.from(entries["manifest.json"]!).toString("utf8")) as TeamsManifest;
    expect(packaged.bots[0]?.botId).toBe(appId);
    expect(packaged.composeExtensions[0]?.botId).toBe(appId);
    expect(packaged.validDomains).toEqual(["rapport.acme.test"]);
    expect(packaged.developer).toMatchObject({
      websiteUrl: "https://acme.test/",
      privacyUrl: "https://acme.test/privacy",
      termsOfUseUrl: "https://acme.test/terms",
    });
    expect(JSON.stringify(packaged)).not.toMatch(/example\.com|00000000-0000/);
    validate(packaged);
    expect(validate.errors ?? []).toEqual([]);
    expect(Buffer.from(entries["color.png"]!).equals(readFileSync(path.join(TEAMS_DIR, "color.png")))).toBe(
      true,
    );
  });

  it("refuses to build with placeholders, naming every setting that is missing", () => {
    const outDir = temp();
    expect(() => buildTeamsPackage({ outDir, env: {} })).toThrow(
      "Not building a package with placeholders: set MicrosoftAppId (the Azure Bot's app id), " +
        "RAPPORT_PUBLIC_HOST (the host rapport is reached at), RAPPORT_WEBSITE_URL, RAPPORT_PRIVACY_URL, " +
        "RAPPORT_TERMS_URL in the environment or .env",
    );
    expect(readdirSync(outDir)).toEqual([]);
    const { RAPPORT_TERMS_URL: _terms, ...allButTerms } = SETTINGS;
    expect(() => buildTeamsPackage({ outDir, env: allButTerms })).toThrow(/set RAPPORT_TERMS_URL in/);
    // The older name is still read.
    const { MicrosoftAppId: appId, ...rest } = SETTINGS;
    expect(() => buildTeamsPackage({ outDir, env: { ...rest, MICROSOFT_APP_ID: appId } })).not.toThrow();
  });

  it("reads MicrosoftAppId and the rest from a .env file, as the server does", () => {
    const dir = temp();
    writeFileSync(
      path.join(dir, ".env"),
      Object.entries(SETTINGS)
        .map(([k, v]) => `${k}=${v}`)
        .join("\n"),
    );
    const script = fileURLToPath(new URL("../../../../scripts/package-teams.ts", import.meta.url));
    const env = Object.fromEntries(
      Object.entries(process.env).filter(([k]) => !k.startsWith("RAPPORT_") && !/^microsoft_?app/i.test(k)),
    );
    const run = spawnSync(process.execPath, ["--import", TSX, script], { cwd: dir, env, encoding: "utf8" });
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    const entries = unzipSync(readFileSync(run.stdout.trim()));
    const packaged = JSON.parse(Buffer.from(entries["manifest.json"]!).toString("utf8")) as TeamsManifest;
    expect(packaged.bots[0]?.botId).toBe(SETTINGS.MicrosoftAppId);
  });

  it("refuses a bot id that is not a GUID, and names missing files in one line", () => {
    const notGuid = () => buildTeamsPackage({ outDir: temp(), env: { MicrosoftAppId: "my-bot" } });
    expect(notGuid).toThrow(TeamsPackageError);
    expect(notGuid).toThrow("MicrosoftAppId is not a GUID: my-bot");
    const source = temp();
    cpSync(TEAMS_DIR, source, { recursive: true });
    unlinkSync(path.join(source, "outline.png"));
    writeFileSync(path.join(source, "README.md"), "not packaged");
    expect(() => buildTeamsPackage({ sourceDir: source, outDir: temp() })).toThrow(
      /^Missing from .+: outline\.png$/,
    );
  });
});
