/**
 * Answers that never change for a key within a process (whether a zone exists, a week's bounds,
 * a schedule's moment), remembered because working them out asks the timezone rules each time.
 * Bounded: when `limit` keys are known it forgets them all, so a process asked about endless keys
 * keeps at most that many.
 */
export class Remembered<V> {
  private readonly known = new Map<string, V>();

  constructor(private readonly limit: number) {}

  /** The answer for `key`, worked out by `work` the first time (and again once forgotten). */
  get(key: string, work: () => V): V {
    if (this.known.has(key)) return this.known.get(key) as V;
    const answer = work();
    if (this.known.size >= this.limit) this.known.clear();
    this.known.set(key, answer);
    return answer;
  }
}
