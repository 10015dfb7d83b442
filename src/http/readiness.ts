/** One condition of readiness: null when it holds, else why not (a short sentence for a probe's log). */
export type ReadinessCheck = () => string | null | Promise<string | null>;

/**
 * Whether this process can do useful work, decided in one place: the database answers, and each
 * chat platform that is on can hear from its users (Slack's socket is open in Socket Mode, Teams
 * can authenticate). /readyz answers 503 with the first reason found, and 200 once none is left.
 */
export class Readiness {
  private readonly checks: { name: string; check: ReadinessCheck }[] = [];

  /** Adds a condition, checked in the order added. */
  add(name: string, check: ReadinessCheck): void {
    this.checks.push({ name, check });
  }

  /** True when every condition holds, else the first reason one does not. */
  async check(): Promise<true | string> {
    for (const { name, check } of this.checks) {
      const reason = await check();
      if (reason) return `${name}: ${reason}`;
    }
    return true;
  }
}
