// Odd, hostile and failing Teams requests, built from Microsoft's documented activities: a message
// action rapport does not have (Microsoft's own sample uses commandId "TEst"), a direct request
// logged on a client's message in a chat with another organisation, an echo that would not fit in
// an activity, HTML entities typed in a title, fields of the wrong type, a huge chunked body, and,
// with an app id set, tokens that are forged, expired or missing.
import { createHmac } from "node:crypto";
import dns from "node:dns";
import { request } from "node:http";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { FORM_VERBS } from "../../../adapters/teams/presenters/form-kit.ts";
import { startTeamsHarness, type TeamsHarness } from "./support/harness.ts";
import { IDS, PEOPLE } from "./support/teams-ids.ts";
import {
  cardAction,
  cardsIn,
  cardText,
  channelMessage,
  messageAction,
  personalMessage,
  post,
  type TeamsResponse,
} from "./support/teams-kit.ts";

/** An object `depth` levels deep. */
function nested(depth: number): Record<string, unknown> {
  let value: Record<string, unknown> = {};
  for (let i = 0; i < depth; i++) value = { a: value };
  return value;
}

/** The popup message a message action answers with; fails otherwise. */
function popupOf(res: TeamsResponse): string {
  expect(res.status).toBe(200);
  const body = res.body as { task?: { type?: string; value?: unknown } };
  expect(body.task?.type, res.text).toBe("message");
  return String(body.task?.value);
}

describe("Teams: odd, hostile and failing inputs (local mode)", () => {
  let h: TeamsHarness;
  beforeAll(async () => {
    h = await startTeamsHarness();
  }, 60_000);
  afterAll(() => h?.stop());

  it("a message action with an unknown commandId (Microsoft's sample 'TEst') says so and opens nothing", async () => {
    for (const fixture of ["invoke-fetch-task-report-issue", "invoke-submit-action-report-issue"]) {
      const activity = messageAction(h, fixture);
      activity.value = { ...(activity.value as Record<string, unknown>), commandId: "TEst" };
      const popup = popupOf(await post(h, activity));
      expect(popup).toMatch(/^rapport has no message action called “TEst”, so nothing was recorded\./);
    }
  });

  describe("Log direct request on a message a client wrote, in a chat with the client's organisation", () => {
    const logged = /^Logged as CLIENT-\d+; it will be answered and measured like any other request\.$/;
    const submit = (user: Record<string, unknown>, text: string) =>
      messageAction(h, "invoke-submit-action-direct-request", {
        data: { partnershipId: h.partnershipId, form: FORM_VERBS.directRequest, direct_request_text: text },
        overrides: { value: { messagePayload: { id: String(Date.now()), from: { user } } } },
      });

    it("the author's tenant comes from the message, not from the technician who used the action", async () => {
      const res = await post(
        h,
        submit(
          {
            id: PEOPLE.owner.aad,
            displayName: PEOPLE.owner.name,
            userIdentityType: "aadUser",
            tenantId: IDS.clientTenant,
          },
          "Please renew the SSL certificate for the booking site",
        ),
      );
      expect(popupOf(res)).toMatch(logged);
    });

    it("an author Teams marks as from outside the tenant is never taken for the provider", async () => {
      const res = await post(
        h,
        submit(
          { id: PEOPLE.stranger.aad, displayName: PEOPLE.stranger.name, userIdentityType: "federatedUser" },
          "Can you give the temp a laptop on Monday?",
        ),
      );
      expect(popupOf(res)).toMatch(logged);
    });

    it("a provider colleague's message is still refused as from the provider side", async () => {
      const res = await post(
        h,
        submit(
          { id: PEOPLE.lead.aad, displayName: PEOPLE.lead.name, userIdentityType: "aadUser" },
          "Reminder to patch the firewall",
        ),
      );
      expect(popupOf(res)).toMatch(/from the provider side/);
    });
  });

  it("an unknown command 40,000 characters long is answered, cut short, well under 28 KB", async () => {
    const before = h.connector.count;
    const res = await post(h, personalMessage(h, `x${"é".repeat(40_000)}`));
    expect(res.status).toBe(200);
    const [reply] = h.connector.posted(before);
    expect(reply).toBeDefined();
    const text = String(reply!.body.text);
    expect(text).toMatch(/^I don't know "xé+…"\. Here is what I can do:$/);
    expect(Buffer.byteLength(JSON.stringify(reply!.body))).toBeLessThan(28 * 1024);
  });

  it("HTML entities in a title typed as a command are decoded, as in message actions", async () => {
    const before = h.connector.count;
    const res = await post(h, channelMessage(h, "issue VPN &amp; Outlook down &lt;again&gt; p2"));
    expect(res.status).toBe(200);
    const posted = await h.connector.waitForPosted(before, 1);
    const text = cardText(cardsIn(posted)[0]);
    expect(text).toContain("VPN & Outlook down <again>");
    expect(text).not.toContain("&amp;");
  });

  it.each([
    ["recipient.name false", { recipient: { id: "28:bot", name: false } }],
    ["an object id", { id: { evil: true } }],
    ["a number as text", { text: 42 }],
    ["a conversation id that is a number", { conversation: { id: 7 } }],
    ["a tenant that is an array", { channelData: { tenant: [] } }],
    ["membersAdded that is not a list", { membersAdded: "everyone" }],
  ])("an activity with %s is a 400, not a 500", async (_what, overrides) => {
    const before = h.connector.count;
    const res = await post(h, { ...personalMessage(h, "help"), ...overrides });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: "the body must be a Bot Framework activity" });
    expect(h.connector.posted(before)).toEqual([]);
  });

  it.each([
    ["no from", { from: undefined }],
    ["no recipient", { recipient: undefined }],
    ["a serviceUrl that is not a web address", { serviceUrl: "not a url" }],
    ["an id of 45,000 characters", { id: "1".repeat(45_000) }],
    [
      "a conversation id of 40,000 characters",
      {
        conversation: {
          conversationType: "personal",
          tenantId: IDS.providerTenant,
          id: `a:${"é".repeat(40_000)}`,
        },
      },
    ],
    ["a mention that names nobody", { entities: [{ type: "mention", text: "<at>rapport</at>" }] }],
    ["entities that are null", { entities: null }],
    [
      "a conversation id with a line break",
      {
        conversation: { conversationType: "personal", tenantId: IDS.providerTenant, id: "a:1x\r\nX-Evil: 1" },
      },
    ],
    [
      "a conversation id past Latin-1 (no header can carry it)",
      {
        conversation: {
          conversationType: "personal",
          tenantId: IDS.providerTenant,
          id: "a:1x\u4e00\u{1f600}",
        },
      },
    ],
    ["fields nested deeper than any activity", { channelData: nested(200) }],
  ])("an activity with %s is a 400, not a 500", async (_what, overrides) => {
    const before = h.connector.count;
    const res = await post(h, { ...personalMessage(h, "help"), ...overrides });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: "the body must be a Bot Framework activity" });
    expect(h.connector.posted(before)).toEqual([]);
  });

  it.each([
    ["a value that is a number", 1794819600],
    ["an empty value", {}],
    ["an action that is a string", { action: "issue.acknowledge" }],
  ])("an Action.Execute with %s is a 400, not a 501", async (_what, value) => {
    const res = await post(h, { ...cardAction(h, "issue.acknowledge", {}), value });
    expect(res.status).toBe(400);
  });

  it("a message action whose message has a date that is not one is a 400", async () => {
    const activity = messageAction(h, "invoke-submit-action-report-issue");
    const value = activity.value as Record<string, unknown>;
    activity.value = {
      ...value,
      messagePayload: { ...(value.messagePayload as object), createdDateTime: "yesterday" },
    };
    expect((await post(h, activity)).status).toBe(400);
  });

  it.each([
    "composeExtension/query",
    "task/fetch",
    "actionableMessage/executeAction",
    "signin/verifyState",
    null,
  ])(
    "an invoke rapport does not offer (%s) is acknowledged with an empty 200, not botbuilder's 501",
    async (name) => {
      const before = h.connector.count;
      const activity = { ...cardAction(h, "issue.acknowledge", {}), name: name ?? undefined };
      const res = await post(h, activity);
      expect(res.status).toBe(200);
      expect(res.text).toBe("");
      expect(h.connector.posted(before)).toEqual([]);
    },
  );

  it("a NUL character and half an emoji are taken out of what is kept; the issue is recorded", async () => {
    const before = h.connector.count;
    const res = await post(h, channelMessage(h, "issue the label\u0000 printer prints blank pages \ud83c"));
    expect(res.status).toBe(200);
    const posted = await h.connector.waitForPosted(before, 1);
    expect(cardText(cardsIn(posted)[0])).toContain("the label printer prints blank pages \ufffd");
  });

  it("a reply the connector refuses is logged, and the message is still answered 200", async () => {
    // The reply, the sentence saying it failed and the turn's apology all fail, as in a
    // conversation Teams deleted.
    h.connector.failNext({ status: 404, times: 3 });
    const res = await post(h, personalMessage(h, "an unknown command"));
    expect(res.status).toBe(200);
    h.connector.recover();
  });

  it("a 1 MB chunked body is a 413, not a reset connection", async () => {
    const url = new URL(`${h.baseUrl}/api/messages`);
    const { status, body } = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request(
        { host: url.hostname, port: url.port, path: url.pathname, method: "POST" },
        (res) => {
          let text = "";
          res.on("data", (d: Buffer) => (text += d.toString()));
          res.on("end", () => resolve({ status: res.statusCode ?? 0, body: text }));
        },
      );
      req.on("error", reject);
      req.setHeader("content-type", "application/json");
      // No Content-Length: node sends the body chunked, 64 KB at a time.
      const chunk = Buffer.alloc(64 * 1024, "x");
      for (let i = 0; i < 16; i++) req.write(chunk);
      req.end();
    });
    expect(status).toBe(413);
    expect(JSON.parse(body)).toEqual({ error: "activity too large" });
    const res = await post(h, personalMessage(h, "help"));
    expect(res.status).toBe(200);
  });
});

describe("Teams with an app id: tokens that cannot be trusted", () => {
  const APP_ID = "11111111-2222-4333-8444-555555555555";
  const APP_PASSWORD = "not-a-real-client-secret~value";
  let h: TeamsHarness;
  beforeAll(async () => {
    h = await startTeamsHarness({
      env: {
        MicrosoftAppId: APP_ID,
        MicrosoftAppPassword: APP_PASSWORD,
        MicrosoftAppType: "MultiTenant",
      },
    });
  }, 60_000);
  afterAll(() => h?.stop());

  const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString("base64url");
  const now = Math.floor(Date.now() / 1000);
  const claims = (over: Record<string, unknown> = {}) => ({
    iss: "https://api.botframework.com",
    aud: APP_ID,
    serviceurl: "https://smba.trafficmanager.net/emea/",
    nbf: now - 60,
    exp: now + 3600,
    ...over,
  });
  const hs256 = (payload: unknown, key: string) => {
    const head = `${b64({ alg: "HS256", typ: "JWT" })}.${b64(payload)}`;
    return `${head}.${createHmac("sha256", key).update(head).digest("base64url")}`;
  };
  const TOKENS: [string, string | null][] = [
    ["no token at all", null],
    ["alg none", `${b64({ alg: "none", typ: "JWT" })}.${b64(claims())}.`],
    [
      "RS256 signed with a key Microsoft never published",
      `${b64({ alg: "RS256", typ: "JWT", kid: "rapport-test-unknown-key" })}.${b64(claims())}.${"A".repeat(342)}`,
    ],
    ["HS256 keyed with the app password", hs256(claims(), APP_PASSWORD)],
    [
      "an expired token",
      `${b64({ alg: "RS256", typ: "JWT", kid: "rapport-test-unknown-key" })}.${b64(
        claims({ nbf: now - 7200, exp: now - 3600 }),
      )}.${"A".repeat(342)}`,
    ],
    ["a token that is not a JWT", "definitely-not-a-jwt"],
  ];

  it.each(TOKENS)(
    "%s: 401 (or 503) at once, with no internal text, and nothing done",
    async (_what, token) => {
      const before = h.connector.count;
      const started = Date.now();
      const res = await fetch(`${h.baseUrl}/api/messages`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        body: JSON.stringify(channelMessage(h, "issue printer jammed")),
      });
      const text = await res.text();
      expect([401, 503]).toContain(res.status);
      expect(Date.now() - started).toBeLessThan(3_000);
      expect(JSON.parse(text)).toEqual(
        res.status === 401 ? { error: "unauthorized" } : { error: "unavailable" },
      );
      expect(text).not.toMatch(
        /botframework|ENOTFOUND|getaddrinfo|jwt|token|authorized access|identity|at /i,
      );
      expect(h.connector.posted(before)).toEqual([]);
    },
  );
  it("a Microsoft sign-in endpoint that never answers: 503 after about 2 s, nothing done", async () => {
    // Every name lookup for Microsoft's OpenID metadata hangs, as behind a black-holing network.
    const lookup = dns.lookup;
    const spy = vi.spyOn(dns, "lookup").mockImplementation(((host: string, ...rest: unknown[]) => {
      if (/microsoftonline|botframework/.test(host)) return undefined;
      return (lookup as (...a: unknown[]) => unknown)(host, ...rest);
    }) as typeof dns.lookup);
    try {
      const before = h.connector.count;
      const started = Date.now();
      const res = await fetch(`${h.baseUrl}/api/messages`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${TOKENS[2]![1]}` },
        body: JSON.stringify(channelMessage(h, "issue printer jammed")),
      });
      expect(res.status).toBe(503);
      expect(res.headers.get("retry-after")).toBe("5");
      expect(await res.json()).toEqual({ error: "unavailable" });
      const waited = Date.now() - started;
      expect(waited).toBeGreaterThanOrEqual(1_900);
      expect(waited).toBeLessThan(4_000);
      expect(spy).toHaveBeenCalled();
      expect(h.connector.posted(before)).toEqual([]);
    } finally {
      spy.mockRestore();
    }
  });
});
