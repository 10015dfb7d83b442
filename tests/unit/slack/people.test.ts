import type { WebClient } from "@slack/web-api";
import { describe, expect, it, vi } from "vitest";
import { SlackPeople } from "../../../adapters/slack/people.ts";
import type { Logger } from "../../../src/index.ts";
import { silentLogger } from "../../../src/logger.ts";

type UsersInfo = (args: { user: string }) => Promise<unknown>;

/** A Web API client whose users.info is `info`; nothing else is called. */
function clientWith(info: UsersInfo): { client: WebClient; info: ReturnType<typeof vi.fn<UsersInfo>> } {
  const fn = vi.fn(info);
  return { client: { users: { info: fn } } as unknown as WebClient, info: fn };
}

const answers =
  (team: string, name = "Sam Staff") =>
  async () => ({
    ok: true,
    user: { team_id: team, real_name: name, profile: { display_name: "" } },
  });

/** Lets background lookups settle. */
const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

describe("SlackPeople", () => {
  it("takes the payload's own team at once, asks Slack nothing and remembers it", async () => {
    const people = new SlackPeople(silentLogger);
    const { client, info } = clientWith(answers("T0CLIENT"));
    const found = people.person(client, "U1", { team: "T0CLIENT", place: "T0PROVIDER" });
    expect(found).toEqual({
      user: { platform: "slack", workspaceId: "T0CLIENT", userId: "U1" },
      tentative: false,
    });
    // A later payload without the team (a slash command) finds it in the cache.
    expect(people.person(client, "U1", { place: "T0PROVIDER" }).user.workspaceId).toBe("T0CLIENT");
    await flush();
    expect(info).not.toHaveBeenCalled();
  });

  it("stands in the place's workspace for someone unknown, and asks users.info once, in the background", async () => {
    const people = new SlackPeople(silentLogger);
    let answer!: () => void;
    const { client, info } = clientWith(
      () => new Promise((resolve) => (answer = () => resolve(answers("T0CLIENT")()))),
    );
    const first = people.person(client, "U1", { name: "sam.staff", place: "T0PROVIDER" });
    expect(first).toEqual({
      user: { platform: "slack", workspaceId: "T0PROVIDER", userId: "U1", displayName: "sam.staff" },
      tentative: true,
    });
    // A burst of the same person's requests makes one lookup.
    people.person(client, "U1", { place: "T0PROVIDER" });
    expect(info).toHaveBeenCalledTimes(1);
    answer();
    await flush();
    expect(people.person(client, "U1", { name: "sam.staff", place: "T0PROVIDER" })).toEqual({
      user: { platform: "slack", workspaceId: "T0CLIENT", userId: "U1", displayName: "Sam Staff" },
      tentative: false,
    });
  });

  it("logs a failed lookup at debug, and asks nothing more for as long as a 429 said", async () => {
    const debug = vi.fn();
    const logger = { debug } as unknown as Logger;
    const people = new SlackPeople(logger);
    const limited = Object.assign(new Error("rate limited"), {
      code: "slack_webapi_rate_limited_error",
      retryAfter: 5,
    });
    const { client, info } = clientWith(() => Promise.reject(limited));
    expect(people.person(client, "U1", { place: "T0PROVIDER" }).tentative).toBe(true);
    await flush();
    expect(debug).toHaveBeenCalledTimes(1);
    expect(people.person(client, "U2", { place: "T0PROVIDER" }).user.workspaceId).toBe("T0PROVIDER");
    await flush();
    expect(info).toHaveBeenCalledTimes(1);
  });

  it("asks about 200 new people a few at a time, and none more once Slack says 429", async () => {
    const people = new SlackPeople(silentLogger);
    let out = 0;
    let most = 0;
    const { client, info } = clientWith(async ({ user }) => {
      most = Math.max(most, ++out);
      await flush();
      out--;
      return answers(`T-${user}`)();
    });
    const ids = Array.from({ length: 200 }, (_, i) => `U${i}`);
    for (const id of ids) expect(people.person(client, id, { place: "T0PROVIDER" }).tentative).toBe(true);
    expect(info.mock.calls.length).toBeLessThanOrEqual(4);
    await vi.waitFor(() => expect(info).toHaveBeenCalledTimes(200), { timeout: 10_000 });
    await flush();
    expect(most).toBeLessThanOrEqual(4);
    expect(people.person(client, "U199", { place: "T0PROVIDER" }).user.workspaceId).toBe("T-U199");

    const limited = Object.assign(new Error("rate limited"), {
      code: "slack_webapi_rate_limited_error",
      retryAfter: 5,
    });
    const refusing = clientWith(() => Promise.reject(limited));
    const busy = new SlackPeople(silentLogger);
    for (const id of ids) busy.person(refusing.client, id, { place: "T0PROVIDER" });
    for (let i = 0; i < 5; i++) await flush();
    expect(refusing.info.mock.calls.length).toBeLessThanOrEqual(4);
  });

  it("keeps at most its bound, dropping the person least recently asked about", () => {
    const people = new SlackPeople(silentLogger, 3);
    const { client } = clientWith(answers("T0X"));
    for (const id of ["U1", "U2", "U3"]) people.remember(id, "T0CLIENT");
    people.person(client, "U1", { place: "T0PROVIDER" }); // U1 used again: U2 is now the oldest
    people.remember("U4", "T0CLIENT");
    expect(people.size).toBe(3);
    expect(people.person(client, "U1", { place: "T0PROVIDER" }).tentative).toBe(false);
    expect(people.person(client, "U2", { place: "T0PROVIDER" }).tentative).toBe(true);
  });

  it("settled waits for users.info, and falls back to the place's workspace when it fails", async () => {
    const people = new SlackPeople(silentLogger);
    const ok = clientWith(answers("T0CLIENT"));
    expect((await people.settled(ok.client, "U1", { place: "T0PROVIDER" })).workspaceId).toBe("T0CLIENT");
    const failing = clientWith(() => Promise.reject(new Error("down")));
    expect((await people.settled(failing.client, "U2", { place: "T0PROVIDER" })).workspaceId).toBe(
      "T0PROVIDER",
    );
  });
});
