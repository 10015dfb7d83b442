import fc from "fast-check";

// Deterministic mutations of a platform's payload: a case is a list of operations (delete a field,
// put a value of another type or shape in its place, damage the raw body or its headers) drawn from
// a seeded generator, so case N of seed S is the same case on every run and any subset of its
// operations can be replayed to find the one that matters.

/** Where a value sits in a payload: keys and array indexes from the root ([] is the root itself). */
export type Path = (string | number)[];

/** What may be done to the raw body or headers after the payload is serialised. */
export type RawDamage =
  | { how: "truncate"; keep: number }
  | { how: "garbage"; at: number; text: string }
  | { how: "content-type"; value: string | null }
  | { how: "signature"; variant: SignatureDamage };

/** How a Slack signature can be wrong: forged, stale, future-dated, missing, malformed. */
export type SignatureDamage = "other-secret" | "stale" | "future" | "missing" | "no-timestamp" | "malformed";

/** One mutation: a field deleted or replaced, or the raw request damaged. */
export type Op =
  | { kind: "delete"; path: Path }
  | { kind: "set"; path: Path; value: unknown; label: string }
  | { kind: "raw"; damage: RawDamage };

/** A small, fast, seeded generator (mulberry32): the same seed gives the same cases everywhere. */
export class Rng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** A generator for case `index` of run `seed`, independent of every other case. */
  static forCase(seed: number, index: number): Rng {
    return new Rng(Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(index + 1, 0xc2b2ae35));
  }

  /** A float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  }

  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** One of `items`. */
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }

  /** True with probability `p`. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  /** A 32-bit seed for fast-check's own generators. */
  seed(): number {
    return this.int(2 ** 31);
  }
}

/** What a mutation may put in: ids the fuzzed platform uses, names it knows, and claims on other partnerships. */
export interface MutationVocabulary {
  /** Ids of people, teams, channels and conversations the platform's payloads carry. */
  ids: readonly string[];
  /** Names rapport dispatches on, by key: `type`, `callback_id`, `action_id`, `verb`, `command`… */
  names: Readonly<Record<string, readonly string[]>>;
  /** Ids of partnerships and records the request does not come from (rapport must treat them as claims). */
  claims: readonly string[];
  /** Card values and form metadata naming such records, as the platform would carry them back. */
  claimValues: readonly unknown[];
  /** Values for URL fields: the platform's own answer URLs are kept on loopback. */
  urls: readonly string[];
}

const CONTROL_AND_UNICODE = [
  "\u0000",
  "nul\u0000inside",
  "\u202eevil right-to-left override",
  "\ud800 a lone surrogate",
  "zero\u200bwidth\u200d",
  "line\r\nbreak\rreturn",
  "\u001b[31mansi red\u001b[0m",
  "\t\v\f",
  "🎫🔥👩🏽‍💻 emoji, 𝕏 and ﷺ",
  "Ω≈ç√∫˜µ≤≥÷ åß∂ƒ©˙∆˚¬",
  "ｆｕｌｌ　ｗｉｄｔｈ",
  "e\u0301\u0301\u0301\u0301 combining",
  "   ",
  "",
  "null",
  "undefined",
  "NaN",
  "-0",
  "1e309",
  "'; drop table events; --",
  "${jndi:ldap://127.0.0.1:1/x}",
  "<script>alert(1)</script>",
  "&amp;&lt;&gt;&quot;&#39;&#x1F3AB;",
  "<at>rapport</at> issue <at>Tess Tech</at>",
  "../../../../etc/passwd",
  "%00%ff%zz",
  "{{7*7}} #{7*7} <%= 7*7 %>",
];

const SLACK_MARKUP = [
  "<!channel> printer down",
  "<!here|here> <!everyone>",
  "<@U0TECH> <@U0LEAD|lee> please look",
  "<#C0SUPPORT|support-client-co>",
  "<https://intranet.example.com|intranet> is down",
  "<mailto:it@example.com|mail us>",
  "<!subteam^S0TEAM|@it-team> VPN",
  "<!date^1392734382^{date_short}|Feb 18, 2014>",
  "*bold* _italic_ ~strike~ `code` ```block```",
  ":ticket: :rotating_light: p1 urgent since 9am",
  "&lt;@U0TECH&gt; &amp; more",
  "<",
  ">",
  "<<<>>>",
  "<@>",
  "<#>",
  "<!>",
];

/** Plain text a person might type, for the `text` of messages and commands. */
export const TYPED_TEXTS = [
  "printer on floor 2 is jammed p2 since 9am",
  "p1 VPN down for everyone since 08:00",
  "urgent",
  "help",
  "status",
  "recommend Replace the firewall before the licence ends",
  "call held",
  "call missed",
  "headsup New copier arrives on Monday",
  "setup",
  "export",
  "issue",
  "issue p9 since yesterday at 25:99",
  "issue since 31 February",
  "an unknown command",
];

const CONTENT_TYPES = [
  null,
  "text/plain",
  "application/xml",
  "multipart/form-data; boundary=----x",
  "application/json",
  "application/x-www-form-urlencoded",
  "application/json; charset=utf-16",
  "application/octet-stream",
];

const SIGNATURE_DAMAGE: readonly SignatureDamage[] = [
  "other-secret",
  "stale",
  "future",
  "missing",
  "no-timestamp",
  "malformed",
];

/** Every path in `value` down to `maxDepth` levels (arrays: their first items only), the root excluded. */
export function pathsOf(value: unknown, maxDepth = 7, limit = 600): Path[] {
  const out: Path[] = [];
  const walk = (node: unknown, path: Path) => {
    if (out.length >= limit || path.length >= maxDepth) return;
    if (Array.isArray(node)) {
      node.slice(0, 3).forEach((item, i) => {
        out.push([...path, i]);
        walk(item, [...path, i]);
      });
    } else if (node && typeof node === "object") {
      for (const [key, item] of Object.entries(node)) {
        out.push([...path, key]);
        walk(item, [...path, key]);
      }
    }
  };
  walk(value, []);
  return out;
}

/** The value at `path`, or undefined. */
export function valueAt(root: unknown, path: Path): unknown {
  let node = root;
  for (const key of path) {
    if (!node || typeof node !== "object") return undefined;
    node = (node as Record<string | number, unknown>)[key];
  }
  return node;
}

/** `base` with `ops` applied (a copy; an op whose parent an earlier op removed does nothing). */
export function applyOps(base: unknown, ops: readonly Op[]): unknown {
  let root = structuredClone(base);
  for (const op of ops) {
    if (op.kind === "raw") continue;
    if (op.path.length === 0) {
      root = op.kind === "set" ? copy(op.value) : undefined;
      continue;
    }
    const parent = valueAt(root, op.path.slice(0, -1));
    if (!parent || typeof parent !== "object") continue;
    const key = op.path.at(-1)!;
    if (op.kind === "delete") {
      if (Array.isArray(parent) && typeof key === "number") parent.splice(key, 1);
      else delete (parent as Record<string | number, unknown>)[key];
    } else {
      (parent as Record<string | number, unknown>)[key] = copy(op.value);
    }
  }
  return root;
}

// A copy, so a later op cannot change the value an op holds; values nested too deep for
// structuredClone are shared instead (no op reaches inside them: paths come from the base).
function copy(value: unknown): unknown {
  try {
    return structuredClone(value);
  } catch {
    return value;
  }
}

/** The raw damage among `ops`, in order. */
export function rawDamage(ops: readonly Op[]): RawDamage[] {
  return ops.flatMap((op) => (op.kind === "raw" ? [op.damage] : []));
}

/** A short, readable account of `op` (long values are shortened), for the report of a failing case. */
export function describeOp(op: Op): string {
  const where = (path: Path) => (path.length ? path.join(".") : "(root)");
  if (op.kind === "delete") return `delete ${where(op.path)}`;
  if (op.kind === "set") return `set ${where(op.path)} = ${op.label}: ${preview(op.value)}`;
  const d = op.damage;
  if (d.how === "truncate") return `body cut to ${d.keep} bytes`;
  if (d.how === "garbage") return `body with ${JSON.stringify(d.text)} inserted at ${d.at}`;
  if (d.how === "content-type") return `content-type ${d.value ?? "(none)"}`;
  return `signature ${d.variant}`;
}

function preview(value: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > 80 ? `${text.slice(0, 60)}… (${text.length} characters)` : text;
}

/** Which platform a case is for: Slack requests are signed, so their signature can be damaged. */
export type Platform = "slack" | "teams";

/**
 * Draws the mutations of one case of `base`: usually one to three field mutations, sometimes
 * damage to the raw request, and now and then none at all (the fixture as the platform sends it).
 */
export function drawOps(base: unknown, rng: Rng, vocab: MutationVocabulary, platform: Platform): Op[] {
  if (rng.chance(0.04)) return [];
  const paths = pathsOf(base);
  const shallow = paths.filter((p) => p.length <= 2);
  const ops: Op[] = [];
  const count = 1 + rng.int(3);
  for (let i = 0; i < count; i++) {
    const path = rng.chance(0.02)
      ? []
      : rng.chance(0.55) && shallow.length
        ? rng.pick(shallow)
        : rng.pick(paths);
    if (!path) continue;
    ops.push(drawFieldOp(path, valueAt(base, path), rng, vocab));
  }
  if (rng.chance(platform === "slack" ? 0.14 : 0.1))
    ops.push({ kind: "raw", damage: drawRaw(rng, platform) });
  return ops;
}

function drawRaw(rng: Rng, platform: Platform): RawDamage {
  const roll = rng.int(platform === "slack" ? 4 : 3);
  if (roll === 0) return { how: "truncate", keep: rng.next() };
  if (roll === 1)
    return { how: "garbage", at: rng.next(), text: rng.pick(['"', "}", "{{", "\u0000", "%", "&=&", ",]"]) };
  if (roll === 2) return { how: "content-type", value: rng.pick(CONTENT_TYPES) };
  return { how: "signature", variant: rng.pick(SIGNATURE_DAMAGE) };
}

const URL_KEY = /url/i;

function drawFieldOp(path: Path, current: unknown, rng: Rng, vocab: MutationVocabulary): Op {
  const key = String(path.at(-1) ?? "");
  const set = (value: unknown, label: string): Op => ({ kind: "set", path, value, label });
  // The platform's answer URLs stay on loopback: a mutation may break them, never send rapport out.
  if (URL_KEY.test(key) && !rng.chance(0.3)) {
    return rng.chance(0.3) ? { kind: "delete", path } : set(rng.pick(vocab.urls), "url");
  }
  const names = vocab.names[key];
  if (names && rng.chance(0.5)) return set(rng.pick(names), "another name rapport knows");
  const roll = rng.next();
  if (roll < 0.18) return { kind: "delete", path };
  if (roll < 0.38) return set(otherType(current, rng), "another type");
  if (roll < 0.46) return set(oversize(rng), "oversized");
  if (roll < 0.57) return set(rng.pick(CONTROL_AND_UNICODE), "control or unicode");
  if (roll < 0.64) return set(rng.pick(SLACK_MARKUP), "markup");
  if (roll < 0.68) return set([], "empty array");
  if (roll < 0.72) return set(nested(rng), "deep nesting");
  if (roll < 0.8) return set(hugeId(rng, vocab), "huge or odd id");
  if (roll < 0.9) return set(claim(key, rng, vocab), "claim on another partnership");
  if (roll < 0.95) return set(rng.pick(vocab.ids), "another id");
  if (roll < 0.98) return set(rng.pick(TYPED_TEXTS), "typed text");
  return set(fc.sample(fc.jsonValue({ maxDepth: 3 }), { seed: rng.seed(), numRuns: 1 })[0], "random JSON");
}

function otherType(current: unknown, rng: Rng): unknown {
  const options: unknown[] = [
    null,
    true,
    false,
    0,
    -1,
    1.5,
    1794819600,
    Number.MAX_SAFE_INTEGER + 2,
    1e308,
    "",
    "0",
    "true",
    [],
    ["a", 1, null],
    {},
    { id: "U0TECH", nested: { deeper: [] } },
  ];
  // Something of another JSON type than the current value.
  const kind = (v: unknown) => (v === null ? "null" : Array.isArray(v) ? "array" : typeof v);
  const others = options.filter((o) => kind(o) !== kind(current));
  return rng.pick(others.length ? others : options);
}

function oversize(rng: Rng): string {
  const size = rng.pick([1_000, 3_001, 10_000, 40_000, 100_000]);
  const unit = rng.pick(["a", "é", "🎫", "<@U0TECH> ", "x\n", "&amp;"]);
  return unit.repeat(Math.ceil(size / unit.length)).slice(0, size);
}

function nested(rng: Rng): unknown {
  const depth = rng.pick([20, 200, 1_000, 3_000]);
  let value: unknown = rng.chance(0.5) ? "bottom" : [];
  for (let i = 0; i < depth; i++) value = rng.chance(0.5) ? [value] : { a: value };
  return value;
}

function hugeId(rng: Rng, vocab: MutationVocabulary): unknown {
  const id = rng.pick(vocab.ids);
  return rng.pick<unknown>([
    id.repeat(1_000),
    `${id}\u0000`,
    ` ${id} `,
    id.toLowerCase(),
    `U${"9".repeat(5_000)}`,
    2 ** 64, // past every integer JSON readers keep exactly
    -1,
    "0",
    `${id}${"é".repeat(300)}`,
  ]);
}

function claim(key: string, rng: Rng, vocab: MutationVocabulary): unknown {
  if (/value|metadata|data/i.test(key) && vocab.claimValues.length) return rng.pick(vocab.claimValues);
  return rng.pick(vocab.claims.length ? vocab.claims : vocab.ids);
}
