/**
 * Writes that need not hold up an answer (figures kept for reuse): each starts once its caller has
 * gone on with its result, and closing the store waits for all of them.
 */
export class LaterWrites {
  private readonly running = new Set<Promise<void>>();
  private closed = false;

  /**
   * Runs `work` after the current turn; a failure goes to `onError`, never to the caller. Once
   * `close` has been called, nothing more starts: the store is going away, and a write that only
   * saves work for later has nothing to save it for.
   */
  run(work: () => Promise<unknown>, onError: (err: unknown) => void): void {
    if (this.closed) return;
    const done: Promise<void> = new Promise<void>((resolve) => setImmediate(resolve))
      .then(work)
      .then(
        () => undefined,
        (err: unknown) => {
          try {
            onError(err);
          } catch {
            // A failing report of a failure must not become an unhandled rejection.
          }
        },
      )
      .finally(() => this.running.delete(done));
    this.running.add(done);
  }

  /** Resolves once every write started so far (and any they started) has finished. */
  async settled(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running]);
  }

  /** Starts nothing more, and resolves once every write already started has finished. */
  close(): Promise<void> {
    this.closed = true;
    return this.settled();
  }
}
