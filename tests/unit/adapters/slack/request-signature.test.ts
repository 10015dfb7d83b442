// The signature check every Slack HTTP request passes, against Slack's own worked example and
// against a request signed here the way Slack signs one.
import { createHmac } from "node:crypto";
import type { IncomingMessage } from "node:http";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { signatureFault } from "../../../../adapters/slack/request-guard.ts";
import { SLACK_SIGNING_EXAMPLE } from "../../../contract/slack/support/signed-request.ts";

type Buffered = IncomingMessage & { rawBody: Buffer };

function request(body: Buffer | string, headers: Record<string, string>): Buffered {
  return { headers, rawBody: Buffer.isBuffer(body) ? body : Buffer.from(body) } as unknown as Buffered;
}

function sign(secret: string, timestamp: number, body: Buffer | string): string {
  return `v0=${createHmac("sha256", secret).update(`v0:${timestamp}:`).update(body).digest("hex")}`;
}

const EXAMPLE = SLACK_SIGNING_EXAMPLE;

describe("the Slack request signature", () => {
  it("accepts Slack's worked example, and nothing once one byte of it changes", () => {
    const headers = {
      "x-slack-request-timestamp": String(EXAMPLE.timestamp),
      "x-slack-signature": EXAMPLE.signature,
    };
    expect(signatureFault(request(EXAMPLE.body, headers), EXAMPLE.secret, EXAMPLE.timestamp + 10)).toBeNull();
    expect(signatureFault(request(`${EXAMPLE.body}x`, headers), EXAMPLE.secret, EXAMPLE.timestamp + 10)).toBe(
      "signature mismatch",
    );
    expect(signatureFault(request(EXAMPLE.body, headers), `${EXAMPLE.secret}0`, EXAMPLE.timestamp)).toBe(
      "signature mismatch",
    );
  });

  it("signs the body as sent, bytes that are not UTF-8 included", () => {
    const body = Buffer.from([0x74, 0x65, 0x78, 0x74, 0x3d, 0xff, 0xfe, 0x80]);
    const headers = {
      "x-slack-request-timestamp": "1800000000",
      "x-slack-signature": sign("s", 1800000000, body),
    };
    expect(signatureFault(request(body, headers), "s", 1800000000)).toBeNull();
  });

  it("refuses a timestamp more than five minutes away either way, a missing one, and no secret", () => {
    const at = 1800000000;
    const signed = (t: number) =>
      request("a=b", { "x-slack-request-timestamp": String(t), "x-slack-signature": sign("s", t, "a=b") });
    expect(signatureFault(signed(at - 300), "s", at)).toBeNull();
    expect(signatureFault(signed(at + 300), "s", at)).toBeNull();
    expect(signatureFault(signed(at - 301), "s", at)).toBe("stale timestamp");
    expect(signatureFault(signed(at + 301), "s", at)).toBe("timestamp in the future");
    expect(signatureFault(request("a=b", { "x-slack-signature": sign("s", at, "a=b") }), "s", at)).toBe(
      "no timestamp",
    );
    expect(
      signatureFault(
        request("a=b", { "x-slack-request-timestamp": "1e9", "x-slack-signature": "v0=00" }),
        "s",
        at,
      ),
    ).toBe("no timestamp");
    expect(signatureFault(request("a=b", { "x-slack-request-timestamp": String(at) }), "s", at)).toBe(
      "no signature",
    );
    expect(signatureFault(signed(at), "", at)).toBe("no signing secret is set");
  });

  it("accepts exactly the signature made with the secret, for any body and secret", () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 300 }),
        fc.string({ minLength: 1 }),
        fc.string(),
        (bytes, secret, other) => {
          const body = Buffer.from(bytes);
          const t = 1800000000;
          const headers = {
            "x-slack-request-timestamp": String(t),
            "x-slack-signature": sign(secret, t, body),
          };
          expect(signatureFault(request(body, headers), secret, t)).toBeNull();
          const forged = { ...headers, "x-slack-signature": sign(other, t, body) };
          expect(signatureFault(request(body, forged), secret, t)).toBe(
            other === secret ? null : "signature mismatch",
          );
        },
      ),
    );
  });
});
