import { describe, expect, it } from "vitest";
import { formatElapsed, formatMinutes } from "../../../src/domain/figure-format.ts";

describe("durations in the digest", () => {
  it("shows SLA-clock minutes in minutes and hours, never in 24-hour days", () => {
    expect(formatMinutes(45)).toBe("45 min");
    expect(formatMinutes(135)).toBe("2 h 15 min");
    // 72 working hours are about 8.5 working days: calling them "3 days" would mislead.
    expect(formatMinutes(72 * 60)).toBe("72 h");
  });

  it("shows real elapsed time (ages) in days past two days", () => {
    expect(formatElapsed(90)).toBe("1 h 30 min");
    expect(formatElapsed(4.4 * 1440)).toBe("4.4 days");
  });
});
