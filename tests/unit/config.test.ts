import { describe, expect, it } from "vitest";
import { loadConfig } from "../../app/config.ts";
import { RapportError } from "../../src/domain/errors.ts";

function configError(env: NodeJS.ProcessEnv): RapportError {
  try {
    loadConfig(env);
  } catch (e) {
    if (e instanceof RapportError) return e;
    throw e;
  }
  throw new Error("expected loadConfig to throw");
}

describe("loadConfig", () => {
  it("uses defaults for an empty environment", () => {
    expect(loadConfig({})).toEqual({
      http: { port: 3000, host: "127.0.0.1" },
      database: { kind: "pglite", dataDir: "./.rapport", template: null },
      logLevel: "info",
      nodeEnv: "development",
      jobs: true,
      slack: null,
      teams: { mode: "local" },
      encryptionKey: null,
    });
  });

  it("reads every variable", () => {
    const config = loadConfig({
      PORT: "8080",
      HOST: "127.0.0.1",
      DATABASE_URL: "postgresql://rapport:pw@db:5432/rapport",
      RAPPORT_DATA_DIR: "/var/lib/rapport",
      LOG_LEVEL: "debug",
      NODE_ENV: "production",
    });
    expect(config).toEqual({
      http: { port: 8080, host: "127.0.0.1" },
      database: { kind: "postgres", url: "postgresql://rapport:pw@db:5432/rapport" },
      logLevel: "debug",
      nodeEnv: "production",
      jobs: true,
      slack: null,
      teams: { mode: "off", reason: "NODE_ENV is production and MicrosoftAppId is not set" },
      encryptionKey: null,
    });
  });

  it("accepts postgres:// URLs and treats empty values as unset", () => {
    expect(loadConfig({ DATABASE_URL: "postgres://localhost/rapport" }).database).toEqual({
      kind: "postgres",
      url: "postgres://localhost/rapport",
    });
    expect(loadConfig({ DATABASE_URL: "", PORT: " ", LOG_LEVEL: "" })).toMatchObject({
      http: { port: 3000 },
      database: { kind: "pglite" },
      logLevel: "info",
    });
  });

  it("accepts level names in any case and ignores unrelated variables", () => {
    expect(loadConfig({ LOG_LEVEL: "WARN", NODE_ENV: "Test", PATH: "/usr/bin" })).toMatchObject({
      logLevel: "warn",
      nodeEnv: "test",
    });
  });

  it("returns a frozen object", () => {
    expect(Object.isFrozen(loadConfig({}))).toBe(true);
  });

  it.each([
    ["abc", '"abc"'],
    ["0", '"0"'],
    ["65536", '"65536"'],
    ["80.5", '"80.5"'],
    ["-1", '"-1"'],
  ])("rejects PORT=%s by name", (value, shown) => {
    const error = configError({ PORT: value });
    expect(error.code).toBe("config_invalid");
    expect(error.message).toBe(
      `Configuration is invalid:\n  PORT: expected a whole number from 1 to 65535, got ${shown}`,
    );
  });

  it("rejects a non-postgres DATABASE_URL without echoing it", () => {
    const error = configError({ DATABASE_URL: "mysql://root:hunter2@db/rapport" });
    expect(error.message).toContain("DATABASE_URL: expected a postgres:// or postgresql:// URL");
    expect(error.message).not.toContain("hunter2");
  });

  it("rejects a DATABASE_URL that is not a URL", () => {
    expect(configError({ DATABASE_URL: "localhost:5432" }).message).toContain("DATABASE_URL:");
  });

  it("rejects an unknown LOG_LEVEL by name, listing the choices", () => {
    expect(configError({ LOG_LEVEL: "verbose" }).message).toBe(
      'Configuration is invalid:\n  LOG_LEVEL: expected one of fatal, error, warn, info, debug, trace, silent, got "verbose"',
    );
  });

  it("rejects an unknown NODE_ENV by name", () => {
    expect(configError({ NODE_ENV: "staging" }).message).toContain(
      'NODE_ENV: expected one of development, production, test, got "staging"',
    );
  });

  it("lists every bad variable in one error, one line each", () => {
    const error = configError({ PORT: "abc", LOG_LEVEL: "loud", NODE_ENV: "prod", DATABASE_URL: "http://x" });
    const lines = error.message.split("\n");
    expect(lines[0]).toBe("Configuration is invalid:");
    expect(lines.slice(1).map((line) => line.trim().split(":")[0])).toEqual([
      "PORT",
      "DATABASE_URL",
      "LOG_LEVEL",
      "NODE_ENV",
    ]);
  });
});

describe("Slack settings", () => {
  const key = "a".repeat(64);

  it("leaves Slack off when no Slack variable is set", () => {
    expect(loadConfig({}).slack).toBeNull();
  });

  it("reads a single-workspace set-up", () => {
    const slack = loadConfig({
      SLACK_SIGNING_SECRET: "s3cret",
      SLACK_BOT_TOKEN: "xoxb-1-2",
      SLACK_API_URL: "http://127.0.0.1:9/api",
    }).slack;
    expect(slack).toEqual({
      signingSecret: "s3cret",
      auth: { kind: "single", botToken: "xoxb-1-2" },
      appToken: null,
      apiUrl: "http://127.0.0.1:9/api/",
      proxy: null,
    });
  });

  it("reads HTTPS_PROXY and NO_PROXY for Slack, which alone do not turn Slack on", () => {
    expect(loadConfig({ HTTPS_PROXY: "http://proxy.example:3128" }).slack).toBeNull();
    const slack = loadConfig({
      SLACK_APP_TOKEN: "xapp-1",
      SLACK_BOT_TOKEN: "xoxb-1",
      HTTPS_PROXY: "http://proxy.example:3128",
      NO_PROXY: "localhost,127.0.0.1",
    }).slack;
    expect(slack?.proxy).toEqual({ url: "http://proxy.example:3128/", noProxy: "localhost,127.0.0.1" });
    expect(() =>
      loadConfig({ SLACK_BOT_TOKEN: "xoxb-1", SLACK_SIGNING_SECRET: "s", HTTPS_PROXY: "proxy:3128" }),
    ).toThrow(/HTTPS_PROXY/);
  });

  it("reads an OAuth set-up with its encryption key", () => {
    const config = loadConfig({
      SLACK_SIGNING_SECRET: "s",
      SLACK_CLIENT_ID: "123.456",
      SLACK_CLIENT_SECRET: "cs",
      SLACK_STATE_SECRET: "state-secret",
      RAPPORT_ENCRYPTION_KEY: key,
    });
    expect(config.slack?.auth).toMatchObject({
      kind: "oauth",
      clientId: "123.456",
      stateSecret: "state-secret",
    });
    expect(config.encryptionKey?.length).toBe(32);
  });

  it("names every missing or contradictory variable in one message, never their values", () => {
    const partial = configError({ SLACK_CLIENT_ID: "123.456", SLACK_BOT_TOKEN: "xoxb-secret-token" }).message;
    expect(partial).toContain("SLACK_SIGNING_SECRET: required");
    expect(partial).toContain("SLACK_BOT_TOKEN: set either SLACK_BOT_TOKEN");
    expect(partial).not.toContain("xoxb-secret-token");
    const oauth = configError({
      SLACK_SIGNING_SECRET: "s",
      SLACK_CLIENT_ID: "1",
      RAPPORT_ENCRYPTION_KEY: "short",
    }).message;
    expect(oauth).toContain("SLACK_CLIENT_SECRET: required for installs through OAuth");
    expect(oauth).toContain("SLACK_STATE_SECRET: required for installs through OAuth");
    expect(oauth).toContain("RAPPORT_ENCRYPTION_KEY: expected 32 random bytes");
    expect(configError({ SLACK_SIGNING_SECRET: "s", SLACK_BOT_TOKEN: "xoxp-user" }).message).toContain(
      "SLACK_BOT_TOKEN: expected a bot token (it starts with xoxb-)",
    );
  });

  it("needs no signing secret in Socket Mode", () => {
    const slack = loadConfig({ SLACK_APP_TOKEN: "xapp-1", SLACK_BOT_TOKEN: "xoxb-1" }).slack;
    expect(slack).toMatchObject({ signingSecret: null, appToken: "xapp-1" });
  });
});

describe("Teams settings", () => {
  it("runs Teams in local mode without an app id, listening on this machine only", () => {
    const config = loadConfig({});
    expect(config.teams).toEqual({ mode: "local" });
    expect(config.http.host).toBe("127.0.0.1");
    expect(loadConfig({ HOST: "0.0.0.0" }).http.host).toBe("0.0.0.0");
  });

  it("listens on every interface when Slack is on, even with Teams in local mode", () => {
    const config = loadConfig({ SLACK_SIGNING_SECRET: "s", SLACK_BOT_TOKEN: "xoxb-1" });
    expect(config.teams).toEqual({ mode: "local" });
    expect(config.http.host).toBe("0.0.0.0");
  });

  it("keeps Teams off in production without an app id unless explicitly allowed", () => {
    expect(loadConfig({ NODE_ENV: "production" }).teams.mode).toBe("off");
    expect(loadConfig({ NODE_ENV: "production" }).http.host).toBe("0.0.0.0");
    expect(
      loadConfig({ NODE_ENV: "production", RAPPORT_TEAMS_ALLOW_UNAUTHENTICATED: "true" }).teams.mode,
    ).toBe("local");
  });

  it("reads a single-tenant bot and names what is missing", () => {
    const config = loadConfig({
      MicrosoftAppId: "app-1",
      MicrosoftAppPassword: "pw",
      MicrosoftAppTenantId: "tenant-1",
    });
    expect(config.teams).toEqual({
      mode: "authenticated",
      appId: "app-1",
      appPassword: "pw",
      appType: "SingleTenant",
      tenantId: "tenant-1",
    });
    expect(config.http.host).toBe("0.0.0.0");
    const message = configError({ MicrosoftAppId: "app-1", MicrosoftAppPassword: "pw-secret" }).message;
    expect(message).toContain("MicrosoftAppTenantId: required for a SingleTenant bot");
    expect(message).not.toContain("pw-secret");
    expect(configError({ MicrosoftAppId: "a", MicrosoftAppType: "Global" }).message).toContain(
      "MicrosoftAppType: expected SingleTenant",
    );
  });
});
