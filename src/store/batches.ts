interface Waiting<I, O> {
  item: I;
  resolve: (out: O) => void;
  reject: (error: unknown) => void;
}

/** How a `Batches` makes its calls. */
export interface BatchedCall<I, O> {
  /** Writes (or reads) the items in one statement; gives back each one's result, in the order given. */
  writeAll(items: readonly I[]): Promise<O[]>;
  /** Items of one key never go in one call, nor in two at once: a later one waits for the first. */
  keyOf(item: I): string;
  /** The most items one call takes. */
  most: number;
}

/**
 * Statements that arrive together, made together: when a whole office writes at once (reports,
 * the inbox's events, the first look-up of each new person), the items that arrive while a
 * statement is at the server all go in the next one, one round trip (and one commit) for all of
 * them instead of one each. One is at the server at a time, so a flood goes in few, large
 * statements, and an item waits at most for the statement before its own; a lone item goes at
 * once. A statement that fails is made again item by item, one after another, so that one item's
 * failure is its own.
 */
export class Batches<I, O> {
  private waiting: Waiting<I, O>[] = [];
  private writing = false;
  /** The keys of the items being written now. */
  private readonly busy = new Set<string>();

  constructor(private readonly how: BatchedCall<I, O>) {}

  /** The item's result, once its write has committed. */
  write(item: I): Promise<O> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ item, resolve, reject });
      this.next();
    });
  }

  private next(): void {
    if (this.writing || this.waiting.length === 0) return;
    const batch = this.take();
    if (batch.length === 0) return;
    this.writing = true;
    void this.run(batch).finally(() => {
      this.writing = false;
      for (const w of batch) this.busy.delete(this.how.keyOf(w.item));
      this.next();
    });
  }

  /** The next write's items, in the order they came; a key already taken waits for a later one. */
  private take(): Waiting<I, O>[] {
    const batch: Waiting<I, O>[] = [];
    const rest: Waiting<I, O>[] = [];
    for (const w of this.waiting) {
      const key = this.how.keyOf(w.item);
      if (batch.length < this.how.most && !this.busy.has(key)) {
        this.busy.add(key);
        batch.push(w);
      } else rest.push(w);
    }
    this.waiting = rest;
    return batch;
  }

  private async run(batch: Waiting<I, O>[]): Promise<void> {
    try {
      const out = await this.how.writeAll(batch.map((w) => w.item));
      batch.forEach((w, i) => w.resolve(out[i]!));
    } catch (e) {
      if (batch.length === 1) return batch[0]!.reject(e);
      // Whatever stopped the write is about one of them at most: each again on its own, one after
      // another (not a hundred statements at once on the pool).
      for (const w of batch) {
        await this.how.writeAll([w.item]).then((out) => w.resolve(out[0]!), w.reject);
      }
    }
  }
}
