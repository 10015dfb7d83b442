/** Where a progress line goes: a terminal stream (process.stderr), or anything shaped like one. */
export interface ProgressStream {
  isTTY?: boolean;
  write(text: string): unknown;
}

/** One line that a long command rewrites in place as it goes. */
export interface ProgressLine {
  update(text: string): void;
  /** Clears the line, so what the command prints next starts on a clean one. */
  done(): void;
}

/**
 * A progress line on `stream`, drawn only when it is a terminal: piped or redirected, a command
 * stays quiet and its output holds only its results. Redrawn at most every `everyMs`.
 */
export function progressLine(stream: ProgressStream = process.stderr, everyMs = 100): ProgressLine {
  if (!stream.isTTY) return { update: () => {}, done: () => {} };
  let last = 0;
  let shown = false;
  return {
    update(text) {
      const now = Date.now();
      if (now - last < everyMs) return;
      last = now;
      shown = true;
      stream.write(`\r\x1b[2K${text}`);
    },
    done() {
      if (shown) stream.write("\r\x1b[2K");
      shown = false;
    },
  };
}
