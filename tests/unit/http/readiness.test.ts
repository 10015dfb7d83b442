import { describe, expect, it } from "vitest";
import { Readiness } from "../../../src/http/readiness.ts";
import { createHttpServer } from "../../../src/http/server.ts";
import { silentLogger } from "../../../src/logger.ts";
import { Telemetry } from "../../../src/telemetry.ts";

describe("readiness, decided in one place", () => {
  it("is ready when every condition holds, else names the first that does not", async () => {
    const readiness = new Readiness();
    let slack: string | null = "cannot connect to Slack (ECONNREFUSED); trying again";
    readiness.add("database", async () => null);
    readiness.add("slack", () => slack);
    readiness.add("teams", () => "never asked");
    expect(await readiness.check()).toBe("slack: cannot connect to Slack (ECONNREFUSED); trying again");
    slack = null;
    expect(await readiness.check()).toBe("teams: never asked");
  });

  it("is what /readyz answers: 503 with the reason, 200 once it is over", async () => {
    const readiness = new Readiness();
    let reason: string | null = "no socket open";
    readiness.add("slack", () => reason);
    const server = createHttpServer({
      logger: silentLogger,
      telemetry: new Telemetry(),
      ready: () => readiness.check(),
    });
    const { port } = await server.listen(0, "127.0.0.1");
    try {
      const down = await fetch(`http://127.0.0.1:${port}/readyz`);
      expect([down.status, await down.text()]).toEqual([503, "slack: no socket open"]);
      reason = null;
      const up = await fetch(`http://127.0.0.1:${port}/readyz`);
      expect([up.status, await up.text()]).toEqual([200, "ready"]);
    } finally {
      await server.close();
    }
  });
});
