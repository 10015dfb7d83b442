// Nudges to leads through Slack, the way an operator runs them: requests recorded over HTTP by
// the running server, then `rapport jobs run` (dry run and real) against the fake Slack, on the
// same embedded database, as if it were later (`--at`).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../../../app/cli/index.ts";
import { IDS, type RecordedCall } from "./support/fake-slack.ts";
import { DEFAULT_MEMBERS, seedPartnership, startSlackHarness, type SlackHarness } from "./support/harness.ts";
import { actionIds, command, visibleText, waitForCard } from "./support/slack-kit.ts";

const MIN = 60_000;
/** A provider lead who left the workspace: Slack cannot open a direct message with him. */
const GONE = "U0GONE";
const LEE_DM = "DLEE";

describe("nudges to leads in Slack, by `rapport jobs run`", () => {
  let h: SlackHarness;
  let reportedAt: number;
  const at = (minutes: number) => new Date(reportedAt + minutes * MIN).toISOString();

  async function jobs(...args: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli(["jobs", "run", ...args], h.env, {
      out: (l) => out.push(l),
      err: (l) => err.push(l),
    });
    return { code, out, err };
  }

  const since = (from: number, method: string) => h.fake.calls(method).slice(from);
  const dmsTo = (calls: RecordedCall[], channel: string) => calls.filter((c) => c.params.channel === channel);

  beforeAll(async () => {
    h = await startSlackHarness({
      seed: (env) =>
        seedPartnership(env, {
          members: [
            ...DEFAULT_MEMBERS,
            { user: GONE, workspace: IDS.providerTeam, side: "provider", role: "lead", name: "Gus Gone" },
          ],
        }),
    });
    h.fake.respondTo("conversations.open", (params) => {
      if (params.users === GONE) return { ok: false, error: "user_not_found" };
      if (params.users === IDS.lead) return { ok: true, channel: { id: LEE_DM } };
      return { ok: true, channel: { id: `D${String(params.users)}` } };
    });
    reportedAt = Date.now();
    const res = await command(h, { text: "p1 the server room is down" });
    expect(res.status).toBe(200);
    await waitForCard(h, "CLIENT-1");
    // `jobs run` opens the same embedded database: the server lets go of it first.
    await h.stopServer();
  }, 60_000);
  afterAll(() => h?.stop());

  it("--dry-run lists what would be sent, to whom and why, and sends and records nothing", async () => {
    const from = h.fake.calls().length;
    const { code, out } = await jobs("--dry-run", "--at", at(20));
    expect(code).toBe(0);
    expect(out[0]).toBe("dry run: nothing is sent or recorded");
    expect(out).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^would queue \[sla-watch issue:[0-9a-f-]+:breached\] to Lee Lead \(slack:person:T0PROVIDER:U0LEAD\): CLIENT-1 is past its first-response target/,
        ),
      ]),
    );
    // Building the Slack client asks auth.test who the bot is; nothing is opened or posted.
    expect(
      h.fake
        .calls()
        .slice(from)
        .filter((c) => c.method !== "auth.test"),
    ).toEqual([]);
    // Nothing was recorded: a second dry run lists the same.
    expect((await jobs("--dry-run", "--at", at(20))).out).toEqual(out);
  }, 30_000);

  it("with Slack failing, each row is one call (no client retries) and is not retried within the run", async () => {
    h.fake.failEvery({ status: 503 });
    const from = h.fake.calls().length;
    await jobs("--at", at(20));
    h.fake.failEvery(null);
    const calls = h.fake
      .calls()
      .slice(from)
      .filter((c) => c.method !== "auth.test");
    expect(calls.length).toBeGreaterThan(0);
    const keys = calls.map((c) => `${c.method} ${String(c.params.channel ?? c.params.users ?? "")}`);
    expect(new Set(keys).size, keys.join("\n")).toBe(keys.length);
  }, 30_000);

  it("delivers the nudge as a card with the button that settles it; names the lead it cannot reach; tells the admins once", async () => {
    const posts = h.fake.calls("chat.postMessage").length;
    const first = await jobs("--at", at(120));
    const nudge = dmsTo(since(posts, "chat.postMessage"), LEE_DM);
    expect(nudge).toHaveLength(1);
    expect(nudge[0]!.params.text).toMatch(/^CLIENT-1 is past its first-response target/);
    expect(visibleText(nudge[0]!.params)).toContain("the server room is down");
    expect(actionIds(nudge[0]!)).toContain("issue_acknowledge");
    expect(first.out).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /lead cannot receive nudges: slack:person:T0PROVIDER:U0GONE \(user_not_found\)/,
        ),
      ]),
    );

    // The note to the admins goes out with the next pass, in the linked channel, once.
    await jobs("--at", at(121));
    await jobs("--at", at(122));
    const notes = dmsTo(since(posts, "chat.postMessage"), IDS.channel).filter((c) =>
      String(c.params.text).startsWith("rapport cannot send nudges to Gus Gone"),
    );
    expect(notes).toHaveLength(1);
    expect(visibleText(notes[0]!.params)).toContain("Slack user id");
    // Lee's nudge was sent once, whatever the number of passes.
    expect(dmsTo(since(posts, "chat.postMessage"), LEE_DM)).toHaveLength(1);
  }, 60_000);
});
