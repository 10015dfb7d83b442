// What a platform's payload must be before rapport keeps any of it. PostgreSQL stores neither a
// NUL character nor half of a UTF-16 surrogate pair, in text or in jsonb: a pasted control
// character, or a string cut between the two halves of an emoji, made the whole write fail.
// Payloads nested deeper than any platform nests them are not payloads at all.

/** Deeper than this, a JSON body is not one any chat platform sends (Block Kit and Adaptive Cards stay far shallower). */
export const MAX_PAYLOAD_DEPTH = 64;

/**
 * `value` with every string and key made storable: NUL characters removed, a lone surrogate
 * replaced with U+FFFD (as encoding it to UTF-8 would). The same object comes back when nothing
 * needed changing. Null when the value is nested deeper than `maxDepth`.
 */
export function storableJson<T>(value: T, maxDepth = MAX_PAYLOAD_DEPTH): T | null {
  const out = clean(value, maxDepth);
  return out === TOO_DEEP ? null : (out as T);
}

const TOO_DEEP = Symbol("too deep");

function clean(value: unknown, depth: number): unknown {
  if (typeof value === "string") return storableString(value);
  if (value === null || typeof value !== "object") return value;
  if (depth === 0) return TOO_DEEP;
  if (Array.isArray(value)) {
    let changed: unknown[] | null = null;
    for (let i = 0; i < value.length; i++) {
      const item = clean(value[i], depth - 1);
      if (item === TOO_DEEP) return TOO_DEEP;
      if (item !== value[i]) (changed ??= [...value])[i] = item;
    }
    return changed ?? value;
  }
  let changed: Record<string, unknown> | null = null;
  for (const [key, item] of Object.entries(value)) {
    const k = storableString(key);
    const v = clean(item, depth - 1);
    if (v === TOO_DEEP) return TOO_DEEP;
    if (k !== key || v !== item) {
      changed ??= { ...value };
      if (k !== key) delete changed[key];
      changed[k] = v;
    }
  }
  return changed ?? value;
}

// A high surrogate not followed by a low one, or a low one not preceded by a high one.
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
// eslint-disable-next-line no-control-regex -- the NUL character is what PostgreSQL refuses
const UNSTORABLE = /[\u0000\ud800-\udfff]/;

/** `s` without NUL characters and with every lone surrogate replaced by U+FFFD. */
export function storableString(s: string): string {
  if (!UNSTORABLE.test(s)) return s;
  return s.replaceAll("\u0000", "").replace(LONE_SURROGATE, "\ufffd");
}
