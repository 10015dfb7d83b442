import { describe, expect, it } from "vitest";
import { progressLine } from "../../../app/cli/progress.ts";

function stream(isTTY: boolean) {
  const written: string[] = [];
  return { isTTY, written, write: (text: string) => void written.push(text) };
}

describe("a command's progress line", () => {
  it("is drawn in place on a terminal and cleared when the command is done", () => {
    const tty = stream(true);
    const line = progressLine(tty, 0);
    line.update("demo: 5,000 of 20,000 events (25%)");
    line.update("demo: 10,000 of 20,000 events (50%)");
    line.done();
    expect(tty.written).toEqual([
      "\r\x1b[2Kdemo: 5,000 of 20,000 events (25%)",
      "\r\x1b[2Kdemo: 10,000 of 20,000 events (50%)",
      "\r\x1b[2K",
    ]);
  });

  it("writes nothing at all when piped or redirected", () => {
    const piped = stream(false);
    const line = progressLine(piped, 0);
    line.update("demo: 5,000 of 20,000 events (25%)");
    line.done();
    expect(piped.written).toEqual([]);
  });

  it("is redrawn at most once per interval, and not cleared if it was never drawn", () => {
    const tty = stream(true);
    const line = progressLine(tty, 60_000);
    line.update("first");
    line.update("second, too soon");
    line.done();
    line.done();
    expect(tty.written).toEqual(["\r\x1b[2Kfirst", "\r\x1b[2K"]);
  });
});
